import { availableParallelism } from 'node:os';
import type { StageName } from '../common/contract';

/**
 * CPU the whole process used since the previous call, as a percentage of all cores; null on the first
 * call (nothing to compare with). The engine is its own process in the app (Electron's utility process).
 */
export function processCpuMeter(
  cores = availableParallelism(),
  now: () => number = () => performance.now(),
  cpuUsage: () => NodeJS.CpuUsage = () => process.cpuUsage(),
): () => number | null {
  let last: { at: number; usage: NodeJS.CpuUsage } | null = null;
  return () => {
    const at = now();
    const usage = cpuUsage();
    const prev = last;
    last = { at, usage };
    if (!prev || at - prev.at < 100) return null;
    const usedMs = (usage.user - prev.usage.user + usage.system - prev.usage.system) / 1000;
    return Math.min(100, Math.max(0, (100 * usedMs) / ((at - prev.at) * cores)));
  };
}

/** Median of a list (the mean of the middle two for an even count); 0 for an empty list. */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Linear-interpolated quantile, q in [0, 1]; 0 for an empty list. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Rolling engine figures over a time window: arrival and output rates, per-stage times, latency.
 * The clock is injected so tests can drive it.
 */
export class StatsWindow {
  private arrivals: number[] = [];
  private outputs: { at: number; latency: number; reused: boolean }[] = [];
  private mattes: number[] = [];
  private stageTimes = new Map<StageName, { at: number; ms: number }[]>();
  dropped = 0;

  constructor(
    private readonly windowMs = 2000,
    private readonly now: () => number = () => performance.timeOrigin + performance.now(),
    private readonly cpu: () => number | null = processCpuMeter(),
  ) {}

  arrived(): void {
    this.arrivals.push(this.now());
  }

  /** `capturedAt` is the frame's capture time on the same clock; `reused`: it barely changed, and was not segmented or matted. */
  output(capturedAt: number, reused = false): void {
    const at = this.now();
    this.outputs.push({ at, latency: at - capturedAt, reused });
  }

  matted(): void {
    this.mattes.push(this.now());
  }

  stage(name: StageName, ms: number): void {
    let list = this.stageTimes.get(name);
    if (!list) this.stageTimes.set(name, (list = []));
    list.push({ at: this.now(), ms });
  }

  snapshot(): {
    fpsIn: number;
    fpsOut: number;
    mattingHz: number;
    dropped: number;
    skippedPercent: number;
    stagesMs: Partial<Record<StageName, number>>;
    latencyMs: { p50: number; p95: number };
    cpuPercent?: number;
  } {
    const since = this.now() - this.windowMs;
    this.arrivals = this.arrivals.filter((t) => t >= since);
    this.outputs = this.outputs.filter((o) => o.at >= since);
    this.mattes = this.mattes.filter((t) => t >= since);
    const stagesMs: Partial<Record<StageName, number>> = {};
    for (const [name, list] of this.stageTimes) {
      const recent = list.filter((s) => s.at >= since);
      this.stageTimes.set(name, recent);
      if (recent.length) stagesMs[name] = median(recent.map((s) => s.ms));
    }
    const latencies = this.outputs.map((o) => o.latency);
    const perSecond = 1000 / this.windowMs;
    const cpuPercent = this.cpu();
    return {
      fpsIn: this.arrivals.length * perSecond,
      fpsOut: this.outputs.length * perSecond,
      mattingHz: this.mattes.length * perSecond,
      dropped: this.dropped,
      skippedPercent: this.outputs.length ? (100 * this.outputs.filter((o) => o.reused).length) / this.outputs.length : 0,
      stagesMs,
      latencyMs: { p50: quantile(latencies, 0.5), p95: quantile(latencies, 0.95) },
      ...(cpuPercent === null ? {} : { cpuPercent }),
    };
  }
}
