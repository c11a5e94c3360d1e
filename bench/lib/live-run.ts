import { loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  parseFromEngine,
  type EngineConfig,
  type EngineStats,
  type FromEngine,
  type StageName,
  type ToEngine,
  transferablesOf,
} from '../../src/common/contract';
import type { RgbaImage } from '../../src/frame';
import { median, quantile } from '../../src/engine/stats';
import { spawnEngineWorker } from '../../src/hosts/worker';
import type { PeerStagesMessage } from '../peers/host';

/**
 * Plays frames into an engine (Backdrop's, or a peer served by bench/peers/host.ts) the way a camera
 * delivers them: one frame per tick of a fixed clock, whatever the engine is doing. The engine's own
 * frame policy decides what to drop; nothing queues on this side. Latency is taken from each frame's
 * capture time (stamped when it is sent) to the arrival of its composite here.
 */

export type Entrant =
  | { kind: 'engine'; name: string; config: EngineConfig; modelsDir?: string }
  | { kind: 'peer'; name: string; peer: string; threads?: number };

export interface LiveOptions {
  fps: number;
  /** When true the player itself drops a frame while an earlier one has no output yet. */
  oneInFlight: boolean;
  /** Each composite as it arrives (the outputs, when the run has them on). */
  onOutput?(image: RgbaImage, latencyMs: number): void;
  /** CPU seconds used so far by helper processes (the outputs' ffmpegs), counted beside the engine's. */
  helperCpu?(): number;
}

export interface FrameRecord {
  /** Capture time, ms after the measured run started. */
  t: number;
  latencyMs: number;
}

export interface LiveResult {
  name: string;
  width: number;
  height: number;
  /** The keys of `backdrop run --json`'s summary. */
  fpsIn: number;
  fpsOut: number;
  mattingHz: number | null;
  /** Backdrop: the share of composites that reused the last segmentation and matte (mean of its stats windows). */
  skippedPercent: number | null;
  latencyMs: { p50: number; p95: number };
  cpuCores: number;
  rssMB: number;
  dropped: number;
  stagesMs: Partial<Record<StageName, number>>;
  provider: string;
  quality: string | null;
  /** Peak RSS less the RSS before the engine started (the decoded clip is held by the player). */
  engineMB: number;
  /** CPU of the helper processes (the outputs' ffmpegs) / wall time of the measured run; null without them. */
  helperCores: number | null;
  frames: FrameRecord[];
  /** Stage times over the run: the engine's per-window medians, a peer's per-frame figures. */
  stageSeries: { t: number; stagesMs: Partial<Record<StageName, number>> }[];
  /** The machine's 1-minute load average at the start and end of the measured run: others' work shows here. */
  load: [number, number];
  notice?: string;
}

interface Link {
  post(msg: ToEngine): void;
  onMessage(handler: (msg: FromEngine | PeerStagesMessage) => void): void;
  close(): Promise<void>;
}

function engineLink(modelsDir: string | undefined): Link {
  const worker = spawnEngineWorker({ modelsDir });
  const port = worker.connect();
  return {
    post: (msg) => port.postMessage(msg, transferablesOf(msg)),
    onMessage: (handler) => port.on('message', (data: unknown) => handler(parseFromEngine(data))),
    close: async () => {
      port.close();
      await worker.terminate();
    },
  };
}

function peerLink(peer: string, threads: number | undefined): Link {
  const worker = new Worker(new URL('../peers/worker-entry.mjs', import.meta.url), { workerData: { peer, threads } });
  return {
    post: (msg) => worker.postMessage(msg, transferablesOf(msg)),
    onMessage: (handler) => {
      worker.on('message', (data: { type?: string }) => handler(data.type === 'stages' ? (data as PeerStagesMessage) : parseFromEngine(data)));
      // A peer that fails to load (a module error in the worker) is reported like any other failure.
      worker.on('error', (error) => handler({ type: 'error', error: { code: 'internal', message: error.message } }));
    },
    close: async () => {
      await worker.terminate();
    },
  };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));
const now = () => performance.timeOrigin + performance.now();

export class EntrantUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EntrantUnavailable';
  }
}

/**
 * `warmup` frames are played first and not measured (lazily loaded models, first-run kernels), then
 * `frames` are measured.
 */
export async function runLive(entrant: Entrant, warmup: readonly RgbaImage[], frames: readonly RgbaImage[], opts: LiveOptions): Promise<LiveResult> {
  const { width, height } = frames[0];
  const rssBefore = process.memoryUsage().rss;
  const link = entrant.kind === 'engine' ? engineLink(entrant.modelsDir) : peerLink(entrant.peer, entrant.threads);
  let measuring = false;
  let t0 = 0;
  let outstanding = 0;
  let notice: string | undefined;
  let failure: string | undefined;
  let provider = 'cpu';
  let isReady = false;
  /** Live, matting loads after 'ready' (frames go out with segmentation only meanwhile); the run waits for it. */
  let warm = entrant.kind !== 'engine' || entrant.config.matting === 'off';
  let warmed: () => void = () => {};
  const warmOrFailed = new Promise<void>((resolve) => (warmed = resolve));
  const records: FrameRecord[] = [];
  const stats: { t: number; stats: EngineStats }[] = [];
  const stageSeries: LiveResult['stageSeries'] = [];
  const sentAt = new Map<number, number>();
  let ready: () => void = () => {};
  let stopped: () => void = () => {};
  const readyOrFailed = new Promise<void>((resolve) => (ready = resolve));
  const stoppedPromise = new Promise<void>((resolve) => (stopped = resolve));

  link.onMessage((msg) => {
    const at = now();
    switch (msg.type) {
      case 'ready':
        provider = msg.provider;
        isReady = true;
        ready();
        return;
      case 'error':
        // Before 'ready' an error means the entrant cannot run as named: a model is missing, or matting
        // fell back to segmentation only and would be scored under a name it does not deserve.
        if (!isReady) {
          failure = msg.error.message;
          ready();
        } else if (!warm) {
          failure = msg.error.message;
          warmed();
        } else notice = msg.error.message;
        return;
      case 'output':
        outstanding = Math.max(0, outstanding - 1);
        if (measuring && sentAt.has(msg.id)) records.push({ t: msg.timestamp - t0, latencyMs: at - msg.timestamp });
        opts.onOutput?.({ width: msg.width, height: msg.height, data: new Uint8Array(msg.pixels) }, at - msg.timestamp);
        return;
      case 'stats':
        // Engines from before the warm start send no start-up figures: their matting is in at ready.
        if (!warm && msg.stats.startup?.warming !== true) {
          warm = true;
          warmed();
        }
        if (measuring) stats.push({ t: at - t0, stats: msg.stats });
        if (msg.stats.notice) notice = msg.stats.notice;
        return;
      case 'stages':
        if (measuring) stageSeries.push({ t: (sentAt.get(msg.id) ?? at) - t0, stagesMs: msg.stagesMs });
        return;
      case 'stopped':
        stopped();
        return;
      default:
        return;
    }
  });

  const config = entrant.kind === 'engine' ? entrant.config : { background: { kind: 'colour', rgb: [0, 255, 0] }, matting: 'off', quality: 'balanced' };
  link.post({ type: 'start', config: config as EngineConfig });
  await Promise.race([readyOrFailed, sleep(180_000)]);
  if (failure || !isReady) {
    await link.close();
    throw new EntrantUnavailable(failure ?? 'it did not report ready within 180 s');
  }
  if (!warm) await Promise.race([warmOrFailed, sleep(180_000)]);
  if (failure || !warm) {
    await link.close();
    throw new EntrantUnavailable(failure ?? 'its matting was not ready within 180 s');
  }

  let nextId = 0;
  const play = async (list: readonly RgbaImage[]): Promise<number> => {
    const period = 1000 / opts.fps;
    const start = performance.now();
    let sent = 0;
    for (let i = 0; i < list.length; i++) {
      await sleep(start + i * period - performance.now());
      if (opts.oneInFlight && outstanding > 0) continue;
      const frame = list[i];
      const pixels = new Uint8Array(frame.data).buffer;
      const id = nextId++;
      const timestamp = now();
      sentAt.set(id, timestamp);
      outstanding++;
      link.post({ type: 'frame', id, width: frame.width, height: frame.height, timestamp, pixels });
      sent++;
    }
    await sleep(start + list.length * period - performance.now());
    return sent;
  };

  await play(warmup);
  await sleep(1000);
  sentAt.clear();
  let rssPeak = process.memoryUsage().rss;
  const rssTimer = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 100);
  const load0 = loadavg()[0];
  const cpu0 = process.cpuUsage();
  const helper0 = opts.helperCpu?.() ?? 0;
  const wall0 = performance.now();
  t0 = now();
  measuring = true;
  const sent = await play(frames);
  const cpu = process.cpuUsage(cpu0);
  const helperS = (opts.helperCpu?.() ?? 0) - helper0;
  const wallS = (performance.now() - wall0) / 1000;
  const load1 = loadavg()[0];
  // Composites of the last frames may still be on their way; they count, but no CPU is charged for them.
  await sleep(1500);
  measuring = false;
  clearInterval(rssTimer);
  link.post({ type: 'stop' });
  await Promise.race([stoppedPromise, sleep(5000)]);
  await link.close();

  const latencies = records.map((r) => r.latencyMs);
  const windows = stats.map((s) => s.stats);
  const stagesMs: Partial<Record<StageName, number>> = {};
  const perStage = new Map<StageName, number[]>();
  const collect = (record: Partial<Record<StageName, number>>) => {
    for (const [stage, ms] of Object.entries(record) as [StageName, number][]) {
      if (!perStage.has(stage)) perStage.set(stage, []);
      perStage.get(stage)!.push(ms);
    }
  };
  for (const w of windows) collect(w.stagesMs);
  for (const s of stageSeries) collect(s.stagesMs);
  for (const [stage, list] of perStage) stagesMs[stage] = median(list);
  if (entrant.kind === 'engine') for (const s of stats) stageSeries.push({ t: s.t, stagesMs: s.stats.stagesMs });
  const fpsOut = records.length / (frames.length / opts.fps);
  const mattingHz =
    entrant.kind === 'engine'
      ? entrant.config.matting === 'off'
        ? null
        : median(windows.map((w) => w.mattingHz))
      : entrant.peer === 'rvm'
        ? fpsOut
        : null;
  return {
    name: entrant.name,
    width,
    height,
    fpsIn: sent / (frames.length / opts.fps),
    fpsOut,
    mattingHz,
    skippedPercent: entrant.kind === 'engine' && windows.length ? windows.reduce((sum, w) => sum + (w.skippedPercent ?? 0), 0) / windows.length : null,
    latencyMs: { p50: quantile(latencies, 0.5), p95: quantile(latencies, 0.95) },
    cpuCores: (cpu.user + cpu.system) / 1e6 / wallS,
    rssMB: rssPeak / 2 ** 20,
    engineMB: (rssPeak - rssBefore) / 2 ** 20,
    helperCores: opts.helperCpu ? helperS / wallS : null,
    dropped: sent - records.length,
    stagesMs,
    provider,
    quality: entrant.kind === 'engine' ? (windows.at(-1)?.quality ?? entrant.config.quality) : null,
    frames: records,
    stageSeries,
    load: [load0, load1],
    ...(notice ? { notice } : {}),
  };
}
