/**
 * Entry of the engine as a worker thread (the CLI's live mode, the browser test page's bridge, the
 * benchmarks; spawnEngineWorker in ./worker.ts starts it): serves each port it is sent, with io's decoders.
 */
import { MessagePort, parentPort, workerData } from 'node:worker_threads';
import { resolve } from 'node:path';
import { parseToEngineWorker } from '../common/contract';
import { nodePort, serveEngine } from '../engine/host';
import { decodeImage } from '../io/image';
import { userCacheDir } from './cache-dir';
import { openLoopingVideo } from '../io/video-loop';

const options = (workerData ?? {}) as { modelsDir?: string; threads?: number };
if (!parentPort) throw new Error('the engine worker entry runs only in a worker thread');

parentPort.on('message', (data: unknown) => {
  let port: MessagePort;
  try {
    port = parseToEngineWorker(data, (p): p is MessagePort => p instanceof MessagePort).port;
  } catch (error) {
    console.error(`ignored an invalid control message: ${(error as Error).message}`);
    return;
  }
  serveEngine(nodePort(port), {
    modelsDir: options.modelsDir ?? process.env.BACKDROP_MODELS_DIR ?? resolve(process.cwd(), 'models'),
    threads: options.threads,
    loadImage: decodeImage,
    loadVideo: (path) => openLoopingVideo(path),
    cacheDir: userCacheDir(),
  });
});
