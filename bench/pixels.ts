/**
 * Speed of the engine's pixel stages at the capture sizes. Prints a table of ms per call (CPU time
 * and wall time, see `time`). Usage: npx tsx bench/pixels.ts [--runs N] [--sizes 640x360,1280x720,1920x1080]
 *
 * The frame is alphamatting.com's GT01 with its ground-truth alpha (a realistic unknown band), cover-fitted
 * to each size; without /work/shared it falls back to skimage's astronaut with an elliptical soft alpha.
 */
import { existsSync, readFileSync } from 'node:fs';
import { blurBackground, coverFit } from '../src/engine/backgrounds';
import { floatImage, rgbaImage, type FloatImage, type RgbaImage } from '../src/frame';
import { decodePng } from '../src/engine/pixels/png';
import { resizeFloat, resizeRgba, resizeRgbaToRgbFloat } from '../src/engine/pixels/resize';
import { composite } from '../src/engine/stages/composite';
import { encodeFbaInput } from '../src/engine/matting/fba-encoding';
import { makeTrimap, TRIMAP_UNKNOWN } from '../src/engine/pixels/trimap';
import { DEFAULT_GUIDED_UPSAMPLE, upsampleMask, upsampleMatte } from '../src/engine/stages/upsample';
import { applyGuided, fitGuided } from '../src/engine/pixels/guided';
import { jsBand, simdModule, WasmBand } from '../src/engine/pixels/simd/guided-band';
import { compositeKernel } from '../src/engine/pixels/simd/composite';
import { runsOf } from '../src/engine/pixels/runs';
import { SHARED_DIR } from './lib/shared-data';

const GT_IMAGE = `${SHARED_DIR}/eval/alphamatting/image/GT01.png`;
const GT_ALPHA = `${SHARED_DIR}/eval/alphamatting/alpha/GT01.png`;
const ASTRONAUT = '/usr/lib/python3/dist-packages/skimage/data/astronaut.png';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

function source(): { image: RgbaImage; alpha: RgbaImage; name: string } {
  if (existsSync(GT_IMAGE)) return { image: decodePng(readFileSync(GT_IMAGE)), alpha: decodePng(readFileSync(GT_ALPHA)), name: 'GT01' };
  const image = decodePng(readFileSync(ASTRONAUT));
  const alpha = { width: image.width, height: image.height, data: new Uint8Array(image.data.length) };
  for (let y = 0; y < image.height; y++)
    for (let x = 0; x < image.width; x++) {
      const r = Math.hypot((x - 256) / 150, (y - 300) / 220);
      alpha.data.fill(Math.round(255 * Math.min(1, Math.max(0, (1.05 - r) / 0.1))), 4 * (y * image.width + x), 4 * (y * image.width + x) + 4);
    }
  return { image, alpha, name: 'astronaut (synthetic alpha)' };
}

function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  return sorted[lo] + (sorted[Math.ceil(pos)] - sorted[lo]) * (pos - lo);
}

/**
 * Per call: wall-clock ms, and CPU ms of this process (process.cpuUsage). On a shared machine the wall
 * time includes waiting for a core; the CPU time is the work itself, so it is the column to compare.
 */
function time(runs: number, work: () => void): { wall: number; cpu: number; cpuP90: number } {
  for (let i = 0; i < 5; i++) work();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    work();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return { wall: quantile(wall, 0.5), cpu: quantile(cpu, 0.5), cpuP90: quantile(cpu, 0.9) };
}

function alphaOf(rgba: RgbaImage): FloatImage {
  const a = floatImage(rgba.width, rgba.height);
  for (let i = 0; i < a.data.length; i++) a.data[i] = rgba.data[4 * i] / 255;
  return a;
}

function main(): void {
  const module = simdModule();
  if (!module) throw new Error('this Node has no WebAssembly SIMD: the comparison needs it');
  const wasmBand = new WasmBand(module);
  const simdComposite = compositeKernel();
  const runs = Number(option('--runs', '30'));
  const src = source();
  const rows: string[] = [];
  const sizes = option('--sizes', '640x360,1280x720,1920x1080')
    .split(',')
    .map((s) => s.split('x').map(Number));
  for (const [w, h] of sizes) {
    const frame = coverFit(src.image, w, h);
    const alpha = alphaOf(coverFit(src.alpha, w, h));
    const lw = w / 4;
    const lh = h / 4;
    const low = { image: resizeRgba(frame, lw, lh), alpha: resizeFloat(alpha, lw, lh) };
    const lowTrimap = makeTrimap(low.alpha, { bandFraction: 0.01 });
    const trimap = makeTrimap(alpha);
    const band = trimap.data.reduce((n, v) => n + (v === TRIMAP_UNKNOWN ? 1 : 0), 0) / trimap.data.length;
    const seg = resizeFloat(alpha, 256, 144);
    const blur = blurBackground(0.5);
    const background = blur.render(frame, alpha)!;
    const stretchedBlur = blur.renderStretched!(frame, alpha)!;
    const out = new Uint8Array(w * h * 4);
    const lowBand = lowTrimap.data.map((v) => (v === TRIMAP_UNKNOWN ? 1 : 0));
    const lowMatte = { guide: low.image, alpha: low.alpha, foreground: low.image, band: lowBand };
    const fit = fitGuided(lowMatte, DEFAULT_GUIDED_UPSAMPLE);
    const segMatte = upsampleMask(seg, w, h);
    const matte = upsampleMatte(frame, { ...low, trimap: lowTrimap, foreground: low.image });
    const known = { alpha, foreground: null, runs: runsOf(alpha.data, w, h) };
    const segInput = new Float32Array(3 * 256 * 144);
    const foreground = rgbaImage(w, h);
    const cases: [string, () => void][] = [
      ['segmenter input (frame -> 256x144 planar RGB)', () => resizeRgbaToRgbFloat(frame, 256, 144, segInput)],
      ['trimap (prob -> trimap)', () => makeTrimap(alpha, {}, trimap)],
      ['FBA encoding', () => encodeFbaInput(frame, trimap)],
      [`mask upsample 256x144 -> frame`, () => upsampleMask(seg, w, h, segMatte.alpha)],
      [`guided fit at ${lw}x${lh} (once per matte)`, () => fitGuided(lowMatte, DEFAULT_GUIDED_UPSAMPLE)],
      // The band's inner loop both ways (src/engine/pixels/simd/guided-band.ts); the engine uses the faster.
      ...[jsBand, wasmBand].map((kernel): [string, () => void] => [`guided apply ${lw}x${lh} -> frame, merged into the mask (${kernel.name})`, () => {
        const seg2 = upsampleMask(seg, w, h, segMatte.alpha);
        foreground.data.set(frame.data);
        applyGuided(fit, frame, { x0: 0, y0: 0, x1: w, y1: h }, { alpha: seg2.alpha, foreground, runs: seg2.runs }, { overrule: 0.5, weight: 0.5 }, kernel);
      }]),
      ['blur background (strength 0.5), at full size', () => blur.render(frame, alpha)],
      // What the engine does per frame with a blur: where the renderer hands a stretched picture, the
      // compositor upsamples it only where it shows.
      ...[null, simdComposite].map((kernel): [string, () => void] => [`blur background + composite, by runs (the engine's path; ${kernel?.name ?? 'TypeScript'})`, () => composite(frame, known, blur.renderStretched?.(frame, alpha) ?? blur.render(frame, alpha), out, kernel)]),
      // The composite alone over a stretched picture, both ways.
      ...[null, simdComposite].map((kernel): [string, () => void] => [`composite over a stretched background, by runs (${kernel?.name ?? 'TypeScript'})`, () => composite(frame, known, stretchedBlur, out, kernel)]),
      ['composite over a background, per pixel', () => composite(frame, { alpha, foreground: null }, background, out)],
      ['composite over a background, by runs', () => composite(frame, known, background, out)],
      ['composite with matting F, by runs', () => composite(frame, matte, background, out)],
      ['composite transparent, by runs', () => composite(frame, known, null, out)],
    ];
    for (const [name, work] of cases) {
      const t = time(runs, work);
      rows.push(`| ${name} | ${w}x${h} | ${t.cpu.toFixed(2)} | ${t.cpuP90.toFixed(2)} | ${t.wall.toFixed(2)} |`);
    }
    rows.push(`| (unknown band share at ${w}x${h}: ${(100 * band).toFixed(1)}%) | | | | |`);
  }
  // The engine runs the trimap and the encoding at the matting size, not the frame's.
  {
    const [w, h] = [320, 180];
    const frame = coverFit(src.image, w, h);
    const alpha = alphaOf(coverFit(src.alpha, w, h));
    const trimap = makeTrimap(alpha);
    for (const [name, work] of [
      ['trimap (prob -> trimap)', () => makeTrimap(alpha, {}, trimap)],
      ['FBA encoding', () => encodeFbaInput(frame, trimap)],
    ] as [string, () => void][]) {
      const t = time(runs, work);
      rows.push(`| ${name} | ${w}x${h} (matting size) | ${t.cpu.toFixed(2)} | ${t.cpuP90.toFixed(2)} | ${t.wall.toFixed(2)} |`);
    }
  }
  console.log(`Pixel stages on ${src.name}, Node ${process.version}, ${runs} runs after 5 warm-up, one JS thread`);
  console.log('| stage | frame | CPU ms median | CPU ms p90 | wall ms median |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(r);
}

main();
