/**
 * Entry of the engine as Electron's utilityProcess: wires the engine (pages' ports) to the outputs (one
 * set for the process, fed by every page's session) and to io (how backgrounds are decoded). Only main,
 * on the parent port, controls the outputs; a page's port cannot.
 */
import { resolve } from 'node:path';
import { CAPTURE_FPS, parseToEngineProcess, type OutputsStatusMessage, type ToEngineProcess } from '../common/contract';
import { FrameDemand } from '../engine/demand';
import { electronPort, serveEngine, type ElectronPortMain } from '../engine/host';
import { locateFfmpeg } from '../io/ffmpeg/locate';
import { decodeImage } from '../io/image';
import { userCacheDir } from './cache-dir';
import { openLoopingVideo } from '../io/video-loop';
import { OutputReconciler } from '../outputs/reconciler';

interface ElectronParentPort {
  on(event: 'message', listener: (e: { data: unknown; ports: ElectronPortMain[] }) => void): void;
  postMessage(message: unknown): void;
}

const parent = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
if (!parent) throw new Error('the engine process entry runs only as an Electron utility process');

/** Until main says otherwise: a window that starts in the tray is announced hidden right away. */
let previewShown = true;
const outputs = new OutputReconciler({
  fps: CAPTURE_FPS,
  ffmpegPath: () => locateFfmpeg().path,
  onStatus: (status) => {
    parent.postMessage({ type: 'outputs-status', status } satisfies OutputsStatusMessage);
    demand.recheck();
  },
});
// Composites are made for the preview on screen and for the outputs that use them; hidden in the tray
// with the virtual camera idle and nothing recorded or streamed, the engine computes nothing.
const demand = new FrameDemand(() => previewShown || outputs.needsFrames());
const modelsDir = process.env.BACKDROP_MODELS_DIR ?? resolve(process.cwd(), 'models');

parent.on('message', (e) => {
  let msg: ToEngineProcess;
  try {
    msg = parseToEngineProcess(e.data);
  } catch (error) {
    console.error(`ignored an invalid control message: ${(error as Error).message}`);
    return;
  }
  if (msg.type === 'outputs') {
    void outputs.apply(msg).catch((error: Error) => console.error(`outputs: ${error.message}`));
    demand.recheck();
    return;
  }
  if (msg.type === 'preview') {
    previewShown = msg.shown;
    demand.recheck();
    return;
  }
  const port = e.ports[0];
  if (!port) return;
  serveEngine(electronPort(port), {
    modelsDir,
    loadImage: decodeImage,
    loadVideo: (path) => openLoopingVideo(path),
    cacheDir: userCacheDir(),
    onOutput: (image, latencyMs) => outputs.offer(image, latencyMs),
    demand,
  });
  port.start();
});
