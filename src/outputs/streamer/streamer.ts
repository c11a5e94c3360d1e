import type { RgbaImage } from '../../frame';
import { locateFfmpeg } from '../../io/ffmpeg/locate';
import { realScheduler, type ClockScheduler } from '../frame-clock';
import type { FfmpegError, FfmpegProgress } from '../../io/ffmpeg/progress';
import { failureLines, slatedSink, type FrameSink } from '../live-sink';
import { liveEncodeFields, type LiveEncoderOptions } from '../recorder/recorder';
import { DEFAULT_ENCODER_SETTINGS, encoderProfile, type EncoderProfile } from '../recorder/encoders';
import { pausedSlate } from '../v4l2/slate';
import { streamArgs } from './args';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
import { classifyStreamFailure, StreamError } from './errors';
import type { StreamTarget } from './url';
import type { LiveOutput } from '../live-output';

export type StreamStatus =
  | { state: 'connecting'; attempt: number }
  | { state: 'live' }
  | { state: 'reconnecting'; attempt: number; inMs: number; error: StreamError }
  | { state: 'failed'; error: StreamError }
  | { state: 'stopped' };

export interface StreamerOptions extends LiveEncoderOptions {
  target: StreamTarget;
  bitrateKbps?: number;
  onStatus?(status: StreamStatus): void;
  backoff?: BackoffPolicy;
  random?: () => number;
  /** Once live this long, the next drop counts as the first again, so the wait starts short. */
  stableAfterMs?: number;
  /** Give up after this many failed attempts in a row; by default never (the network usually comes back). */
  maxAttempts?: number;
  /** An encode running for a recording, which the stream publishes from instead of encoding its own. */
  shared?: SharedStreamSource;
}

/** See ../tee/shared-encode.ts. */
export interface SharedStreamSource {
  /**
   * A connection fed by the shared encode, or null when it can feed none (it already fed one, or its
   * recording is over). When it resolves `exited()` with null, the encode ended under the stream (the
   * recording stopped): the stream goes on at once with an encoder of its own.
   */
  attach(onProgress: (progress: FfmpegProgress) => void): FrameSink | null;
}

export interface StreamerStats {
  /** Connections made after the first. */
  reconnects: number;
  /** Frames sent over every connection so far. */
  written: number;
  dropped: number;
}

const DEFAULT_STABLE_MS = 10_000;
const DEFAULT_BITRATE_KBPS = 3000;

/** A stream's H.264 settings: constant bitrate, which ingest servers expect and an uplink can carry. */
export function streamEncoder(options: StreamerOptions): EncoderProfile {
  return encoderProfile(options.encoder ?? 'libx264', {
    ...DEFAULT_ENCODER_SETTINGS,
    fps: options.fps,
    bitrateKbps: options.bitrateKbps ?? DEFAULT_BITRATE_KBPS,
  });
}

/**
 * Publishes the composited stream to one RTMP(S) or SRT URL and keeps it there: when the connection
 * drops or the server is unreachable it reconnects with exponential backoff, reporting each step
 * through onStatus; a refused key stops it with a message, since retrying cannot help. Its ffmpeg is
 * its own process, so nothing that happens here touches a recording running at the same time; started
 * with a recording, it first publishes that recording's encode (`shared`), whose failures stay on the
 * stream's side, and every later connection encodes on its own.
 */
export class Streamer implements LiveOutput<StreamerStats, void> {
  private sink: FrameSink | null = null;
  private status: StreamStatus = { state: 'connecting', attempt: 1 };
  private attempt = 0;
  private liveSince: number | null = null;
  private retryTimer: unknown = null;
  private stopped = false;
  private paused = false;
  private latest: RgbaImage | null = null;
  private connections = 0;
  private totals = { written: 0, dropped: 0 };
  private readonly slate: RgbaImage;
  private readonly ffmpegPath: string;
  private readonly scheduler: ClockScheduler;
  private settle: (error: StreamError | null) => void = () => {};
  /** Resolves once the stream is over: null after stop(), the error once it gives up (a refused key). */
  readonly ended: Promise<StreamError | null> = new Promise((resolve) => (this.settle = resolve));

  private constructor(private readonly options: StreamerOptions) {
    this.slate = pausedSlate(options.width, options.height);
    this.ffmpegPath = options.ffmpegPath ?? locateFfmpeg().path;
    this.scheduler = options.scheduler ?? realScheduler;
  }

  static start(options: StreamerOptions): Streamer {
    const streamer = new Streamer(options);
    streamer.connect();
    return streamer;
  }

  get state(): StreamStatus {
    return this.status;
  }

  offer(frame: RgbaImage): void {
    this.latest = frame;
    this.sink?.offer(frame);
  }

  pause(): void {
    this.paused = true;
    this.sink?.pause();
  }

  resume(): void {
    this.paused = false;
    this.sink?.resume();
  }

  get stats(): StreamerStats {
    const s = this.sink?.stats;
    return {
      reconnects: Math.max(0, this.connections - 1),
      written: this.totals.written + (s?.written ?? 0),
      dropped: this.totals.dropped + (s?.dropped ?? 0),
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer !== null) this.scheduler.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const sink = this.sink;
    this.sink = null;
    if (sink) {
      // Closing stdin lets ffmpeg send what it holds and end the stream properly; the server sees a clean unpublish.
      await sink.finish();
      this.addToTotals(sink);
    }
    this.report({ state: 'stopped' });
  }

  /** A connection's figures join the totals once it is over. */
  private addToTotals(sink: FrameSink): void {
    const s = sink.stats;
    this.totals.written += s.written;
    this.totals.dropped += s.dropped;
  }

  private report(status: StreamStatus): void {
    this.status = status;
    if (status.state === 'failed') this.settle(status.error);
    if (status.state === 'stopped') this.settle(null);
    this.options.onStatus?.(status);
  }

  private connect(): void {
    this.attempt++;
    this.connections++;
    this.liveSince = null;
    this.report({ state: 'connecting', attempt: this.attempt });
    const { options } = this;
    // ffmpeg reports progress only once the server has taken the stream's header: that is "live".
    const onProgress = (p: FfmpegProgress) => {
      if (p.frame > 0 && this.liveSince === null && this.sink === sink) {
        this.liveSince = this.scheduler.now();
        this.report({ state: 'live' });
      }
    };
    const shared = options.shared?.attach(onProgress) ?? null;
    const sink: FrameSink =
      shared ??
      slatedSink({
        output: options,
        ffmpegPath: this.ffmpegPath,
        args: streamArgs({
          target: options.target,
          ...liveEncodeFields(options),
          encoder: streamEncoder(options),
        }),
        slate: this.slate,
        onProgress,
        // A new connection starts with the newest picture, not one tick of the slate before it.
        waitForFirstFrame: this.latest !== null,
      });
    this.sink = sink;
    if (this.paused) sink.pause();
    if (this.latest) sink.offer(this.latest);
    void sink.exited().then((error) => (shared && error === null ? this.moved(sink) : this.onExit(sink, error)));
  }

  /** The shared encode ended under the stream (its recording stopped): a new connection, at once. */
  private moved(sink: FrameSink): void {
    if (this.sink !== sink || this.stopped) return;
    this.addToTotals(sink);
    this.sink = null;
    this.attempt = 0;
    this.connect();
  }

  private onExit(sink: FrameSink, exit: FfmpegError | null): void {
    if (this.sink !== sink || this.stopped) return;
    const lines = exit ? failureLines(exit) : ['ffmpeg ended the stream'];
    this.addToTotals(sink);
    this.sink = null;
    const wasLive = this.liveSince !== null;
    if (wasLive && this.scheduler.now() - (this.liveSince as number) >= (this.options.stableAfterMs ?? DEFAULT_STABLE_MS)) this.attempt = 0;
    const error = classifyStreamFailure({ lines, wasLive, redactedUrl: this.options.target.redacted, secrets: this.options.target.secrets });
    const next = this.attempt + 1;
    if (!error.retryable || (this.options.maxAttempts !== undefined && next > this.options.maxAttempts)) {
      this.report({ state: 'failed', error });
      return;
    }
    const inMs = backoffDelay(this.attempt === 0 ? 1 : this.attempt, this.options.backoff ?? DEFAULT_BACKOFF, this.options.random);
    this.report({ state: 'reconnecting', attempt: next, inMs, error });
    this.retryTimer = this.scheduler.setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) this.connect();
    }, inMs);
  }
}
