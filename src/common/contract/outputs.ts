/**
 * Live outputs. The outputs run in the engine process, where the composited frames are; main decides what
 * runs (it owns the tray, the hotkeys, the stream key and the recordings folder) and tells the engine on
 * the utility process's own parent port, never on a page's port, so a page cannot start a recording.
 */
import { ContractError, count, finite, isRecord, nullableString, oneOf, path, shown } from './parse';

/** A microphone as ffmpeg opens it: the sound system and its device name; 'none' records silence-free video. */
export type MicrophoneSpec = { kind: 'none' } | { kind: 'pulse' | 'alsa' | 'dshow' | 'avfoundation'; device: string };
const MICROPHONE_KINDS = ['pulse', 'alsa', 'dshow', 'avfoundation'] as const;

/** Main -> engine: the whole wanted set of outputs; anything absent is stopped. */
export interface OutputsRequest {
  type: 'outputs';
  /** A v4l2loopback node, or a .y4m file standing in for one (tests). */
  virtualCamera: { device: string } | null;
  recording: { path: string; microphone: MicrophoneSpec } | null;
  /** The full URL with the key in it (the engine derives what may be shown from it). */
  stream: { url: string; microphone: MicrophoneSpec } | null;
}

/** 'idle': on, but no application has the camera open, so nothing is computed for it. */
export type VirtualCameraRunState = 'off' | 'waiting-for-frames' | 'on' | 'idle' | 'failed';
export type RecordingRunState = 'off' | 'waiting-for-frames' | 'recording' | 'finalising' | 'failed';
export type StreamRunState = 'off' | 'waiting-for-frames' | 'connecting' | 'live' | 'reconnecting' | 'failed';

export interface RecordingStatus {
  state: RecordingRunState;
  /** The file being written or last written. */
  path: string | null;
  elapsedSec: number;
  bytes: number;
  bitrateKbps: number;
  dropped: number;
  /** After a failure: where what was recorded was saved, if anything. */
  savedTo: string | null;
  error: string | null;
}

export interface StreamRunStatus {
  state: StreamRunState;
  target: string | null;
  attempt: number;
  /** While reconnecting: how long until the next attempt. */
  retryInMs: number | null;
  reconnects: number;
  dropped: number;
  error: string | null;
}

export interface VirtualCameraStatus {
  state: VirtualCameraRunState;
  device: string | null;
  written: number;
  dropped: number;
  error: string | null;
}

/** Engine -> main, on every change and once a second while something runs. */
export interface OutputsStatus {
  virtualCamera: VirtualCameraStatus;
  recording: RecordingStatus;
  stream: StreamRunStatus;
}

export interface OutputsStatusMessage {
  type: 'outputs-status';
  status: OutputsStatus;
}

export const IDLE_OUTPUTS_STATUS: OutputsStatus = {
  virtualCamera: { state: 'off', device: null, written: 0, dropped: 0, error: null },
  recording: { state: 'off', path: null, elapsedSec: 0, bytes: 0, bitrateKbps: 0, dropped: 0, savedTo: null, error: null },
  stream: { state: 'off', target: null, attempt: 0, retryInMs: null, reconnects: 0, dropped: 0, error: null },
};

/** What the Outputs panel shows: the engine's status plus what only main knows. */
export interface OutputsView {
  status: OutputsStatus;
  virtualCamera: {
    /** False where no loopback device exists or the platform has no virtual camera. */
    available: boolean;
    message: string;
    /** The command to paste into a terminal, when one helps. */
    command: string | null;
    /** Why exclusive_caps=1 matters, shown beside the command. */
    explanation: string | null;
    /** Whether the "create it for me" button can run the command through pkexec. */
    canCreate: boolean;
  };
  recordingsFolder: string;
  microphone: MicrophoneSpec;
  streamUrl: string;
  /** Whether a stream key is saved (the key itself never leaves main). */
  streamKeySaved: boolean;
}

export interface Microphone {
  spec: MicrophoneSpec;
  label: string;
}

function microphoneSpec(x: unknown): MicrophoneSpec {
  if (!isRecord(x)) throw new ContractError('microphone must be an object');
  if (x.kind === 'none') return { kind: 'none' };
  const kind = oneOf(x.kind, MICROPHONE_KINDS, 'microphone kind');
  if (typeof x.device !== 'string' || x.device.length === 0 || x.device.length > 512 || x.device.includes('\0')) {
    throw new ContractError('microphone device must be a non-empty name under 512 characters');
  }
  return { kind, device: x.device };
}

export function parseMicrophone(x: unknown): MicrophoneSpec {
  return microphoneSpec(x);
}

export function parseOutputsRequest(x: unknown): OutputsRequest {
  if (!isRecord(x) || x.type !== 'outputs') throw new ContractError('outputs request must be { type: "outputs", ... }');
  let virtualCamera: OutputsRequest['virtualCamera'] = null;
  if (x.virtualCamera !== null) {
    if (!isRecord(x.virtualCamera)) throw new ContractError('outputs.virtualCamera must be { device } or null');
    virtualCamera = { device: path(x.virtualCamera.device, 'virtual camera device') };
  }
  let recording: OutputsRequest['recording'] = null;
  if (x.recording !== null) {
    if (!isRecord(x.recording)) throw new ContractError('outputs.recording must be { path, microphone } or null');
    const file = path(x.recording.path, 'recording path');
    if (!file.toLowerCase().endsWith('.mp4')) throw new ContractError(`recording path must end in .mp4, got ${shown(file)}`);
    recording = { path: file, microphone: microphoneSpec(x.recording.microphone) };
  }
  let stream: OutputsRequest['stream'] = null;
  if (x.stream !== null) {
    const s = x.stream;
    if (!isRecord(s) || typeof s.url !== 'string' || s.url.length === 0 || s.url.length > 4096) {
      throw new ContractError('outputs.stream must be { url, microphone } or null');
    }
    stream = { url: s.url, microphone: microphoneSpec(s.microphone) };
  }
  return { type: 'outputs', virtualCamera, recording, stream };
}

const VCAM_STATES: readonly VirtualCameraRunState[] = ['off', 'waiting-for-frames', 'on', 'idle', 'failed'];
const RECORDING_STATES: readonly RecordingRunState[] = ['off', 'waiting-for-frames', 'recording', 'finalising', 'failed'];
const STREAM_STATES: readonly StreamRunState[] = ['off', 'waiting-for-frames', 'connecting', 'live', 'reconnecting', 'failed'];

export function parseOutputsStatus(x: unknown): OutputsStatus {
  if (!isRecord(x) || !isRecord(x.virtualCamera) || !isRecord(x.recording) || !isRecord(x.stream)) {
    throw new ContractError('outputs status must hold virtualCamera, recording and stream objects');
  }
  const v = x.virtualCamera;
  const r = x.recording;
  const s = x.stream;
  return {
    virtualCamera: {
      state: oneOf(v.state, VCAM_STATES, 'virtual camera state'),
      device: nullableString(v.device, 'virtual camera device'),
      written: count(v.written, 'virtual camera written'),
      dropped: count(v.dropped, 'virtual camera dropped'),
      error: nullableString(v.error, 'virtual camera error'),
    },
    recording: {
      state: oneOf(r.state, RECORDING_STATES, 'recording state'),
      path: nullableString(r.path, 'recording path'),
      elapsedSec: finite(r.elapsedSec, 'recording elapsedSec'),
      bytes: count(r.bytes, 'recording bytes'),
      bitrateKbps: finite(r.bitrateKbps, 'recording bitrateKbps'),
      dropped: count(r.dropped, 'recording dropped'),
      savedTo: nullableString(r.savedTo, 'recording savedTo'),
      error: nullableString(r.error, 'recording error'),
    },
    stream: {
      state: oneOf(s.state, STREAM_STATES, 'stream state'),
      target: nullableString(s.target, 'stream target'),
      attempt: count(s.attempt, 'stream attempt'),
      retryInMs: s.retryInMs === null ? null : finite(s.retryInMs, 'stream retryInMs'),
      reconnects: count(s.reconnects, 'stream reconnects'),
      dropped: count(s.dropped, 'stream dropped'),
      error: nullableString(s.error, 'stream error'),
    },
  };
}

export function parseOutputsStatusMessage(x: unknown): OutputsStatusMessage {
  if (!isRecord(x) || x.type !== 'outputs-status') throw new ContractError('expected an outputs-status message');
  return { type: 'outputs-status', status: parseOutputsStatus(x.status) };
}

export function parseOutputsView(x: unknown): OutputsView {
  if (!isRecord(x) || !isRecord(x.virtualCamera)) throw new ContractError('outputs view must be an object with virtualCamera');
  const v = x.virtualCamera;
  if (typeof v.available !== 'boolean' || typeof v.canCreate !== 'boolean' || typeof v.message !== 'string') {
    throw new ContractError('outputs view virtualCamera needs available, canCreate and message');
  }
  if (typeof x.recordingsFolder !== 'string' || typeof x.streamUrl !== 'string' || typeof x.streamKeySaved !== 'boolean') {
    throw new ContractError('outputs view needs recordingsFolder, streamUrl and streamKeySaved');
  }
  return {
    status: parseOutputsStatus(x.status),
    virtualCamera: {
      available: v.available,
      message: v.message,
      command: nullableString(v.command, 'virtual camera command'),
      explanation: nullableString(v.explanation, 'virtual camera explanation'),
      canCreate: v.canCreate,
    },
    recordingsFolder: x.recordingsFolder,
    microphone: microphoneSpec(x.microphone),
    streamUrl: x.streamUrl,
    streamKeySaved: x.streamKeySaved,
  };
}

export function parseMicrophones(x: unknown): Microphone[] {
  if (!Array.isArray(x)) throw new ContractError('microphone list must be an array');
  return Array.from(x as unknown[], (m) => {
    if (!isRecord(m) || typeof m.label !== 'string') throw new ContractError('microphone entry needs a label');
    return { spec: microphoneSpec(m.spec), label: m.label };
  });
}
