/**
 * Serves the engine contract on a port: each port speaks to one Session. A library: the hosts (the Electron
 * engine process, the worker thread, src/hosts/) decide where ports come from and hand in what the engine
 * must not reach for itself (how files are decoded, where composited frames go besides the page).
 */
import type { MessagePort } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { ContractError, DEFAULT_ENGINE_CONFIG, parseToEngine, transferablesOf, type FromEngine, type ToEngine } from '../common/contract';
import type { RgbaImage, VideoSource } from '../frame';
import { EngineFailure } from '../common/failure';
import type { FrameDemand } from './demand';
import { Session } from './session';

/** The two things the engine needs of a port, whichever kind it is. */
export interface EnginePort {
  post(msg: FromEngine): void;
  onMessage(handler: (data: unknown) => void): void;
  onClose(handler: () => void): void;
}

export interface HostOptions {
  modelsDir: string;
  /** Decodes a background image. */
  loadImage(path: string): Promise<RgbaImage>;
  /** Opens a background video that plays in a loop. */
  loadVideo(path: string): Promise<VideoSource>;
  threads?: number;
  mattingThreads?: number;
  statsIntervalMs?: number;
  /** Where the engine keeps what it measured of this machine (Auto's sizes); the hosts pass the user's cache folder. */
  cacheDir?: string;
  /** Every composited frame, before it goes to the page (which may take its buffer), with its latency in ms. */
  onOutput?(image: RgbaImage, latencyMs: number): void;
  /**
   * Whether any composite would be seen; frames that arrive while none would are dropped unprocessed
   * and unanswered. When demand comes back the engine says 'ready' again: a page holds its next frame
   * until its last one is answered, and 'ready' lets it send at once instead of after its timeout.
   */
  demand?: FrameDemand;
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
  const stopHearingDemand = options.demand?.onChange((wanted) => {
    if (wanted && session) port.post({ type: 'ready', provider: session.liveStats().provider, providerNote: session.providerNote });
  });

  const start = (config = DEFAULT_ENGINE_CONFIG): Promise<Session> => {
    if (starting) return starting;
    const created: Promise<Session> = Session.create({
      modelsDir: options.modelsDir,
      config,
      loadImage: options.loadImage,
      loadVideo: options.loadVideo,
      live: true,
      threads: options.threads ?? SEGMENT_THREADS,
      mattingThreads: options.mattingThreads ?? MATTING_THREADS,
      cacheDir: options.cacheDir,
    }).then(
      (s) => {
        // Stopped while it loaded: the stop closes it, and it serves nothing.
        if (starting !== created) return s;
        session = s;
        // Matting loads after 'ready'; a model that will not run leaves segmentation only, and says so once.
        void s.mattingLoaded.then((failure) => {
          if (failure && session === s) fail(new EngineFailure('matting-unavailable', `segmentation only: ${failure.message}`));
        });
        statsTimer = setInterval(() => port.post({ type: 'stats', stats: s.liveStats() }), options.statsIntervalMs ?? 1000);
        port.post({ type: 'ready', provider: s.liveStats().provider, providerNote: s.providerNote });
        return s;
      },
    );
    starting = created;
    created.catch(() => {
      if (starting === created) starting = null;
    });
    return created;
  };

  const stop = async () => {
    if (statsTimer) clearInterval(statsTimer);
    statsTimer = null;
    const loading = starting;
    session = null;
    starting = null;
    // A session still loading is waited for and closed: the host may end the thread once 'stopped' is
    // said, and onnxruntime aborts the process when its thread ends under a model being made.
    const s = await loading?.catch(() => null);
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
      case 'set-people':
        (await start()).setPeople(msg.people);
        return;
      case 'set-face-model':
        (await start()).setFaceModel(msg.faceModel);
        return;
      case 'pick-person':
        (await start()).pickPerson(msg.x, msg.y);
        return;
      case 'frame': {
        if (options.demand && !options.demand.now) return;
        // Frames that arrive before the session exists are dropped: the camera does not wait for models.
        if (!session) {
          void start().catch(fail);
          return;
        }
        const image = { width: msg.width, height: msg.height, data: new Uint8Array(msg.pixels) };
        session.push(
          { id: msg.id, timestamp: msg.timestamp, image, owned: true },
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
  port.onClose(() => {
    stopHearingDemand?.();
    void stop();
  });
}

/** Adapts a node:worker_threads MessagePort (also what the WebSocket bridge hands over). */
export function nodePort(port: MessagePort): EnginePort {
  return {
    post: (msg) => port.postMessage(msg, transferablesOf(msg)),
    onMessage: (handler) => port.on('message', handler),
    onClose: (handler) => port.on('close', handler),
  };
}

/** What the engine needs of Electron's MessagePortMain (structurally: the engine does not import Electron). */
export interface ElectronPortMain {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  on(event: 'close', listener: () => void): void;
  start(): void;
}

/** Electron's MessagePortMain copies buffers across the process boundary; it takes no transfer list. */
export function electronPort(port: ElectronPortMain): EnginePort {
  return {
    post: (msg) => port.postMessage(msg),
    onMessage: (handler) => port.on('message', (e) => handler(e.data)),
    onClose: (handler) => port.on('close', handler),
  };
}
