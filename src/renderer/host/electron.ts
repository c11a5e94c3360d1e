import { ENGINE_PORT_WINDOW_MESSAGE, parseSettings, type BackdropApi } from '../../common/contract';
import { messagePortTransport } from '../transport/port';
import type { EngineTransport } from '../transport/transport';
import { parseBackgroundEntries } from './background-entries';
import type { Host } from './host';

/** The host inside Electron: window.backdrop from the preload, engine ports re-posted by it. */
export function electronHost(api: BackdropApi): Host {
  return {
    kind: 'electron',
    loadSettings: async () => parseSettings(await api.invoke('settings:get', null)),
    updateSettings: async (patch) => parseSettings(await api.invoke('settings:update', patch)),
    listBackgrounds: async () => parseBackgroundEntries(await api.invoke('backgrounds:list', null)),
    onSettingsChanged: (cb) => api.onSettingsChanged(cb),
    connectEngine(onTransport) {
      let current: EngineTransport | null = null;
      let requested = true;
      const onMessage = (event: MessageEvent) => {
        // Only the preload posts ports into this window; anything else (a frame, an extension) is ignored.
        if (event.source !== window || (event.data as { type?: unknown } | null)?.type !== ENGINE_PORT_WINDOW_MESSAGE) return;
        const [port] = event.ports;
        if (!port) return;
        current?.close();
        current = messagePortTransport(port);
        // A port we did not ask for means main restarted the engine.
        onTransport(current, !requested);
        requested = false;
      };
      window.addEventListener('message', onMessage);
      api.invoke('engine:connect', null).catch((error: Error) => console.error(`engine:connect failed: ${error.message}`));
      return () => {
        window.removeEventListener('message', onMessage);
        current?.close();
      };
    },
  };
}
