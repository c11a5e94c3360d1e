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

export type StageName = 'segment' | 'smooth' | 'plan' | 'matte' | 'upsample' | 'composite';
export const STAGE_NAMES: readonly StageName[] = ['segment', 'smooth', 'plan', 'matte', 'upsample', 'composite'];

export interface EngineConfig {
  background: Background;
  matting: MattingMode;
  quality: Quality;
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
  /** Intra-op threads of each model's session, set on purpose (see Session); matte is 0 while matting is off. */
  threads: { segment: number; matte: number };
  /** Something the user should know about the running pipeline, e.g. why matting is off. */
  notice?: string;
  /**
   * CPU time the engine's process used since the previous stats, as a percentage of all the machine's
   * cores (100 = every core busy). Absent where the engine cannot measure it.
   */
  cpuPercent?: number;
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
  /** Start with the window hidden (Backdrop keeps running in the tray; the tray icon shows it). */
  startInTray: boolean;
}

export const DEFAULT_SETTINGS: AppSettings = {
  cameraId: null,
  resolution: { width: 1280, height: 720 },
  background: DEFAULT_ENGINE_CONFIG.background,
  matting: DEFAULT_ENGINE_CONFIG.matting,
  quality: DEFAULT_ENGINE_CONFIG.quality,
  mirrorPreview: true,
  hotkeys: DEFAULT_HOTKEYS,
  startInTray: false,
};

/**
 * Settings added after files were already written: a file without one of these takes the default for it
 * instead of being treated as invalid (which would reset everything else the user chose).
 */
const LATER_SETTINGS: readonly (keyof AppSettings)[] = ['startInTray'];

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
  'outputs:get': { request: null; response: OutputsView };
  'outputs:microphones': { request: null; response: Microphone[] };
  'outputs:set-microphone': { request: MicrophoneSpec; response: OutputsView };
  'outputs:virtual-camera': { request: { on: boolean }; response: OutputsView };
  /** Runs the modprobe command through pkexec (a desktop password dialog). */
  'outputs:create-virtual-camera': { request: null; response: OutputsView };
  'outputs:recording': { request: { on: boolean }; response: OutputsView };
  /** Saves the stream URL, and the key (encrypted with safeStorage) unless key is null. */
  'outputs:stream-config': { request: { url: string; key: string | null }; response: OutputsView };
  'outputs:streaming': { request: { on: boolean }; response: OutputsView };
  'outputs:open-folder': { request: null; response: null };
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
  'outputs:get',
  'outputs:microphones',
  'outputs:set-microphone',
  'outputs:virtual-camera',
  'outputs:create-virtual-camera',
  'outputs:recording',
  'outputs:stream-config',
  'outputs:streaming',
  'outputs:open-folder',
];
/** Channels the page may name through BackdropApi.invoke; the others only the preload itself sends. */
export const PAGE_IPC_CHANNELS: readonly IpcChannel[] = IPC_CHANNELS.filter((c) => c !== 'backgrounds:add');

/** Main -> renderer push events. */
export const ENGINE_PORT_EVENT = 'engine:port';
export const SETTINGS_CHANGED_EVENT = 'settings:changed';
/** Main -> renderer: the outputs changed (engine status, a tray action). Carries an OutputsView. */
export const OUTPUTS_CHANGED_EVENT = 'outputs:changed';
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
  /** Optional: a stand-in for the preload in tests may leave outputs out. */
  onOutputsChanged?(listener: (view: OutputsView) => void): () => void;
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
    stagesMs,
    provider: x.provider,
    matting: oneOf(x.matting, MATTING_MODES, 'matting'),
    mattingHz: finite(x.mattingHz, 'mattingHz'),
    quality: oneOf(x.quality, QUALITIES, 'quality'),
    latencyMs: { p50: finite(x.latencyMs.p50, 'latency p50'), p95: finite(x.latencyMs.p95, 'latency p95') },
    threads: { segment: int(x.threads.segment, 'segment threads', 0, 1024), matte: int(x.threads.matte, 'matte threads', 0, 1024) },
    ...(typeof x.notice === 'string' ? { notice: x.notice } : {}),
    ...(x.cpuPercent !== undefined ? { cpuPercent: Math.min(100, Math.max(0, finite(x.cpuPercent, 'cpuPercent'))) } : {}),
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
      return { type: 'error', error: parseEngineError(x.error) };
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
      case 'startInTray':
        if (typeof value !== 'boolean') throw new ContractError('startInTray must be a boolean');
        out.startInTray = value;
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
    if (key in patch) continue;
    if (LATER_SETTINGS.includes(key)) Object.assign(patch, { [key]: DEFAULT_SETTINGS[key] });
    else throw new ContractError(`settings lack ${key}`);
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

// ---------------------------------------------------------------------------------------------------------
// Live outputs. The sinks run in the engine process, where the composited frames are; main decides what
// runs (it owns the tray, the hotkeys, the stream key and the recordings folder) and tells the engine on
// the utility process's own parent port, never on a page's port, so a page cannot start a recording.

/** A microphone as ffmpeg opens it: the sound system and its device name; 'none' records silence-free video. */
export type MicrophoneSpec = { kind: 'none' } | { kind: 'pulse' | 'alsa' | 'dshow' | 'avfoundation'; device: string };
const MICROPHONE_KINDS = ['pulse', 'alsa', 'dshow', 'avfoundation'] as const;

/** Main -> engine: the whole wanted set of outputs; anything absent is stopped. */
export interface OutputsRequest {
  type: 'outputs';
  /** A v4l2loopback node, or a .y4m file standing in for one (tests). */
  virtualCamera: { device: string } | null;
  recording: { path: string; microphone: MicrophoneSpec } | null;
  /** The full URL with the key in it (the engine derives what may be shown from it). */
  stream: { url: string; microphone: MicrophoneSpec } | null;
}

export type VirtualCameraRunState = 'off' | 'waiting-for-frames' | 'on' | 'failed';
export type RecordingRunState = 'off' | 'waiting-for-frames' | 'recording' | 'finalising' | 'failed';
export type StreamRunState = 'off' | 'waiting-for-frames' | 'connecting' | 'live' | 'reconnecting' | 'failed';

export interface RecordingStatus {
  state: RecordingRunState;
  /** The file being written or last written. */
  path: string | null;
  elapsedSec: number;
  bytes: number;
  bitrateKbps: number;
  dropped: number;
  /** After a failure: where what was recorded was saved, if anything. */
  savedTo: string | null;
  error: string | null;
}

export interface StreamRunStatus {
  state: StreamRunState;
  target: string | null;
  attempt: number;
  /** While reconnecting: how long until the next attempt. */
  retryInMs: number | null;
  reconnects: number;
  dropped: number;
  error: string | null;
}

export interface VirtualCameraStatus {
  state: VirtualCameraRunState;
  device: string | null;
  written: number;
  dropped: number;
  error: string | null;
}

/** Engine -> main, on every change and once a second while something runs. */
export interface OutputsStatus {
  virtualCamera: VirtualCameraStatus;
  recording: RecordingStatus;
  stream: StreamRunStatus;
}

export interface OutputsStatusMessage {
  type: 'outputs-status';
  status: OutputsStatus;
}

export const IDLE_OUTPUTS_STATUS: OutputsStatus = {
  virtualCamera: { state: 'off', device: null, written: 0, dropped: 0, error: null },
  recording: { state: 'off', path: null, elapsedSec: 0, bytes: 0, bitrateKbps: 0, dropped: 0, savedTo: null, error: null },
  stream: { state: 'off', target: null, attempt: 0, retryInMs: null, reconnects: 0, dropped: 0, error: null },
};

/** What the Outputs panel shows: the engine's status plus what only main knows. */
export interface OutputsView {
  status: OutputsStatus;
  virtualCamera: {
    /** False where no loopback device exists or the platform has no virtual camera. */
    available: boolean;
    message: string;
    /** The command to paste into a terminal, when one helps. */
    command: string | null;
    /** Why exclusive_caps=1 matters, shown beside the command. */
    explanation: string | null;
    /** Whether the "create it for me" button can run the command through pkexec. */
    canCreate: boolean;
  };
  recordingsFolder: string;
  microphone: MicrophoneSpec;
  streamUrl: string;
  /** Whether a stream key is saved (the key itself never leaves main). */
  streamKeySaved: boolean;
}

export interface Microphone {
  spec: MicrophoneSpec;
  label: string;
}

function microphoneSpec(x: unknown): MicrophoneSpec {
  if (!isRecord(x)) throw new ContractError('microphone must be an object');
  if (x.kind === 'none') return { kind: 'none' };
  const kind = oneOf(x.kind, MICROPHONE_KINDS, 'microphone kind');
  if (typeof x.device !== 'string' || x.device.length === 0 || x.device.length > 512 || x.device.includes('\0')) {
    throw new ContractError('microphone device must be a non-empty name under 512 characters');
  }
  return { kind, device: x.device };
}

export function parseMicrophone(x: unknown): MicrophoneSpec {
  return microphoneSpec(x);
}

function nullableString(x: unknown, what: string): string | null {
  if (x !== null && typeof x !== 'string') throw new ContractError(`${what} must be a string or null`);
  return x;
}

function count(x: unknown, what: string): number {
  return int(x, what, 0, Number.MAX_SAFE_INTEGER);
}

export function parseOutputsRequest(x: unknown): OutputsRequest {
  if (!isRecord(x) || x.type !== 'outputs') throw new ContractError('outputs request must be { type: "outputs", ... }');
  let virtualCamera: OutputsRequest['virtualCamera'] = null;
  if (x.virtualCamera !== null) {
    if (!isRecord(x.virtualCamera)) throw new ContractError('outputs.virtualCamera must be { device } or null');
    virtualCamera = { device: path(x.virtualCamera.device, 'virtual camera device') };
  }
  let recording: OutputsRequest['recording'] = null;
  if (x.recording !== null) {
    if (!isRecord(x.recording)) throw new ContractError('outputs.recording must be { path, microphone } or null');
    const file = path(x.recording.path, 'recording path');
    if (!file.toLowerCase().endsWith('.mp4')) throw new ContractError(`recording path must end in .mp4, got ${JSON.stringify(file)}`);
    recording = { path: file, microphone: microphoneSpec(x.recording.microphone) };
  }
  let stream: OutputsRequest['stream'] = null;
  if (x.stream !== null) {
    const s = x.stream;
    if (!isRecord(s) || typeof s.url !== 'string' || s.url.length === 0 || s.url.length > 4096) {
      throw new ContractError('outputs.stream must be { url, microphone } or null');
    }
    stream = { url: s.url, microphone: microphoneSpec(s.microphone) };
  }
  return { type: 'outputs', virtualCamera, recording, stream };
}

const VCAM_STATES: readonly VirtualCameraRunState[] = ['off', 'waiting-for-frames', 'on', 'failed'];
const RECORDING_STATES: readonly RecordingRunState[] = ['off', 'waiting-for-frames', 'recording', 'finalising', 'failed'];
const STREAM_STATES: readonly StreamRunState[] = ['off', 'waiting-for-frames', 'connecting', 'live', 'reconnecting', 'failed'];

export function parseOutputsStatus(x: unknown): OutputsStatus {
  if (!isRecord(x) || !isRecord(x.virtualCamera) || !isRecord(x.recording) || !isRecord(x.stream)) {
    throw new ContractError('outputs status must hold virtualCamera, recording and stream objects');
  }
  const v = x.virtualCamera;
  const r = x.recording;
  const s = x.stream;
  return {
    virtualCamera: {
      state: oneOf(v.state, VCAM_STATES, 'virtual camera state'),
      device: nullableString(v.device, 'virtual camera device'),
      written: count(v.written, 'virtual camera written'),
      dropped: count(v.dropped, 'virtual camera dropped'),
      error: nullableString(v.error, 'virtual camera error'),
    },
    recording: {
      state: oneOf(r.state, RECORDING_STATES, 'recording state'),
      path: nullableString(r.path, 'recording path'),
      elapsedSec: finite(r.elapsedSec, 'recording elapsedSec'),
      bytes: count(r.bytes, 'recording bytes'),
      bitrateKbps: finite(r.bitrateKbps, 'recording bitrateKbps'),
      dropped: count(r.dropped, 'recording dropped'),
      savedTo: nullableString(r.savedTo, 'recording savedTo'),
      error: nullableString(r.error, 'recording error'),
    },
    stream: {
      state: oneOf(s.state, STREAM_STATES, 'stream state'),
      target: nullableString(s.target, 'stream target'),
      attempt: count(s.attempt, 'stream attempt'),
      retryInMs: s.retryInMs === null ? null : finite(s.retryInMs, 'stream retryInMs'),
      reconnects: count(s.reconnects, 'stream reconnects'),
      dropped: count(s.dropped, 'stream dropped'),
      error: nullableString(s.error, 'stream error'),
    },
  };
}

export function parseOutputsStatusMessage(x: unknown): OutputsStatusMessage {
  if (!isRecord(x) || x.type !== 'outputs-status') throw new ContractError('expected an outputs-status message');
  return { type: 'outputs-status', status: parseOutputsStatus(x.status) };
}

export function parseOutputsView(x: unknown): OutputsView {
  if (!isRecord(x) || !isRecord(x.virtualCamera)) throw new ContractError('outputs view must be an object with virtualCamera');
  const v = x.virtualCamera;
  if (typeof v.available !== 'boolean' || typeof v.canCreate !== 'boolean' || typeof v.message !== 'string') {
    throw new ContractError('outputs view virtualCamera needs available, canCreate and message');
  }
  if (typeof x.recordingsFolder !== 'string' || typeof x.streamUrl !== 'string' || typeof x.streamKeySaved !== 'boolean') {
    throw new ContractError('outputs view needs recordingsFolder, streamUrl and streamKeySaved');
  }
  return {
    status: parseOutputsStatus(x.status),
    virtualCamera: {
      available: v.available,
      message: v.message,
      command: nullableString(v.command, 'virtual camera command'),
      explanation: nullableString(v.explanation, 'virtual camera explanation'),
      canCreate: v.canCreate,
    },
    recordingsFolder: x.recordingsFolder,
    microphone: microphoneSpec(x.microphone),
    streamUrl: x.streamUrl,
    streamKeySaved: x.streamKeySaved,
  };
}

export function parseMicrophones(x: unknown): Microphone[] {
  if (!Array.isArray(x)) throw new ContractError('microphone list must be an array');
  return x.map((m: unknown) => {
    if (!isRecord(m) || typeof m.label !== 'string') throw new ContractError('microphone entry needs a label');
    return { spec: microphoneSpec(m.spec), label: m.label };
  });
}

/** The page's requests to main about outputs; each validated before main acts on it. */
export function parseToggleRequest(x: unknown, channel: string): { on: boolean } {
  if (!isRecord(x) || Object.keys(x).length !== 1 || typeof x.on !== 'boolean') throw new ContractError(`${channel} takes { on: boolean }`);
  return { on: x.on };
}

export function parseStreamConfigRequest(x: unknown): { url: string; key: string | null } {
  if (!isRecord(x) || typeof x.url !== 'string' || x.url.length > 2048) throw new ContractError('outputs:stream-config takes { url, key } with a URL under 2048 characters');
  if (x.key !== null && (typeof x.key !== 'string' || x.key.length > 512)) {
    throw new ContractError('outputs:stream-config key must be a string under 512 characters, or null to keep the saved one');
  }
  return { url: x.url.trim(), key: x.key === null ? null : (x.key as string).trim() };
}

// ---------------------------------------------------------------------------------------------------------
// Control: whoever starts an engine -> the engine's own process or thread (never a page's port).

/** Main -> engine process, on the utility process's parent port: serve the port sent along, or run these outputs. */
export type ToEngineProcess = { type: 'connect' } | OutputsRequest;

export function parseToEngineProcess(x: unknown): ToEngineProcess {
  if (isRecord(x) && x.type === 'connect') return { type: 'connect' };
  if (isRecord(x) && x.type === 'outputs') return parseOutputsRequest(x);
  throw new ContractError("engine process control must be { type: 'connect' } or { type: 'outputs', ... }");
}

/** Spawner -> engine worker thread: serve the contract on this port (a worker_threads MessagePort). */
export interface ToEngineWorker<Port> {
  type: 'connect';
  port: Port;
}

export function parseToEngineWorker<Port>(x: unknown, isPort: (p: unknown) => p is Port): ToEngineWorker<Port> {
  if (!isRecord(x) || x.type !== 'connect' || !isPort(x.port)) throw new ContractError("engine worker control must be { type: 'connect', port }");
  return { type: 'connect', port: x.port };
}
