import { describe, expect, it } from 'vitest';
import { ContractError, DEFAULT_SETTINGS, IPC_CHANNELS, type AppSettings } from '../../../src/common/contract';
import { IpcRefusedError, registerIpc, type IpcMainLike } from '../../../src/main/ipc';
import { applySettingsPatch } from '../../../src/main/settings';

interface FakeEvent {
  sender: string;
  trusted: boolean;
}

/** An ipcMain that records handlers so the test can invoke them as the renderer would. */
function fakeIpc() {
  const handlers = new Map<string, (event: FakeEvent, ...args: unknown[]) => Promise<unknown>>();
  const ipc: IpcMainLike<FakeEvent> = {
    handle: (channel, listener) => void handlers.set(channel, listener),
    removeHandler: (channel) => void handlers.delete(channel),
  };
  const invoke = (channel: string, event: FakeEvent, ...args: unknown[]) => {
    const h = handlers.get(channel);
    if (!h) throw new Error(`no handler for ${channel}`);
    return h(event, ...args);
  };
  return { ipc, handlers, invoke };
}

function setup() {
  let settings: AppSettings = DEFAULT_SETTINGS;
  const connected: string[] = [];
  const added: string[] = [];
  const removed: string[] = [];
  const { ipc, handlers, invoke } = fakeIpc();
  const unregister = registerIpc(
    ipc,
    {
      getSettings: () => settings,
      updateSettings: async (patch) => (settings = applySettingsPatch(settings, patch)),
      listBackgrounds: async () => [{ id: 'x', label: 'X', background: { kind: 'image', path: '/bg/x.png' } }],
      addBackground: async (path) => {
        added.push(path);
        return { ok: false, code: 'not-media', message: `${path} is not a picture or video` };
      },
      removeBackground: async (id) => void removed.push(id),
      hotkeyStatus: () => [{ action: 'nextPreset', accelerator: 'Control+Alt+N', state: 'taken', message: 'taken' }],
      connectEngine: (sender) => void connected.push(sender),
    },
    (event) => event.trusted,
  );
  return { invoke, handlers, unregister, connected, added, removed, settings: () => settings };
}

const PAGE: FakeEvent = { sender: 'page', trusted: true };

describe('ipc handlers', () => {
  it('registers exactly the contract channels and removes them again', () => {
    const { handlers, unregister } = setup();
    expect([...handlers.keys()].sort()).toEqual([...IPC_CHANNELS].sort());
    unregister();
    expect(handlers.size).toBe(0);
  });

  it('answers settings:get and applies a valid settings:update', async () => {
    const { invoke } = setup();
    expect(await invoke('settings:get', PAGE, null)).toEqual(DEFAULT_SETTINGS);
    expect(await invoke('settings:update', PAGE, { cameraId: 'cam' })).toEqual({ ...DEFAULT_SETTINGS, cameraId: 'cam' });
  });

  it('rejects an invalid patch with a ContractError and keeps the settings', async () => {
    const { invoke, settings } = setup();
    await expect(invoke('settings:update', PAGE, { resolution: { width: 1, height: 1 } })).rejects.toThrow(ContractError);
    expect(settings()).toEqual(DEFAULT_SETTINGS);
  });

  it('refuses a request body on channels that take none', async () => {
    const { invoke, connected } = setup();
    await expect(invoke('engine:connect', PAGE, { evil: true })).rejects.toThrow(/engine:connect takes no request/);
    await expect(invoke('backgrounds:list', PAGE, 'x')).rejects.toThrow(ContractError);
    expect(connected).toEqual([]);
  });

  it('refuses extra or missing arguments', async () => {
    const { invoke } = setup();
    await expect(invoke('settings:get', PAGE)).rejects.toThrow(/expected one request argument, got 0/);
    await expect(invoke('settings:get', PAGE, null, 'more')).rejects.toThrow(IpcRefusedError);
  });

  it('hands an engine port to the page that asked', async () => {
    const { invoke, connected } = setup();
    expect(await invoke('engine:connect', PAGE, null)).toBeNull();
    expect(connected).toEqual(['page']);
  });

  it('lists backgrounds', async () => {
    const { invoke } = setup();
    expect(await invoke('backgrounds:list', PAGE, null)).toEqual([{ id: 'x', label: 'X', background: { kind: 'image', path: '/bg/x.png' } }]);
  });

  it('hands a dropped path to main and returns its refusal as a result', async () => {
    const { invoke, added } = setup();
    expect(await invoke('backgrounds:add', PAGE, { path: '/home/me/notes.png' })).toEqual({
      ok: false,
      code: 'not-media',
      message: '/home/me/notes.png is not a picture or video',
    });
    expect(added).toEqual(['/home/me/notes.png']);
  });

  it('refuses malformed add and remove requests before main sees them', async () => {
    const { invoke, added, removed } = setup();
    await expect(invoke('backgrounds:add', PAGE, { path: '' })).rejects.toThrow(/dropped file path must be a non-empty path/);
    await expect(invoke('backgrounds:add', PAGE, { path: '/x.png', extra: 1 })).rejects.toThrow(/takes \{ path \}/);
    await expect(invoke('backgrounds:remove', PAGE, { id: 42 })).rejects.toThrow(/takes \{ id \}/);
    expect(added).toEqual([]);
    expect(removed).toEqual([]);
  });

  it('removes by id and reports hotkey status', async () => {
    const { invoke, removed } = setup();
    expect(await invoke('backgrounds:remove', PAGE, { id: 'user:beach.png' })).toBeNull();
    expect(removed).toEqual(['user:beach.png']);
    expect(await invoke('hotkeys:status', PAGE, null)).toEqual([{ action: 'nextPreset', accelerator: 'Control+Alt+N', state: 'taken', message: 'taken' }]);
    await expect(invoke('hotkeys:status', PAGE, {})).rejects.toThrow(/hotkeys:status takes no request/);
  });

  it('gives an untrusted sender nothing, on every channel', async () => {
    const { invoke, connected } = setup();
    const stranger: FakeEvent = { sender: 'iframe', trusted: false };
    for (const channel of IPC_CHANNELS) {
      await expect(invoke(channel, stranger, null)).rejects.toThrow(/the sender is not the Backdrop page/);
    }
    expect(connected).toEqual([]);
  });
});
