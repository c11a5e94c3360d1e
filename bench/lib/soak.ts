/** The figures of a long `backdrop run` (bench/soak.ts), as pure functions of what it printed and sampled. */

/** One status line of `backdrop run` on a plain stderr (src/cli/run/summary.ts formatStatus). */
export interface RunStatus {
  seconds: number;
  fpsIn: number;
  fpsOut: number;
  latencyMs: number;
  /** Camera frames the engine dropped since the run started. */
  dropped: number;
}

const STATUS = /^(\d+) s \| in ([\d.]+) fps \| out ([\d.]+) fps \| latency (\d+) ms \| dropped (\d+)/;

export function parseStatusLine(line: string): RunStatus | null {
  const m = STATUS.exec(line.trim());
  if (!m) return null;
  return { seconds: Number(m[1]), fpsIn: Number(m[2]), fpsOut: Number(m[3]), latencyMs: Number(m[4]), dropped: Number(m[5]) };
}

export interface Point {
  x: number;
  y: number;
}

/** Least-squares slope of y over x; 0 with fewer than two distinct x. */
export function slope(points: readonly Point[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    sxy += (p.x - mx) * (p.y - my);
    sxx += (p.x - mx) ** 2;
  }
  return sxx === 0 ? 0 : sxy / sxx;
}

/** A resident-memory sample: seconds into the run, MB. */
export interface MemorySample {
  seconds: number;
  mb: number;
}

export interface MemoryGrowth {
  fromSec: number;
  /** Least-squares slope over the samples from `fromSec` on, MB per hour. */
  mbPerHour: number;
  /** The fitted line's rise from `fromSec` to the last sample, as a share of its value at `fromSec`, in %. */
  growthPct: number;
}

/**
 * Growth of resident memory once warm: from `fromSec` (start-up allocations, caches and JIT settle in
 * the first minutes) to the end. Judged on the fitted line, not two single samples, so one garbage
 * collection at either end does not decide it.
 */
export function memoryGrowth(samples: readonly MemorySample[], fromSec: number): MemoryGrowth {
  const warm = samples.filter((s) => s.seconds >= fromSec);
  const perSec = slope(warm.map((s) => ({ x: s.seconds, y: s.mb })));
  if (warm.length < 2) return { fromSec, mbPerHour: 0, growthPct: 0 };
  const mean = (f: (s: MemorySample) => number) => warm.reduce((t, s) => t + f(s), 0) / warm.length;
  const atFrom = mean((s) => s.mb) + perSec * (fromSec - mean((s) => s.seconds));
  const span = (warm.at(-1) as MemorySample).seconds - fromSec;
  return { fromSec, mbPerHour: perSec * 3600, growthPct: atFrom > 0 ? ((perSec * span) / atFrom) * 100 : 0 };
}

export interface MinuteFigures {
  minute: number;
  /** Mean of the status lines' output rate within the minute. */
  fpsOut: number | null;
  /** Camera frames dropped within the minute. */
  dropped: number | null;
}

/** Per minute of the run (1..minutes): its mean output rate and its drops, from the status lines. */
export function perMinute(statuses: readonly RunStatus[], minutes: number): MinuteFigures[] {
  const out: MinuteFigures[] = [];
  let droppedBefore = 0;
  for (let m = 1; m <= minutes; m++) {
    const within = statuses.filter((s) => s.seconds > (m - 1) * 60 && s.seconds <= m * 60);
    const last = within.at(-1);
    out.push({
      minute: m,
      fpsOut: within.length ? within.reduce((t, s) => t + s.fpsOut, 0) / within.length : null,
      dropped: last ? last.dropped - droppedBefore : null,
    });
    if (last) droppedBefore = last.dropped;
  }
  return out;
}
