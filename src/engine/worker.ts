import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';

export interface EngineWorker {
  /** A fresh port speaking the contract to its own engine session. */
  connect(): MessagePort;
  terminate(): Promise<void>;
}

/**
 * Runs the engine (host.ts) in a worker thread outside Electron: the CLI's live mode, the browser test
 * page's bridge, the benchmarks. From source, a worker thread needs tsx's loader registered to read
 * TypeScript, which worker-entry.mjs does.
 */
export function spawnEngineWorker(opts: { modelsDir?: string; threads?: number } = {}): EngineWorker {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(fromSource ? './worker-entry.mjs' : './host.js', import.meta.url);
  const worker = new Worker(entry, {
    workerData: { backdropEngine: true, modelsDir: opts.modelsDir, threads: opts.threads },
  });
  return {
    connect() {
      const { port1, port2 } = new MessageChannel();
      worker.postMessage({ type: 'connect', port: port2 }, [port2]);
      return port1;
    },
    async terminate() {
      await worker.terminate();
    },
  };
}
