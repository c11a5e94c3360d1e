/**
 * Builds models/*.onnx from the TFLite files of the @mediapipe/selfie_segmentation and
 * @mediapipe/face_detection npm packages (run by scripts/postinstall.js at `npm ci`). A model is rebuilt only when its source file, the converter's code
 * or the output itself changed since the last build, as recorded in models/.build-stamp.json.
 *
 *   node --import tsx scripts/build-models.ts [--force]
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { convertTfliteFile } from '../tools/tflite/convert';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CONVERTER_DIR = join(ROOT, 'tools/tflite');
const STAMP_FILE = '.build-stamp.json';

export const SOURCE_PACKAGES = ['@mediapipe/selfie_segmentation', '@mediapipe/face_detection'] as const;
export type SourcePackage = (typeof SOURCE_PACKAGES)[number];

/** The TFLite files converted, by output name. */
export const MODEL_SOURCES: Record<string, { package: SourcePackage; file: string }> = {
  'selfie_segmentation.onnx': { package: '@mediapipe/selfie_segmentation', file: 'selfie_segmentation.tflite' },
  'selfie_segmentation_landscape.onnx': { package: '@mediapipe/selfie_segmentation', file: 'selfie_segmentation_landscape.tflite' },
  'face_detection_short_range.onnx': { package: '@mediapipe/face_detection', file: 'face_detection_short_range.tflite' },
  'face_detection_full_range.onnx': { package: '@mediapipe/face_detection', file: 'face_detection_full_range.tflite' },
};

interface StampEntry {
  source: string;
  sourceSha256: string;
  converterSha256: string;
  outputSha256: string;
}
type Stamp = Record<string, StampEntry>;

export interface BuildOptions {
  /** Folder of each source package. */
  packageDirs: Record<SourcePackage, string>;
  modelsDir: string;
  force?: boolean;
  log?: (line: string) => void;
}

export interface BuildResult {
  model: string;
  action: 'built' | 'skipped';
}

function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** One hash over the converter's sources, so a converter fix rebuilds the models. */
export function converterHash(dir = CONVERTER_DIR): string {
  const h = createHash('sha256');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts')).sort()) {
    h.update(file).update(readFileSync(join(dir, file)));
  }
  return h.digest('hex');
}

function readStamp(path: string): Stamp {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Stamp) : {};
  } catch {
    return {};
  }
}

/**
 * The converted model must load and run in onnxruntime before it may replace anything on disk. The check
 * is skipped, with a warning, only when onnxruntime itself cannot load on this machine (its native binary
 * is an install-time download on some platforms): the conversion does not need it.
 */
async function checkRuns(source: string, onnx: Uint8Array, inputShape: number[], log: (line: string) => void): Promise<void> {
  let ort: typeof import('onnxruntime-node');
  try {
    ort = await import('onnxruntime-node');
  } catch (error) {
    log(`WARNING: onnxruntime-node does not load here (${(error as Error).message.split('\n')[0]}); the converted model was not test-run`);
    return;
  }
  try {
    const session = await ort.InferenceSession.create(onnx, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    try {
      const size = inputShape.reduce((a, b) => a * b, 1);
      await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', new Float32Array(size), inputShape) });
    } finally {
      await session.release();
    }
  } catch (error) {
    throw new Error(`${source}: the converted model does not run in onnxruntime, so it was not written: ${(error as Error).message.split('\n')[0]}`);
  }
}

export async function buildModels(opts: BuildOptions): Promise<BuildResult[]> {
  const log = opts.log ?? (() => undefined);
  mkdirSync(opts.modelsDir, { recursive: true });
  const stampPath = join(opts.modelsDir, STAMP_FILE);
  const stamp = readStamp(stampPath);
  const converter = converterHash();
  const results: BuildResult[] = [];
  for (const [model, { package: packageName, file: sourceName }] of Object.entries(MODEL_SOURCES)) {
    const source = join(opts.packageDirs[packageName], sourceName);
    const target = join(opts.modelsDir, model);
    if (!existsSync(source)) throw new Error(`${source} is missing: is ${packageName} installed?`);
    const sourceSha256 = sha256(readFileSync(source));
    const previous = stamp[model];
    const upToDate =
      !opts.force &&
      previous?.sourceSha256 === sourceSha256 &&
      previous.converterSha256 === converter &&
      existsSync(target) &&
      sha256(readFileSync(target)) === previous.outputSha256;
    if (upToDate) {
      log(`${model}: up to date (source sha256 ${sourceSha256.slice(0, 12)})`);
      results.push({ model, action: 'skipped' });
      continue;
    }
    const converted = convertTfliteFile(source);
    await checkRuns(source, converted.onnx, converted.input.shape, log);
    // Write beside the target and rename, so an interrupted build never leaves a partial model behind.
    const temp = `${target}.partial-${process.pid}`;
    try {
      writeFileSync(temp, converted.onnx);
      renameSync(temp, target);
    } finally {
      rmSync(temp, { force: true });
    }
    stamp[model] = { source: sourceName, sourceSha256, converterSha256: converter, outputSha256: sha256(converted.onnx) };
    writeFileSync(stampPath, `${JSON.stringify(stamp, null, 2)}\n`);
    const ops = Object.values(converted.operators).reduce((a, b) => a + b, 0);
    log(`${model}: built from ${sourceName} (${ops} TFLite operators, ${converted.onnx.length} bytes, input ${converted.input.shape.join('x')})`);
    results.push({ model, action: 'built' });
  }
  return results;
}

async function main(): Promise<void> {
  const require = createRequire(import.meta.url);
  const packageDirs = Object.fromEntries(SOURCE_PACKAGES.map((name) => [name, dirname(require.resolve(`${name}/package.json`))])) as Record<SourcePackage, string>;
  const modelsDir = join(ROOT, 'models');
  await buildModels({
    packageDirs,
    modelsDir,
    force: process.argv.includes('--force'),
    log: (line) => console.log(`[build-models] ${line}`),
  });
  console.log(`[build-models] models in ${relative(process.cwd(), modelsDir) || '.'}; licence: see models/README.md`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(`[build-models] FAILED: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
