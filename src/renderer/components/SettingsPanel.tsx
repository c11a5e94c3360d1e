import {
  FACE_MODEL_NAMES,
  MATTING_MODES,
  QUALITIES,
  RESOLUTIONS,
  type AppSettings,
  type EngineStats,
  type FaceModel,
  type HotkeyBindings,
  type HotkeyStatus,
  type MattingMode,
  type Quality,
} from '../../common/contract';
import type { CameraDevice } from '../capture/camera';
import type { OutputsHost } from '../host/host';
import { HotkeySettings } from './HotkeySettings';
import { MicrophonePicker, type OutputsState } from './Outputs';
import { MATTING_LABELS, QUALITY_LABELS, mattingFallback, qualityLabel } from './status-format';
import { Select, Switch } from './ui';

interface Props {
  settings: AppSettings;
  stats: EngineStats | null;
  /** Matting as the picker shows it: what runs, unless a change was just asked for. */
  shownMatting: MattingMode;
  devices: CameraDevice[];
  cameraId: string | null;
  /** The size the camera actually delivers, once frames come. */
  frameSize: { width: number; height: number } | null;
  desktop: boolean;
  outputs: OutputsHost | undefined;
  outputsState: OutputsState | null;
  hotkeysAvailable: boolean;
  hotkeyStatuses: HotkeyStatus[];
  onCamera(id: string): void;
  onResolution(size: { width: number; height: number }): void;
  onQuality(q: Quality): void;
  onMatting(m: MattingMode): void;
  onPatch(patch: Partial<AppSettings>): void;
  onSaveHotkeys(h: HotkeyBindings): void;
}

const FACE_MODEL_LABELS: Record<FaceModel, string> = {
  short: 'Near the camera (short range)',
  full: 'Across the room (full range, slower)',
};

const sizeKey = (r: { width: number; height: number }) => `${r.width}x${r.height}`;

export function SettingsPanel(p: Props) {
  const usable = p.devices.filter((d) => d.deviceId !== '');
  const running = p.stats?.quality ?? null;
  const fallback = mattingFallback(p.settings.matting, p.stats);
  const qualityNote =
    p.stats?.matting === 'off'
      ? 'Quality sets the matting resolution; matting is off.'
      : p.settings.quality === 'auto' && running && running !== 'auto'
        ? `Auto measured this computer and runs ${QUALITY_LABELS[running]}.`
        : p.stats && running !== p.settings.quality
          ? `Running ${QUALITY_LABELS[running ?? 'auto']}.`
          : undefined;
  const frameNote =
    p.frameSize && sizeKey(p.frameSize) !== sizeKey(p.settings.resolution) ? `The camera sends ${p.frameSize.width}×${p.frameSize.height}.` : undefined;

  return (
    <div className="stack settings" data-testid="settings">
      <fieldset className="group">
        <legend>Camera</legend>
        <Select
          label="Camera"
          testId="camera"
          value={p.cameraId ?? ''}
          disabled={usable.length === 0}
          options={usable.length === 0 ? [{ value: '', label: 'No camera' }] : usable.map((d) => ({ value: d.deviceId, label: d.label }))}
          onChange={p.onCamera}
        />
        <Select
          label="Resolution"
          testId="resolution"
          value={sizeKey(p.settings.resolution)}
          options={RESOLUTIONS.map((r) => ({ value: sizeKey(r), label: `${r.width}×${r.height} · 30 fps` }))}
          onChange={(v) => {
            const r = RESOLUTIONS.find((res) => sizeKey(res) === v);
            if (r) p.onResolution({ width: r.width, height: r.height });
          }}
          note={frameNote}
          noteTestId="resolution-running"
        />
        <Switch label="Mirror my preview" testId="mirror" checked={p.settings.mirrorPreview} onChange={(mirrorPreview) => p.onPatch({ mirrorPreview })} hint="Only what you see here; others never see you mirrored." />
      </fieldset>

      <fieldset className="group">
        <legend>Processing</legend>
        <Select
          label="Quality"
          testId="quality"
          value={p.settings.quality}
          options={QUALITIES.map((q) => ({ value: q, label: q === 'auto' ? qualityLabel('auto', running) : q === 'max' ? 'Max (slow)' : QUALITY_LABELS[q] }))}
          onChange={(v) => p.onQuality(v as Quality)}
          note={qualityNote}
          noteTestId="quality-running"
        />
        <Select
          label="Matting (hair and edges)"
          testId="matting"
          value={p.shownMatting}
          options={MATTING_MODES.map((m) => ({ value: m, label: MATTING_LABELS[m] }))}
          onChange={(v) => p.onMatting(v as MattingMode)}
          note={fallback ?? undefined}
          noteTestId="matting-fallback"
          noteKind="warn"
        />
        <Select
          label="Face detection"
          testId="face-model"
          value={p.settings.faceModel}
          options={FACE_MODEL_NAMES.map((m) => ({ value: m, label: FACE_MODEL_LABELS[m] }))}
          onChange={(v) => p.onPatch({ faceModel: v as FaceModel })}
          note="Tells people apart for Only me and People I pick. Full range finds people further from the camera."
        />
      </fieldset>

      {p.desktop && (
        <fieldset className="group">
          <legend>App</legend>
          <Switch label="Start in the tray" testId="start-in-tray" checked={p.settings.startInTray} onChange={(startInTray) => p.onPatch({ startInTray })} hint="Backdrop starts hidden; the tray icon shows the window." />
          {p.outputs && p.outputsState && <MicrophonePicker outputs={p.outputs} state={p.outputsState} />}
        </fieldset>
      )}

      <HotkeySettings available={p.hotkeysAvailable} value={p.settings.hotkeys} statuses={p.hotkeyStatuses} onSave={p.onSaveHotkeys} />
    </div>
  );
}
