/**
 * What the page needs from whoever hosts it: settings, the bundled backgrounds and engine connections.
 * Electron's preload provides it (host/electron.ts); the browser test page gets it from the loopback
 * bridge and the page URL (host/browser.ts).
 */
import type { AppSettings, BackgroundEntry } from '../../common/contract';
import type { EngineTransport } from '../transport/transport';

export interface Host {
  readonly kind: 'electron' | 'browser';
  loadSettings(): Promise<AppSettings>;
  updateSettings(patch: Partial<AppSettings>): Promise<AppSettings>;
  listBackgrounds(): Promise<BackgroundEntry[]>;
  /** Settings changed by someone else (main, the tray). */
  onSettingsChanged(cb: (settings: AppSettings) => void): () => void;
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
