// Outside a build, the engine is TypeScript: register tsx's loader in this thread, then load the module
// the thread runs (the engine host by default, or the one named in workerData.backdropEntry).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData?.backdropEntry ?? './host.ts');
