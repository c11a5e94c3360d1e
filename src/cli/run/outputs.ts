import type { RgbaImage } from '../../frame';
import { RecorderError } from '../../outputs/recorder/errors';
import type { LiveOutput } from '../../outputs/live-output';
import { Recorder } from '../../outputs/recorder/recorder';
import { Streamer, type StreamStatus } from '../../outputs/streamer/streamer';
import { V4l2SinkError } from '../../outputs/v4l2/errors';
import { VirtualCamera } from '../../outputs/v4l2/sink';
import { CommandError } from '../errors';
import type { RunOptions } from './args';
import type { CameraFormat } from './camera';
import type { OutputReport } from './summary';

/** Everything the run writes to, each failing on its own without stopping the others. */
export class RunOutputs {
  vcam: VirtualCamera | null = null;
  recorder: Recorder | null = null;
  streamer: Streamer | null = null;
  streamStatus: StreamStatus | null = null;
  readonly errors = new Map<OutputReport['kind'], string>();
  private lateStarted = false;

  constructor(
    private readonly options: RunOptions,
    private readonly format: CameraFormat,
    private readonly ffmpegPath: string,
    private readonly say: (line: string) => void,
  ) {}

  get fps(): number {
    return Math.round(this.format.rate.num / this.format.rate.den);
  }

  /** The virtual camera starts at once: it shows the slate until the first composited frame. */
  startVirtualCamera(): void {
    const target = this.options.virtualCamera;
    if (!target) return;
    try {
      this.vcam = VirtualCamera.start({ target, width: this.format.width, height: this.format.height, fps: this.fps, ffmpegPath: this.ffmpegPath });
    } catch (error) {
      if (error instanceof V4l2SinkError) throw new CommandError(`--virtual-camera ${target.path}: ${error.message}`);
      throw error;
    }
    void this.vcam.ended.then((error) => error && this.fail('virtual-camera', error.message));
  }

  /** Recording and streaming start once frames come out of the engine, not with seconds of slate while models load. */
  startLate(audioDelayMs: number): void {
    if (this.lateStarted) return;
    this.lateStarted = true;
    const { width, height } = this.format;
    if (this.options.record) {
      this.recorder = Recorder.start({ path: this.options.record, width, height, fps: this.fps, audio: this.options.microphone, audioDelayMs, ffmpegPath: this.ffmpegPath });
      void this.recorder.ended.then((error) => error && this.fail('record', `${error.message}${error.savedTo ? ` (saved to ${error.savedTo})` : ''}`));
    }
    if (this.options.stream) {
      this.streamer = Streamer.start({
        target: this.options.stream,
        width,
        height,
        fps: this.fps,
        audio: this.options.microphone,
        audioDelayMs,
        ffmpegPath: this.ffmpegPath,
        onStatus: (status) => {
          this.streamStatus = status;
          if (status.state === 'reconnecting') this.say(`stream: ${status.error.message} (attempt ${status.attempt} in ${(status.inMs / 1000).toFixed(1)} s)`);
          if (status.state === 'live' && this.streamer && this.streamer.stats.reconnects > 0) this.say('stream: live again');
          if (status.state === 'failed') this.fail('stream', status.error.message);
        },
      });
    }
  }

  offer(frame: RgbaImage): void {
    const outputs: (LiveOutput | null)[] = [this.vcam, this.recorder?.running ? this.recorder : null, this.streamer];
    for (const output of outputs) output?.offer(frame);
  }

  statusWords(): string[] {
    const words: string[] = [];
    if (this.vcam) words.push(`vcam ${this.errors.has('virtual-camera') ? 'FAILED' : 'on'}`);
    if (this.recorder) {
      const s = this.recorder.stats;
      words.push(this.errors.has('record') ? 'rec FAILED' : `rec ${(s.bytes / 1e6).toFixed(1)} MB ${s.bitrateKbps.toFixed(0)} kb/s`);
    }
    if (this.streamer) words.push(`stream ${this.streamStatus?.state ?? 'starting'}`);
    return words;
  }

  /** Stops every output cleanly (a recording is finalised, a stream unpublished) and reports on each. */
  async stop(): Promise<OutputReport[]> {
    const reports = await Promise.all([this.stopVirtualCamera(), this.stopRecorder(), this.stopStreamer()]);
    return reports.filter((r): r is OutputReport => r !== null);
  }

  private async stopVirtualCamera(): Promise<OutputReport | null> {
    const vcam = this.vcam;
    if (!vcam) return null;
    await vcam.stop().catch((error: Error) => this.fail('virtual-camera', error.message));
    return this.report('virtual-camera', vcam.device, vcam.stats.written, vcam.stats.dropped, null);
  }

  private async stopRecorder(): Promise<OutputReport | null> {
    const recorder = this.recorder;
    if (!recorder) return null;
    try {
      // On a recording that already failed, stop() waits for what was recorded to be saved, then throws why.
      const result = await recorder.stop();
      return this.report('record', result.path, result.frames, recorder.stats.dropped, `${result.durationSec.toFixed(1)} s, finalised`);
    } catch (error) {
      if (!(error instanceof RecorderError)) throw error;
      this.fail('record', `${error.message}${error.savedTo ? ` (saved to ${error.savedTo})` : ''}`);
      return this.report('record', error.savedTo ?? recorder.path, recorder.stats.frames, recorder.stats.dropped, null);
    }
  }

  private async stopStreamer(): Promise<OutputReport | null> {
    const streamer = this.streamer;
    if (!streamer) return null;
    await streamer.stop();
    const s = streamer.stats;
    return this.report('stream', this.options.stream?.redacted ?? '', s.written, s.dropped, `${s.reconnects} reconnect attempts`);
  }

  private report(kind: OutputReport['kind'], target: string, written: number, dropped: number, note: string | null): OutputReport {
    return { kind, target, framesWritten: written, framesDropped: dropped, note, error: this.errors.get(kind) ?? null };
  }

  private fail(kind: OutputReport['kind'], message: string): void {
    if (this.errors.has(kind)) return;
    this.errors.set(kind, message);
    this.say(`${kind}: ${message}`);
  }
}
