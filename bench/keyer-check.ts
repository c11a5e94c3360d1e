/**
 * The chroma keyer's own error, so the franck reference mattes come with their uncertainty:
 * 1. Synthetic: alphamatting.com objects (their ground-truth alpha, foreground colours estimated) composited
 *    over a synthetic blue with the colour and noise of franck's screen, raw and after an H.264 4:2:0
 *    round trip (the clip's codec), keyed, and scored against the truth: SAD / MSE / Grad over the whole
 *    picture and SAD / MSE over trimap 1's unknown band (the alphamatting.com convention, comparable to the
 *    reference figures in ../shared/eval/README.md).
 * 2. Real: hand-checked regions of the franck frames, surely screen (alpha must be 0) or surely person
 *    (alpha must be 1), over the keyed frames.
 *
 *   npx tsx bench/keyer-check.ts [--images GT03,GT08,GT09,GT14,GT25 | --all] [--frames 30]
 */
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { floatImage, rgbaImage, type FloatImage, type RgbaImage } from '../src/frame';
import { cropResizeRgba } from '../src/engine/pixels/resize';
import { decodePng } from '../src/engine/pixels/png';
import { openVideo, VideoWriter } from '../src/io/video';
import { keyFrame } from './lib/chroma-key';
import { estimateForeground } from './lib/foreground';
import { franckFrames, franckKeys, FRANCK_CONTENT } from './lib/franck';
import { gradientError, mse, sad } from './lib/metrics';
import { EVAL_DIR } from './lib/sequences';
import { flag, markdownTable, num, option } from './lib/table';
import { CACHE_DIR } from './peers/ort';

type Box = { x: number; y: number; width: number; height: number };

/** Boxes in franck's content picture, chosen by eye on frames 0, 150 and 299 (a 64 px grid drawn over them). */
const SCREEN_BOXES: Box[] = [
  { x: 0, y: 0, width: 192, height: 192 },
  { x: 768, y: 0, width: 128, height: 256 },
  { x: 800, y: 256, width: 96, height: 256 },
];
const PERSON_BOXES: Box[] = [
  { x: 448, y: 288, width: 128, height: 160 },
  { x: 300, y: 672, width: 120, height: 40 },
];

/** Deterministic standard normal numbers (a 32-bit LCG through Box-Muller), so every run keys the same picture. */
function normals(seed: number): () => number {
  let s = seed >>> 0;
  const uniform = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** Mean and standard deviation per channel of franck's screen inside the screen boxes of its first frame. */
function screenStatistics(frame: RgbaImage): { mean: number[]; std: number[] } {
  const sums = [0, 0, 0];
  const squares = [0, 0, 0];
  let count = 0;
  for (const b of SCREEN_BOXES) {
    for (let y = b.y; y < b.y + b.height; y++) {
      for (let x = b.x; x < b.x + b.width; x++) {
        const p = (y * frame.width + x) * 4;
        for (let c = 0; c < 3; c++) {
          sums[c] += frame.data[p + c];
          squares[c] += frame.data[p + c] ** 2;
        }
        count++;
      }
    }
  }
  const mean = sums.map((s) => s / count);
  return { mean, std: squares.map((q, c) => Math.sqrt(Math.max(0, q / count - mean[c] ** 2))) };
}

async function h264RoundTrip(image: RgbaImage, dir: string, name: string): Promise<RgbaImage> {
  const path = join(dir, `${name}.mp4`);
  const writer = VideoWriter.open({ path, format: 'mp4', video: { width: image.width, height: image.height, rate: { num: 30, den: 1 } }, alpha: false });
  await writer.write(image);
  await writer.finish();
  const reader = await openVideo(path);
  for await (const frame of reader.frames()) return frame;
  throw new Error(`${path} holds no frame`);
}

async function synthetic(ids: string[], screen: { mean: number[]; std: number[] }): Promise<void> {
  const dir = join(CACHE_DIR, 'keyer-check');
  mkdirSync(dir, { recursive: true });
  const rows: string[][] = [];
  const totals = { raw: [] as number[][], h264: [] as number[][] };
  for (const id of ids) {
    const full = decodePng(readFileSync(join(EVAL_DIR, 'image', `${id}.png`)));
    // 4:2:0 video needs even sizes.
    const width = full.width & ~1;
    const height = full.height & ~1;
    const crop = { x: 0, y: 0, width, height };
    const image = cropResizeRgba(full, crop, width, height);
    const alphaPng = cropResizeRgba(decodePng(readFileSync(join(EVAL_DIR, 'alpha', `${id}.png`))), crop, width, height);
    const trimap = cropResizeRgba(decodePng(readFileSync(join(EVAL_DIR, 'trimap', `${id}.png`))), crop, width, height);
    const truth = floatImage(width, height);
    const unknown = new Uint8Array(width * height);
    for (let i = 0; i < truth.data.length; i++) {
      truth.data[i] = alphaPng.data[i * 4] / 255;
      unknown[i] = trimap.data[i * 4] === 128 ? 1 : 0;
    }
    const fg = estimateForeground(image, truth);
    const noise = normals(0x5eed + Number(id.replace(/\D/g, '')));
    const composite = rgbaImage(width, height);
    for (let i = 0; i < truth.data.length; i++) {
      const a = truth.data[i];
      for (let c = 0; c < 3; c++) {
        const k = screen.mean[c] + screen.std[c] * noise();
        composite.data[i * 4 + c] = Math.min(255, Math.max(0, Math.round(a * fg[c][i] + (1 - a) * k)));
      }
      composite.data[i * 4 + 3] = 255;
    }
    const score = (keyed: FloatImage) => [sad(keyed, truth), mse(keyed, truth) * 1e3, gradientError(keyed, truth), sad(keyed, truth, unknown), mse(keyed, truth, unknown)];
    const raw = score(keyFrame(composite).alpha);
    const coded = score(keyFrame(await h264RoundTrip(composite, dir, id)).alpha);
    totals.raw.push(raw);
    totals.h264.push(coded);
    rows.push([id, ...raw.map((v, i) => num(v, i === 4 ? 4 : 2)), ...coded.map((v, i) => num(v, i === 4 ? 4 : 2))]);
  }
  const mean = (list: number[][], i: number) => list.reduce((s, r) => s + r[i], 0) / list.length;
  rows.push(['mean', ...[0, 1, 2, 3, 4].map((i) => num(mean(totals.raw, i), i === 4 ? 4 : 2)), ...[0, 1, 2, 3, 4].map((i) => num(mean(totals.h264, i), i === 4 ? 4 : 2))]);
  for (const f of readdirSync(dir)) if (f.endsWith('.mp4')) rmSync(join(dir, f));
  console.log(`\n## Synthetic: alphamatting.com objects over franck's blue (mean ${screen.mean.map((m) => m.toFixed(0)).join(', ')}, noise sd ${screen.std.map((s) => s.toFixed(1)).join(', ')}), keyed\n`);
  console.log(
    markdownTable(
      ['image', 'raw: SAD', 'MSE x1e3', 'Grad', 'SAD unknown (trimap 1)', 'MSE unknown', 'H.264 4:2:0: SAD', 'MSE x1e3', 'Grad', 'SAD unknown', 'MSE unknown'],
      rows,
    ),
  );
  console.log('\nSAD = sum |alpha - truth| / 1000 (over the whole picture, or over trimap 1\'s unknown band as alphamatting.com scores); MSE over the same pixels.');
  console.log('For scale, ../shared/eval/README.md: closed-form matting scores SAD 4.94 / MSE 0.022 in the unknown band of trimap 1 (on real backgrounds).');
}

async function handChecked(frames: number): Promise<void> {
  const keys = await franckKeys(frames, (l) => process.stderr.write(`${l}\n`));
  const { width } = FRANCK_CONTENT;
  const measure = (boxes: Box[], want: number) => {
    let sum = 0;
    let worst = 0;
    let count = 0;
    let wrong = 0;
    for (const k of keys) {
      for (const b of boxes) {
        for (let y = b.y; y < b.y + b.height; y++) {
          for (let x = b.x; x < b.x + b.width; x++) {
            const e = Math.abs(k.alpha.data[y * width + x] - want);
            sum += e;
            worst = Math.max(worst, e);
            if (e > 0.1) wrong++;
            count++;
          }
        }
      }
    }
    return [num((sum / count) * 1e3, 3), num(worst, 3), num((wrong / count) * 100, 3), String(count)];
  };
  console.log(`\n## Real: hand-checked regions of franck, ${frames} keyed frames\n`);
  console.log(
    markdownTable(
      ['region', 'mean abs error x1e3', 'max abs error', '% pixels off by > 0.1', 'pixels'],
      [
        ['screen (alpha must be 0)', ...measure(SCREEN_BOXES, 0)],
        ['person: face and shirt (alpha must be 1)', ...measure(PERSON_BOXES, 1)],
      ],
    ),
  );
}

async function main(argv: string[]): Promise<void> {
  const all = readdirSync(join(EVAL_DIR, 'image'))
    .filter((f) => f.endsWith('.png'))
    .map((f) => f.replace(/\.png$/, ''))
    .sort();
  const ids = flag(argv, '--all') ? all : option(argv, '--images', 'GT03,GT08,GT09,GT14,GT25').split(',').filter(Boolean);
  const frames = Number(option(argv, '--frames', '30'));
  console.log('# Chroma keyer check (bench/lib/chroma-key.ts)');
  const [first] = await franckFrames(1);
  await synthetic(ids, screenStatistics(first));
  await handChecked(frames);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
