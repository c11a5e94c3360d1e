/**
 * The live outputs as the tray and the hotkeys see them: a state to show and actions to take. The sinks
 * (src/sinks/v4l2, recorder, streamer) implement OutputControls once they are wired into the app; until
 * then main runs with `unconnectedOutputs`, which says so instead of pretending to record.
 */

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
