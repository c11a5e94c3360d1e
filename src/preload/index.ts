/**
 * The only bridge between the page and Electron: exactly BackdropApi, restricted to PAGE_IPC_CHANNELS.
 * The page gets no ipcRenderer, no Node, no way to name another channel. Runs sandboxed, so it is
 * bundled to CommonJS and may import nothing but 'electron' and bundled code.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import {
  APPLY_BACKGROUND_EVENT,
  ENGINE_PORT_EVENT,
  ENGINE_PORT_WINDOW_MESSAGE,
  OUTPUTS_CHANGED_EVENT,
  PAGE_IPC_CHANNELS,
  SETTINGS_CHANGED_EVENT,
  parseAddBackgroundResult,
  parseBackground,
  parseOutputsView,
  parseSettings,
  type AddBackgroundResult,
  type BackdropApi,
  type IpcChannel,
} from '../common/contract';

/** Subscribes to a push event from main, validating each payload; an invalid one is dropped and logged. */
function onPush<T>(channel: string, parse: (x: unknown) => T, listener: (value: T) => void): () => void {
  const handler = (_event: IpcRendererEvent, payload: unknown) => {
    let value: T;
    try {
      value = parse(payload);
    } catch (error) {
      console.error(`ignored invalid ${channel} from main:`, (error as Error).message);
      return;
    }
    listener(value);
  };
  ipcRenderer.on(channel, handler);
  return () => void ipcRenderer.removeListener(channel, handler);
}

const api: BackdropApi = {
  invoke(channel, request) {
    if (!PAGE_IPC_CHANNELS.includes(channel as IpcChannel)) {
      return Promise.reject(new Error(`unknown ipc channel ${JSON.stringify(channel)}`));
    }
    return ipcRenderer.invoke(channel, request);
  },
  onSettingsChanged: (listener) => onPush(SETTINGS_CHANGED_EVENT, parseSettings, listener),
  onApplyBackground: (listener) => onPush(APPLY_BACKGROUND_EVENT, parseBackground, listener),
  onOutputsChanged: (listener) => onPush(OUTPUTS_CHANGED_EVENT, parseOutputsView, listener),
  async addBackgroundFile(file: File): Promise<AddBackgroundResult> {
    // Only a File the user dropped or picked has a path: one the page built itself gets '', so the page
    // cannot make main copy a file the user did not choose.
    const path = webUtils.getPathForFile(file);
    if (!path) return { ok: false, code: 'unreadable', message: `${file.name} is not a file on this computer's disk. Nothing was added.` };
    return parseAddBackgroundResult(await ipcRenderer.invoke('backgrounds:add', { path }));
  },
};

contextBridge.exposeInMainWorld('backdrop', api);

// A MessagePort cannot cross contextBridge; window.postMessage can carry it into the page's world.
// Target '*' because a file:// page's origin is opaque; the page checks event.source === window.
ipcRenderer.on(ENGINE_PORT_EVENT, (event) => {
  const [port] = event.ports;
  if (port) window.postMessage({ type: ENGINE_PORT_WINDOW_MESSAGE }, '*', [port]);
});
