/**
 * The only bridge between the page and Electron: exactly BackdropApi, restricted to IPC_CHANNELS. The
 * page gets no ipcRenderer, no Node, no way to name another channel. Runs sandboxed, so it is bundled
 * to CommonJS and may import nothing but 'electron' and bundled code.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  ENGINE_PORT_EVENT,
  ENGINE_PORT_WINDOW_MESSAGE,
  IPC_CHANNELS,
  SETTINGS_CHANGED_EVENT,
  parseSettings,
  type AppSettings,
  type BackdropApi,
  type IpcChannel,
} from '../common/contract';

const api: BackdropApi = {
  invoke(channel, request) {
    if (!IPC_CHANNELS.includes(channel as IpcChannel)) {
      return Promise.reject(new Error(`unknown ipc channel ${JSON.stringify(channel)}`));
    }
    return ipcRenderer.invoke(channel, request);
  },
  onSettingsChanged(listener: (settings: AppSettings) => void) {
    const handler = (_event: IpcRendererEvent, settings: unknown) => {
      try {
        listener(parseSettings(settings));
      } catch (error) {
        console.error('ignored invalid settings from main:', (error as Error).message);
      }
    };
    ipcRenderer.on(SETTINGS_CHANGED_EVENT, handler);
    return () => void ipcRenderer.removeListener(SETTINGS_CHANGED_EVENT, handler);
  },
};

contextBridge.exposeInMainWorld('backdrop', api);

// A MessagePort cannot cross contextBridge; window.postMessage can carry it into the page's world.
// Target '*' because a file:// page's origin is opaque; the page checks event.source === window.
ipcRenderer.on(ENGINE_PORT_EVENT, (event) => {
  const [port] = event.ports;
  if (port) window.postMessage({ type: ENGINE_PORT_WINDOW_MESSAGE }, '*', [port]);
});
