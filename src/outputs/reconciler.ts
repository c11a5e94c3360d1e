/**
 * The live outputs hosted in the engine process, where the composited frames are: the virtual camera,
 * a recording and a stream, each fed every composited frame the engine makes. Main says which should
 * run (OutputsRequest) and hears back how they are doing (OutputsStatus); pixels never leave this
 * process for it.
 *
 * A sink needs the frame size before it starts, so one asked for before the first frame waits for it.
 * When frames stop (camera paused or lost, the window closed) each sink's frame clock keeps sending the
 * "camera paused" slate at the same size and rate. Each output fails on its own: a dead stream never
 * touches the recording or the virtual camera. A recording and a stream that start together share one
 * encode (./tee/shared-encode.ts) and are still run, reported and stopped each on its own.
 */
import {
  IDLE_OUTPUTS_STATUS,
  type OutputsRequest,
  type OutputsStatus,
  type RecordingStatus,
  type StreamRunStatus,
  type VirtualCameraStatus,
} from '../common/contract';
import type { RgbaImage } from '../frame';
import { FrameSizeError } from './live-sink';
import type { LiveOutput } from './live-output';
import type { AudioSource } from './recorder/audio';
import { RecorderError } from './recorder/errors';
import { Recorder } from './recorder/recorder';
import { Streamer, type StreamStatus } from './streamer/streamer';
import { parseStreamTarget, StreamUrlError, type StreamTarget } from './streamer/url';
import { SharedEncode } from './tee/shared-encode';
import { evenSize, targetFor } from './v4l2/args';
import { V4l2SinkError } from './v4l2/errors';
import { VirtualCamera } from './v4l2/sink';

/**
 * The outputs wanted now; anything absent is stopped. Main's OutputsRequest (already parsed) is one;
 * `backdrop run` builds one from its flags (its microphone may also be a generated tone).
 */
export interface WantedOutputs {
  virtualCamera: { device: string } | null;
  recording: { path: string; microphone: AudioSource } | null;
  stream: { url: string; microphone: AudioSource } | null;
}

/** How each output that ran ended, with its final figures: what `close()` resolves to. */
export interface FinalOutputs {
  virtualCamera?: { device: string; written: number; dropped: number; error: string | null };
  recording?: { path: string; frames: number; dropped: number; durationSec: number | null; error: string | null; savedTo: string | null };
  stream?: { target: string; written: number; dropped: number; reconnects: number; error: string | null };
}

export interface ReconcilerOptions {
  /** Output rate of every sink; the camera's rate. */
  fps: number;
  /** Found on first use, so an engine without ffmpeg still serves the preview; throws with the reason. */
  ffmpegPath: () => string;
  onStatus(status: OutputsStatus): void;
  /**
   * The frame size, when it is known before the first frame (a camera's format): outputs then start at
   * once, showing the slate until frames come. Otherwise each waits for the first frame's size.
   */
  size?: Size;
  statusIntervalMs?: number;
  /** Where the virtual camera looks for its readers; /proc unless a test builds its own. */
  procRoot?: string;
  readerPollMs?: number;
}

/** The sound is delayed by the engine's latency to match the picture; beyond this the latency is a stall, not a delay. */
const MAX_AUDIO_DELAY_MS = 2000;

interface Size {
  width: number;
  height: number;
}

type OutputLabel = 'virtual camera' | 'recording' | 'stream';

function sameMicrophone(a: AudioSource, b: AudioSource): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class OutputReconciler {
  private wanted: WantedOutputs = { virtualCamera: null, recording: null, stream: null };
  private size: Size | null;
  private readonly finals: FinalOutputs = {};
  private latencyMs = 0;
  private vcam: VirtualCamera | null = null;
  private recorder: Recorder | null = null;
  private streamer: Streamer | null = null;
  private vcamStatus: VirtualCameraStatus = { ...IDLE_OUTPUTS_STATUS.virtualCamera };
  private recordingStatus: RecordingStatus = { ...IDLE_OUTPUTS_STATUS.recording };
  private streamStatus: StreamRunStatus = { ...IDLE_OUTPUTS_STATUS.stream };
  private streamUrl: string | null = null;
  private streamMic: AudioSource = { kind: 'none' };
  private sizeWarned = new Set<string>();
  private timer: ReturnType<typeof setInterval> | null = null;
  /** Stops and starts run one after another, so a quick off/on cannot leave two ffmpegs on one device. */
  private queue: Promise<void> = Promise.resolve();
  /**
   * A recording asked for and not started yet (starts wait in the queue): the newest frame offered
   * since the ask, which the recording then starts with, so its first frame is the first after the ask.
   */
  private recordingAsked = false;
  private recordingFirstFrame: RgbaImage | null = null;

  constructor(private readonly options: ReconcilerOptions) {
    this.size = options.size ? evenSize(options.size.width, options.size.height) : null;
  }

  /** Makes the running outputs match `request`: starts what is new, stops what is gone, leaves the rest alone. */
  apply(request: WantedOutputs | OutputsRequest): Promise<void> {
    if (request.recording && request.recording.path !== this.recorder?.path && !this.recordingAsked) {
      this.recordingAsked = true;
      this.recordingFirstFrame = null;
    }
    this.queue = this.queue.then(() => this.reconcile(request));
    return this.queue;
  }

  /**
   * One composited frame for every running output; `latencyMs` is how long after capture it came out,
   * by which the microphone is delayed. The frame is copied when anything runs: the caller may transfer
   * its buffer to the page right after.
   */
  offer(frame: RgbaImage, latencyMs: number): void {
    this.delayAudio(latencyMs);
    const size = evenSize(frame.width, frame.height);
    const first = this.size === null;
    this.size = size;
    if (first) void this.apply(this.wanted);
    const outputs = this.live();
    if (outputs.length === 0 && !this.recordingAsked) return;
    const image = frame.width === size.width && frame.height === size.height ? { ...frame, data: frame.data.slice() } : evenCrop(frame, size);
    if (this.recordingAsked) this.recordingFirstFrame = image;
    for (const [what, output] of outputs) this.feed(what, () => output.offer(image));
  }

  /**
   * Whether an output would use a composited frame now. False when the virtual camera, the only output,
   * has no reader: the engine may then compute nothing, until a reader opens it (onStatus says 'on').
   */
  needsFrames(): boolean {
    if (this.recordingAsked || this.recorder?.running || this.streamer) return true;
    if (this.vcam) return this.vcam.read !== false;
    // An output still waiting to learn the frame size starts with the next frame.
    return [this.vcamStatus, this.recordingStatus, this.streamStatus].some((s) => s.state === 'waiting-for-frames');
  }

  /** The outputs taking frames now; a recording that is finalising takes none. */
  private live(): [OutputLabel, LiveOutput][] {
    const out: [OutputLabel, LiveOutput][] = [];
    if (this.vcam) out.push(['virtual camera', this.vcam]);
    if (this.recorder?.running) out.push(['recording', this.recorder]);
    if (this.streamer) out.push(['stream', this.streamer]);
    return out;
  }

  /** How long after capture frames come out: outputs started from now on delay the microphone by it. */
  delayAudio(latencyMs: number): void {
    this.latencyMs = Math.min(Math.max(0, latencyMs), MAX_AUDIO_DELAY_MS);
  }

  status(): OutputsStatus {
    const vcam = this.vcam;
    const rec = this.recorder;
    const streamer = this.streamer;
    if (vcam) this.vcamStatus = { ...this.vcamStatus, written: vcam.stats.written, dropped: vcam.stats.dropped };
    if (rec && this.recordingStatus.state === 'recording') {
      const s = rec.stats;
      this.recordingStatus = { ...this.recordingStatus, elapsedSec: s.elapsedSec, bytes: s.bytes, bitrateKbps: s.bitrateKbps, dropped: s.dropped };
    }
    if (streamer) this.streamStatus = { ...this.streamStatus, reconnects: streamer.stats.reconnects, dropped: streamer.stats.dropped };
    return { virtualCamera: { ...this.vcamStatus }, recording: { ...this.recordingStatus }, stream: { ...this.streamStatus } };
  }

  /** Stops everything cleanly (the recording is finalised, the stream unpublished) and says how each output ended. */
  async close(): Promise<FinalOutputs> {
    await this.apply({ virtualCamera: null, recording: null, stream: null });
    return this.finals;
  }

  private feed(what: OutputLabel, offer: () => void): void {
    try {
      offer();
    } catch (error) {
      if (!(error instanceof FrameSizeError)) throw error;
      // The camera's size changed under a running output: consumers and encoders need one size for a
      // whole session, so it shows the slate (by going stale) until the size comes back or it restarts.
      if (this.sizeWarned.has(what)) return;
      this.sizeWarned.add(what);
      const note = `the camera changed size to ${error.got.width}x${error.got.height}; the ${what} keeps ${error.expected.width}x${error.expected.height} and shows the paused slate until you restart it`;
      if (what === 'virtual camera') this.vcamStatus = { ...this.vcamStatus, error: note };
      else if (what === 'recording') this.recordingStatus = { ...this.recordingStatus, error: note };
      else this.streamStatus = { ...this.streamStatus, error: note };
      this.changed();
    }
  }

  private async reconcile(request: WantedOutputs): Promise<void> {
    this.wanted = request;
    const firstFrame = this.recordingFirstFrame;
    this.recordingAsked = false;
    this.recordingFirstFrame = null;
    this.startTogether(request, firstFrame);
    await Promise.all([this.reconcileVirtualCamera(request), this.reconcileRecording(request, firstFrame), this.reconcileStream(request)]);
    this.updateTimer();
    this.changed();
  }

  private async reconcileVirtualCamera({ virtualCamera: want }: WantedOutputs): Promise<void> {
    const running = this.vcam;
    if (running && want?.device === this.vcamStatus.device && (this.vcamStatus.state === 'on' || this.vcamStatus.state === 'idle')) return;
    if (running) {
      this.vcam = null;
      const stopped = await running.stop().then(
        () => null,
        (error: unknown) => message(error),
      );
      this.finals.virtualCamera = { device: running.device, ...this.figures(running), error: stopped };
    }
    if (!want) {
      this.vcamStatus = { ...IDLE_OUTPUTS_STATUS.virtualCamera };
      return;
    }
    if (this.vcamStatus.state === 'failed' && this.vcamStatus.device === want.device && !running) return;
    if (!this.size) {
      this.vcamStatus = { ...IDLE_OUTPUTS_STATUS.virtualCamera, state: 'waiting-for-frames', device: want.device };
      return;
    }
    this.sizeWarned.delete('virtual camera');
    try {
      const vcam: VirtualCamera = VirtualCamera.start({
        target: targetFor(want.device),
        ...this.size,
        fps: this.options.fps,
        ffmpegPath: this.options.ffmpegPath(),
        procRoot: this.options.procRoot,
        readerPollMs: this.options.readerPollMs,
        onReaders: (read) => {
          if (this.vcam !== vcam) return;
          this.vcamStatus = { ...this.vcamStatus, state: read ? 'on' : 'idle' };
          this.changed();
        },
      });
      this.vcam = vcam;
      this.vcamStatus = { state: 'on', device: vcam.device, written: 0, dropped: 0, error: null };
      void vcam.ended.then((error) => {
        if (!error || this.vcam !== vcam) return;
        this.vcam = null;
        this.finals.virtualCamera = { device: vcam.device, ...this.figures(vcam), error: error.message };
        this.vcamStatus = { ...this.vcamStatus, state: 'failed', error: error.message };
        this.changed();
      });
    } catch (error) {
      this.vcamStatus = { ...IDLE_OUTPUTS_STATUS.virtualCamera, state: 'failed', device: want.device, error: message(error) };
      if (!(error instanceof V4l2SinkError)) this.vcamStatus.error = `the virtual camera could not start: ${message(error)}`;
    }
  }

  /**
   * A recording and a stream asked for together, neither running yet, with one microphone, start as one
   * encode (the picture converted and encoded once, see ./tee/shared-encode.ts); each is then left alone
   * by reconcileRecording and reconcileStream as already running. One that joins the other later still
   * starts on its own: a running recording cannot move into another process without a cut in the file.
   */
  private startTogether({ recording, stream }: WantedOutputs, firstFrame: RgbaImage | null): void {
    if (!recording || !stream || this.recorder || this.streamer || !this.size) return;
    if (!sameMicrophone(recording.microphone, stream.microphone) || !this.mayStartRecording(recording.path) || !this.mayStartStream(stream.url)) return;
    let target: StreamTarget;
    try {
      target = parseStreamTarget(stream.url);
    } catch {
      // reconcileStream says why.
      return;
    }
    this.streamStatus = { ...IDLE_OUTPUTS_STATUS.stream, state: 'connecting', target: target.redacted, attempt: 1 };
    const listener = this.streamListener();
    let started: { recorder: Recorder; streamer: Streamer };
    try {
      started = SharedEncode.start({
        path: recording.path,
        target,
        ...this.size,
        fps: this.options.fps,
        audio: recording.microphone,
        audioDelayMs: this.latencyMs,
        ffmpegPath: this.options.ffmpegPath(),
        onStatus: listener.onStatus,
      });
    } catch {
      // Each then tries on its own, and says why it cannot start.
      return;
    }
    this.startedRecording(started.recorder, firstFrame);
    this.startedStream(started.streamer, stream, listener);
  }

  /** A take already finished or failed under this path is not started again by a repeated request. */
  private mayStartRecording(path: string): boolean {
    return this.recordingStatus.path !== path || this.recordingStatus.state === 'waiting-for-frames';
  }

  /** A stream that failed for good is not retried until the URL changes. */
  private mayStartStream(url: string): boolean {
    return !(this.streamStatus.state === 'failed' && this.streamUrl === url);
  }

  private async reconcileRecording({ recording: want }: WantedOutputs, firstFrame: RgbaImage | null): Promise<void> {
    const running = this.recorder;
    if (running && want?.path === running.path) return;
    if (running) {
      this.recorder = null;
      await this.finishRecording(running);
    }
    if (!want || !this.mayStartRecording(want.path)) return;
    if (!this.size) {
      this.recordingStatus = { ...IDLE_OUTPUTS_STATUS.recording, state: 'waiting-for-frames', path: want.path };
      return;
    }
    try {
      const recorder = Recorder.start({
        path: want.path,
        ...this.size,
        fps: this.options.fps,
        audio: want.microphone,
        audioDelayMs: this.latencyMs,
        ffmpegPath: this.options.ffmpegPath(),
      });
      this.startedRecording(recorder, firstFrame);
    } catch (error) {
      this.recordingStatus = { ...IDLE_OUTPUTS_STATUS.recording, state: 'failed', path: want.path, error: message(error) };
    }
  }

  private startedRecording(recorder: Recorder, firstFrame: RgbaImage | null): void {
    const size = this.size as Size;
    this.sizeWarned.delete('recording');
    this.recorder = recorder;
    this.recordingStatus = { ...IDLE_OUTPUTS_STATUS.recording, state: 'recording', path: recorder.path };
    if (firstFrame && firstFrame.width === size.width && firstFrame.height === size.height) this.feed('recording', () => recorder.offer(firstFrame));
    void recorder.ended.then((error) => {
      if (!error || this.recorder !== recorder) return;
      this.recorder = null;
      const { frames, dropped } = recorder.stats;
      this.finals.recording = { path: error.savedTo ?? recorder.path, frames, dropped, durationSec: null, error: error.message, savedTo: error.savedTo ?? null };
      this.recordingStatus = { ...this.recordingStatus, state: 'failed', error: error.message, savedTo: error.savedTo };
      this.updateTimer();
      this.changed();
    });
  }

  private async finishRecording(recorder: Recorder): Promise<void> {
    this.recordingStatus = { ...this.status().recording, state: 'finalising' };
    this.changed();
    try {
      const result = await recorder.stop();
      this.finals.recording = { path: result.path, frames: result.frames, dropped: recorder.stats.dropped, durationSec: result.durationSec, error: null, savedTo: null };
      this.recordingStatus = { ...this.recordingStatus, state: 'off', path: result.path, elapsedSec: result.durationSec };
    } catch (error) {
      if (!(error instanceof RecorderError)) throw error;
      const { frames, dropped } = recorder.stats;
      this.finals.recording = { path: error.savedTo ?? recorder.path, frames, dropped, durationSec: null, error: error.message, savedTo: error.savedTo ?? null };
      this.recordingStatus = { ...this.recordingStatus, state: 'failed', error: error.message, savedTo: error.savedTo };
    }
  }

  private async reconcileStream({ stream: want }: WantedOutputs): Promise<void> {
    const running = this.streamer;
    if (running && want && this.streamUrl === want.url && sameMicrophone(this.streamMic, want.microphone)) return;
    if (running) {
      this.streamer = null;
      await running.stop();
      const { written, dropped, reconnects } = running.stats;
      const error = this.streamStatus.state === 'failed' ? this.streamStatus.error : null;
      this.finals.stream = { target: this.streamStatus.target ?? '', written, dropped, reconnects, error };
      this.streamStatus = { ...this.streamStatus, state: 'off', retryInMs: null };
    }
    if (!want) {
      this.streamUrl = null;
      if (!running) this.streamStatus = { ...IDLE_OUTPUTS_STATUS.stream };
      return;
    }
    let target;
    try {
      target = parseStreamTarget(want.url);
    } catch (error) {
      if (!(error instanceof StreamUrlError)) throw error;
      this.streamStatus = { ...IDLE_OUTPUTS_STATUS.stream, state: 'failed', error: error.message };
      return;
    }
    if (!running && !this.mayStartStream(want.url)) return;
    this.streamUrl = want.url;
    this.streamMic = want.microphone;
    if (!this.size) {
      this.streamStatus = { ...IDLE_OUTPUTS_STATUS.stream, state: 'waiting-for-frames', target: target.redacted };
      return;
    }
    this.streamStatus = { ...IDLE_OUTPUTS_STATUS.stream, state: 'connecting', target: target.redacted, attempt: 1 };
    const listener = this.streamListener();
    try {
      const streamer = Streamer.start({
        target,
        ...this.size,
        fps: this.options.fps,
        audio: want.microphone,
        audioDelayMs: this.latencyMs,
        ffmpegPath: this.options.ffmpegPath(),
        onStatus: listener.onStatus,
      });
      this.startedStream(streamer, want, listener);
    } catch (error) {
      this.streamStatus = { ...this.streamStatus, state: 'failed', error: message(error) };
    }
  }

  /**
   * Where a streamer's statuses go. It reports from its start on (before it is known as this.streamer),
   * and a stopped one may still report, which must not overwrite the one running now.
   */
  private streamListener(): { onStatus(status: StreamStatus): void; own(streamer: Streamer): void } {
    let owner: Streamer | null = null;
    return {
      onStatus: (status) => {
        if (owner !== null && this.streamer !== owner) return;
        this.streamStatus = { ...this.streamStatus, ...streamFields(status) };
        this.changed();
      },
      own: (streamer) => (owner = streamer),
    };
  }

  private startedStream(streamer: Streamer, want: { url: string; microphone: AudioSource }, listener: { own(streamer: Streamer): void }): void {
    this.sizeWarned.delete('stream');
    this.streamUrl = want.url;
    this.streamMic = want.microphone;
    listener.own(streamer);
    this.streamer = streamer;
  }

  private figures(output: LiveOutput<{ written: number; dropped: number }>): { written: number; dropped: number } {
    return { written: output.stats.written, dropped: output.stats.dropped };
  }

  private updateTimer(): void {
    const active = this.vcam !== null || this.recorder !== null || this.streamer !== null;
    if (active && !this.timer) {
      this.timer = setInterval(() => this.changed(), this.options.statusIntervalMs ?? 1000);
      this.timer.unref?.();
    } else if (!active && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  private changed(): void {
    this.options.onStatus(this.status());
  }
}

/** A stream status in the contract's terms; the error keeps its message (already scrubbed of the key). */
function streamFields(status: StreamStatus): Partial<StreamRunStatus> {
  switch (status.state) {
    case 'connecting':
      return { state: 'connecting', attempt: status.attempt, retryInMs: null };
    case 'live':
      return { state: 'live', retryInMs: null, error: null };
    case 'reconnecting':
      return { state: 'reconnecting', attempt: status.attempt, retryInMs: status.inMs, error: status.error.message };
    case 'failed':
      return { state: 'failed', retryInMs: null, error: status.error.message };
    case 'stopped':
      return { state: 'off', retryInMs: null };
  }
}

/** H.264 and YUYV need even sizes: an odd camera size loses its last column or row (top-left kept). */
export function evenCrop(frame: RgbaImage, size: Size): RgbaImage {
  const data = new Uint8Array(size.width * size.height * 4);
  for (let y = 0; y < size.height; y++) {
    data.set(frame.data.subarray(y * frame.width * 4, (y * frame.width + size.width) * 4), y * size.width * 4);
  }
  return { width: size.width, height: size.height, data };
}
