import { useEffect, useState } from 'react';
import type { Microphone, MicrophoneSpec, OutputsView } from '../../common/contract';
import type { OutputsHost } from '../host/host';
import { describeRecording, describeStream, microphoneValue } from './outputs-format';

/**
 * The virtual camera, recording and streaming. Main and the engine run them; this panel only shows
 * their state and asks for changes. Without a desktop host (the browser test page) it says so.
 */
export function Outputs({ outputs }: { outputs: OutputsHost | undefined }) {
  if (!outputs) {
    return (
      <fieldset className="outputs" data-testid="outputs">
        <legend>Outputs</legend>
        <p data-testid="outputs-unavailable">The virtual camera, recording and streaming need the Backdrop desktop app; this page only previews.</p>
      </fieldset>
    );
  }
  return <DesktopOutputs outputs={outputs} />;
}

function DesktopOutputs({ outputs }: { outputs: OutputsHost }) {
  const [view, setView] = useState<OutputsView | null>(null);
  const [mics, setMics] = useState<Microphone[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [url, setUrl] = useState('');
  const [key, setKey] = useState('');

  useEffect(() => {
    const off = outputs.onChanged(setView);
    outputs.view().then(setView, (e: Error) => setProblem(e.message));
    outputs.microphones().then(setMics, (e: Error) => setProblem(`Microphones unavailable: ${e.message}`));
    return off;
  }, [outputs]);

  const act = (action: () => Promise<OutputsView | void>) => {
    setProblem(null);
    action().then(
      (next) => next && setView(next),
      (e: Error) => setProblem(e.message),
    );
  };

  if (!view) {
    return (
      <fieldset className="outputs" data-testid="outputs">
        <legend>Outputs</legend>
        <p role="alert">{problem ?? 'Loading…'}</p>
      </fieldset>
    );
  }
  const { status } = view;
  const vcamOn = status.virtualCamera.state === 'on' || status.virtualCamera.state === 'waiting-for-frames';
  const recording = status.recording.state === 'recording' || status.recording.state === 'waiting-for-frames';
  const streaming = !['off', 'failed'].includes(status.stream.state);
  const pickMic = (value: string) => {
    const mic: MicrophoneSpec = mics.find((m) => microphoneValue(m.spec) === value)?.spec ?? { kind: 'none' };
    act(() => outputs.setMicrophone(mic));
  };

  return (
    <fieldset className="outputs" data-testid="outputs">
      <legend>Outputs</legend>
      {problem && (
        <p role="alert" className="problem" data-testid="outputs-problem">
          {problem}
        </p>
      )}

      <section data-testid="vcam">
        <h3>Virtual camera</h3>
        {view.virtualCamera.available || vcamOn ? (
          <label>
            <input type="checkbox" checked={vcamOn} onChange={(e) => act(() => outputs.setVirtualCamera(e.target.checked))} /> Send to the virtual camera
            {status.virtualCamera.device && ` (${status.virtualCamera.device})`}
          </label>
        ) : (
          <>
            <p>{view.virtualCamera.message}</p>
            {view.virtualCamera.command && <pre data-testid="vcam-command">{view.virtualCamera.command}</pre>}
            {view.virtualCamera.explanation && <p className="hint">{view.virtualCamera.explanation}</p>}
            {view.virtualCamera.canCreate && (
              <button type="button" onClick={() => act(() => outputs.createVirtualCamera())}>
                Create it (asks for your password)
              </button>
            )}
          </>
        )}
        {status.virtualCamera.error && <p className="problem">{status.virtualCamera.error}</p>}
        <p className="hint">The virtual camera is never mirrored, whatever the preview shows.</p>
      </section>

      <section data-testid="recording">
        <h3>Recording</h3>
        <label>
          Microphone{' '}
          <select value={microphoneValue(view.microphone)} disabled={recording || streaming} onChange={(e) => pickMic(e.target.value)}>
            <option value="none">None</option>
            {mics.map((m) => (
              <option key={microphoneValue(m.spec)} value={microphoneValue(m.spec)}>
                {m.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" data-testid="record" onClick={() => act(() => outputs.setRecording(!recording))}>
          {recording ? 'Stop recording' : 'Start recording'}
        </button>
        <button type="button" onClick={() => act(() => outputs.openFolder())}>
          Open folder
        </button>
        <p data-testid="recording-status">{describeRecording(status.recording)}</p>
        <p className="hint">Saved as MP4 in {view.recordingsFolder}</p>
      </section>

      <section data-testid="stream">
        <h3>Streaming</h3>
        <label>
          Server URL <input type="url" placeholder={view.streamUrl || 'rtmp://live.example.com/app or srt://host:port'} value={url} onChange={(e) => setUrl(e.target.value)} />
        </label>
        <label>
          Stream key <input type="password" autoComplete="off" placeholder={view.streamKeySaved ? 'saved (leave empty to keep)' : ''} value={key} onChange={(e) => setKey(e.target.value)} />
        </label>
        <button
          type="button"
          onClick={() =>
            act(async () => {
              const next = await outputs.saveStream(url.trim(), key.trim() === '' ? null : key.trim());
              setUrl('');
              setKey('');
              return next;
            })
          }
        >
          Save
        </button>
        <button type="button" data-testid="stream-toggle" onClick={() => act(() => outputs.setStreaming(!streaming))}>
          {streaming ? 'Stop streaming' : 'Start streaming'}
        </button>
        <p data-testid="stream-status">{describeStream(status.stream)}</p>
        <p className="hint">The key is encrypted with your system keyring and never stored in the settings file.</p>
      </section>
    </fieldset>
  );
}
