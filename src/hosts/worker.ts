import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { ToEngineWorker } from '../common/contract';

export interface EngineWorker {
  /** A fresh port speaking the contract to its own engine session. */
  connect(): MessagePort;
  terminate(): Promise<void>;
  /**
   * Called once if the worker thread ends on its own: with the error that killed it, or null if it
   * exited. Without a listener, an error in the thread would take the whole process down with it.
   */
  onExit(listener: (error: Error | null) => void): void;
}

/**
 * Runs the engine (engine-worker.ts) in a worker thread outside Electron: the CLI's live mode, the browser
 * test page's bridge, the benchmarks. From source, a worker thread needs tsx's loader registered to read
 * TypeScript, which engine/worker-entry.mjs does before loading the entry.
 */
export function spawnEngineWorker(opts: { modelsDir?: string; threads?: number } = {}): EngineWorker {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = fromSource ? new URL('../engine/worker-entry.mjs', import.meta.url) : new URL('./engine-worker.js', import.meta.url);
  const worker = new Worker(entry, {
    workerData: {
      modelsDir: opts.modelsDir,
      threads: opts.threads,
      ...(fromSource ? { backdropEntry: new URL('./engine-worker.ts', import.meta.url).href } : {}),
    },
  });
  let terminating = false;
  return {
    connect() {
      const { port1, port2 } = new MessageChannel();
      worker.postMessage({ type: 'connect', port: port2 } satisfies ToEngineWorker<MessagePort>, [port2]);
      return port1;
    },
    async terminate() {
      terminating = true;
      await worker.terminate();
    },
    onExit(listener) {
      let ended = false;
      const end = (error: Error | null) => {
        if (ended || terminating) return;
        ended = true;
        listener(error);
      };
      worker.on('error', end);
      worker.on('exit', () => end(null));
    },
  };
}
