import { rmSync, statSync } from 'node:fs';
import type { RgbaImage } from '../../frame';
import { locateFfmpeg } from '../../io/ffmpeg/locate';
import type { ClockScheduler } from '../frame-clock';
import type { FfmpegError } from '../../io/ffmpeg/progress';
import { failureLines, slatedSink, type FrameSink } from '../live-sink';
import { pausedSlate } from '../v4l2/slate';
import { recordArgs } from './args';
import { audioInputName, describeAudioSource, type AudioSource } from './audio';
import { DEFAULT_ENCODER_SETTINGS, encoderProfile, type H264Encoder } from './encoders';
import { classifyRecorderFailure, RecorderError } from './errors';
import { finaliseRecording, salvageRecording } from './finalise';
import { partialPathFor } from './paths';
import type { LiveOutput } from '../live-output';

function sizeOf(path: string): number | null {
  try {
    return statSync(path).size;
  } catch {
    return null;
  }
}

/** Before any ffmpeg starts: the file a recording is finalised into is an MP4. */
export function checkRecordingPath(path: string): void {
  if (!path.toLowerCase().endsWith('.mp4')) throw new RecorderError('cannot-write', `recordings are MP4 files; ${path} does not end in .mp4`);
}

/** What every H.264 + audio encode (recording, stream) is started with. */
export interface LiveEncoderOptions {
  width: number;
  height: number;
  fps: number;
  audio: AudioSource;
  /** The engine's latency; the sound is delayed by as much to stay on the picture. */
  audioDelayMs?: number;
  /** From probeH264Encoder, done once per app run rather than per recording. */
  encoder?: H264Encoder;
  ffmpegPath?: string;
  scheduler?: ClockScheduler;
}

/** The picture and sound fields of an encode's arguments, as every live encode takes them from its options. */
export function liveEncodeFields(options: LiveEncoderOptions) {
  return {
    width: options.width,
    height: options.height,
    rate: { num: options.fps, den: 1 },
    audio: options.audio,
    audioDelayMs: options.audioDelayMs ?? 0,
  };
}

export interface RecorderOptions extends LiveEncoderOptions {
  /** The finished MP4's path (see recordingPaths); the fragmented file sits next to it while recording. */
  path: string;
}

export interface RecorderStats {
  elapsedSec: number;
  bytes: number;
  bitrateKbps: number;
  /** Frames in the file so far, by ffmpeg's count. */
  frames: number;
  /** Output ticks lost because the encoder or the event loop could not keep up. */
  dropped: number;
}

export interface RecordingResult {
  path: string;
  frames: number;
  durationSec: number;
}

/**
 * One recording: composited frames and the microphone into a crash-safe fragmented MP4, finalised into
 * a normal seekable MP4 on a clean stop. If ffmpeg dies on its own (full disk, microphone unplugged,
 * killed), what was recorded is saved and `ended` says why; other outputs are not touched.
 */
export class Recorder implements LiveOutput<RecorderStats, RecordingResult> {
  readonly path: string;
  readonly partialPath: string;
  /** Resolves once the recording is over: null after a clean stop(), the error after a failure (with savedTo set). */
  readonly ended: Promise<RecorderError | null>;
  private readonly startedAt: number;
  private stopping = false;

  private constructor(
    private readonly sink: FrameSink,
    private readonly options: RecorderOptions & { ffmpegPath: string },
  ) {
    this.path = options.path;
    this.partialPath = partialPathFor(options.path);
    this.startedAt = performance.now();
    this.ended = sink.exited().then((error) => (this.stopping ? null : this.failed(error)));
  }

  static start(options: RecorderOptions): Recorder {
    checkRecordingPath(options.path);
    const ffmpegPath = options.ffmpegPath ?? locateFfmpeg().path;
    const encoder = encoderProfile(options.encoder ?? 'libx264', { ...DEFAULT_ENCODER_SETTINGS, fps: options.fps });
    const slate = pausedSlate(options.width, options.height);
    const sink = slatedSink({
      output: options,
      ffmpegPath,
      args: recordArgs({
        partial: partialPathFor(options.path),
        ...liveEncodeFields(options),
        encoder,
      }),
      slate,
      // The take starts with the first composited frame handed over, never with the slate.
      waitForFirstFrame: true,
    });
    return new Recorder(sink, { ...options, ffmpegPath });
  }

  /** A recording written by an encode it shares with a stream (../tee/shared-encode.ts). */
  static over(sink: FrameSink, options: RecorderOptions & { ffmpegPath: string }): Recorder {
    return new Recorder(sink, options);
  }

  get running(): boolean {
    return this.sink.running && !this.stopping;
  }

  offer(frame: RgbaImage): void {
    this.sink.offer(frame);
  }

  /** The recording goes on with the "camera paused" slate, so sound and picture stay aligned. */
  pause(): void {
    this.sink.pause();
  }

  resume(): void {
    this.sink.resume();
  }

  get stats(): RecorderStats {
    const elapsedSec = (performance.now() - this.startedAt) / 1000;
    // The fragmented file while recording, the finished one after; neither before ffmpeg opened its output.
    const bytes = sizeOf(this.partialPath) ?? sizeOf(this.path) ?? 0;
    const s = this.sink.stats;
    return { elapsedSec, bytes, bitrateKbps: elapsedSec > 0 ? (bytes * 8) / elapsedSec / 1000 : 0, frames: s.encoded, dropped: s.dropped };
  }

  /** Clean stop: ends the file, finalises it into a seekable MP4 and removes the fragmented one. */
  async stop(): Promise<RecordingResult> {
    if (this.stopping) throw new RecorderError('not-recording', 'this recording is already stopping');
    if (!this.sink.running) {
      const failure = await this.ended;
      throw failure ?? new RecorderError('not-recording', 'this recording has already ended');
    }
    this.stopping = true;
    if (this.sink.stats.written === 0) {
      // No composited frame ever came: there is no take to keep (a file of only the slate is not one).
      this.sink.kill();
      await this.sink.exited();
      rmSync(this.partialPath, { force: true });
      throw new RecorderError('no-frames', 'Nothing was recorded: no picture came from the camera before the recording stopped.');
    }
    const error = await this.sink.finish();
    const frames = this.sink.stats.encoded;
    if (error) throw await this.failed(error);
    const durationSec = frames / this.options.fps;
    // Trimmed to the picture: -shortest lets the sound run on by up to a few audio frames.
    await finaliseRecording(this.options.ffmpegPath, this.partialPath, this.path, durationSec);
    return { path: this.path, frames, durationSec };
  }

  /** Says why ffmpeg stopped, after saving what it had recorded. */
  private async failed(error: FfmpegError | null): Promise<RecorderError> {
    const failure = classifyRecorderFailure({
      lines: error ? failureLines(error) : ['ffmpeg ended the recording on its own'],
      signal: error?.signal ?? null,
      audioInput: audioInputName(this.options.audio),
      audioLabel: describeAudioSource(this.options.audio),
      output: this.partialPath,
    });
    const savedTo = await salvageRecording(this.options.ffmpegPath, this.partialPath, this.path);
    return new RecorderError(failure.code, failure.message, failure.detail, savedTo);
  }
}
