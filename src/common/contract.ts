/**
 * The one contract for every process boundary: renderer <-> engine (MessagePort in Electron, a loopback
 * WebSocket in the browser test page), renderer <-> main (ipc), CLI <-> engine. Both sides import this file;
 * every message is validated on receipt with the parsers below, never trusted.
 *
 * Frames are never JSON: over a MessagePort their pixels travel as a transferred ArrayBuffer, over a
 * WebSocket as one binary message (see wire.ts).
 */
import { AcceleratorError, findConflicts, formatAccelerator, parseAccelerator } from './accelerator';

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

export type StageName = 'segment' | 'trimap' | 'matte' | 'upsample' | 'composite';
export const STAGE_NAMES: readonly StageName[] = ['segment', 'trimap', 'matte', 'upsample', 'composite'];

export interface EngineConfig {
  background: Background;
  matting: MattingMode;
  quality: Quality;
}

export const DEFAULT_ENGINE_CONFIG: EngineConfig = {
  background: { kind: 'blur', strength: 0.5 },
  matting: 'off',
  quality: 'balanced',
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

export interface EngineStats {
  fpsIn: number;
  fpsOut: number;
  /** Frames the engine received but never composited (a newer one replaced them). */
  dropped: number;
  /** Median ms per stage over the last stats window; stages that did not run are absent. */
  stagesMs: Partial<Record<StageName, number>>;
  /** Execution provider that actually ran the last inference, e.g. 'cpu', 'cuda'. */
  provider: string;
  matting: MattingMode;
  mattingHz: number;
  quality: Quality;
  latencyMs: { p50: number; p95: number };
  /** Something the user should know about the running pipeline, e.g. why matting is off. */
  notice?: string;
}

export type ToEngine =
  | { type: 'start'; config: EngineConfig }
  | { type: 'set-background'; background: Background }
  | { type: 'set-matting'; matting: MattingMode }
  | { type: 'set-quality'; quality: Quality }
  | { type: 'stop' }
  | FrameMessage;

export type FromEngine =
  | { type: 'ready'; provider: string }
  | { type: 'background-changed'; background: Background }
  | { type: 'stats'; stats: EngineStats }
  | { type: 'error'; error: EngineError }
  | { type: 'stopped' }
  | OutputMessage;

/** Transferables of a message: the frame pixels, so they move instead of being copied. */
export function transferablesOf(msg: ToEngine | FromEngine): ArrayBuffer[] {
  return msg.type === 'frame' || msg.type === 'output' ? [msg.pixels] : [];
}

// ---------------------------------------------------------------------------------------------------------
// Renderer <-> main (Electron ipc). Each channel has one request and one response shape.

/** What a global hotkey can do. */
export type HotkeyAction = 'nextPreset' | 'previousPreset' | 'backgroundOff' | 'toggleRecording';
export const HOTKEY_ACTIONS: readonly HotkeyAction[] = ['nextPreset', 'previousPreset', 'backgroundOff', 'toggleRecording'];
export const HOTKEY_LABELS: Record<HotkeyAction, string> = {
  nextPreset: 'Next background',
  previousPreset: 'Previous background',
  backgroundOff: 'Background off / back on',
  toggleRecording: 'Start / stop recording',
};
/** An Electron accelerator per action, in the form formatAccelerator writes; null leaves the action unbound. */
export type HotkeyBindings = Record<HotkeyAction, string | null>;

export const DEFAULT_HOTKEYS: HotkeyBindings = {
  nextPreset: 'CommandOrControl+Alt+N',
  previousPreset: 'CommandOrControl+Alt+P',
  backgroundOff: 'CommandOrControl+Alt+B',
  toggleRecording: 'CommandOrControl+Alt+R',
};

export interface AppSettings {
  cameraId: string | null;
  resolution: { width: number; height: number };
  background: Background;
  matting: MattingMode;
  quality: Quality;
  mirrorPreview: boolean;
  hotkeys: HotkeyBindings;
}

export const DEFAULT_SETTINGS: AppSettings = {
  cameraId: null,
  resolution: { width: 1280, height: 720 },
  background: DEFAULT_ENGINE_CONFIG.background,
  matting: DEFAULT_ENGINE_CONFIG.matting,
  quality: DEFAULT_ENGINE_CONFIG.quality,
  mirrorPreview: true,
  hotkeys: DEFAULT_HOTKEYS,
};

export interface BackgroundEntry {
  id: string;
  label: string;
  background: Background;
  /** Shipped with Backdrop, or added by the user (who may remove it again). */
  source?: 'bundled' | 'user';
  /** A small PNG as a data: URL (the page's CSP allows data: images, not file: ones). */
  thumbnail?: string;
}

/** Why a file the user dropped was not added; nothing is copied in any of these cases. */
export type AddBackgroundRefusal = 'not-media' | 'unsupported-format' | 'undecodable' | 'unreadable' | 'copy-failed' | 'unavailable';
export const ADD_BACKGROUND_REFUSALS: readonly AddBackgroundRefusal[] = [
  'not-media',
  'unsupported-format',
  'undecodable',
  'unreadable',
  'copy-failed',
  'unavailable',
];

export type AddBackgroundResult =
  /** `warning`: added, but something is missing (no thumbnail without ffmpeg). */
  | { ok: true; entry: BackgroundEntry; warning: string | null }
  | { ok: false; code: AddBackgroundRefusal; message: string };

/**
 * Whether main could claim a hotkey: 'taken' when another app holds the same chord, 'failed' when the
 * system refused it for another reason (message says which).
 */
export interface HotkeyStatus {
  action: HotkeyAction;
  accelerator: string | null;
  state: 'registered' | 'unbound' | 'taken' | 'failed';
  message: string | null;
}
const HOTKEY_STATES: readonly HotkeyStatus['state'][] = ['registered', 'unbound', 'taken', 'failed'];

export interface IpcContract {
  'settings:get': { request: null; response: AppSettings };
  'settings:update': { request: Partial<AppSettings>; response: AppSettings };
  'backgrounds:list': { request: null; response: BackgroundEntry[] };
  /**
   * Copies a file the user dropped or picked into Backdrop's data folder. Only the preload sends it
   * (addBackgroundFile), with the path Electron gives for a real File, so the page cannot name paths.
   */
  'backgrounds:add': { request: { path: string }; response: AddBackgroundResult };
  /** Deletes a user-added background (id from backgrounds:list); bundled ones cannot be removed. */
  'backgrounds:remove': { request: { id: string }; response: null };
  'hotkeys:status': { request: null; response: HotkeyStatus[] };
  /** Asks main to hand the renderer a fresh MessagePort to the engine (arrives as ENGINE_PORT_EVENT). */
  'engine:connect': { request: null; response: null };
}
export type IpcChannel = keyof IpcContract;
export const IPC_CHANNELS: readonly IpcChannel[] = [
  'settings:get',
  'settings:update',
  'backgrounds:list',
  'backgrounds:add',
  'backgrounds:remove',
  'hotkeys:status',
  'engine:connect',
];
/** Channels the page may name through BackdropApi.invoke; the others only the preload itself sends. */
export const PAGE_IPC_CHANNELS: readonly IpcChannel[] = IPC_CHANNELS.filter((c) => c !== 'backgrounds:add');

/** Main -> renderer push events. */
export const ENGINE_PORT_EVENT = 'engine:port';
export const SETTINGS_CHANGED_EVENT = 'settings:changed';
/**
 * Main -> renderer: switch to this background (a tray preset, a hotkey). The page forwards it to the
 * engine on the port its frames use, so the engine takes it before the next frame it is sent.
 */
export const APPLY_BACKGROUND_EVENT = 'background:apply';
/**
 * Preload -> page: MessagePorts cannot cross contextBridge, so the preload re-posts the engine port to the
 * page with window.postMessage({ type: ENGINE_PORT_WINDOW_MESSAGE }, '*', [port]).
 */
export const ENGINE_PORT_WINDOW_MESSAGE = 'backdrop:engine-port';

/** What the preload exposes as `window.backdrop`. Nothing else of Node or Electron reaches the page. */
export interface BackdropApi {
  invoke<C extends IpcChannel>(channel: C, request: IpcContract[C]['request']): Promise<IpcContract[C]['response']>;
  onSettingsChanged(listener: (settings: AppSettings) => void): () => void;
  onApplyBackground(listener: (background: Background) => void): () => void;
  /** Adds a dropped or picked file as a background; a File not from the user's disk is refused. */
  addBackgroundFile(file: File): Promise<AddBackgroundResult>;
}

// ---------------------------------------------------------------------------------------------------------
// Validation. Everything that arrives from another process goes through these.

export class ContractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContractError';
  }
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function finite(x: unknown, what: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new ContractError(`${what} must be a finite number`);
  return x;
}

function int(x: unknown, what: string, min: number, max: number): number {
  const n = finite(x, what);
  if (!Number.isInteger(n) || n < min || n > max) throw new ContractError(`${what} must be an integer in [${min}, ${max}]`);
  return n;
}

function oneOf<T extends string>(x: unknown, allowed: readonly T[], what: string): T {
  if (typeof x !== 'string' || !allowed.includes(x as T)) {
    throw new ContractError(`${what} must be one of ${allowed.join(', ')}`);
  }
  return x as T;
}

function path(x: unknown, what: string): string {
  if (typeof x !== 'string' || x.length === 0 || x.length > 4096 || x.includes('\0')) {
    throw new ContractError(`${what} must be a non-empty path`);
  }
  return x;
}

/** '#rrggbb' -> [r, g, b]; throws on anything else. */
export function parseHexColour(hex: string): Rgb {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new ContractError(`colour must look like #rrggbb, got ${JSON.stringify(hex)}`);
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
      const [r, g, b] = x.rgb.map((v, i) => int(v, `colour rgb[${i}]`, 0, 255));
      return { kind: 'colour', rgb: [r, g, b] };
    }
    case 'image':
    case 'video':
      return { kind: x.kind, path: path(x.path, `${x.kind} background path`) };
    default:
      throw new ContractError(`unknown background kind ${JSON.stringify(x.kind)}`);
  }
}

export function parseEngineConfig(x: unknown): EngineConfig {
  if (!isRecord(x)) throw new ContractError('config must be an object');
  return {
    background: parseBackground(x.background),
    matting: oneOf(x.matting, MATTING_MODES, 'matting'),
    quality: oneOf(x.quality, QUALITIES, 'quality'),
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
    case 'stop':
      return { type: 'stop' };
    case 'frame':
      return { type: 'frame', ...frameFields(x) };
    default:
      throw new ContractError(`unknown message type ${JSON.stringify(x.type)}`);
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

function parseStats(x: unknown): EngineStats {
  if (!isRecord(x)) throw new ContractError('stats must be an object');
  const stagesMs: Partial<Record<StageName, number>> = {};
  if (!isRecord(x.stagesMs)) throw new ContractError('stats.stagesMs must be an object');
  for (const [k, v] of Object.entries(x.stagesMs)) stagesMs[oneOf(k, STAGE_NAMES, 'stage')] = finite(v, `stage ${k}`);
  if (!isRecord(x.latencyMs)) throw new ContractError('stats.latencyMs must be an object');
  if (typeof x.provider !== 'string') throw new ContractError('stats.provider must be a string');
  return {
    fpsIn: finite(x.fpsIn, 'fpsIn'),
    fpsOut: finite(x.fpsOut, 'fpsOut'),
    dropped: int(x.dropped, 'dropped', 0, Number.MAX_SAFE_INTEGER),
    stagesMs,
    provider: x.provider,
    matting: oneOf(x.matting, MATTING_MODES, 'matting'),
    mattingHz: finite(x.mattingHz, 'mattingHz'),
    quality: oneOf(x.quality, QUALITIES, 'quality'),
    latencyMs: { p50: finite(x.latencyMs.p50, 'latency p50'), p95: finite(x.latencyMs.p95, 'latency p95') },
    ...(typeof x.notice === 'string' ? { notice: x.notice } : {}),
  };
}

export function parseFromEngine(x: unknown): FromEngine {
  if (!isRecord(x)) throw new ContractError('message must be an object');
  switch (x.type) {
    case 'ready':
      if (typeof x.provider !== 'string') throw new ContractError('ready.provider must be a string');
      return { type: 'ready', provider: x.provider };
    case 'background-changed':
      return { type: 'background-changed', background: parseBackground(x.background) };
    case 'stats':
      return { type: 'stats', stats: parseStats(x.stats) };
    case 'error': {
      if (!isRecord(x.error) || typeof x.error.message !== 'string') throw new ContractError('error must carry a message');
      return { type: 'error', error: { code: oneOf(x.error.code, ERROR_CODES, 'error code'), message: x.error.message } };
    }
    case 'stopped':
      return { type: 'stopped' };
    case 'output':
      return { type: 'output', ...frameFields(x) };
    default:
      throw new ContractError(`unknown message type ${JSON.stringify(x.type)}`);
  }
}

export function parseSettingsPatch(x: unknown): Partial<AppSettings> {
  if (!isRecord(x)) throw new ContractError('settings patch must be an object');
  const out: Partial<AppSettings> = {};
  for (const [key, value] of Object.entries(x)) {
    switch (key) {
      case 'cameraId':
        if (value !== null && (typeof value !== 'string' || value.length > 512)) throw new ContractError('cameraId must be a string or null');
        out.cameraId = value as string | null;
        break;
      case 'resolution': {
        if (!isRecord(value)) throw new ContractError('resolution must be an object');
        const r = RESOLUTIONS.find((res) => res.width === value.width && res.height === value.height);
        if (!r) throw new ContractError(`resolution must be one of ${RESOLUTIONS.map((s) => `${s.width}x${s.height}`).join(', ')}`);
        out.resolution = { width: r.width, height: r.height };
        break;
      }
      case 'background':
        out.background = parseBackground(value);
        break;
      case 'matting':
        out.matting = oneOf(value, MATTING_MODES, 'matting');
        break;
      case 'quality':
        out.quality = oneOf(value, QUALITIES, 'quality');
        break;
      case 'mirrorPreview':
        if (typeof value !== 'boolean') throw new ContractError('mirrorPreview must be a boolean');
        out.mirrorPreview = value;
        break;
      case 'hotkeys':
        out.hotkeys = parseHotkeys(value);
        break;
      default:
        throw new ContractError(`unknown setting ${JSON.stringify(key)}`);
    }
  }
  return out;
}

/** Validates a whole settings object (a file on disk), filling nothing in: a missing key is an error. */
export function parseSettings(x: unknown): AppSettings {
  if (!isRecord(x)) throw new ContractError('settings must be an object');
  const patch = parseSettingsPatch(x);
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof AppSettings)[]) {
    if (!(key in patch)) throw new ContractError(`settings lack ${key}`);
  }
  return patch as AppSettings;
}

/**
 * Every action bound to a valid accelerator (normalised to formatAccelerator's spelling) or null, and no
 * two actions on the same chord on any platform.
 */
export function parseHotkeys(x: unknown): HotkeyBindings {
  if (!isRecord(x)) throw new ContractError('hotkeys must be an object');
  for (const key of Object.keys(x)) oneOf(key, HOTKEY_ACTIONS, 'hotkey action');
  const out = {} as HotkeyBindings;
  const bound: { name: HotkeyAction; accelerator: ReturnType<typeof parseAccelerator> }[] = [];
  for (const action of HOTKEY_ACTIONS) {
    const value = x[action];
    if (value === null) {
      out[action] = null;
      continue;
    }
    if (typeof value !== 'string') throw new ContractError(`hotkey ${action} must be an accelerator string or null`);
    try {
      const accelerator = parseAccelerator(value);
      bound.push({ name: action, accelerator });
      out[action] = formatAccelerator(accelerator);
    } catch (error) {
      if (error instanceof AcceleratorError) throw new ContractError(`${action}: ${error.message}`);
      throw error;
    }
  }
  const [conflict] = findConflicts(bound);
  if (conflict) {
    throw new ContractError(`hotkeys ${conflict.names.join(' and ')} press the same keys (${conflict.chord} on ${conflict.family === 'mac' ? 'macOS' : 'Windows and Linux'})`);
  }
  return out;
}

/** Thumbnails are small PNGs; anything else (a remote URL, a script) never reaches an <img>. */
const THUMBNAIL_PREFIX = 'data:image/png;base64,';
const MAX_THUMBNAIL_CHARS = 1_000_000;

export function parseBackgroundEntry(x: unknown): BackgroundEntry {
  if (!isRecord(x)) throw new ContractError('background entry must be an object');
  if (typeof x.id !== 'string' || x.id.length === 0 || typeof x.label !== 'string') {
    throw new ContractError('background entry needs a string id and label');
  }
  const entry: BackgroundEntry = { id: x.id, label: x.label, background: parseBackground(x.background) };
  if (x.source !== undefined) entry.source = oneOf(x.source, ['bundled', 'user'] as const, 'background source');
  if (x.thumbnail !== undefined) {
    if (typeof x.thumbnail !== 'string' || !x.thumbnail.startsWith(THUMBNAIL_PREFIX) || x.thumbnail.length > MAX_THUMBNAIL_CHARS) {
      throw new ContractError(`background thumbnail must be a ${THUMBNAIL_PREFIX} URL under ${MAX_THUMBNAIL_CHARS} characters`);
    }
    entry.thumbnail = x.thumbnail;
  }
  return entry;
}

export function parseBackgroundEntries(x: unknown): BackgroundEntry[] {
  if (!Array.isArray(x)) throw new ContractError('background list must be an array');
  return x.map((e: unknown, i) => {
    try {
      return parseBackgroundEntry(e);
    } catch (error) {
      throw error instanceof ContractError ? new ContractError(`background entry ${i}: ${error.message}`) : error;
    }
  });
}

export function parseAddBackgroundRequest(x: unknown): IpcContract['backgrounds:add']['request'] {
  if (!isRecord(x) || Object.keys(x).length !== 1) throw new ContractError('backgrounds:add takes { path }');
  return { path: path(x.path, 'dropped file path') };
}

export function parseRemoveBackgroundRequest(x: unknown): IpcContract['backgrounds:remove']['request'] {
  if (!isRecord(x) || Object.keys(x).length !== 1 || typeof x.id !== 'string' || x.id.length === 0 || x.id.length > 1024) {
    throw new ContractError('backgrounds:remove takes { id } with a background id');
  }
  return { id: x.id };
}

export function parseAddBackgroundResult(x: unknown): AddBackgroundResult {
  if (!isRecord(x) || typeof x.ok !== 'boolean') throw new ContractError('add-background result must be an object with ok');
  if (x.ok) {
    if (x.warning !== null && typeof x.warning !== 'string') throw new ContractError('add-background warning must be a string or null');
    return { ok: true, entry: parseBackgroundEntry(x.entry), warning: x.warning };
  }
  if (typeof x.message !== 'string') throw new ContractError('add-background refusal must carry a message');
  return { ok: false, code: oneOf(x.code, ADD_BACKGROUND_REFUSALS, 'add-background refusal'), message: x.message };
}

export function parseHotkeyStatuses(x: unknown): HotkeyStatus[] {
  if (!Array.isArray(x)) throw new ContractError('hotkey statuses must be an array');
  return x.map((s: unknown) => {
    if (!isRecord(s)) throw new ContractError('hotkey status must be an object');
    if (s.accelerator !== null && typeof s.accelerator !== 'string') throw new ContractError('hotkey status accelerator must be a string or null');
    if (s.message !== null && typeof s.message !== 'string') throw new ContractError('hotkey status message must be a string or null');
    return {
      action: oneOf(s.action, HOTKEY_ACTIONS, 'hotkey action'),
      accelerator: s.accelerator,
      state: oneOf(s.state, HOTKEY_STATES, 'hotkey state'),
      message: s.message,
    };
  });
}
