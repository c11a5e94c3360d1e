/**
 * The page-side owner of the camera: opens it at the chosen size, hands its track to the capture worker,
 * and watches it. Problems (no camera, permission denied, unplugged, silent) become a state the UI shows;
 * capture resumes by itself when a camera comes back (devicechange) or frames start to flow.
 */
import {
  cameraConstraints,
  cameraDevices,
  captureProblem,
  describeCaptureError,
  pickCamera,
  type CameraDevice,
  type CaptureProblem,
} from './camera';
import type { FromCaptureWorker, ToCaptureWorker } from './worker-protocol';

/** A camera that delivers nothing for this long is reported (macOS once "granted" access this way). */
export const NO_FRAMES_TIMEOUT_MS = 4000;

export type CaptureStatus = 'opening' | 'live' | 'problem';

export interface CaptureState {
  status: CaptureStatus;
  problem: CaptureProblem | null;
  devices: CameraDevice[];
  /** The device actually open, once known. */
  deviceId: string | null;
  stream: MediaStream | null;
  /** Frames the worker closed unsent because one was still in flight. */
  dropped: number;
}

export interface CapturedFrame {
  type: 'frame';
  id: number;
  width: number;
  height: number;
  timestamp: number;
  pixels: ArrayBuffer;
}

export interface CapturePreferences {
  deviceId: string | null;
  size: { width: number; height: number };
}

export class CameraCapture {
  private state: CaptureState = { status: 'opening', problem: null, devices: [], deviceId: null, stream: null, dropped: 0 };
  private readonly stateListeners = new Set<(s: CaptureState) => void>();
  private readonly frameListeners = new Set<(f: CapturedFrame) => void>();
  private readonly worker: Worker;
  private generation = 0;
  private watchdog: ReturnType<typeof setTimeout> | null = null;
  private prefs: CapturePreferences;
  private readonly onDeviceChange = () => void this.deviceChanged();

  constructor(prefs: CapturePreferences) {
    this.prefs = prefs;
    this.worker = new Worker(new URL('./capture.worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (event: MessageEvent<FromCaptureWorker>) => this.fromWorker(event.data);
    this.worker.onerror = (event) => this.fail(captureProblem('failed', `capture worker: ${event.message}`));
    navigator.mediaDevices?.addEventListener('devicechange', this.onDeviceChange);
  }

  get current(): CaptureState {
    return this.state;
  }

  onState(cb: (s: CaptureState) => void): () => void {
    this.stateListeners.add(cb);
    return () => void this.stateListeners.delete(cb);
  }

  onFrame(cb: (f: CapturedFrame) => void): () => void {
    this.frameListeners.add(cb);
    return () => void this.frameListeners.delete(cb);
  }

  /** The engine answered (or lost) the frame in flight: let the next one go. */
  release(): void {
    this.toWorker({ type: 'release' });
  }

  /** Opens (or reopens) the camera with these preferences. */
  async open(prefs: CapturePreferences = this.prefs): Promise<void> {
    this.prefs = prefs;
    const generation = ++this.generation;
    this.closeStream();
    this.update({ status: 'opening', problem: null });
    if (!navigator.mediaDevices?.getUserMedia) return this.fail(captureProblem('unsupported', 'navigator.mediaDevices is missing'));
    if (typeof MediaStreamTrackProcessor === 'undefined') return this.fail(captureProblem('unsupported'));

    const stream = await this.getStream(prefs).catch((error: unknown) => {
      if (generation === this.generation) this.fail(describeCaptureError(error));
      return null;
    });
    if (!stream) return;
    if (generation !== this.generation) {
      stream.getTracks().forEach((t) => t.stop());
      return;
    }
    const [track] = stream.getVideoTracks();
    track.addEventListener('ended', () => void this.trackEnded(generation));
    const { readable } = new MediaStreamTrackProcessor({ track });
    this.update({ stream, deviceId: track.getSettings().deviceId ?? null });
    this.toWorker({ type: 'start', readable }, [readable]);
    this.armWatchdog();
    // Labels and ids are only listed once permission is granted, i.e. now.
    const devices = await this.listDevices();
    if (generation === this.generation) this.update({ devices });
  }

  close(): void {
    this.generation++;
    navigator.mediaDevices?.removeEventListener('devicechange', this.onDeviceChange);
    this.closeStream();
    this.worker.terminate();
    this.stateListeners.clear();
    this.frameListeners.clear();
  }

  /** An exact device that is gone (unplugged, or an id from an old session) falls back to any camera. */
  private async getStream(prefs: CapturePreferences): Promise<MediaStream> {
    const devices = (await this.listDevices()).filter((d) => d.deviceId !== '');
    const chosen = pickCamera(devices, prefs.deviceId);
    try {
      return await navigator.mediaDevices.getUserMedia(cameraConstraints(chosen?.deviceId ?? null, prefs.size));
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (!chosen || (name !== 'OverconstrainedError' && name !== 'NotFoundError')) throw error;
      return navigator.mediaDevices.getUserMedia(cameraConstraints(null, prefs.size));
    }
  }

  private async listDevices(): Promise<CameraDevice[]> {
    try {
      return cameraDevices(await navigator.mediaDevices.enumerateDevices());
    } catch {
      return [];
    }
  }

  private fromWorker(msg: FromCaptureWorker): void {
    // Stragglers from a stream already closed must not revive the state.
    if (!this.state.stream) return;
    switch (msg.type) {
      case 'frame':
        this.sawFrames();
        this.frameListeners.forEach((cb) => cb(msg));
        return;
      case 'alive':
        this.sawFrames();
        if (msg.dropped !== this.state.dropped) this.update({ dropped: msg.dropped });
        return;
      case 'ended':
        void this.trackEnded(this.generation);
        return;
      case 'error':
        this.fail(captureProblem('failed', msg.message));
        return;
    }
  }

  private sawFrames(): void {
    this.armWatchdog();
    if (this.state.status !== 'live') this.update({ status: 'live', problem: null });
  }

  private armWatchdog(): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    const generation = this.generation;
    this.watchdog = setTimeout(() => {
      if (generation === this.generation && this.state.stream) this.update({ status: 'problem', problem: captureProblem('no-frames') });
    }, NO_FRAMES_TIMEOUT_MS);
  }

  /** Both the track and the worker's stream report the end; the generation makes the second a no-op. */
  private async trackEnded(generation: number): Promise<void> {
    if (generation !== this.generation) return;
    this.generation++;
    this.closeStream();
    const devices = await this.listDevices();
    this.update({ devices });
    // Another camera may still be plugged in; if not, devicechange reopens when one appears.
    if (devices.some((d) => d.deviceId !== '')) await this.open();
    else this.fail(captureProblem('disconnected'));
  }

  private async deviceChanged(): Promise<void> {
    const devices = await this.listDevices();
    this.update({ devices });
    if (this.state.status === 'problem') await this.open();
  }

  private fail(problem: CaptureProblem): void {
    this.closeStream();
    this.update({ status: 'problem', problem });
  }

  private closeStream(): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = null;
    this.toWorker({ type: 'stop' });
    this.state.stream?.getTracks().forEach((t) => t.stop());
    if (this.state.stream) this.update({ stream: null });
  }

  private toWorker(msg: ToCaptureWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(msg, transfer);
  }

  private update(patch: Partial<CaptureState>): void {
    this.state = { ...this.state, ...patch };
    this.stateListeners.forEach((cb) => cb(this.state));
  }
}
