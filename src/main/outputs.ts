/**
 * The live outputs as the tray, the hotkeys and the Outputs panel see them: a state to show and actions
 * to take. The sinks run in the engine process (src/engine/outputs.ts), where the frames are; AppOutputs
 * decides what should run (which device, which file, which URL and key) and sends the engine the whole
 * wanted set, and turns the engine's status back into state. `unconnectedOutputs` stands in where no
 * engine is attached (tests of the tray), and says so instead of pretending to record.
 */
import {
  IDLE_OUTPUTS_STATUS,
  type MicrophoneSpec,
  type OutputsRequest,
  type OutputsStatus,
  type OutputsView,
} from '../common/contract';
import { recordingPaths } from '../outputs/recorder/paths';
import type { VirtualCameraAdvice } from '../outputs/v4l2/setup';
import type { StreamCredentials } from './stream-key';

export interface OutputState {
  virtualCamera: 'off' | 'on' | 'unavailable';
  recording: boolean;
  streaming: boolean;
}

export type OutputName = 'virtual camera' | 'recording' | 'streaming';

export interface OutputControls {
  state(): OutputState;
  /** Called whenever state() would answer differently, so the tray can redraw. */
  onChange(listener: () => void): () => void;
  setVirtualCamera(on: boolean): Promise<void>;
  startRecording(): Promise<void>;
  stopRecording(): Promise<void>;
  startStreaming(): Promise<void>;
  stopStreaming(): Promise<void>;
}

export class OutputNotConnectedError extends Error {
  constructor(readonly output: OutputName) {
    super(`${output} is not connected to the app in this build yet`);
    this.name = 'OutputNotConnectedError';
  }
}

/** No sink attached: the virtual camera shows as unavailable and every action fails with a clear reason. */
export function unconnectedOutputs(): OutputControls {
  const fail = (output: OutputName) => () => Promise.reject(new OutputNotConnectedError(output));
  return {
    state: () => ({ virtualCamera: 'unavailable', recording: false, streaming: false }),
    onChange: () => () => undefined,
    setVirtualCamera: fail('virtual camera'),
    startRecording: fail('recording'),
    stopRecording: fail('recording'),
    startStreaming: fail('streaming'),
    stopStreaming: fail('streaming'),
  };
}

/** What AppOutputs needs of the world; each part is swapped in tests. */
export interface AppOutputsDeps {
  /** Posts the request to the engine process. */
  send(request: OutputsRequest): void;
  /** The loopback device to write to, or an Error saying why there is none (with the advice's words). */
  chooseDevice(): string | Error;
  advice(): VirtualCameraAdvice;
  canCreateDevice: boolean;
  createDevice(): Promise<void>;
  recordingsFolder: string;
  makeFolder(folder: string): void;
  exists(path: string): boolean;
  now(): Date;
  credentials: StreamCredentials;
}

export class OutputActionError extends Error {
  constructor(
    readonly output: OutputName,
    message: string,
  ) {
    super(message);
    this.name = 'OutputActionError';
  }
}

/** Runs the outputs through the engine; what the engine last reported is the truth shown. */
export class AppOutputs implements OutputControls {
  private wanted: OutputsRequest = { type: 'outputs', virtualCamera: null, recording: null, stream: null };
  private engineStatus: OutputsStatus = IDLE_OUTPUTS_STATUS;
  private mic: MicrophoneSpec = { kind: 'none' };
  private readonly listeners = new Set<() => void>();

  constructor(private readonly deps: AppOutputsDeps) {}

  state(): OutputState {
    const s = this.engineStatus;
    const unavailable = !this.wanted.virtualCamera && !this.deps.advice().available;
    return {
      virtualCamera: unavailable ? 'unavailable' : this.wanted.virtualCamera && s.virtualCamera.state !== 'failed' ? 'on' : 'off',
      recording: this.wanted.recording !== null,
      streaming: this.wanted.stream !== null,
    };
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  get microphone(): MicrophoneSpec {
    return this.mic;
  }

  /** The microphone for the next recording or stream; one already running keeps its own. */
  setMicrophone(mic: MicrophoneSpec): void {
    this.mic = mic;
    this.changed();
  }

  async setVirtualCamera(on: boolean): Promise<void> {
    if (!on) return this.update({ virtualCamera: null });
    const device = this.deps.chooseDevice();
    if (device instanceof Error) throw new OutputActionError('virtual camera', device.message);
    this.update({ virtualCamera: { device } });
  }

  async createVirtualCamera(): Promise<void> {
    if (!this.deps.canCreateDevice) throw new OutputActionError('virtual camera', 'pkexec is not installed; run the command shown in a terminal.');
    await this.deps.createDevice();
    this.changed();
  }

  async startRecording(): Promise<void> {
    if (this.wanted.recording) throw new OutputActionError('recording', `already recording to ${this.wanted.recording.path}`);
    try {
      this.deps.makeFolder(this.deps.recordingsFolder);
    } catch (error) {
      throw new OutputActionError('recording', `cannot create ${this.deps.recordingsFolder} for recordings: ${(error as Error).message}`);
    }
    const { final } = recordingPaths(this.deps.recordingsFolder, this.deps.now(), this.deps.exists);
    this.update({ recording: { path: final, microphone: this.mic } });
  }

  async stopRecording(): Promise<void> {
    this.update({ recording: null });
  }

  async startStreaming(): Promise<void> {
    let url: string;
    try {
      url = (await this.deps.credentials.target()).url;
    } catch (error) {
      throw new OutputActionError('streaming', `cannot stream: ${(error as Error).message}`);
    }
    this.update({ stream: { url, microphone: this.mic } });
  }

  async stopStreaming(): Promise<void> {
    this.update({ stream: null });
  }

  /** The engine's report. A recording or stream that failed for good is no longer wanted, so the tray offers to start it again. */
  noteStatus(status: OutputsStatus): void {
    this.engineStatus = status;
    if (status.recording.state === 'failed' && this.wanted.recording?.path === status.recording.path) this.wanted = { ...this.wanted, recording: null };
    if (status.stream.state === 'failed' && this.wanted.stream) this.wanted = { ...this.wanted, stream: null };
    this.changed();
  }

  /**
   * The engine process restarted: its sinks died with it. The virtual camera and stream are asked for
   * again; the recording is not (its fragmented file, playable as it is, would be overwritten).
   */
  engineRestarted(): void {
    const lost = this.wanted.recording;
    this.wanted = { ...this.wanted, recording: null };
    this.engineStatus = {
      ...IDLE_OUTPUTS_STATUS,
      recording: lost
        ? { ...IDLE_OUTPUTS_STATUS.recording, state: 'failed', path: lost.path, error: 'the engine crashed; what was recorded is in the .recording.mp4 file next to it' }
        : this.engineStatus.recording,
    };
    this.deps.send(this.wanted);
    this.changed();
  }

  async view(): Promise<OutputsView> {
    const advice = this.deps.advice();
    const creds = this.deps.credentials;
    const [streamUrl, key] = await Promise.all([creds.shownUrl(), creds.key()]);
    return {
      status: this.engineStatus,
      virtualCamera: {
        available: advice.available,
        message: advice.message,
        command: advice.command,
        explanation: advice.explanation,
        canCreate: this.deps.canCreateDevice && advice.command !== null,
      },
      recordingsFolder: this.deps.recordingsFolder,
      microphone: this.mic,
      streamUrl,
      streamKeySaved: key !== null,
    };
  }

  private update(patch: Partial<Omit<OutputsRequest, 'type'>>): void {
    this.wanted = { ...this.wanted, ...patch };
    this.deps.send(this.wanted);
    this.changed();
  }

  private changed(): void {
    this.listeners.forEach((l) => l());
  }
}
