import type { Readable } from 'node:stream';
import type { RgbaImage } from '../frame';
import { FfmpegChild } from '../io/ffmpeg/supervisor';
import type { FfmpegError, FfmpegProgress } from '../io/ffmpeg/progress';
import { FrameClock, type ClockScheduler } from './frame-clock';

/**
 * What the virtual camera, the recorder and the streamer share: one supervised ffmpeg reading raw RGBA
 * on stdin, fed by a steady-rate clock. The sink never waits for ffmpeg: a tick that finds the pipe
 * still full is dropped and counted, so a slow encoder cannot stall the engine or the other sinks.
 */

export class FrameSizeError extends Error {
  constructor(
    readonly expected: { width: number; height: number },
    readonly got: { width: number; height: number },
  ) {
    super(
      `a live output keeps one frame size for its whole session (consumers break when it changes): ` +
        `expected ${expected.width}x${expected.height}, got ${got.width}x${got.height}`,
    );
    this.name = 'FrameSizeError';
  }
}

export interface LiveSinkOptions {
  ffmpegPath: string;
  args: string[];
  width: number;
  height: number;
  fps: number;
  /** Sent before the first frame, while paused and once frames stop coming. */
  fallback: () => RgbaImage;
  staleAfterMs?: number;
  onProgress?(progress: FfmpegProgress): void;
  scheduler?: ClockScheduler;
  /** No ticks (no slate) before the first frame: a recording starts with its first composited frame. */
  waitForFirstFrame?: boolean;
  /** ffmpeg also writes to `pipe:3` (see FfmpegChildOptions.extraOutput). */
  extraOutput?: boolean;
  onLine?(line: string): void;
}

export interface LiveSinkStats {
  /** Frames handed to ffmpeg's stdin. */
  written: number;
  /** Ticks lost: the pipe was still full, or the event loop woke too late for them. */
  dropped: number;
  /** Engine frames a newer one replaced between two ticks (the engine ran faster than the output rate). */
  replaced: number;
  repeated: number;
  fallback: number;
  /** Frames ffmpeg itself reports having processed. */
  encoded: number;
}

/**
 * What the recorder and the streamer drive: a sink of their own, or their part of an encode they share
 * (./tee/shared-encode.ts).
 */
export interface FrameSink {
  readonly running: boolean;
  offer(frame: RgbaImage): void;
  pause(): void;
  resume(): void;
  readonly stats: LiveSinkStats;
  /** Clean stop; resolves with ffmpeg's error or null. */
  finish(): Promise<FfmpegError | null>;
  kill(): void;
  /** Resolves once this sink's output is over for any reason, with the error or null. */
  exited(): Promise<FfmpegError | null>;
}

export class LiveFfmpegSink implements FrameSink {
  private readonly child: FfmpegChild;
  private readonly clock: FrameClock<Uint8Array>;
  private written = 0;
  private encoded = 0;
  private fallbackBytes: Uint8Array | null = null;

  constructor(private readonly options: LiveSinkOptions) {
    this.child = FfmpegChild.start({
      ffmpegPath: options.ffmpegPath,
      args: options.args,
      input: true,
      extraOutput: options.extraOutput,
      onLine: options.onLine,
      onProgress: (p) => {
        this.encoded = p.frame;
        options.onProgress?.(p);
      },
    });
    this.clock = new FrameClock<Uint8Array>({
      fps: options.fps,
      staleAfterMs: options.staleAfterMs,
      scheduler: options.scheduler,
      waitForFirstFrame: options.waitForFirstFrame,
      fallback: () => (this.fallbackBytes ??= this.checked(options.fallback()).data),
      onTick: (tick) => {
        if (this.child.offer(tick.frame)) this.written++;
      },
    });
    this.clock.start();
    void this.child.exited().then(() => this.clock.stop());
  }

  get running(): boolean {
    return this.child.running;
  }

  /** ffmpeg's process id: its descriptors on the output are the writer's, not a reader's. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** See LiveSinkOptions.extraOutput. */
  get extraOutput(): Readable | null {
    return this.child.extraOutput;
  }

  /** Hands the newest composited frame to the sink; it goes out on the next tick. */
  offer(frame: RgbaImage): void {
    this.clock.offer(this.checked(frame).data);
  }

  pause(): void {
    this.clock.pause();
  }

  resume(): void {
    this.clock.resume();
  }

  get stats(): LiveSinkStats {
    const c = this.clock.stats;
    return {
      written: this.written,
      dropped: this.child.dropped + c.late,
      replaced: c.replaced,
      repeated: c.repeated,
      fallback: c.fallback,
      encoded: this.encoded,
    };
  }

  /** Clean stop: no more ticks, stdin closed, ffmpeg finishes its output. Resolves with its error or null. */
  async finish(): Promise<FfmpegError | null> {
    this.clock.stop();
    try {
      await this.child.finish();
      return null;
    } catch (error) {
      return error as FfmpegError;
    }
  }

  /** Stops ffmpeg at once (the output is left as it is on disk). */
  kill(): void {
    this.clock.stop();
    this.child.kill();
  }

  /** Resolves when ffmpeg exits for any reason, with its error or null. */
  exited(): Promise<FfmpegError | null> {
    return this.child.exited();
  }

  private checked(frame: RgbaImage): RgbaImage {
    const { width, height } = this.options;
    if (frame.width !== width || frame.height !== height) throw new FrameSizeError({ width, height }, frame);
    return frame;
  }
}

/** The size and rate an output keeps for its whole session, and the clock that paces it. */
export interface LiveOutputFormat {
  width: number;
  height: number;
  fps: number;
  scheduler?: ClockScheduler;
}

export interface SlatedSinkOptions {
  output: LiveOutputFormat;
  ffmpegPath: string;
  args: string[];
  /** The "camera paused" picture: an output never goes blank, so its consumers never see it vanish. */
  slate: RgbaImage;
  onProgress?(progress: FfmpegProgress): void;
  /** See LiveSinkOptions.waitForFirstFrame. */
  waitForFirstFrame?: boolean;
  extraOutput?: boolean;
  onLine?(line: string): void;
}

/** The sink behind each of the app's outputs (virtual camera, recording, stream). */
export function slatedSink(options: SlatedSinkOptions): LiveFfmpegSink {
  const { output, slate } = options;
  return new LiveFfmpegSink({
    ffmpegPath: options.ffmpegPath,
    args: options.args,
    width: output.width,
    height: output.height,
    fps: output.fps,
    fallback: () => slate,
    scheduler: output.scheduler,
    onProgress: options.onProgress,
    waitForFirstFrame: options.waitForFirstFrame,
    extraOutput: options.extraOutput,
    onLine: options.onLine,
  });
}

/** What to classify a failure by: ffmpeg's own last stderr lines, or the supervisor's account when it printed none. */
export function failureLines(error: FfmpegError): readonly string[] {
  return error.stderrTail.length ? error.stderrTail : [error.detail];
}
