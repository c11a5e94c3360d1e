/**
 * The engine process entry. The same module runs as Electron's utilityProcess (ports arrive on
 * process.parentPort) and as a Node worker_threads Worker (ports arrive on worker_threads.parentPort);
 * each port speaks the contract to one Session.
 */
import { parentPort as workerParent, workerData } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import {
  CAPTURE_FPS,
  ContractError,
  DEFAULT_ENGINE_CONFIG,
  parseOutputsRequest,
  parseToEngine,
  transferablesOf,
  type FromEngine,
  type ToEngine,
} from '../common/contract';
import { decodeImage } from '../io/image';
import { openLoopingVideo } from '../io/video-loop';
import { locateFfmpeg } from '../io/ffmpeg/locate';
import { EngineFailure } from './failure';
import type { RgbaImage } from '../frame';
import { EngineOutputs } from './outputs';
import { Session } from './session';

/** The two things the engine needs of a port, whichever kind it is. */
export interface EnginePort {
  post(msg: FromEngine): void;
  onMessage(handler: (data: unknown) => void): void;
  onClose(handler: () => void): void;
}

export interface HostOptions {
  modelsDir: string;
  threads?: number;
  mattingThreads?: number;
  statsIntervalMs?: number;
  /** Every composited frame, before it goes to the page (which may take its buffer), with its latency in ms. */
  onOutput?(image: RgbaImage, latencyMs: number): void;
}

/**
 * One intra-op thread each: segmentation and compositing share the frame loop's core while matting
 * runs beside them on the other, which is what a two-core laptop has. More cores, more matting threads.
 */
const SEGMENT_THREADS = 1;
const MATTING_THREADS = Math.max(1, Math.min(4, availableParallelism() - 1));

/** Serves the contract on one port until it closes or the peer sends 'stop'. */
export function serveEngine(port: EnginePort, options: HostOptions): void {
  let session: Session | null = null;
  let starting: Promise<Session> | null = null;
  let statsTimer: ReturnType<typeof setInterval> | null = null;

  const fail = (error: unknown) => port.post({ type: 'error', error: EngineFailure.from(error).toContract() });

  const start = (config = DEFAULT_ENGINE_CONFIG): Promise<Session> => {
    starting ??= Session.create({
      modelsDir: options.modelsDir,
      config,
      loadImage: decodeImage,
      loadVideo: (path) => openLoopingVideo(path),
      live: true,
      threads: options.threads ?? SEGMENT_THREADS,
      mattingThreads: options.mattingThreads ?? MATTING_THREADS,
    }).then(
      (s) => {
        session = s;
        if (s.mattingIssue) fail(new EngineFailure('matting-unavailable', `segmentation only: ${s.mattingIssue}`));
        statsTimer = setInterval(() => port.post({ type: 'stats', stats: s.liveStats() }), options.statsIntervalMs ?? 1000);
        port.post({ type: 'ready', provider: s.liveStats().provider });
        return s;
      },
    );
    starting.catch(() => {
      starting = null;
    });
    return starting;
  };

  const stop = async () => {
    if (statsTimer) clearInterval(statsTimer);
    statsTimer = null;
    const s = session;
    session = null;
    starting = null;
    await s?.close();
  };

  const handle = async (msg: ToEngine) => {
    switch (msg.type) {
      case 'start':
        await start(msg.config);
        return;
      case 'stop':
        await stop();
        port.post({ type: 'stopped' });
        return;
      case 'set-background': {
        const s = await start();
        await s.setBackground(msg.background);
        port.post({ type: 'background-changed', background: s.backgroundSetting });
        return;
      }
      case 'set-matting': {
        const failure = await (await start()).setMatting(msg.matting);
        if (failure) fail(failure);
        return;
      }
      case 'set-quality': {
        const failure = await (await start()).setQuality(msg.quality);
        if (failure) fail(failure);
        return;
      }
      case 'frame': {
        // Frames that arrive before the session exists are dropped: the camera does not wait for models.
        if (!session) {
          void start().catch(fail);
          return;
        }
        const image = { width: msg.width, height: msg.height, data: new Uint8Array(msg.pixels) };
        session.push(
          { id: msg.id, timestamp: msg.timestamp, image },
          {
            output: (out) => {
              // Capture timestamps are epoch ms (timeOrigin-based) on the page's clock, comparable with ours.
              options.onOutput?.(out.image, performance.timeOrigin + performance.now() - out.timestamp);
              port.post({
                type: 'output',
                id: out.id,
                width: out.image.width,
                height: out.image.height,
                timestamp: out.timestamp,
                pixels: out.image.data.buffer as ArrayBuffer,
              });
            },
            error: fail,
          },
        );
        return;
      }
    }
  };

  port.onMessage((data) => {
    let msg: ToEngine;
    try {
      msg = parseToEngine(data);
    } catch (error) {
      const message = error instanceof ContractError ? error.message : String(error);
      port.post({ type: 'error', error: { code: 'bad-message', message } });
      return;
    }
    handle(msg).catch(fail);
  });
  port.onClose(() => void stop());
}

/** Adapts a node:worker_threads MessagePort (also what the WebSocket bridge hands over). */
export function nodePort(port: import('node:worker_threads').MessagePort): EnginePort {
  return {
    post: (msg) => port.postMessage(msg, transferablesOf(msg)),
    onMessage: (handler) => port.on('message', handler),
    onClose: (handler) => port.on('close', handler),
  };
}

interface ElectronPortMain {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  on(event: 'close', listener: () => void): void;
  start(): void;
}

interface ElectronParentPort {
  on(event: 'message', listener: (e: { data: unknown; ports: ElectronPortMain[] }) => void): void;
  postMessage(message: unknown): void;
}

/** Electron's MessagePortMain copies buffers across the process boundary; it takes no transfer list. */
function electronPort(port: ElectronPortMain): EnginePort {
  return {
    post: (msg) => port.postMessage(msg),
    onMessage: (handler) => port.on('message', (e) => handler(e.data)),
    onClose: (handler) => port.on('close', handler),
  };
}

function defaultModelsDir(): string {
  return process.env.BACKDROP_MODELS_DIR ?? resolve(process.cwd(), 'models');
}

const electronParent = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
if (electronParent) {
  // One set of outputs for the process, fed by every page's session; only main (the parent port) controls them.
  const outputs = new EngineOutputs({
    fps: CAPTURE_FPS,
    ffmpegPath: () => locateFfmpeg().path,
    onStatus: (status) => electronParent.postMessage({ type: 'outputs-status', status }),
  });
  const onOutput = (image: RgbaImage, latencyMs: number) => outputs.offer(image, latencyMs);
  electronParent.on('message', (e) => {
    const type = (e.data as { type?: string } | null)?.type;
    if (type === 'outputs') {
      try {
        void outputs.apply(parseOutputsRequest(e.data)).catch((error: Error) => console.error(`outputs: ${error.message}`));
      } catch (error) {
        console.error(`ignored an invalid outputs request: ${(error as Error).message}`);
      }
      return;
    }
    if (type !== 'connect' || !e.ports[0]) return;
    const port = e.ports[0];
    serveEngine(electronPort(port), { modelsDir: defaultModelsDir(), onOutput });
    port.start();
  });
} else if (workerParent && (workerData as { backdropEngine?: boolean } | null)?.backdropEngine) {
  const options = workerData as { modelsDir?: string; threads?: number };
  workerParent.on('message', (msg: { type?: string; port?: import('node:worker_threads').MessagePort }) => {
    if (msg?.type !== 'connect' || !msg.port) return;
    serveEngine(nodePort(msg.port), { modelsDir: options.modelsDir ?? defaultModelsDir(), threads: options.threads });
  });
}
