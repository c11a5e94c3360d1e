/**
 * The engine in a process of its own, as Electron runs it (a utilityProcess), so a test can kill it the
 * way a crash would: SIGKILL, mid-inference. The contract travels over Node's IPC channel with
 * structured-clone serialisation, so frame buffers arrive intact.
 * Run with: fork(thisFile, { serialization: 'advanced', execArgv: ['--import', 'tsx'] }).
 */
import { serveEngine } from '../../src/engine/host';
import type { FromEngine } from '../../src/common/contract';
import { decodeImage } from '../../src/io/image';
import { openLoopingVideo } from '../../src/io/video-loop';

const modelsDir = process.argv[2];
serveEngine(
  {
    post: (msg: FromEngine) => process.send?.(msg),
    onMessage: (handler) => process.on('message', handler),
    onClose: (handler) => process.on('disconnect', handler),
  },
  { modelsDir, threads: 1, loadImage: decodeImage, loadVideo: (path) => openLoopingVideo(path) },
);
