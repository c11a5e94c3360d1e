import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TfliteFormatError } from '../../tools/tflite/errors';
import { buildModels, MODEL_SOURCES } from '../../scripts/build-models';

const PACKAGE_DIR = dirname(createRequire(import.meta.url).resolve('@mediapipe/selfie_segmentation/package.json'));
const root = mkdtempSync(join(tmpdir(), 'backdrop-build-'));
const packageDir = join(root, 'package');
const modelsDir = join(root, 'models');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const actions = async () => (await buildModels({ packageDir, modelsDir })).map((r) => `${r.model}:${r.action}`);

describe('build-models', () => {
  it('builds both models, then skips them while nothing changed, then rebuilds only what changed', async () => {
    rmSync(packageDir, { recursive: true, force: true });
    mkdirSync(packageDir, { recursive: true });
    for (const source of Object.values(MODEL_SOURCES)) copyFileSync(join(PACKAGE_DIR, source), join(packageDir, source));

    expect(await actions()).toEqual(['selfie_segmentation.onnx:built', 'selfie_segmentation_landscape.onnx:built']);
    const stamp = JSON.parse(readFileSync(join(modelsDir, '.build-stamp.json'), 'utf8'));
    expect(Object.keys(stamp)).toEqual(['selfie_segmentation.onnx', 'selfie_segmentation_landscape.onnx']);

    expect(await actions()).toEqual(['selfie_segmentation.onnx:skipped', 'selfie_segmentation_landscape.onnx:skipped']);

    // Bytes after the flatbuffer are ignored by readers but change the source hash.
    appendFileSync(join(packageDir, 'selfie_segmentation_landscape.tflite'), Uint8Array.of(0));
    expect(await actions()).toEqual(['selfie_segmentation.onnx:skipped', 'selfie_segmentation_landscape.onnx:built']);

    rmSync(join(modelsDir, 'selfie_segmentation.onnx'));
    expect(await actions()).toEqual(['selfie_segmentation.onnx:built', 'selfie_segmentation_landscape.onnx:skipped']);
  });

  it('fails naming a broken source and leaves the previous model and no partial file behind', async () => {
    const before = readFileSync(join(modelsDir, 'selfie_segmentation.onnx'));
    const source = join(packageDir, 'selfie_segmentation.tflite');
    writeFileSync(source, readFileSync(join(PACKAGE_DIR, 'selfie_segmentation.tflite')).subarray(0, 50_000));
    const error = await buildModels({ packageDir, modelsDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TfliteFormatError);
    expect((error as Error).message).toContain(source);
    expect(readFileSync(join(modelsDir, 'selfie_segmentation.onnx'))).toEqual(before);
    expect(readdirSync(modelsDir).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('names a missing source package', async () => {
    await expect(buildModels({ packageDir: join(root, 'nowhere'), modelsDir })).rejects.toThrow(/selfie_segmentation\.tflite is missing/);
    expect(existsSync(join(modelsDir, 'selfie_segmentation.onnx'))).toBe(true);
  });
});
