// Outside a build, the engine's threads run TypeScript: register tsx's loader in this thread, then load
// the entry the spawner named in workerData.backdropEntry (the engine worker, the matting thread).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.backdropEntry);
