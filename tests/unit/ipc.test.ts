import { describe, expect, it } from 'vitest';
import { ContractError, DEFAULT_SETTINGS, IPC_CHANNELS, type AppSettings } from '../../src/common/contract';
import { IpcRefusedError, registerIpc, type IpcMainLike } from '../../src/main/ipc';
import { applySettingsPatch } from '../../src/main/settings';

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
  const { ipc, handlers, invoke } = fakeIpc();
  const unregister = registerIpc(
    ipc,
    {
      getSettings: () => settings,
      updateSettings: async (patch) => (settings = applySettingsPatch(settings, patch)),
      listBackgrounds: async () => [{ id: 'x', label: 'X', background: { kind: 'image', path: '/bg/x.png' } }],
      connectEngine: (sender) => void connected.push(sender),
    },
    (event) => event.trusted,
  );
  return { invoke, handlers, unregister, connected, settings: () => settings };
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

  it('gives an untrusted sender nothing, on every channel', async () => {
    const { invoke, connected } = setup();
    const stranger: FakeEvent = { sender: 'iframe', trusted: false };
    for (const channel of IPC_CHANNELS) {
      await expect(invoke(channel, stranger, null)).rejects.toThrow(/the sender is not the Backdrop page/);
    }
    expect(connected).toEqual([]);
  });
});
