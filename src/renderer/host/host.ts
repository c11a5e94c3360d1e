/**
 * What the page needs from whoever hosts it: settings, the backgrounds and engine connections.
 * Electron's preload provides it (host/electron.ts); the browser test page gets it from the loopback
 * bridge and the page URL (host/browser.ts). What only the desktop app can do (a data folder for the
 * user's backgrounds, global hotkeys, a tray) is optional: absent, the page offers it no UI.
 */
import type { AddBackgroundResult, AppSettings, Background, BackgroundEntry, HotkeyStatus, Microphone, MicrophoneSpec, OutputsView } from '../../common/contract';
import type { EngineTransport } from '../transport/transport';

export interface UserBackgroundsHost {
  /** Checks and copies a dropped or picked file; a refusal comes back as a result with a message. */
  add(file: File): Promise<AddBackgroundResult>;
  remove(id: string): Promise<void>;
}

export interface HotkeysHost {
  /** Whether each configured hotkey could be claimed (another app may hold it). */
  status(): Promise<HotkeyStatus[]>;
}

/** The virtual camera, recording and streaming, run by main and the engine; each action answers with the new view. */
export interface OutputsHost {
  view(): Promise<OutputsView>;
  microphones(): Promise<Microphone[]>;
  setMicrophone(mic: MicrophoneSpec): Promise<OutputsView>;
  setVirtualCamera(on: boolean): Promise<OutputsView>;
  createVirtualCamera(): Promise<OutputsView>;
  setRecording(on: boolean): Promise<OutputsView>;
  /** An empty url keeps the saved one; a null key keeps the saved key. */
  saveStream(url: string, key: string | null): Promise<OutputsView>;
  setStreaming(on: boolean): Promise<OutputsView>;
  openFolder(): Promise<void>;
  onChanged(cb: (view: OutputsView) => void): () => void;
}

export interface Host {
  readonly kind: 'electron' | 'browser';
  loadSettings(): Promise<AppSettings>;
  updateSettings(patch: Partial<AppSettings>): Promise<AppSettings>;
  listBackgrounds(): Promise<BackgroundEntry[]>;
  /** Settings changed by someone else (main, the tray). */
  onSettingsChanged(cb: (settings: AppSettings) => void): () => void;
  /** Backgrounds chosen outside the page (tray, hotkeys) for the page to hand to the engine. */
  onApplyBackground?(cb: (background: Background) => void): () => void;
  readonly userBackgrounds?: UserBackgroundsHost;
  readonly hotkeys?: HotkeysHost;
  readonly outputs?: OutputsHost;
  /**
   * Calls back with each transport to the engine: the first, and a fresh one whenever the engine was
   * restarted underneath the page. Returns a function that stops listening and closes the last one.
   */
  connectEngine(onTransport: (transport: EngineTransport, restarted: boolean) => void): () => void;
}

export class HostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HostError';
  }
}
