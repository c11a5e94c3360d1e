import type { RgbaImage } from '../frame';

/** What every live output counts; each adds its own figures. */
export interface LiveOutputStats {
  /** Output ticks lost because ffmpeg or the event loop could not keep up. */
  dropped: number;
}

/**
 * The one shape of a live output (the virtual camera, a recording, a stream): it takes composited frames
 * at any rate and writes its own steady rate, showing the "camera paused" slate while paused or starved,
 * fails on its own without touching the others, and says so through `ended`. The reconciler
 * (./reconciler.ts) and `backdrop run` drive every output through it.
 */
export interface LiveOutput<Stats extends LiveOutputStats = LiveOutputStats, Stopped = unknown> {
  offer(frame: RgbaImage): void;
  /** The slate instead of frames, at the same rate, until resume(). */
  pause(): void;
  resume(): void;
  readonly stats: Stats;
  /** Resolves once the output is over: null after a clean stop(), the error when it ended on its own. */
  readonly ended: Promise<Error | null>;
  stop(): Promise<Stopped>;
}
