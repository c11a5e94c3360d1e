// Outside a build, the engine's threads run TypeScript: from a bundle of it where one can be made
// (dev-bundle.mjs), else through tsx's loader registered in this thread; then the entry the spawner named
// in workerData.backdropEntry (the engine worker, the matting thread) is loaded.
import { workerData } from 'node:worker_threads';
import { bundledEntry } from './dev-bundle.mjs';

const bundled = await bundledEntry(workerData.backdropEntry);
if (bundled) await import(bundled);
else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(workerData.backdropEntry);
}
