import type { StageName } from '../../src/common/contract';
import type { FloatImage, RgbaImage } from '../../src/frame';

/**
 * One entrant in the benchmarks: Backdrop at a setting, or a peer's model with its own pre- and
 * post-processing. Frames come in order; `alpha` may keep state from the previous frame (temporal
 * smoothing, recurrent models) until `reset` starts a new clip.
 */
export interface Contestant {
  readonly name: string;
  /** What runs and how, for the legend under each table (model, input size, threads, settings). */
  readonly detail: string;
  /** Loads models. Throws ContestantUnavailable when this machine cannot run it. */
  prepare(): Promise<void>;
  /** Alpha at the frame's full size, values in [0, 1]. */
  alpha(frame: RgbaImage, index: number): Promise<FloatImage>;
  /** Milliseconds per stage of the last `alpha` call, named as the engine names its stages. */
  readonly lastStagesMs: Partial<Record<StageName, number>>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** A contestant that cannot run here, and why; the tables print the reason instead of figures. */
export class ContestantUnavailable extends Error {
  constructor(
    readonly contestant: string,
    readonly reason: string,
  ) {
    super(`${contestant} is unavailable: ${reason}`);
    this.name = 'ContestantUnavailable';
  }
}

/** Records the time of each stage of one call. */
export class StageClock {
  stagesMs: Partial<Record<StageName, number>> = {};

  start(): void {
    this.stagesMs = {};
  }

  time<T>(stage: StageName, work: () => T): T {
    const t0 = performance.now();
    try {
      return work();
    } finally {
      this.stagesMs[stage] = (this.stagesMs[stage] ?? 0) + performance.now() - t0;
    }
  }

  async timeAsync<T>(stage: StageName, work: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await work();
    } finally {
      this.stagesMs[stage] = (this.stagesMs[stage] ?? 0) + performance.now() - t0;
    }
  }
}
