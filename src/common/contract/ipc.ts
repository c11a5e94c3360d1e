/** Renderer <-> main (Electron ipc). Each channel has one request and one response shape. */
import { AcceleratorError, findConflicts, formatAccelerator, parseAccelerator } from '../accelerator';
import {
  Background,
  DEFAULT_ENGINE_CONFIG,
  FACE_MODEL_NAMES,
  FaceModel,
  MATTING_MODES,
  MattingMode,
  PEOPLE_MODES,
  PeopleMode,
  QUALITIES,
  Quality,
  RESOLUTIONS,
  parseBackground,
} from './engine';
import { Microphone, MicrophoneSpec, OutputsView } from './outputs';
import { ContractError, isRecord, oneOf, path, shown } from './parse';

/** What a global hotkey can do. */
export type HotkeyAction = 'nextPreset' | 'previousPreset' | 'backgroundOff' | 'toggleRecording';
export const HOTKEY_ACTIONS: readonly HotkeyAction[] = ['nextPreset', 'previousPreset', 'backgroundOff', 'toggleRecording'];
export const HOTKEY_LABELS: Record<HotkeyAction, string> = {
  nextPreset: 'Next background',
  previousPreset: 'Previous background',
  backgroundOff: 'Background off / back on',
  toggleRecording: 'Start / stop recording',
};
/** The words for the people modes, in the window and the tray alike. */
export const PEOPLE_LABELS: Record<PeopleMode, string> = {
  all: 'Everyone',
  main: 'Only me',
  pick: 'People I pick',
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
  /** Who stays in the picture: everyone, only me, or the people picked in the preview. */
  people: PeopleMode;
  /** The face detector that tells people apart: short range (near the camera) or full range (further away). */
  faceModel: FaceModel;
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
  people: 'all',
  faceModel: 'short',
};

/**
 * Settings added after files were already written: a file without one of these takes the default for it
 * instead of being treated as invalid (which would reset everything else the user chose).
 */
const LATER_SETTINGS: readonly (keyof AppSettings)[] = ['startInTray', 'people', 'faceModel'];

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
      case 'people':
        out.people = oneOf(value, PEOPLE_MODES, 'people');
        break;
      case 'faceModel':
        out.faceModel = oneOf(value, FACE_MODEL_NAMES, 'face model');
        break;
      default:
        throw new ContractError(`unknown setting ${shown(key)}`);
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
  return Array.from(x as unknown[], (e, i) => {
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
  return Array.from(x as unknown[], (s) => {
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
