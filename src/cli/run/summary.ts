import { STAGE_NAMES, type EngineStats, type Quality, type StageName, type StartupFigures } from '../../common/contract';
import { median, quantile } from '../../engine/stats';

/** The closing figures of a headless run; `--json` prints exactly this object. */
export interface RunSummary {
  seconds: number;
  /** Camera frames sent to the engine. */
  framesIn: number;
  framesOut: number;
  /** Camera frames not sent: the virtual camera, the only output, had no reader. */
  framesIdle: number;
  /** Camera frames that never came out of the engine (it was busy with an earlier one). */
  dropped: number;
  /** Share (0-100) of composites that reused the last segmentation and matte (the picture barely changed), over the engine's stats windows. */
  skippedPercent: number;
  fpsIn: number;
  fpsOut: number;
  mattingHz: number;
  /** Camera read to composited frame back in the CLI, measured here. */
  latencyMs: { p50: number; p95: number };
  /** Process CPU time (every thread, the engine worker's included) over wall time; ffmpeg children not included. */
  cpuCores: number;
  /** Peak resident memory of the process. */
  rssMB: number;
  /** Median ms per stage over the run (the median of the engine's per-second medians). */
  stagesMs: Partial<Record<StageName, number>>;
  provider: string;
  quality: Quality | null;
  /** Intra-op threads of the segmentation and matting sessions (matte 0: matting off). */
  threads: { segment: number; matte: number } | null;
  outputs: OutputReport[];
  /** Why the engine stopped mid-run, or null. */
  engineError: string | null;
  /** ms from this process's start to the first composited frame back here; null when none came. */
  firstFrameMs: number | null;
  /** Where the start went (ms from this process's start): the engine ready (its segmenter loaded), and the engine's own figures. */
  startup: { engineReadyMs: number | null } & Partial<Omit<StartupFigures, 'warming'>>;
}

export interface OutputReport {
  kind: 'virtual-camera' | 'record' | 'stream';
  /** Device, file or redacted URL. */
  target: string;
  framesWritten: number;
  framesDropped: number;
  /** For a recording: where the file is; for a stream: how often it reconnected. */
  note: string | null;
  error: string | null;
}

export interface RunMeasurements {
  seconds: number;
  framesIn: number;
  framesOut: number;
  framesIdle: number;
  latencies: readonly number[];
  cpuMicros: number;
  peakRssBytes: number;
  /** Every stats message the engine sent during the run. */
  engineStats: readonly EngineStats[];
  outputs: OutputReport[];
  engineError: string | null;
  /** performance.now() when the engine said it was ready, and when the first composited frame came back. */
  readyMs: number | null;
  firstFrameMs: number | null;
}

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

export function summarise(m: RunMeasurements): RunSummary {
  const stagesMs: Partial<Record<StageName, number>> = {};
  for (const stage of STAGE_NAMES) {
    const values = m.engineStats.map((s) => s.stagesMs[stage]).filter((v): v is number => v !== undefined);
    if (values.length) stagesMs[stage] = round(median(values));
  }
  const last = m.engineStats.at(-1);
  const perSecond = (n: number) => (m.seconds > 0 ? round(n / m.seconds) : 0);
  return {
    seconds: round(m.seconds, 2),
    framesIn: m.framesIn,
    framesOut: m.framesOut,
    framesIdle: m.framesIdle,
    dropped: Math.max(0, m.framesIn - m.framesOut),
    skippedPercent: round(mean(m.engineStats.map((s) => s.skippedPercent ?? 0))),
    fpsIn: perSecond(m.framesIn),
    fpsOut: perSecond(m.framesOut),
    mattingHz: round(median(m.engineStats.map((s) => s.mattingHz))),
    latencyMs: { p50: round(quantile(m.latencies, 0.5)), p95: round(quantile(m.latencies, 0.95)) },
    cpuCores: m.seconds > 0 ? round(m.cpuMicros / 1e6 / m.seconds, 2) : 0,
    rssMB: round(m.peakRssBytes / (1024 * 1024)),
    stagesMs,
    provider: last?.provider ?? 'none',
    quality: last?.quality ?? null,
    threads: last?.threads ?? null,
    outputs: m.outputs,
    engineError: m.engineError,
    firstFrameMs: m.firstFrameMs === null ? null : round(m.firstFrameMs, 0),
    startup: { engineReadyMs: m.readyMs === null ? null : round(m.readyMs, 0), ...engineStartup(m.engineStats) },
  };
}

/** The engine's start-up figures from its last stats (they only fill in), rounded to the ms. */
function engineStartup(stats: readonly EngineStats[]): Partial<Omit<StartupFigures, 'warming'>> {
  const s = stats.findLast((x) => x.startup)?.startup;
  if (!s) return {};
  const ms = (v: number | null) => (v === null ? null : round(v, 0));
  return { segmenterMs: ms(s.segmenterMs), mattingMs: ms(s.mattingMs), autoMs: ms(s.autoMs), autoCached: s.autoCached, firstFrameMs: ms(s.firstFrameMs) };
}

export function formatRunSummary(s: RunSummary): string[] {
  const stages = STAGE_NAMES.filter((n) => s.stagesMs[n] !== undefined).map((n) => `${n} ${(s.stagesMs[n] as number).toFixed(1)} ms`);
  const lines = [
    `ran ${s.seconds.toFixed(1)} s: ${s.framesIn} frames in (${s.fpsIn.toFixed(1)} fps), ${s.framesOut} out (${s.fpsOut.toFixed(1)} fps), ${s.dropped} dropped, skipped ${s.skippedPercent.toFixed(0)} %${s.framesIdle > 0 ? `, ${s.framesIdle} not computed while the virtual camera was idle` : ''}`,
    `latency p50 ${s.latencyMs.p50.toFixed(0)} ms, p95 ${s.latencyMs.p95.toFixed(0)} ms; matting ${s.mattingHz.toFixed(1)} Hz; CPU ${s.cpuCores.toFixed(2)} cores; RSS ${s.rssMB.toFixed(0)} MB; provider ${s.provider}${s.threads ? `; threads segment ${s.threads.segment}, matte ${s.threads.matte}` : ''}`,
    `median per frame: ${stages.length ? stages.join(', ') : 'no frames processed'}`,
  ];
  if (s.firstFrameMs !== null) lines.push(startupLine(s));
  if (s.engineError) lines.push(`engine FAILED: ${s.engineError}`);
  for (const o of s.outputs) {
    const what = `${o.kind} ${o.target}: ${o.framesWritten} frames written, ${o.framesDropped} dropped`;
    lines.push(`${what}${o.note ? `; ${o.note}` : ''}${o.error ? `; FAILED: ${o.error}` : ''}`);
  }
  return lines;
}

function startupLine(s: RunSummary): string {
  const { engineReadyMs, mattingMs, autoMs, autoCached } = s.startup;
  const parts = [engineReadyMs === null ? null : `engine ready ${engineReadyMs} ms`];
  if (mattingMs !== undefined && mattingMs !== null) {
    const auto = autoMs === null || autoMs === undefined ? '' : autoCached ? ', Auto cached' : `, Auto measured in ${autoMs} ms`;
    parts.push(`matting ready ${mattingMs} ms into the engine's start${auto}`);
  }
  const detail = parts.filter((p) => p !== null).join('; ');
  return `first frame ${s.firstFrameMs} ms after start${detail ? ` (${detail})` : ''}`;
}

export interface StatusFigures {
  seconds: number;
  fpsIn: number;
  fpsOut: number;
  latencyP50: number;
  dropped: number;
  /** One short word or two per output, e.g. "rec 12.3 MB", "stream live". */
  outputs: string[];
}

export function formatStatus(f: StatusFigures): string {
  const parts = [
    `${f.seconds.toFixed(0)} s`,
    `in ${f.fpsIn.toFixed(1)} fps`,
    `out ${f.fpsOut.toFixed(1)} fps`,
    `latency ${f.latencyP50.toFixed(0)} ms`,
    `dropped ${f.dropped}`,
    ...f.outputs,
  ];
  return parts.join(' | ');
}
