import {
  ENGINE_PORT_WINDOW_MESSAGE,
  parseAddBackgroundResult,
  parseBackgroundEntries,
  parseHotkeyStatuses,
  parseMicrophones,
  parseOutputsView,
  parseSettings,
  type BackdropApi,
} from '../../common/contract';
import { messagePortTransport } from '../transport/port';
import type { EngineTransport } from '../transport/transport';
import { HostError, type Host } from './host';

/**
 * Electron wraps an error thrown in main as "Error invoking remote method 'x': SomeError: reason"; the
 * user needs the reason only.
 */
export function remoteErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^Error invoking remote method '[^']*': (?:\w*Error: )?/, '');
}

/** Calls main and rethrows its failure as a HostError carrying main's own message. */
async function call<T>(request: () => Promise<unknown>, parse: (x: unknown) => T): Promise<T> {
  let response: unknown;
  try {
    response = await request();
  } catch (error) {
    throw new HostError(remoteErrorMessage(error));
  }
  return parse(response);
}

/** The host inside Electron: window.backdrop from the preload, engine ports re-posted by it. */
export function electronHost(api: BackdropApi): Host {
  return {
    kind: 'electron',
    loadSettings: () => call(() => api.invoke('settings:get', null), parseSettings),
    updateSettings: (patch) => call(() => api.invoke('settings:update', patch), parseSettings),
    listBackgrounds: () => call(() => api.invoke('backgrounds:list', null), parseBackgroundEntries),
    onSettingsChanged: (cb) => api.onSettingsChanged(cb),
    onApplyBackground: (cb) => api.onApplyBackground(cb),
    userBackgrounds: {
      add: (file) => call(() => api.addBackgroundFile(file), parseAddBackgroundResult),
      remove: (id) => call(() => api.invoke('backgrounds:remove', { id }), () => undefined),
    },
    hotkeys: {
      status: () => call(() => api.invoke('hotkeys:status', null), parseHotkeyStatuses),
    },
    outputs: {
      view: () => call(() => api.invoke('outputs:get', null), parseOutputsView),
      microphones: () => call(() => api.invoke('outputs:microphones', null), parseMicrophones),
      setMicrophone: (mic) => call(() => api.invoke('outputs:set-microphone', mic), parseOutputsView),
      setVirtualCamera: (on) => call(() => api.invoke('outputs:virtual-camera', { on }), parseOutputsView),
      createVirtualCamera: () => call(() => api.invoke('outputs:create-virtual-camera', null), parseOutputsView),
      setRecording: (on) => call(() => api.invoke('outputs:recording', { on }), parseOutputsView),
      saveStream: (url, key) => call(() => api.invoke('outputs:stream-config', { url, key }), parseOutputsView),
      setStreaming: (on) => call(() => api.invoke('outputs:streaming', { on }), parseOutputsView),
      openFolder: () => call(() => api.invoke('outputs:open-folder', null), () => undefined),
      onChanged: (cb) => api.onOutputsChanged?.(cb) ?? (() => undefined),
    },
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
