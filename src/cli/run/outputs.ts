import type { OutputsStatus } from '../../common/contract';
import type { RgbaImage } from '../../frame';
import { OutputReconciler, type FinalOutputs, type WantedOutputs } from '../../outputs/reconciler';
import { CommandError } from '../errors';
import type { RunOptions } from './args';
import type { CameraFormat } from './camera';
import type { OutputReport } from './summary';

/**
 * Everything the run writes to, each failing on its own without stopping the others: the same
 * OutputReconciler the engine process runs, asked for the run's outputs and heard through its status.
 */
export class RunOutputs {
  private readonly reconciler: OutputReconciler;
  private readonly errors = new Map<OutputReport['kind'], string>();
  private status: OutputsStatus | null = null;
  private audioDelayMs = 0;
  private lateStarted = false;

  constructor(
    private readonly options: RunOptions,
    private readonly format: CameraFormat,
    ffmpegPath: string,
    private readonly say: (line: string) => void,
  ) {
    this.reconciler = new OutputReconciler({
      fps: this.fps,
      ffmpegPath: () => ffmpegPath,
      size: { width: format.width, height: format.height },
      onStatus: (status) => this.heard(status),
    });
  }

  get fps(): number {
    return Math.round(this.format.rate.num / this.format.rate.den);
  }

  /** The virtual camera starts at once: it shows the slate until the first composited frame. */
  async startVirtualCamera(): Promise<void> {
    const target = this.options.virtualCamera;
    if (!target) return;
    await this.reconciler.apply(this.wanted(false));
    const vcam = this.status?.virtualCamera;
    if (vcam?.state === 'failed') throw new CommandError(`--virtual-camera ${target.path}: ${vcam.error}`);
  }

  /** Recording and streaming start once frames come out of the engine, not with seconds of slate while models load. */
  startLate(audioDelayMs: number): void {
    if (this.lateStarted) return;
    this.lateStarted = true;
    this.audioDelayMs = audioDelayMs;
    this.reconciler.delayAudio(audioDelayMs);
    void this.reconciler.apply(this.wanted(true));
  }

  /**
   * Whether the engine should get camera frames: always with a recording or a stream, and with no output
   * at all (the run then measures the engine); with the virtual camera alone, only while something reads it.
   */
  needsFrames(): boolean {
    const { virtualCamera, record, stream } = this.options;
    return !virtualCamera || record !== null || stream !== null || this.reconciler.needsFrames();
  }

  offer(frame: RgbaImage): void {
    this.reconciler.offer(frame, this.audioDelayMs);
  }

  statusWords(): string[] {
    const s = this.status;
    const words: string[] = [];
    if (this.options.virtualCamera) words.push(`vcam ${this.errors.has('virtual-camera') ? 'FAILED' : s?.virtualCamera.state === 'idle' ? 'idle' : 'on'}`);
    if (this.options.record && this.lateStarted) {
      const rec = s?.recording;
      words.push(this.errors.has('record') ? 'rec FAILED' : `rec ${((rec?.bytes ?? 0) / 1e6).toFixed(1)} MB ${(rec?.bitrateKbps ?? 0).toFixed(0)} kb/s`);
    }
    if (this.options.stream && this.lateStarted) words.push(`stream ${streamWord(s)}`);
    return words;
  }

  /** Stops every output cleanly (a recording is finalised, a stream unpublished) and reports on each. */
  async stop(): Promise<OutputReport[]> {
    const finals = await this.reconciler.close();
    return this.reports(finals);
  }

  private wanted(late: boolean): WantedOutputs {
    const { virtualCamera, record, stream, microphone } = this.options;
    return {
      virtualCamera: virtualCamera ? { device: virtualCamera.path } : null,
      recording: late && record ? { path: record, microphone } : null,
      stream: late && stream ? { url: stream.url, microphone } : null,
    };
  }

  /** Says what changed: a failure once per output, a stream's reconnects and its recovery. */
  private heard(status: OutputsStatus): void {
    const previous = this.status;
    this.status = status;
    const { virtualCamera: vcam, recording: rec, stream } = status;
    // A camera that fails to start ends the run (startVirtualCamera); one that fails later is said here.
    const was = previous?.virtualCamera.state;
    if (vcam.state === 'failed' && vcam.error && (was === 'on' || was === 'idle')) this.fail('virtual-camera', vcam.error);
    if (vcam.state === 'idle' && was !== 'idle') this.say(`virtual camera idle: no application has ${vcam.device} open${this.needsFrames() ? '' : '; nothing is computed until one does'}`);
    if (vcam.state === 'on' && was === 'idle') this.say(`virtual camera: an application opened ${vcam.device}; frames flow`);
    if (rec.state === 'failed' && rec.error) this.fail('record', `${rec.error}${rec.savedTo ? ` (saved to ${rec.savedTo})` : ''}`);
    if (stream.state === 'reconnecting' && stream.error && (previous?.stream.state !== 'reconnecting' || previous.stream.attempt !== stream.attempt)) {
      this.say(`stream: ${stream.error} (attempt ${stream.attempt} in ${((stream.retryInMs ?? 0) / 1000).toFixed(1)} s)`);
    }
    if (stream.state === 'live' && previous?.stream.state !== 'live' && stream.reconnects > 0) this.say('stream: live again');
    if (stream.state === 'failed' && stream.error) this.fail('stream', stream.error);
  }

  private reports(finals: FinalOutputs): OutputReport[] {
    const out: OutputReport[] = [];
    const { virtualCamera: vcam, recording: rec, stream } = finals;
    if (vcam) {
      if (vcam.error) this.fail('virtual-camera', vcam.error);
      out.push(this.report('virtual-camera', vcam.device, vcam.written, vcam.dropped, null));
    }
    if (rec) {
      if (rec.error) this.fail('record', `${rec.error}${rec.savedTo ? ` (saved to ${rec.savedTo})` : ''}`);
      const note = rec.error === null && rec.durationSec !== null ? `saved ${rec.path} (${rec.durationSec.toFixed(1)} s)` : null;
      out.push(this.report('record', rec.path, rec.frames, rec.dropped, note));
    } else if (this.options.record) {
      // The recording starts with the first composited frame; none came, so there is no take.
      this.fail('record', 'nothing was recorded: no composited frame came out of the engine before the run ended (try a longer --duration)');
      out.push(this.report('record', this.options.record, 0, 0, null));
    }
    if (stream) {
      if (stream.error) this.fail('stream', stream.error);
      out.push(this.report('stream', this.options.stream?.redacted ?? stream.target, stream.written, stream.dropped, `${stream.reconnects} reconnect attempts`));
    }
    return out;
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

function streamWord(status: OutputsStatus | null): string {
  const state = status?.stream.state;
  return !state || state === 'waiting-for-frames' || state === 'off' ? 'starting' : state;
}
