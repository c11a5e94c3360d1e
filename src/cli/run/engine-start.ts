import { fileURLToPath } from 'node:url';
import type { MessagePort } from 'node:worker_threads';
import { spawnEngineWorker, type EngineWorker } from '../../hosts/worker';
import type { RunOptions } from './args';

const DEFAULT_MODELS_DIR = fileURLToPath(new URL('../../../models', import.meta.url));

export interface StartedEngine {
  worker: EngineWorker;
  port: MessagePort;
}

/**
 * The run's engine, spawned and asked to start loading its models. Kept to the few modules it needs, so
 * the CLI can call it before it loads the rest of the run (outputs, ffmpeg, the camera): the engine's
 * thread boots and loads while they load. Its port holds the engine's messages until someone listens.
 */
export function startEngine(options: RunOptions): StartedEngine {
  const worker = spawnEngineWorker({ modelsDir: options.modelsDir ?? DEFAULT_MODELS_DIR, threads: options.threads ?? undefined });
  const port = worker.connect();
  const { background, matting, quality, people, faceModel } = options;
  port.postMessage({ type: 'start', config: { background, matting, quality, people, faceModel } });
  return { worker, port };
}
