import { dirname, join } from 'node:path';
/**
 * Runs the engine (out/main/engine.js, built from src/engine/host.ts) as a utilityProcess and wires each
 * renderer to it with its own MessageChannelMain: one end to the engine, the other to the page. Frames
 * then flow page <-> engine directly; main never touches a pixel. A crashed engine is restarted with
 * back-off and every page gets a fresh port (the page takes an unrequested port as "the engine restarted").
 */
import { MessageChannelMain, utilityProcess, type UtilityProcess, type WebContents } from 'electron';
import { ENGINE_PORT_EVENT, type FromEngine, type ToEngineProcess } from '../common/contract';
import { restartDelay } from './restart-policy';

export interface EngineProcessOptions {
  /** Absolute path of the built engine entry. */
  entry: string;
  modelsDir: string;
  log?: (line: string) => void;
  /** Messages the engine process sends main itself (outputs status), unvalidated. */
  onMessage?: (data: unknown) => void;
  /** After a crashed engine was started again. */
  onRestart?: () => void;
}

export class EngineProcess {
  private child: UtilityProcess | null = null;
  private readonly pages = new Set<WebContents>();
  private readonly crashes: number[] = [];
  private restartTimer: ReturnType<typeof setTimeout> | null = null;
  private stopping = false;
  /** Set once the engine crashed too often: pages get a port that only carries this error. */
  private gaveUp: string | null = null;

  constructor(private readonly options: EngineProcessOptions) {}

  start(): void {
    this.stopping = false;
    const child = utilityProcess.fork(this.options.entry, [], {
      serviceName: 'Backdrop engine',
      env: {
        ...process.env,
        BACKDROP_MODELS_DIR: this.options.modelsDir,
        // The engine starts the matting thread from this built script (see engine/matting/thread.ts).
        BACKDROP_MATTER_WORKER: join(dirname(this.options.entry), 'matter-host.js'),
      },
      stdio: 'inherit',
    });
    child.on('exit', (code) => this.onExit(child, code));
    child.on('message', (data: unknown) => this.options.onMessage?.(data));
    this.child = child;
  }

  /** A control message for the engine process itself (not for a page's session); dropped while it is down. */
  post(message: ToEngineProcess): void {
    this.child?.postMessage(message);
  }

  /** Gives `contents` a fresh port to the engine, and again after every restart until it goes away. */
  connect(contents: WebContents): void {
    if (!this.pages.has(contents)) {
      this.pages.add(contents);
      contents.once('destroyed', () => this.pages.delete(contents));
    }
    this.sendPort(contents);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    this.child = null;
    if (!child?.pid) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill();
    });
  }

  private sendPort(contents: WebContents): void {
    if (contents.isDestroyed()) return;
    const { port1, port2 } = new MessageChannelMain();
    if (this.child && !this.gaveUp) {
      this.child.postMessage({ type: 'connect' } satisfies ToEngineProcess, [port2]);
    } else {
      // No engine to talk to: the page still gets a port, carrying the reason in the contract's terms,
      // so it shows one clear message instead of waiting forever.
      const error: FromEngine = {
        type: 'error',
        error: { code: 'internal', message: this.gaveUp ?? 'The engine is restarting; try again in a moment.' },
      };
      port2.postMessage(error);
    }
    contents.postMessage(ENGINE_PORT_EVENT, null, [port1]);
  }

  private onExit(child: UtilityProcess, code: number): void {
    if (child !== this.child || this.stopping) return;
    this.child = null;
    const now = Date.now();
    this.crashes.push(now);
    const delay = restartDelay(this.crashes, now);
    if (delay === null) {
      this.gaveUp = `The engine crashed ${this.crashes.length} times (last exit code ${code}) and was not restarted. Restart Backdrop.`;
      this.options.log?.(this.gaveUp);
      this.pages.forEach((page) => this.sendPort(page));
      return;
    }
    this.options.log?.(`engine exited with code ${code}; restarting in ${delay} ms`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.start();
      this.options.onRestart?.();
      this.pages.forEach((page) => this.sendPort(page));
    }, delay);
  }
}
