import { useCallback, useEffect, useState } from 'react';
import type { Microphone, MicrophoneSpec, OutputsView } from '../../common/contract';
import type { OutputsHost } from '../host/host';
import { describeStream, describeVirtualCamera, formatBytes, formatElapsed, microphoneValue, virtualCameraOn } from './outputs-format';
import { CopyButton, Dialog, Select, Switch } from './ui';

export interface OutputsState {
  view: OutputsView | null;
  mics: Microphone[];
  problem: string | null;
  act(action: () => Promise<OutputsView | void>): void;
  refresh(): void;
}

/** The desktop host's outputs as React state; null where the host has none (the browser test page). */
export function useOutputs(outputs: OutputsHost | undefined): OutputsState | null {
  const [view, setView] = useState<OutputsView | null>(null);
  const [mics, setMics] = useState<Microphone[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const refresh = useCallback(() => {
    outputs?.view().then(setView, (e: Error) => setProblem(e.message));
  }, [outputs]);
  useEffect(() => {
    if (!outputs) return;
    const off = outputs.onChanged(setView);
    refresh();
    outputs.microphones().then(setMics, (e: Error) => setProblem(`Microphones unavailable: ${e.message}`));
    return off;
  }, [outputs, refresh]);
  const act = useCallback((action: () => Promise<OutputsView | void>) => {
    setProblem(null);
    action().then(
      (next) => next && setView(next),
      (e: Error) => setProblem(e.message),
    );
  }, []);
  return outputs ? { view, mics, problem, act, refresh } : null;
}

function isRecording(view: OutputsView): boolean {
  return view.status.recording.state === 'recording' || view.status.recording.state === 'waiting-for-frames';
}
function isStreaming(view: OutputsView): boolean {
  return !['off', 'failed'].includes(view.status.stream.state);
}

/**
 * Virtual camera, Record and Stream: always on screen under the preview. Setting up the virtual camera
 * and the stream server are guided steps in dialogs. Without a desktop host the bar says what needs it.
 */
export function OutputsBar({ outputs, state }: { outputs: OutputsHost | undefined; state: OutputsState | null }) {
  const [dialog, setDialog] = useState<'vcam' | 'stream' | null>(null);
  if (!outputs || !state) {
    return (
      <section className="outputs-bar" data-testid="outputs" aria-label="Outputs">
        <div className="output-card" data-testid="vcam">
          <Switch label="Virtual camera" testId="vcam-toggle" checked={false} disabled onChange={() => undefined} />
          <p className="output-status">Desktop app only</p>
        </div>
        <div className="output-card" data-testid="recording">
          <button type="button" className="btn" data-testid="record" disabled>
            <span className="rec-dot" aria-hidden="true" /> Record
          </button>
          <p className="output-status">Desktop app only</p>
        </div>
        <div className="output-card" data-testid="stream">
          <button type="button" className="btn" data-testid="stream-toggle" disabled>
            Go live
          </button>
          <p className="output-status">Desktop app only</p>
        </div>
        <p className="outputs-note" data-testid="outputs-unavailable">
          The virtual camera, recording and streaming need the Backdrop desktop app; this page only previews.
        </p>
      </section>
    );
  }
  const { view, act, problem } = state;
  if (!view) {
    return (
      <section className="outputs-bar" data-testid="outputs" aria-label="Outputs">
        <p className="outputs-note" role={problem ? 'alert' : undefined}>
          {problem ?? 'Loading outputs…'}
        </p>
      </section>
    );
  }
  const { status } = view;
  const vcamOn = virtualCameraOn(status.virtualCamera);
  const vcamReady = view.virtualCamera.available || vcamOn;
  const recording = isRecording(view);
  const streaming = isStreaming(view);
  const r = status.recording;
  const s = status.stream;
  const streamConfigured = view.streamUrl !== '';

  return (
    <section className="outputs-bar" data-testid="outputs" aria-label="Outputs">
      <div className={`output-card${vcamOn ? ' on' : ''}`} data-testid="vcam">
        {vcamReady ? (
          <Switch label="Virtual camera" testId="vcam-toggle" checked={vcamOn} onChange={(on) => act(() => outputs.setVirtualCamera(on))} />
        ) : (
          <div className="field">
            <span className="card-title">Virtual camera</span>
            <button type="button" className="btn primary small" data-testid="vcam-setup" onClick={() => setDialog('vcam')}>
              Set up…
            </button>
          </div>
        )}
        <p className="output-status" data-testid="vcam-status" title={status.virtualCamera.error ?? undefined}>
          {describeVirtualCamera(status.virtualCamera, vcamReady)}
        </p>
      </div>

      <div className={`output-card${recording ? ' on rec' : ''}`} data-testid="recording">
        <div className="field">
          <button type="button" className={`btn${recording ? ' danger' : ''}`} data-testid="record" aria-pressed={recording} onClick={() => act(() => outputs.setRecording(!recording))}>
            <span className="rec-dot" aria-hidden="true" /> {recording ? 'Stop' : 'Record'}
          </button>
          <button type="button" className="btn ghost small" onClick={() => act(() => outputs.openFolder())} title={`Open ${view.recordingsFolder}`}>
            Folder
          </button>
        </div>
        <p className="output-status numeric" data-testid="recording-status" title={r.state === 'off' && r.path ? r.path : r.error ?? undefined}>
          {r.state === 'recording'
            ? `${formatElapsed(r.elapsedSec)} · ${formatBytes(r.bytes)}`
            : r.state === 'waiting-for-frames'
              ? 'Starting…'
              : r.state === 'finalising'
                ? 'Finishing the file…'
                : r.state === 'failed'
                  ? `Stopped: ${r.error ?? 'unknown error'}`
                  : r.path
                    ? `Saved ${r.path.split(/[\\/]/).pop()}`
                    : 'MP4 in your Videos folder'}
        </p>
      </div>

      <div className={`output-card${s.state === 'live' ? ' on' : ''}`} data-testid="stream">
        <div className="field">
          {streamConfigured || streaming ? (
            <button type="button" className={`btn${streaming ? ' danger' : ''}`} data-testid="stream-toggle" aria-pressed={streaming} onClick={() => act(() => outputs.setStreaming(!streaming))}>
              {streaming ? 'Stop stream' : 'Go live'}
            </button>
          ) : (
            <span className="card-title">Stream</span>
          )}
          <button type="button" className={`btn small${streamConfigured ? ' ghost' : ' primary'}`} data-testid="stream-setup" onClick={() => setDialog('stream')}>
            {streamConfigured ? 'Server…' : 'Set up…'}
          </button>
        </div>
        <p className="output-status" data-testid="stream-status" title={describeStream(s)}>
          {s.state === 'live'
            ? `Live${s.reconnects > 0 ? ` · reconnected ${s.reconnects}×` : ''}`
            : s.state === 'reconnecting'
              ? `Reconnecting in ${((s.retryInMs ?? 0) / 1000).toFixed(0)} s (try ${s.attempt})`
              : s.state === 'connecting'
                ? `Connecting (try ${s.attempt})…`
                : s.state === 'waiting-for-frames'
                  ? 'Starting…'
                  : s.state === 'failed'
                    ? `Stopped: ${s.error ?? 'unknown error'}`
                    : streamConfigured
                      ? 'Off'
                      : 'No server yet'}
        </p>
      </div>

      {problem && (
        <p className="outputs-note problem" role="alert" data-testid="outputs-problem">
          {problem}
        </p>
      )}

      <Dialog open={dialog === 'vcam'} title="Set up the virtual camera" onClose={() => setDialog(null)} testId="vcam-dialog">
        <VirtualCameraSetup view={view} onCreate={() => act(() => outputs.createVirtualCamera())} onCheck={() => state.refresh()} />
      </Dialog>
      <Dialog open={dialog === 'stream'} title="Stream server" onClose={() => setDialog(null)} testId="stream-dialog">
        <StreamSetup view={view} onSave={(url, key) => act(async () => {
          const next = await outputs.saveStream(url, key);
          setDialog(null);
          return next;
        })} />
      </Dialog>
    </section>
  );
}

function VirtualCameraSetup({ view, onCreate, onCheck }: { view: OutputsView; onCreate(): void; onCheck(): void }) {
  const v = view.virtualCamera;
  return (
    <ol className="steps">
      <li>
        <p>{v.message}</p>
      </li>
      {v.command && (
        <li>
          <p>Run this once in a terminal (it asks for your password):</p>
          <div className="command">
            <code data-testid="vcam-command">{v.command}</code>
            <CopyButton text={v.command} testId="vcam-copy" label="Copy command" />
          </div>
          {v.explanation && <p className="hint">{v.explanation}</p>}
          {v.canCreate && (
            <p>
              Or let Backdrop run it for you:{' '}
              <button type="button" className="btn small" onClick={onCreate}>
                Create it (asks for your password)
              </button>
            </p>
          )}
        </li>
      )}
      <li>
        <p>
          Then <button type="button" className="btn small" data-testid="vcam-check" onClick={onCheck}>Check again</button> and switch the virtual camera on.
          Pick “Backdrop” as the camera in Meet, Zoom or Teams; it is never mirrored.
        </p>
      </li>
    </ol>
  );
}

function StreamSetup({ view, onSave }: { view: OutputsView; onSave(url: string, key: string | null): void }) {
  const [url, setUrl] = useState('');
  const [key, setKey] = useState('');
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        onSave(url.trim(), key.trim() === '' ? null : key.trim());
      }}
    >
      <div className="field">
        <label htmlFor="stream-url">Server URL</label>
        <input id="stream-url" className="input" type="url" placeholder={view.streamUrl || 'rtmp://live.example.com/app or srt://host:port'} value={url} onChange={(e) => setUrl(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="stream-key">Stream key</label>
        <input id="stream-key" className="input" type="password" autoComplete="off" placeholder={view.streamKeySaved ? 'saved (leave empty to keep)' : ''} value={key} onChange={(e) => setKey(e.target.value)} />
      </div>
      <p className="hint">The key is encrypted with your system keyring and never stored in the settings file.</p>
      <button type="submit" className="btn primary">
        Save
      </button>
    </form>
  );
}

/** The microphone recordings and streams use; it cannot change while one runs. */
export function MicrophonePicker({ outputs, state }: { outputs: OutputsHost; state: OutputsState }) {
  const { view, mics, act } = state;
  if (!view) return null;
  const busy = isRecording(view) || isStreaming(view);
  return (
    <Select
      label="Microphone for recordings"
      testId="microphone"
      value={microphoneValue(view.microphone)}
      disabled={busy}
      options={[{ value: 'none', label: 'None' }, ...mics.map((m) => ({ value: microphoneValue(m.spec), label: m.label }))]}
      onChange={(value) => {
        const mic: MicrophoneSpec = mics.find((m) => microphoneValue(m.spec) === value)?.spec ?? { kind: 'none' };
        act(() => outputs.setMicrophone(mic));
      }}
      note={busy ? 'Stop recording and streaming to change it.' : undefined}
    />
  );
}
