import { realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { RgbaImage } from '../../frame';
import { locateFfmpeg } from '../../io/ffmpeg/locate';
import type { ClockScheduler } from '../frame-clock';
import { failureLines, slatedSink, type LiveFfmpegSink, type LiveSinkStats } from '../live-sink';
import { virtualCameraArgs, type VirtualCameraTarget } from './args';
import { chooseLoopbackDevice, listVideoDevices, SYSTEM_ROOTS, type DiscoveryRoots } from './discover';
import { classifyV4l2Failure, V4l2SinkError } from './errors';
import { ReaderWatch } from './readers';
import { pausedSlate } from './slate';
import type { LiveOutput } from '../live-output';

export interface VirtualCameraOptions {
  target: VirtualCameraTarget;
  width: number;
  height: number;
  fps: number;
  ffmpegPath?: string;
  roots?: DiscoveryRoots;
  scheduler?: ClockScheduler;
  /**
   * Hears the camera go idle (no process has it open) and read again, from the first look on. Without it,
   * or where there is no /proc to look in, nobody watches and `read` stays null.
   */
  onReaders?(read: boolean): void;
  /** Where to look for readers; /proc unless a test builds its own. */
  procRoot?: string;
  readerPollMs?: number;
}

function resolved(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** The path /proc's links will name: a .y4m stand-in may not exist yet, its folder does. */
function linkTarget(path: string): string {
  return join(resolved(dirname(resolve(path))), basename(path));
}

/**
 * The virtual camera: composited frames to a v4l2loopback device at a steady rate, the "camera paused"
 * slate whenever there is nothing live to show. The output is never mirrored (mirroring is the
 * preview's business), and its size is fixed for the session, because consumers break when a
 * producer changes the device's format.
 */
export class VirtualCamera implements LiveOutput<LiveSinkStats, void> {
  /** Resolves when the camera stops for any reason: null after stop(), the classified error otherwise. */
  readonly ended: Promise<V4l2SinkError | null>;
  private stopping = false;
  private readonly watch: ReaderWatch | null;

  private constructor(
    private readonly sink: LiveFfmpegSink,
    readonly device: string,
    options: VirtualCameraOptions,
  ) {
    this.ended = sink.exited().then((error) => (error && !this.stopping ? classifyV4l2Failure(failureLines(error), device) : null));
    const { onReaders, procRoot } = options;
    this.watch =
      onReaders && (procRoot !== undefined || process.platform === 'linux')
        ? new ReaderWatch({
            target: linkTarget(device),
            exclude: () => new Set(sink.pid === undefined ? [] : [sink.pid]),
            onChange: onReaders,
            procRoot,
            pollMs: options.readerPollMs,
          })
        : null;
    this.watch?.start();
    void this.ended.then(() => this.watch?.stop());
  }

  /**
   * Checks the device (a real loopback device nobody else feeds) and starts writing. The slate goes out
   * from the first tick, so the device shows up in browsers before the engine's first frame.
   */
  static start(options: VirtualCameraOptions): VirtualCamera {
    const { target } = options;
    let device = target.path;
    if (target.kind === 'device') {
      const choice = chooseLoopbackDevice(listVideoDevices(options.roots ?? SYSTEM_ROOTS), resolved(target.path));
      if (!choice.ok) throw new V4l2SinkError(choice.reason === 'busy' ? 'device-busy' : 'no-device', choice.message);
      device = choice.device.path;
    }
    const slate = pausedSlate(options.width, options.height);
    const sink = slatedSink({
      output: options,
      ffmpegPath: options.ffmpegPath ?? locateFfmpeg().path,
      args: virtualCameraArgs({ target: { ...target, path: device }, width: options.width, height: options.height, rate: { num: options.fps, den: 1 } }),
      slate,
    });
    return new VirtualCamera(sink, device, options);
  }

  /** Whether some process has the camera open; null before the first look, or when nobody watches. */
  get read(): boolean | null {
    return this.watch?.read ?? null;
  }

  offer(frame: RgbaImage): void {
    this.sink.offer(frame);
  }

  /** Shows the slate until resume(); frames keep flowing at the same rate. */
  pause(): void {
    this.sink.pause();
  }

  resume(): void {
    this.sink.resume();
  }

  get stats(): LiveSinkStats {
    return this.sink.stats;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.watch?.stop();
    const error = await this.sink.finish();
    if (error) throw classifyV4l2Failure(failureLines(error), this.device);
  }
}
