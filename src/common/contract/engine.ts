/**
 * Page (or CLI, or bench) <-> engine: frames in, composites, stats and errors out, over a MessagePort in
 * Electron or a loopback WebSocket in the browser test page. Frames are never JSON: over a MessagePort their
 * pixels travel as a transferred ArrayBuffer, over a WebSocket as one binary message (see ../wire.ts).
 */
import { ContractError, finite, int, isRecord, oneOf, path, shown } from './parse';

export const RESOLUTIONS = [
  { width: 640, height: 360 },
  { width: 1280, height: 720 },
] as const;
export const CAPTURE_FPS = 30;

/** Largest frame the engine accepts; guards allocations against a hostile or broken peer. */
export const MAX_FRAME_WIDTH = 3840;
export const MAX_FRAME_HEIGHT = 2160;

export type Rgb = readonly [number, number, number];

export type Background =
  | { kind: 'none' }
  /** strength in [0, 1]: 0 is a light blur, 1 the strongest. */
  | { kind: 'blur'; strength: number }
  | { kind: 'colour'; rgb: Rgb }
  | { kind: 'image'; path: string }
  | { kind: 'video'; path: string }
  | { kind: 'transparent' };

export type MattingMode = 'off' | 'light' | 'full';
export const MATTING_MODES: readonly MattingMode[] = ['off', 'light', 'full'];

export type Quality = 'performance' | 'balanced' | 'quality' | 'auto' | 'max';
export const QUALITIES: readonly Quality[] = ['performance', 'balanced', 'quality', 'auto', 'max'];

/**
 * Who stays in the picture: everyone the segmenter sees; only the main person (the largest face, held
 * over time; the largest person when no face is found); or the people picked by clicking them (everyone
 * until someone is picked). Everyone else becomes background.
 */
export type PeopleMode = 'all' | 'main' | 'pick';
export const PEOPLE_MODES: readonly PeopleMode[] = ['all', 'main', 'pick'];

/**
 * Which face detector tells people apart: MediaPipe's short-range model (faces within about 2 m of the
 * camera, the default) or its full-range one (people further away, e.g. across a room; slower).
 */
export type FaceModel = 'short' | 'full';
export const FACE_MODEL_NAMES: readonly FaceModel[] = ['short', 'full'];

export type StageName = 'segment' | 'people' | 'smooth' | 'plan' | 'matte' | 'upsample' | 'composite';
export const STAGE_NAMES: readonly StageName[] = ['segment', 'people', 'smooth', 'plan', 'matte', 'upsample', 'composite'];

export interface EngineConfig {
  background: Background;
  matting: MattingMode;
  quality: Quality;
  /** Absent means 'all', what every config meant before the choice existed. */
  people?: PeopleMode;
  /** Absent means 'short'. */
  faceModel?: FaceModel;
  /** Reuse the last segmentation and matte for frames that barely changed (DEFAULT_CHANGE); absent means on. */
  skipUnchanged?: boolean;
}

export const DEFAULT_ENGINE_CONFIG: EngineConfig = {
  background: { kind: 'blur', strength: 0.5 },
  matting: 'light',
  quality: 'auto',
};

/** One camera frame, RGBA 8-bit, row-major, no padding. */
export interface FrameMessage {
  type: 'frame';
  id: number;
  width: number;
  height: number;
  /** Capture time in ms on the sender's clock (performance.timeOrigin + performance.now()). */
  timestamp: number;
  pixels: ArrayBuffer;
}

/** One composited frame; `timestamp` is the capture time of the frame it came from. */
export interface OutputMessage {
  type: 'output';
  id: number;
  width: number;
  height: number;
  timestamp: number;
  pixels: ArrayBuffer;
}

export type ErrorCode =
  | 'bad-message'
  | 'bad-frame'
  | 'background-unreadable'
  | 'model-load-failed'
  | 'provider-fallback'
  | 'matting-unavailable'
  | 'internal';

export interface EngineError {
  code: ErrorCode;
  message: string;
}

/**
 * Where the start went, in ms from the session's start (the 'start' message's arrival); null until it
 * happened. The first frames are composited with segmentation only while matting warms up.
 */
export interface StartupFigures {
  /** The segmentation model loaded and run once. */
  segmenterMs: number | null;
  /** Matting ready: its model loaded on its thread and run once, and Auto's sizes measured or read. */
  mattingMs: number | null;
  /** Of which Auto: its measurement, or reading the figures cached for this machine and model; null when not Auto. */
  autoMs: number | null;
  /** Auto's figures came from the cache. */
  autoCached: boolean;
  /** The first composited frame left the engine. */
  firstFrameMs: number | null;
  /** Matting was asked for and still loads: frames go out with segmentation only meanwhile. */
  warming: boolean;
}

export interface EngineStats {
  fpsIn: number;
  fpsOut: number;
  /** Frames the engine received but never composited (a newer one replaced them). */
  dropped: number;
  /**
   * Share (0-100) of the window's composites whose picture had barely changed since the last frame
   * processed: segmentation and matting were skipped and their last result reused. Absent from older engines.
   */
  skippedPercent?: number;
  /** Median ms per stage over the last stats window; stages that did not run are absent. */
  stagesMs: Partial<Record<StageName, number>>;
  /** Execution provider that actually ran the last inference, e.g. 'cpu', 'cuda'. */
  provider: string;
  matting: MattingMode;
  mattingHz: number;
  quality: Quality;
  latencyMs: { p50: number; p95: number };
  /** Intra-op threads of each model's session, set on purpose (see Session); matte is 0 while matting is off. */
  threads: { segment: number; matte: number };
  /** Something the user should know about the running pipeline, e.g. why matting is off. */
  notice?: string;
  /**
   * CPU time the engine's process used since the previous stats, as a percentage of all the machine's
   * cores (100 = every core busy). Absent where the engine cannot measure it.
   */
  cpuPercent?: number;
  startup?: StartupFigures;
}

export type ToEngine =
  | { type: 'start'; config: EngineConfig }
  | { type: 'set-background'; background: Background }
  | { type: 'set-matting'; matting: MattingMode }
  | { type: 'set-quality'; quality: Quality }
  | { type: 'set-people'; people: PeopleMode }
  | { type: 'set-face-model'; faceModel: FaceModel }
  /** 'pick' mode: a click on the preview at (x, y), normalised to the frame, picks or drops the person there. */
  | { type: 'pick-person'; x: number; y: number }
  | { type: 'stop' }
  | FrameMessage;

export type FromEngine =
  /**
   * `providerNote`: what runs and why the providers before it did not, in one line ('cpu (CUDA: libraries
   * not installed)'); absent from older engines.
   */
  | { type: 'ready'; provider: string; providerNote?: string }
  | { type: 'background-changed'; background: Background }
  | { type: 'stats'; stats: EngineStats }
  | { type: 'error'; error: EngineError }
  | { type: 'stopped' }
  | OutputMessage;

/** Transferables of a message: the frame pixels, so they move instead of being copied. */
export function transferablesOf(msg: ToEngine | FromEngine): ArrayBuffer[] {
  return msg.type === 'frame' || msg.type === 'output' ? [msg.pixels] : [];
}

/** '#rrggbb' -> [r, g, b]; throws on anything else. */
export function parseHexColour(hex: unknown): Rgb {
  const m = typeof hex === 'string' ? /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex) : null;
  if (!m) throw new ContractError(`colour must look like #rrggbb, got ${shown(hex)}`);
  return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)];
}

export function parseBackground(x: unknown): Background {
  if (!isRecord(x)) throw new ContractError('background must be an object');
  switch (x.kind) {
    case 'none':
    case 'transparent':
      return { kind: x.kind };
    case 'blur': {
      const strength = finite(x.strength, 'blur strength');
      if (strength < 0 || strength > 1) throw new ContractError('blur strength must be in [0, 1]');
      return { kind: 'blur', strength };
    }
    case 'colour': {
      if (!Array.isArray(x.rgb) || x.rgb.length !== 3) throw new ContractError('colour rgb must be [r, g, b]');
      // Array.from, not .map: a cloned array may carry an own 'constructor' that .map would call.
      const [r, g, b] = Array.from(x.rgb as unknown[], (v, i) => int(v, `colour rgb[${i}]`, 0, 255));
      return { kind: 'colour', rgb: [r, g, b] };
    }
    case 'image':
    case 'video':
      return { kind: x.kind, path: path(x.path, `${x.kind} background path`) };
    default:
      throw new ContractError(`unknown background kind ${shown(x.kind)}`);
  }
}

function flag(x: unknown, what: string): boolean {
  if (typeof x !== 'boolean') throw new ContractError(`${what} must be true or false`);
  return x;
}

export function parseEngineConfig(x: unknown): EngineConfig {
  if (!isRecord(x)) throw new ContractError('config must be an object');
  return {
    background: parseBackground(x.background),
    matting: oneOf(x.matting, MATTING_MODES, 'matting'),
    quality: oneOf(x.quality, QUALITIES, 'quality'),
    ...(x.people === undefined ? {} : { people: oneOf(x.people, PEOPLE_MODES, 'people') }),
    ...(x.faceModel === undefined ? {} : { faceModel: oneOf(x.faceModel, FACE_MODEL_NAMES, 'face model') }),
    ...(x.skipUnchanged === undefined ? {} : { skipUnchanged: flag(x.skipUnchanged, 'skipUnchanged') }),
  };
}

function frameFields(x: Record<string, unknown>): Omit<FrameMessage, 'type'> {
  const width = int(x.width, 'frame width', 2, MAX_FRAME_WIDTH);
  const height = int(x.height, 'frame height', 2, MAX_FRAME_HEIGHT);
  if (!(x.pixels instanceof ArrayBuffer)) throw new ContractError('frame pixels must be an ArrayBuffer');
  if (x.pixels.byteLength !== width * height * 4) {
    throw new ContractError(`frame pixels hold ${x.pixels.byteLength} bytes, ${width}x${height} RGBA needs ${width * height * 4}`);
  }
  return {
    id: int(x.id, 'frame id', 0, Number.MAX_SAFE_INTEGER),
    width,
    height,
    timestamp: finite(x.timestamp, 'frame timestamp'),
    pixels: x.pixels,
  };
}

/** A coordinate normalised to the frame. */
function unit(x: unknown, what: string): number {
  const n = finite(x, what);
  if (n < 0 || n > 1) throw new ContractError(`${what} must be in [0, 1], got ${n}`);
  return n;
}

export function parseToEngine(x: unknown): ToEngine {
  if (!isRecord(x)) throw new ContractError('message must be an object');
  switch (x.type) {
    case 'start':
      return { type: 'start', config: parseEngineConfig(x.config) };
    case 'set-background':
      return { type: 'set-background', background: parseBackground(x.background) };
    case 'set-matting':
      return { type: 'set-matting', matting: oneOf(x.matting, MATTING_MODES, 'matting') };
    case 'set-quality':
      return { type: 'set-quality', quality: oneOf(x.quality, QUALITIES, 'quality') };
    case 'set-people':
      return { type: 'set-people', people: oneOf(x.people, PEOPLE_MODES, 'people') };
    case 'set-face-model':
      return { type: 'set-face-model', faceModel: oneOf(x.faceModel, FACE_MODEL_NAMES, 'face model') };
    case 'pick-person':
      return { type: 'pick-person', x: unit(x.x, 'pick x'), y: unit(x.y, 'pick y') };
    case 'stop':
      return { type: 'stop' };
    case 'frame':
      return { type: 'frame', ...frameFields(x) };
    default:
      throw new ContractError(`unknown message type ${shown(x.type)}`);
  }
}

const ERROR_CODES: readonly ErrorCode[] = [
  'bad-message',
  'bad-frame',
  'background-unreadable',
  'model-load-failed',
  'provider-fallback',
  'matting-unavailable',
  'internal',
];

export function parseEngineError(x: unknown): EngineError {
  if (!isRecord(x) || typeof x.message !== 'string') throw new ContractError('error must carry a message');
  return { code: oneOf(x.code, ERROR_CODES, 'error code'), message: x.message };
}

function parseStats(x: unknown): EngineStats {
  if (!isRecord(x)) throw new ContractError('stats must be an object');
  const stagesMs: Partial<Record<StageName, number>> = {};
  if (!isRecord(x.stagesMs)) throw new ContractError('stats.stagesMs must be an object');
  for (const [k, v] of Object.entries(x.stagesMs)) stagesMs[oneOf(k, STAGE_NAMES, 'stage')] = finite(v, `stage ${k}`);
  if (!isRecord(x.latencyMs)) throw new ContractError('stats.latencyMs must be an object');
  if (typeof x.provider !== 'string') throw new ContractError('stats.provider must be a string');
  if (!isRecord(x.threads)) throw new ContractError('stats.threads must be an object');
  return {
    fpsIn: finite(x.fpsIn, 'fpsIn'),
    fpsOut: finite(x.fpsOut, 'fpsOut'),
    dropped: int(x.dropped, 'dropped', 0, Number.MAX_SAFE_INTEGER),
    ...(x.skippedPercent !== undefined ? { skippedPercent: Math.min(100, Math.max(0, finite(x.skippedPercent, 'skippedPercent'))) } : {}),
    stagesMs,
    provider: x.provider,
    matting: oneOf(x.matting, MATTING_MODES, 'matting'),
    mattingHz: finite(x.mattingHz, 'mattingHz'),
    quality: oneOf(x.quality, QUALITIES, 'quality'),
    latencyMs: { p50: finite(x.latencyMs.p50, 'latency p50'), p95: finite(x.latencyMs.p95, 'latency p95') },
    threads: { segment: int(x.threads.segment, 'segment threads', 0, 1024), matte: int(x.threads.matte, 'matte threads', 0, 1024) },
    ...(typeof x.notice === 'string' ? { notice: x.notice } : {}),
    ...(x.cpuPercent !== undefined ? { cpuPercent: Math.min(100, Math.max(0, finite(x.cpuPercent, 'cpuPercent'))) } : {}),
    ...(x.startup !== undefined ? { startup: parseStartup(x.startup) } : {}),
  };
}

function parseStartup(x: unknown): StartupFigures {
  if (!isRecord(x)) throw new ContractError('stats.startup must be an object');
  const ms = (v: unknown, what: string) => (v === null ? null : Math.max(0, finite(v, `startup ${what}`)));
  if (typeof x.autoCached !== 'boolean' || typeof x.warming !== 'boolean') throw new ContractError('stats.startup.autoCached and warming must be booleans');
  return {
    segmenterMs: ms(x.segmenterMs, 'segmenterMs'),
    mattingMs: ms(x.mattingMs, 'mattingMs'),
    autoMs: ms(x.autoMs, 'autoMs'),
    autoCached: x.autoCached,
    firstFrameMs: ms(x.firstFrameMs, 'firstFrameMs'),
    warming: x.warming,
  };
}

export function parseFromEngine(x: unknown): FromEngine {
  if (!isRecord(x)) throw new ContractError('message must be an object');
  switch (x.type) {
    case 'ready':
      if (typeof x.provider !== 'string') throw new ContractError('ready.provider must be a string');
      if (x.providerNote !== undefined && typeof x.providerNote !== 'string') throw new ContractError('ready.providerNote must be a string');
      return { type: 'ready', provider: x.provider, ...(x.providerNote === undefined ? {} : { providerNote: x.providerNote }) };
    case 'background-changed':
      return { type: 'background-changed', background: parseBackground(x.background) };
    case 'stats':
      return { type: 'stats', stats: parseStats(x.stats) };
    case 'error': {
      return { type: 'error', error: parseEngineError(x.error) };
    }
    case 'stopped':
      return { type: 'stopped' };
    case 'output':
      return { type: 'output', ...frameFields(x) };
    default:
      throw new ContractError(`unknown message type ${shown(x.type)}`);
  }
}
