import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TfliteFormatError } from '../../../../tools/tflite/errors';
import { buildModels, MODEL_SOURCES, SOURCE_PACKAGES, type SourcePackage } from '../../../../scripts/build-models';

const require = createRequire(import.meta.url);
const installed = (name: SourcePackage) => dirname(require.resolve(`${name}/package.json`));
const PACKAGE_DIR = installed('@mediapipe/selfie_segmentation');
const root = mkdtempSync(join(tmpdir(), 'backdrop-build-'));
/** Both packages' files in one folder, so the test can break one without touching node_modules. */
const packageDir = join(root, 'package');
const packageDirs = Object.fromEntries(SOURCE_PACKAGES.map((name) => [name, packageDir])) as Record<SourcePackage, string>;
const modelsDir = join(root, 'models');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const MODELS = Object.keys(MODEL_SOURCES);
const actions = async () => (await buildModels({ packageDirs, modelsDir })).map((r) => `${r.model}:${r.action}`);
const all = (action: string) => MODELS.map((m) => `${m}:${action}`);

describe('build-models', () => {
  it('builds every model, then skips them while nothing changed, then rebuilds only what changed', async () => {
    rmSync(packageDir, { recursive: true, force: true });
    mkdirSync(packageDir, { recursive: true });
    for (const source of Object.values(MODEL_SOURCES)) copyFileSync(join(installed(source.package), source.file), join(packageDir, source.file));

    expect(await actions()).toEqual(all('built'));
    const stamp = JSON.parse(readFileSync(join(modelsDir, '.build-stamp.json'), 'utf8'));
    expect(Object.keys(stamp)).toEqual(MODELS);

    expect(await actions()).toEqual(all('skipped'));

    // Bytes after the flatbuffer are ignored by readers but change the source hash.
    appendFileSync(join(packageDir, 'face_detection_short_range.tflite'), Uint8Array.of(0));
    expect(await actions()).toEqual(MODELS.map((m) => `${m}:${m === 'face_detection_short_range.onnx' ? 'built' : 'skipped'}`));

    rmSync(join(modelsDir, 'selfie_segmentation.onnx'));
    expect(await actions()).toEqual(MODELS.map((m) => `${m}:${m === 'selfie_segmentation.onnx' ? 'built' : 'skipped'}`));
  });

  it('fails naming a broken source and leaves the previous model and no partial file behind', async () => {
    const before = readFileSync(join(modelsDir, 'selfie_segmentation.onnx'));
    const source = join(packageDir, 'selfie_segmentation.tflite');
    writeFileSync(source, readFileSync(join(PACKAGE_DIR, 'selfie_segmentation.tflite')).subarray(0, 50_000));
    const error = await buildModels({ packageDirs, modelsDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TfliteFormatError);
    expect((error as Error).message).toContain(source);
    expect(readFileSync(join(modelsDir, 'selfie_segmentation.onnx'))).toEqual(before);
    expect(readdirSync(modelsDir).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('names a missing source package', async () => {
    const nowhere = Object.fromEntries(SOURCE_PACKAGES.map((name) => [name, join(root, 'nowhere')])) as Record<SourcePackage, string>;
    await expect(buildModels({ packageDirs: nowhere, modelsDir })).rejects.toThrow(/selfie_segmentation\.tflite is missing: is @mediapipe\/selfie_segmentation installed/);
    expect(existsSync(join(modelsDir, 'selfie_segmentation.onnx'))).toBe(true);
  });
});
