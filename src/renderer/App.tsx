import { useCallback, useEffect, useState } from 'react';
import type { AppSettings, Background, BackgroundEntry, HotkeyBindings, HotkeyStatus, MattingMode, Quality } from '../common/contract';
import { CameraCapture, type CaptureState } from './capture/camera-capture';
import { BackgroundPicker } from './components/BackgroundPicker';
import { CameraPicker, MattingPicker, QualityPicker, ResolutionPicker, Toggle } from './components/Controls';
import { HotkeySettings } from './components/HotkeySettings';
import { Notices, addNotice, type Notice } from './components/Notices';
import { Outputs } from './components/Outputs';
import { StatsLine } from './components/StatsLine';
import type { Host } from './host/host';
import { Preview } from './preview/Preview';
import { EngineLink, type EngineState } from './session/engine-link';

interface Live {
  link: EngineLink;
  capture: CameraCapture;
}

let noticeIds = 0;

export function App({ host, initialSettings }: { host: Host; initialSettings: AppSettings }) {
  const [settings, setSettings] = useState(initialSettings);
  const [live, setLive] = useState<Live | null>(null);
  const [engine, setEngine] = useState<EngineState | null>(null);
  const [camera, setCamera] = useState<CaptureState | null>(null);
  const [backgrounds, setBackgrounds] = useState<BackgroundEntry[]>([]);
  const [view, setView] = useState<'before' | 'after'>('after');
  const [notices, setNotices] = useState<Notice[]>([]);
  const [hotkeyStatuses, setHotkeyStatuses] = useState<HotkeyStatus[]>([]);
  const [adding, setAdding] = useState(false);

  const notify = useCallback((n: Omit<Notice, 'id'>) => setNotices((list) => addNotice(list, n, ++noticeIds)), []);

  const refreshBackgrounds = useCallback(
    () =>
      host
        .listBackgrounds()
        .then(setBackgrounds)
        .catch((e: Error) => notify({ kind: 'error', key: 'backgrounds', message: `Backgrounds unavailable: ${e.message}` })),
    [host, notify],
  );

  const refreshHotkeys = useCallback(async () => {
    if (!host.hotkeys) return;
    const statuses = await host.hotkeys.status();
    setHotkeyStatuses(statuses);
    const problems = statuses.filter((s) => s.message !== null).map((s) => s.message);
    if (problems.length > 0) notify({ kind: 'error', key: 'hotkeys', message: problems.join(' ') });
  }, [host, notify]);

  const persist = useCallback(
    (patch: Partial<AppSettings>) => {
      setSettings((s) => ({ ...s, ...patch }));
      host.updateSettings(patch).catch((e: Error) => notify({ kind: 'error', key: 'settings', message: `Settings not saved: ${e.message}` }));
    },
    [host, notify],
  );

  useEffect(() => {
    const link = new EngineLink(host, { background: initialSettings.background, matting: initialSettings.matting, quality: initialSettings.quality });
    const capture = new CameraCapture({ deviceId: initialSettings.cameraId, size: initialSettings.resolution });
    const offs = [
      link.onState(setEngine),
      link.onNotice((n) => notify({ kind: n.kind, key: n.code, message: n.message })),
      link.onFrameSettled(() => capture.release()),
      capture.onState(setCamera),
      capture.onFrame((frame) => link.sendFrame(frame)),
      host.onSettingsChanged(setSettings),
    ];
    link.connect();
    void capture.open();
    void refreshBackgrounds();
    refreshHotkeys().catch((e: Error) => notify({ kind: 'error', key: 'hotkeys', message: `Hotkey status unavailable: ${e.message}` }));
    setLive({ link, capture });
    setEngine(link.current);
    setCamera(capture.current);
    return () => {
      offs.forEach((off) => off());
      capture.close();
      link.close();
    };
  }, [host, initialSettings, notify, refreshBackgrounds, refreshHotkeys]);

  // A file dropped outside the drop zone would make the page navigate to it; nothing else takes drops.
  useEffect(() => {
    const swallow = (e: DragEvent) => e.preventDefault();
    window.addEventListener('dragover', swallow);
    window.addEventListener('drop', swallow);
    return () => {
      window.removeEventListener('dragover', swallow);
      window.removeEventListener('drop', swallow);
    };
  }, []);

  // A background is saved only once the engine confirmed it: a rejected one never becomes the default.
  const confirmed = engine?.background;
  useEffect(() => {
    if (confirmed && JSON.stringify(confirmed) !== JSON.stringify(settings.background)) persist({ background: confirmed });
  }, [confirmed, settings.background, persist]);

  const subscribeOutput = useCallback((cb: Parameters<EngineLink['onOutput']>[0]) => live?.link.onOutput(cb) ?? (() => undefined), [live]);

  if (!live || !engine || !camera) return null;

  const library = host.userBackgrounds;
  const addFiles = async (files: File[]) => {
    if (!library) return;
    setAdding(true);
    try {
      for (const file of files) {
        const result = await library.add(file).catch((e: Error) => ({ ok: false as const, message: `${file.name} was not added: ${e.message}` }));
        if (!result.ok) notify({ kind: 'error', key: `add-${file.name}`, message: result.message });
        else notify({ kind: 'info', key: `add-${file.name}`, message: result.warning ?? `Added ${result.entry.label}.` });
      }
    } finally {
      setAdding(false);
      await refreshBackgrounds();
    }
  };
  const removeEntry = (entry: BackgroundEntry) => {
    library
      ?.remove(entry.id)
      .then(refreshBackgrounds)
      .catch((e: Error) => notify({ kind: 'error', key: `remove-${entry.id}`, message: e.message }));
  };
  const saveHotkeys = (hotkeys: HotkeyBindings) => {
    host
      .updateSettings({ hotkeys })
      .then((saved) => {
        setSettings(saved);
        return refreshHotkeys();
      })
      .catch((e: Error) => notify({ kind: 'error', key: 'hotkeys', message: `Hotkeys not saved: ${e.message}` }));
  };

  const reopen = (patch: Pick<AppSettings, 'cameraId'> | Pick<AppSettings, 'resolution'>) => {
    const next = { ...settings, ...patch };
    persist(patch);
    void live.capture.open({ deviceId: next.cameraId, size: next.resolution });
  };

  return (
    <main>
      <header>
        <h1>Backdrop</h1>
        <StatsLine engine={engine} cameraDropped={camera.dropped} />
      </header>
      {camera.problem && (
        <p className="camera-problem" role="alert" data-testid="camera-problem" data-code={camera.problem.code}>
          {camera.problem.message}
        </p>
      )}
      <Notices notices={notices} onDismiss={(id) => setNotices((list) => list.filter((n) => n.id !== id))} />
      <section className="layout">
        <Preview subscribe={subscribeOutput} stream={camera.stream} view={view} mirrored={settings.mirrorPreview} />
        <aside className="controls">
          <CameraPicker devices={camera.devices} value={camera.deviceId} onChange={(cameraId) => reopen({ cameraId })} />
          <ResolutionPicker value={settings.resolution} onChange={(resolution) => reopen({ resolution })} />
          <button type="button" data-testid="before-after" aria-pressed={view === 'before'} onClick={() => setView(view === 'after' ? 'before' : 'after')}>
            {view === 'after' ? 'Show camera (before)' : 'Show result (after)'}
          </button>
          <Toggle label="Mirror preview" testId="mirror" checked={settings.mirrorPreview} onChange={(mirrorPreview) => persist({ mirrorPreview })} />
          <BackgroundPicker
            active={engine.background}
            entries={backgrounds}
            onRequest={(bg: Background) => live.link.setBackground(bg)}
            onAddFiles={library ? (files) => void addFiles(files) : undefined}
            onRemove={library ? removeEntry : undefined}
            adding={adding}
          />
          <MattingPicker
            value={settings.matting}
            onChange={(matting: MattingMode) => {
              live.link.setMatting(matting);
              persist({ matting });
            }}
          />
          <QualityPicker
            value={settings.quality}
            onChange={(quality: Quality) => {
              live.link.setQuality(quality);
              persist({ quality });
            }}
          />
          <HotkeySettings available={Boolean(host.hotkeys)} value={settings.hotkeys} statuses={hotkeyStatuses} onSave={saveHotkeys} />
          <Outputs outputs={host.outputs} />
        </aside>
      </section>
    </main>
  );
}
