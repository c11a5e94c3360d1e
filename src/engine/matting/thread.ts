import { Worker } from 'node:worker_threads';
import { ContractError, parseFromMatter, type FromMatter, type ToMatter } from '../../common/contract';
import { EngineFailure } from '../../common/failure';
import type { Matter, MatterOptions, MatteResult } from './matter';

/**
 * Where the matting thread's code is: from source, tsx's bootstrap loading thread-entry.ts; in the built
 * app, the bundled matter-host.js whose path the main process hands the engine.
 */
function workerEntry(): { url: URL; workerData: Record<string, unknown> } {
  if (import.meta.url.endsWith('.ts')) {
    return { url: new URL('../worker-entry.mjs', import.meta.url), workerData: { backdropEntry: new URL('./thread-entry.ts', import.meta.url).href } };
  }
  const built = process.env.BACKDROP_MATTER_WORKER;
  if (!built) throw new EngineFailure('matting-unavailable', 'BACKDROP_MATTER_WORKER does not name the matting worker script');
  return { url: new URL(`file://${built}`), workerData: {} };
}

/** Long enough for a matte in flight and the model's release; a thread not gone by then hangs. */
const DISPOSE_TIMEOUT_MS = 3000;

/**
 * The matter on a thread of its own, behind the same Matter interface: the engine thread sends the
 * (small, matting-size) image, trimap and region and gets alpha, F and the upsampler's fit back,
 * transferred, when they are ready. This is the thread's host: the only code on the engine's side that
 * speaks to it.
 */
export async function createThreadedMatter(opts: MatterOptions): Promise<Matter> {
  const entry = workerEntry();
  const worker = new Worker(entry.url, { workerData: { ...entry.workerData, backdropMatter: opts } });
  const pending = new Map<number, { resolve: (r: MatteResult) => void; reject: (e: unknown) => void }>();
  let nextId = 0;
  let dead: EngineFailure | null = null;
  let disposing: Promise<void> | null = null;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const failAll = (error: EngineFailure) => {
    dead = error;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  const ready = new Promise<{ provider: string; fellBack: boolean }>((resolve, reject) => {
    worker.on('message', (data: unknown) => {
      let msg: FromMatter;
      try {
        msg = parseFromMatter(data);
      } catch (error) {
        const why = error instanceof ContractError ? error.message : String(error);
        const failure = new EngineFailure('internal', `the matting thread sent a bad message: ${why}`);
        reject(failure);
        failAll(failure);
        return;
      }
      if (msg.type === 'ready') resolve(msg);
      else if (msg.type === 'matte') pending.get(msg.id)?.resolve({ alpha: msg.alpha, foreground: msg.foreground, fit: msg.fit });
      else if (msg.id === -1) reject(new EngineFailure(msg.error.code, msg.error.message));
      else pending.get(msg.id)?.reject(new EngineFailure(msg.error.code, msg.error.message));
      if (msg.type !== 'ready') pending.delete(msg.id);
    });
    worker.on('error', (error) => {
      const failure = new EngineFailure('matting-unavailable', `matting thread stopped: ${error.message}`);
      reject(failure);
      failAll(failure);
    });
    worker.on('exit', () => failAll(new EngineFailure('matting-unavailable', 'matting thread exited')));
  });
  let info: { provider: string; fellBack: boolean };
  try {
    info = await ready;
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  return {
    provider: info.provider,
    fellBack: info.fellBack,
    matte(image, trimap, region) {
      if (dead) return Promise.reject(dead);
      const id = nextId++;
      return new Promise<MatteResult>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ type: 'matte', id, image, trimap, ...(region ? { region } : {}) } satisfies ToMatter);
      });
    },
    dispose() {
      disposing ??= new Promise<void>((resolve) => {
        // The thread lets its mattes in flight finish, releases the model and ends by itself: terminated
        // while onnxruntime works there, the process aborts. Terminating is only for a thread that hangs.
        const timer = setTimeout(() => void worker.terminate(), DISPOSE_TIMEOUT_MS);
        void exited.then(() => {
          clearTimeout(timer);
          resolve();
        });
        worker.postMessage({ type: 'dispose' } satisfies ToMatter);
      });
      return disposing;
    },
  };
}
