/** What the Outputs panel says about each output, as pure functions. */
import type { MicrophoneSpec, RecordingStatus, StreamRunStatus, VirtualCameraStatus } from '../../common/contract';

/** 75.4 -> "1:15"; an hour or more -> "1:02:03". */
export function formatElapsed(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** Decimal units, as file managers on Linux and macOS show sizes. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  if (bytes < 1e9) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${(bytes / 1e9).toFixed(2)} GB`;
}

/** Whether the virtual camera's switch shows on: it runs, read or idle, or waits for its first frame. */
export function virtualCameraOn(v: VirtualCameraStatus): boolean {
  return v.state === 'on' || v.state === 'idle' || v.state === 'waiting-for-frames';
}

/** The virtual camera's line; `ready` when a device exists to turn it on with. */
export function describeVirtualCamera(v: VirtualCameraStatus, ready: boolean): string {
  if (v.error) return `Failed: ${v.error}`;
  if (v.state === 'idle') return `Idle · no app is using ${v.device ?? 'it'}`;
  if (virtualCameraOn(v)) return `On · ${v.device ?? ''}`;
  return ready ? 'Off · never mirrored' : 'Not set up yet';
}

/** "0:12 · 3.4 MB · 2240 kb/s · 0 dropped" while recording; the outcome once it is over. */
export function describeRecording(r: RecordingStatus): string {
  switch (r.state) {
    case 'off':
      return r.path ? `Saved ${r.path}` : 'Not recording';
    case 'waiting-for-frames':
      return 'Waiting for the first frame…';
    case 'recording':
      return `${formatElapsed(r.elapsedSec)} · ${formatBytes(r.bytes)} · ${Math.round(r.bitrateKbps)} kb/s · ${r.dropped} dropped`;
    case 'finalising':
      return 'Finishing the file…';
    case 'failed':
      return `Recording stopped: ${r.error ?? 'unknown error'}${r.savedTo ? ` What was recorded is in ${r.savedTo}.` : ''}`;
  }
}

export function describeStream(s: StreamRunStatus): string {
  switch (s.state) {
    case 'off':
      return 'Not streaming';
    case 'waiting-for-frames':
      return 'Waiting for the first frame…';
    case 'connecting':
      return `Connecting to ${s.target ?? 'the server'} (attempt ${s.attempt})…`;
    case 'live':
      return `Live on ${s.target ?? 'the server'}${s.reconnects > 0 ? ` (reconnected ${s.reconnects}×)` : ''} · ${s.dropped} dropped`;
    case 'reconnecting':
      return `Connection lost: ${s.error ?? 'unknown error'}. Reconnecting in ${((s.retryInMs ?? 0) / 1000).toFixed(1)} s (attempt ${s.attempt}).`;
    case 'failed':
      return `Streaming stopped: ${s.error ?? 'unknown error'}`;
  }
}

/** A stable <option> value for a microphone. */
export function microphoneValue(mic: MicrophoneSpec): string {
  return mic.kind === 'none' ? 'none' : `${mic.kind}:${mic.device}`;
}
