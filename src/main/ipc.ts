/**
 * The main-process side of IpcContract: one handler per channel in IPC_CHANNELS, each checking who
 * sent the request and validating it with the contract's parsers before anything is done. Takes
 * ipcMain as a parameter so the handlers run under test without Electron.
 */
import {
  ContractError,
  IPC_CHANNELS,
  parseAddBackgroundRequest,
  parseMicrophone,
  parseRemoveBackgroundRequest,
  parseStreamConfigRequest,
  parseToggleRequest,
  type AddBackgroundResult,
  type AppSettings,
  type BackgroundEntry,
  type HotkeyStatus,
  type IpcChannel,
  type IpcContract,
  type MicrophoneSpec,
  type Microphone,
  type OutputsView,
} from '../common/contract';

export interface IpcDeps<Sender> {
  getSettings(): AppSettings;
  /** Validates and persists the patch; resolves with the settings in force. */
  updateSettings(patch: unknown): Promise<AppSettings>;
  listBackgrounds(): Promise<BackgroundEntry[]>;
  /** Checks and copies a user's file; a refusal is a result, not an error. */
  addBackground(path: string): Promise<AddBackgroundResult>;
  removeBackground(id: string): Promise<void>;
  hotkeyStatus(): HotkeyStatus[];
  /** Sends the sender a fresh engine port (ENGINE_PORT_EVENT). */
  connectEngine(sender: Sender): void;
  /** Absent where no engine hosts the outputs; their channels then refuse with that reason. */
  outputs?: OutputsIpcDeps;
}

/** The Outputs panel's actions; each answers with the view after it. */
export interface OutputsIpcDeps {
  view(): Promise<OutputsView>;
  microphones(): Promise<Microphone[]>;
  setMicrophone(mic: MicrophoneSpec): Promise<void>;
  setVirtualCamera(on: boolean): Promise<void>;
  createVirtualCamera(): Promise<void>;
  setRecording(on: boolean): Promise<void>;
  saveStream(url: string, key: string | null): Promise<void>;
  setStreaming(on: boolean): Promise<void>;
  openFolder(): Promise<void>;
}

export class IpcRefusedError extends Error {
  constructor(channel: string, reason: string) {
    super(`ipc ${channel} refused: ${reason}`);
    this.name = 'IpcRefusedError';
  }
}

type Handlers<Sender> = { [C in IpcChannel]: (request: unknown, sender: Sender) => Promise<IpcContract[C]['response']> };

function expectNull(channel: IpcChannel, request: unknown): void {
  if (request !== null) throw new ContractError(`${channel} takes no request, got ${typeof request}`);
}

export class OutputsUnavailableError extends Error {
  constructor() {
    super('the outputs are not connected in this process');
    this.name = 'OutputsUnavailableError';
  }
}

/** The channel handlers, validating their requests; the sender is already known to be our page. */
export function ipcHandlers<Sender>(deps: IpcDeps<Sender>): Handlers<Sender> {
  const outputs = (): OutputsIpcDeps => {
    if (!deps.outputs) throw new OutputsUnavailableError();
    return deps.outputs;
  };
  return {
    'settings:get': async (request) => {
      expectNull('settings:get', request);
      return deps.getSettings();
    },
    'settings:update': (request) => deps.updateSettings(request),
    'backgrounds:list': async (request) => {
      expectNull('backgrounds:list', request);
      return deps.listBackgrounds();
    },
    'backgrounds:add': (request) => deps.addBackground(parseAddBackgroundRequest(request).path),
    'backgrounds:remove': async (request) => {
      await deps.removeBackground(parseRemoveBackgroundRequest(request).id);
      return null;
    },
    'hotkeys:status': async (request) => {
      expectNull('hotkeys:status', request);
      return deps.hotkeyStatus();
    },
    'engine:connect': async (request, sender) => {
      expectNull('engine:connect', request);
      deps.connectEngine(sender);
      return null;
    },
    'outputs:get': async (request) => {
      expectNull('outputs:get', request);
      return outputs().view();
    },
    'outputs:microphones': async (request) => {
      expectNull('outputs:microphones', request);
      return outputs().microphones();
    },
    'outputs:set-microphone': async (request) => {
      await outputs().setMicrophone(parseMicrophone(request));
      return outputs().view();
    },
    'outputs:virtual-camera': async (request) => {
      await outputs().setVirtualCamera(parseToggleRequest(request, 'outputs:virtual-camera').on);
      return outputs().view();
    },
    'outputs:create-virtual-camera': async (request) => {
      expectNull('outputs:create-virtual-camera', request);
      await outputs().createVirtualCamera();
      return outputs().view();
    },
    'outputs:recording': async (request) => {
      await outputs().setRecording(parseToggleRequest(request, 'outputs:recording').on);
      return outputs().view();
    },
    'outputs:stream-config': async (request) => {
      const { url, key } = parseStreamConfigRequest(request);
      await outputs().saveStream(url, key);
      return outputs().view();
    },
    'outputs:streaming': async (request) => {
      await outputs().setStreaming(parseToggleRequest(request, 'outputs:streaming').on);
      return outputs().view();
    },
    'outputs:open-folder': async (request) => {
      expectNull('outputs:open-folder', request);
      await outputs().openFolder();
      return null;
    },
  };
}

export interface IpcMainLike<Event> {
  handle(channel: string, listener: (event: Event, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

/**
 * Registers every channel. `isTrustedSender` decides whether the request came from our page's main
 * frame: a subframe or a navigated-away page gets nothing. Returns a function that unregisters them.
 */
export function registerIpc<Event extends { sender: unknown }>(
  ipc: IpcMainLike<Event>,
  deps: IpcDeps<Event['sender']>,
  isTrustedSender: (event: Event) => boolean,
): () => void {
  const handlers = ipcHandlers(deps);
  for (const channel of IPC_CHANNELS) {
    ipc.handle(channel, async (event, ...args) => {
      if (!isTrustedSender(event)) throw new IpcRefusedError(channel, 'the sender is not the Backdrop page');
      if (args.length !== 1) throw new IpcRefusedError(channel, `expected one request argument, got ${args.length}`);
      return handlers[channel](args[0], event.sender);
    });
  }
  return () => IPC_CHANNELS.forEach((channel) => ipc.removeHandler(channel));
}
