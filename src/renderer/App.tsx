import * as Tabs from '@radix-ui/react-tabs';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AppSettings, Background, BackgroundEntry, EngineStats, HotkeyBindings, HotkeyStatus, MattingMode, Quality } from '../common/contract';
import { PeoplePanel } from './components/People';
import { CameraCapture, type CaptureState } from './capture/camera-capture';
import { Gallery } from './components/Gallery';
import { Notices, addNotice, type Notice } from './components/Notices';
import { OutputsBar, useOutputs } from './components/Outputs';
import { SettingsPanel } from './components/SettingsPanel';
import { DetailsDrawer, StatusBar } from './components/StatusBar';
import { DropRate, keepUpAdvice } from './components/status-format';
import type { Host } from './host/host';
import { Preview } from './preview/Preview';
import { EngineLink, type EngineState } from './session/engine-link';

interface Live {
  link: EngineLink;
  capture: CameraCapture;
}

let noticeIds = 0;

/** After asking for another matting mode, the picker shows the request this long before trusting stats again. */
const MATTING_SETTLE_MS = 2500;
/** The key held to see the camera as it is, while it is held. */
const BEFORE_KEY = 'b';

function typingInto(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

export function App({ host, initialSettings }: { host: Host; initialSettings: AppSettings }) {
  const [settings, setSettings] = useState(initialSettings);
  const [live, setLive] = useState<Live | null>(null);
  const [engine, setEngine] = useState<EngineState | null>(null);
  const [camera, setCamera] = useState<CaptureState | null>(null);
  const [backgrounds, setBackgrounds] = useState<BackgroundEntry[]>([]);
  const [compare, setCompare] = useState(false);
  const [held, setHeld] = useState(false);
  const [notices, setNotices] = useState<Notice[]>([]);
  const [hotkeyStatuses, setHotkeyStatuses] = useState<HotkeyStatus[]>([]);
  const [adding, setAdding] = useState(false);
  const [detailsOpen, setDetailsOpen] = useState(false);
  const [dropRate, setDropRate] = useState(0);
  const [history, setHistory] = useState<EngineStats[]>([]);
  const [frameSize, setFrameSize] = useState<{ width: number; height: number } | null>(null);
  const [mattingAskedAt, setMattingAskedAt] = useState(0);
  const [dismissedAdvice, setDismissedAdvice] = useState<string | null>(null);
  const drops = useRef(new DropRate());
  const outputsState = useOutputs(host.outputs);

  const notify = useCallback((n: Omit<Notice, 'id'>) => setNotices((list) => addNotice(list, n, ++noticeIds)), []);
  const dismiss = useCallback((key: string) => setNotices((list) => list.filter((n) => n.key !== key)), []);

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
    const link = new EngineLink(host, {
      background: initialSettings.background,
      matting: initialSettings.matting,
      quality: initialSettings.quality,
      people: initialSettings.people,
      faceModel: initialSettings.faceModel,
    });
    const capture = new CameraCapture({ deviceId: initialSettings.cameraId, size: initialSettings.resolution });
    let lastSize = '';
    const offs = [
      link.onState(setEngine),
      link.onNotice((n) => notify({ kind: n.kind, key: n.code, message: n.message })),
      link.onFrameSettled(() => capture.release()),
      link.onOutput((frame) => {
        const size = `${frame.width}x${frame.height}`;
        if (size !== lastSize) {
          lastSize = size;
          setFrameSize({ width: frame.width, height: frame.height });
        }
      }),
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

  // A file dropped outside the gallery would make the page navigate to it; nothing else takes drops.
  useEffect(() => {
    const swallow = (e: DragEvent) => e.preventDefault();
    window.addEventListener('dragover', swallow);
    window.addEventListener('drop', swallow);
    return () => {
      window.removeEventListener('dragover', swallow);
      window.removeEventListener('drop', swallow);
    };
  }, []);

  // Hold B to see the camera as it is; let go to see the result again.
  useEffect(() => {
    const down = (e: KeyboardEvent) => {
      if (e.key.toLowerCase() !== BEFORE_KEY || e.ctrlKey || e.altKey || e.metaKey || typingInto(e.target)) return;
      setHeld(true);
    };
    const up = (e: KeyboardEvent) => {
      if (e.key.toLowerCase() === BEFORE_KEY) setHeld(false);
    };
    const blur = () => setHeld(false);
    window.addEventListener('keydown', down);
    window.addEventListener('keyup', up);
    window.addEventListener('blur', blur);
    return () => {
      window.removeEventListener('keydown', down);
      window.removeEventListener('keyup', up);
      window.removeEventListener('blur', blur);
    };
  }, []);

  // Who stays and the face model take effect as saved, whether the window or the tray changed them.
  useEffect(() => live?.link.setPeople(settings.people), [live, settings.people]);
  useEffect(() => live?.link.setFaceModel(settings.faceModel), [live, settings.faceModel]);

  // A background is saved only once the engine confirmed it: a rejected one never becomes the default.
  // The engine's confirmation also answers an earlier refusal, so its message goes.
  const confirmed = engine?.background;
  useEffect(() => {
    if (confirmed && JSON.stringify(confirmed) !== JSON.stringify(settings.background)) persist({ background: confirmed });
  }, [confirmed, settings.background, persist]);
  useEffect(() => {
    if (confirmed) dismiss('background-unreadable');
  }, [confirmed, dismiss]);

  // Figures arrive once a second: drops become a rate, and the last few tell whether the machine keeps up.
  const stats = engine?.stats ?? null;
  const cameraDropped = camera?.dropped ?? 0;
  useEffect(() => {
    if (!stats) {
      setHistory([]);
      return;
    }
    setDropRate(drops.current.note(performance.now(), stats.dropped + cameraDropped));
    setHistory((h) => [...h.slice(-7), stats]);
    // cameraDropped is read with the stats it arrived beside; a change of it alone is not a new sample.
  }, [stats]);

  const advice = useMemo(() => keepUpAdvice(history, settings, { dropRate, frame: frameSize }), [history, settings, dropRate, frameSize]);
  const adviceKey = `${settings.resolution.width}x${settings.resolution.height}/${settings.quality}/${settings.matting}`;

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
    setHistory([]);
    void live.capture.open({ deviceId: next.cameraId, size: next.resolution });
  };
  const setQuality = (quality: Quality) => {
    live.link.setQuality(quality);
    persist({ quality });
    setHistory([]);
  };
  const setMatting = (matting: MattingMode) => {
    live.link.setMatting(matting);
    persist({ matting });
    setMattingAskedAt(performance.now());
    setHistory([]);
  };

  const settling = performance.now() - mattingAskedAt < MATTING_SETTLE_MS;
  const shownMatting: MattingMode = !stats || settling ? settings.matting : stats.matting;
  const view = held || compare ? 'before' : 'after';
  const showAdvice = advice && dismissedAdvice !== adviceKey;

  return (
    <div className="app">
      <header className="topbar">
        <h1 className="brand">Backdrop</h1>
        <StatusBar engine={engine} quality={settings.quality} dropRate={dropRate} detailsOpen={detailsOpen} onToggleDetails={() => setDetailsOpen((o) => !o)} />
      </header>
      <main className="workspace">
        <section className="stage-col" aria-label="Preview and outputs">
          <Preview
            subscribe={subscribeOutput}
            stream={camera.stream}
            view={view}
            mirrored={settings.mirrorPreview}
            onPick={settings.people === 'pick' ? (point) => live.link.pickPerson(point) : undefined}
          >
            <div className="preview-tools">
              <button
                type="button"
                className="btn overlay small"
                data-testid="before-after"
                aria-pressed={view === 'before'}
                aria-keyshortcuts="B"
                title="Click to compare, or hold B"
                onClick={() => setCompare((c) => !c)}
              >
                {view === 'before' ? 'Before · camera' : 'After · result'}
              </button>
              <span className="kbd-hint" aria-hidden="true">
                hold <kbd>B</kbd> for before
              </span>
            </div>
            <Notices notices={notices} onDismiss={(id) => setNotices((list) => list.filter((n) => n.id !== id))} />
            {camera.problem && (
              <p className="camera-problem" role="alert" data-testid="camera-problem" data-code={camera.problem.code}>
                {camera.problem.message}
              </p>
            )}
            {showAdvice && (
              <div className="keepup" role="status" data-testid="keep-up">
                <span>{advice.message}</span>
                {advice.offers.includes('lower-resolution') && (
                  <button type="button" className="btn primary small" data-testid="keep-up-resolution" onClick={() => reopen({ resolution: { width: 640, height: 360 } })}>
                    Use 640×360
                  </button>
                )}
                {advice.offers.includes('lower-quality') && (
                  <button
                    type="button"
                    className="btn small"
                    data-testid="keep-up-quality"
                    onClick={() => {
                      if (settings.matting === 'full') setMatting('light');
                      setQuality('performance');
                    }}
                  >
                    Use Performance
                  </button>
                )}
                <button type="button" className="btn ghost small" onClick={() => setDismissedAdvice(adviceKey)}>
                  Not now
                </button>
              </div>
            )}
            {detailsOpen && <DetailsDrawer engine={engine} cameraDropped={cameraDropped} onClose={() => setDetailsOpen(false)} />}
          </Preview>
          <OutputsBar outputs={host.outputs} state={outputsState} />
        </section>
        <Tabs.Root className="side" defaultValue="background">
          <Tabs.List className="tabs" aria-label="Panels">
            <Tabs.Trigger className="tab" value="background" data-testid="tab-background">
              Background
            </Tabs.Trigger>
            <Tabs.Trigger className="tab" value="settings" data-testid="tab-settings">
              Settings
            </Tabs.Trigger>
          </Tabs.List>
          <Tabs.Content className="tab-panel" value="background" forceMount>
            <Gallery
              active={engine.background}
              entries={backgrounds}
              onRequest={(bg: Background) => live.link.setBackground(bg)}
              onAddFiles={library ? (files) => void addFiles(files) : undefined}
              onRemove={library ? removeEntry : undefined}
              adding={adding}
            />
            <PeoplePanel mode={settings.people} onChange={(people) => persist({ people })} />
          </Tabs.Content>
          <Tabs.Content className="tab-panel" value="settings" forceMount>
            <SettingsPanel
              settings={settings}
              stats={stats}
              shownMatting={shownMatting}
              devices={camera.devices}
              cameraId={camera.deviceId}
              frameSize={frameSize}
              desktop={host.kind === 'electron'}
              outputs={host.outputs}
              outputsState={outputsState}
              hotkeysAvailable={Boolean(host.hotkeys)}
              hotkeyStatuses={hotkeyStatuses}
              onCamera={(cameraId) => reopen({ cameraId })}
              onResolution={(resolution) => reopen({ resolution })}
              onQuality={setQuality}
              onMatting={setMatting}
              onPatch={persist}
              onSaveHotkeys={saveHotkeys}
            />
          </Tabs.Content>
        </Tabs.Root>
      </main>
    </div>
  );
}
