/**
 * A steady-rate pacer between the engine and the live sinks. The engine's frames arrive unevenly (and
 * not at all while the camera is paused or lost), but a virtual camera's consumers stop showing video
 * when frames come unevenly, and an encoder's timeline wants one frame per tick. The clock ticks at a
 * fixed rate and hands every sink the newest frame at each tick: repeated when none came, replaced
 * (dropped) when several came, and the fallback (the "camera paused" slate) once the source is stale.
 */

export interface ClockScheduler {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realScheduler: ClockScheduler = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export type TickKind = 'fresh' | 'repeat' | 'fallback';

export interface Tick<F> {
  frame: F;
  /** Tick number since start; a tick the clock was too late for is skipped, so numbers may jump. */
  index: number;
  kind: TickKind;
}

export interface FrameClockStats {
  ticks: number;
  fresh: number;
  repeated: number;
  fallback: number;
  /** Frames a newer frame replaced before any tick sent them. */
  replaced: number;
  /** Ticks skipped because the event loop woke up more than a whole period late. */
  late: number;
}

export interface FrameClockOptions<F> {
  fps: number;
  onTick(tick: Tick<F>): void;
  /** What to send while paused, before the first frame, or once the source has been silent this long. */
  fallback: () => F;
  staleAfterMs?: number;
  scheduler?: ClockScheduler;
  /**
   * A recording's timeline starts with its first real frame: start() then waits for the first offer()
   * instead of sending the fallback (the slate) before any frame came.
   */
  waitForFirstFrame?: boolean;
}

/** A camera that has sent nothing for a second is gone as far as a viewer can tell. */
const DEFAULT_STALE_MS = 1000;

export class FrameClock<F> {
  private readonly periodMs: number;
  private readonly staleAfterMs: number;
  private readonly scheduler: ClockScheduler;
  private latest: F | null = null;
  private latestAt = 0;
  private unsent = false;
  private paused = false;
  private startedAt = 0;
  private nextIndex = 0;
  private timer: unknown = null;
  /** start() was called but the clock waits for the first frame (waitForFirstFrame). */
  private armed = false;
  private readonly counts: FrameClockStats = { ticks: 0, fresh: 0, repeated: 0, fallback: 0, replaced: 0, late: 0 };

  constructor(private readonly options: FrameClockOptions<F>) {
    if (!(options.fps > 0 && options.fps <= 240)) throw new RangeError(`frame clock rate must be in (0, 240] fps, got ${options.fps}`);
    this.periodMs = 1000 / options.fps;
    this.staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_MS;
    this.scheduler = options.scheduler ?? realScheduler;
  }

  get stats(): FrameClockStats {
    return { ...this.counts };
  }

  get running(): boolean {
    return this.timer !== null;
  }

  /** The newest frame wins; an earlier one no tick has sent yet is counted as replaced. */
  offer(frame: F): void {
    if (this.unsent) this.counts.replaced++;
    this.latest = frame;
    this.latestAt = this.scheduler.now();
    this.unsent = true;
    if (this.armed) {
      this.armed = false;
      this.begin();
    }
  }

  /** While paused every tick sends the fallback, so consumers keep getting frames at the same rate. */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  /** The first tick fires at once (with waitForFirstFrame: at the first frame, if none came yet). */
  start(): void {
    if (this.timer !== null) return;
    if (this.options.waitForFirstFrame && this.latest === null) {
      this.armed = true;
      return;
    }
    this.begin();
  }

  private begin(): void {
    this.startedAt = this.scheduler.now();
    this.nextIndex = 0;
    this.tick();
  }

  stop(): void {
    this.armed = false;
    if (this.timer !== null) this.scheduler.clearTimeout(this.timer);
    this.timer = null;
  }

  private tick(): void {
    const now = this.scheduler.now();
    // Ticks sit on an absolute grid so timer jitter never accumulates into a rate error.
    const due = Math.floor((now - this.startedAt) / this.periodMs);
    if (due > this.nextIndex) {
      this.counts.late += due - this.nextIndex;
      this.nextIndex = due;
    }
    this.emit(this.nextIndex, now);
    this.nextIndex++;
    const wait = Math.max(0, this.startedAt + this.nextIndex * this.periodMs - this.scheduler.now());
    this.timer = this.scheduler.setTimeout(() => this.tick(), wait);
  }

  private emit(index: number, now: number): void {
    this.counts.ticks++;
    const stale = this.latest === null || now - this.latestAt > this.staleAfterMs;
    if (this.paused || stale) {
      this.counts.fallback++;
      this.unsent = false;
      this.options.onTick({ frame: this.options.fallback(), index, kind: 'fallback' });
      return;
    }
    const kind: TickKind = this.unsent ? 'fresh' : 'repeat';
    this.counts[kind === 'fresh' ? 'fresh' : 'repeated']++;
    this.unsent = false;
    this.options.onTick({ frame: this.latest as F, index, kind });
  }
}
