/**
 * The app's engine path without Electron, for the fault figures (bench/faults.ts) and their test: the
 * real engine-process entry (forked through ./app-engine-child.ts in place of a utilityProcess), main's
 * own supervision rules (restart-policy.ts's delays, AppOutputs asking for the outputs again after a
 * restart) and a page that plays a camera into it as the real one does (one frame in flight, freed by
 * the answer or after a second, the config sent again on every new port). Only Electron's process and
 * port plumbing is swapped for a fork and its IPC channel.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  CAPTURE_FPS,
  parseFromEngine,
  parseOutputsStatusMessage,
  type EngineConfig,
  type FromEngine,
  type OutputsStatus,
  type ToEngine,
  type ToEngineProcess,
} from '../../src/common/contract';
import type { RgbaImage } from '../../src/frame';
import { AppOutputs } from '../../src/main/outputs';
import { restartDelay } from '../../src/main/restart-policy';
import { StreamCredentials } from '../../src/main/stream-key';
import { MemorySecretStore } from '../../src/outputs/streamer/secrets';
import { InFlightGate } from '../../src/renderer/capture/in-flight-gate';
import type { FromAppEngineChild, ToAppEngineChild } from './app-engine-child';

const CHILD = fileURLToPath(new URL('./app-engine-child.ts', import.meta.url));
/** The page's capture worker frees its one in-flight frame after this long without an answer. */
const STALE_AFTER_MS = 1000;

export interface AppEngineOptions {
  /** The camera: played in a loop at CAPTURE_FPS. */
  frames: readonly RgbaImage[];
  config: EngineConfig;
  /** The virtual camera's device or .y4m stand-in (chooseDevice's answer). */
  virtualCamera: string;
  recordingsFolder: string;
  modelsDir?: string;
}

/** What happened when, in ms of performance.now(). */
export interface AppEngineEvent {
  at: number;
  kind: 'spawned' | 'exited' | 'ready' | 'output';
  pid?: number;
}

export class AppEngine {
  readonly events: AppEngineEvent[] = [];
  readonly outputs: AppOutputs;
  /** Every outputs status the engine sent, as main hears them. */
  readonly statuses: { at: number; status: OutputsStatus }[] = [];
  private child: ChildProcess | null = null;
  /** Messages for a child not listening yet. */
  private pending: ToAppEngineChild[] | null = null;
  private readonly crashes: number[] = [];
  private readonly gate = new InFlightGate(STALE_AFTER_MS);
  private camera: ReturnType<typeof setInterval> | null = null;
  private nextFrame = 0;
  private stopping = false;

  constructor(private readonly options: AppEngineOptions) {
    this.outputs = new AppOutputs({
      send: (request) => this.control(request),
      chooseDevice: () => options.virtualCamera,
      advice: () => ({ available: true, message: 'ready', command: null, explanation: null }),
      canCreateDevice: false,
      createDevice: async () => undefined,
      recordingsFolder: options.recordingsFolder,
      makeFolder: () => undefined,
      exists: existsSync,
      now: () => new Date(),
      credentials: new StreamCredentials(new MemorySecretStore()),
    });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the engine process and the camera, as the app does when its window opens. */
  start(): void {
    this.spawn();
    this.camera = setInterval(() => this.sendFrame(), 1000 / CAPTURE_FPS);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.camera) clearInterval(this.camera);
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  private spawn(): void {
    const child = fork(CHILD, [], {
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, ...(this.options.modelsDir ? { BACKDROP_MODELS_DIR: this.options.modelsDir } : {}) },
    });
    this.child = child;
    this.pending = [];
    this.events.push({ at: performance.now(), kind: 'spawned', pid: child.pid });
    child.on('message', (msg: FromAppEngineChild) => {
      if (msg.from === 'listening') {
        const pending = this.pending ?? [];
        this.pending = null;
        pending.forEach((m) => this.send(m));
      } else if (msg.from === 'page') this.fromEngine(msg.data);
      else this.fromProcess(msg.data);
    });
    child.once('exit', () => this.exited(child));
    // As EngineProcess.connect: the page gets a port, and the page starts the engine with its config.
    this.gate.release();
    this.send({ to: 'parent', data: { type: 'connect' } satisfies ToEngineProcess });
    this.page({ type: 'start', config: this.options.config });
  }

  /** As EngineProcess.onExit: restart after the policy's delay, then main asks for the outputs again. */
  private exited(child: ChildProcess): void {
    this.events.push({ at: performance.now(), kind: 'exited', pid: child.pid });
    if (child !== this.child || this.stopping) return;
    this.child = null;
    const now = Date.now();
    this.crashes.push(now);
    const delay = restartDelay(this.crashes, now);
    if (delay === null) return;
    setTimeout(() => {
      if (this.stopping) return;
      this.spawn();
      this.outputs.engineRestarted();
    }, delay);
  }

  private control(message: ToEngineProcess): void {
    this.send({ to: 'parent', data: message });
  }

  private page(message: ToEngine): void {
    this.send({ to: 'page', data: message });
  }

  private send(message: ToAppEngineChild): void {
    if (this.pending) this.pending.push(message);
    // The process may die between the check and the write: the frame is then lost, as a frame the page
    // posts to a dead engine is, and the restart policy (not an uncaught EPIPE) takes over.
    else if (this.child?.connected) this.child.send(message, () => {});
  }

  private sendFrame(): void {
    // The page's camera runs regardless; frames for an engine not there yet are dropped at the source.
    if (this.pending || !this.child?.connected || !this.gate.tryAcquire(performance.now())) return;
    const frame = this.options.frames[this.nextFrame++ % this.options.frames.length];
    this.page({
      type: 'frame',
      id: this.nextFrame,
      width: frame.width,
      height: frame.height,
      timestamp: performance.timeOrigin + performance.now(),
      pixels: frame.data.slice().buffer,
    });
  }

  private fromEngine(data: unknown): void {
    const msg: FromEngine = parseFromEngine(data);
    const at = performance.now();
    if (msg.type === 'ready' || msg.type === 'output') {
      this.events.push({ at, kind: msg.type });
      this.gate.release();
    } else if (msg.type === 'error' && (msg.error.code === 'bad-frame' || msg.error.code === 'internal')) {
      this.gate.release();
    }
  }

  private fromProcess(data: unknown): void {
    const { status } = parseOutputsStatusMessage(data);
    this.statuses.push({ at: performance.now(), status });
    this.outputs.noteStatus(status);
  }
}
