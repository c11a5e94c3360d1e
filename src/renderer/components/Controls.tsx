import { MATTING_MODES, QUALITIES, RESOLUTIONS, type MattingMode, type Quality } from '../../common/contract';
import type { CameraDevice } from '../capture/camera';

export function CameraPicker(props: { devices: CameraDevice[]; value: string | null; onChange(id: string): void }) {
  const usable = props.devices.filter((d) => d.deviceId !== '');
  return (
    <label>
      Camera
      <select data-testid="camera" value={props.value ?? ''} disabled={usable.length === 0} onChange={(e) => props.onChange(e.target.value)}>
        {usable.length === 0 && <option value="">No camera</option>}
        {usable.map((d) => (
          <option key={d.deviceId} value={d.deviceId}>
            {d.label}
          </option>
        ))}
      </select>
    </label>
  );
}

export function ResolutionPicker(props: { value: { width: number; height: number }; onChange(size: { width: number; height: number }): void }) {
  const key = (r: { width: number; height: number }) => `${r.width}x${r.height}`;
  return (
    <label>
      Resolution
      <select
        data-testid="resolution"
        value={key(props.value)}
        onChange={(e) => {
          const r = RESOLUTIONS.find((res) => key(res) === e.target.value);
          if (r) props.onChange({ width: r.width, height: r.height });
        }}
      >
        {RESOLUTIONS.map((r) => (
          <option key={key(r)} value={key(r)}>
            {r.width}×{r.height} @ 30 fps
          </option>
        ))}
      </select>
    </label>
  );
}

export function MattingPicker(props: { value: MattingMode; onChange(m: MattingMode): void }) {
  return (
    <label>
      Matting
      <select data-testid="matting" value={props.value} onChange={(e) => props.onChange(e.target.value as MattingMode)}>
        {MATTING_MODES.map((m) => (
          <option key={m} value={m}>
            {m}
          </option>
        ))}
      </select>
    </label>
  );
}

export function QualityPicker(props: { value: Quality; onChange(q: Quality): void }) {
  return (
    <label>
      Quality
      <select data-testid="quality" value={props.value} onChange={(e) => props.onChange(e.target.value as Quality)}>
        {QUALITIES.map((q) => (
          <option key={q} value={q}>
            {q}
          </option>
        ))}
      </select>
    </label>
  );
}

export function Toggle(props: { label: string; testId: string; checked: boolean; onChange(v: boolean): void }) {
  return (
    <label>
      <input type="checkbox" data-testid={props.testId} checked={props.checked} onChange={(e) => props.onChange(e.target.checked)} />
      {props.label}
    </label>
  );
}
