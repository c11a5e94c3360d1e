/**
 * The tray menu as data, built from the presets and the app's state, so what it offers can be tested
 * without Electron; tray.ts turns it into a Menu and hands clicks back as AppActions.
 */
import { PEOPLE_LABELS, PEOPLE_MODES, type Background, type PeopleMode } from '../common/contract';
import type { AppAction } from './app-actions';
import type { OutputState } from './outputs';
import { presetIndex, type Preset, type PresetGroup } from './presets';

export type TrayMenuEntry =
  | { kind: 'heading'; label: string }
  | { kind: 'separator' }
  /** Shown with a check mark when `checked`. */
  | { kind: 'check'; label: string; checked: boolean; action: AppAction }
  | { kind: 'item'; label: string; enabled: boolean; action: AppAction | null };

export interface TrayState {
  presets: readonly Preset[];
  /** The background the engine confirmed; its preset, if it is one, is checked. */
  active: Background;
  outputs: OutputState;
  windowVisible: boolean;
  /** Who stays in the picture, as saved. */
  people: PeopleMode;
}

function presetEntries(presets: readonly Preset[], active: Background): TrayMenuEntry[] {
  const checked = presetIndex(presets, active);
  const entries: TrayMenuEntry[] = [{ kind: 'heading', label: 'Background' }];
  let group: PresetGroup | null = null;
  presets.forEach((preset, i) => {
    // Pictures, videos and colours each get their own block; none and the blurs share the first.
    if (group !== null && preset.group !== group && preset.group !== 'blur') entries.push({ kind: 'separator' });
    group = preset.group;
    entries.push({ kind: 'check', label: preset.label, checked: i === checked, action: { type: 'apply-background', background: preset.background } });
  });
  return entries;
}

function peopleEntries(people: PeopleMode): TrayMenuEntry[] {
  return [
    { kind: 'heading', label: 'Who stays in the picture' },
    ...PEOPLE_MODES.map((mode): TrayMenuEntry => ({ kind: 'check', label: PEOPLE_LABELS[mode], checked: mode === people, action: { type: 'set-people', people: mode } })),
  ];
}

function outputEntries(outputs: OutputState): TrayMenuEntry[] {
  return [
    outputs.virtualCamera === 'unavailable'
      ? { kind: 'item', label: 'Virtual camera unavailable', enabled: false, action: null }
      : { kind: 'check', label: 'Virtual camera', checked: outputs.virtualCamera === 'on', action: { type: 'set-virtual-camera', on: outputs.virtualCamera === 'off' } },
    outputs.recording
      ? { kind: 'item', label: 'Stop recording', enabled: true, action: { type: 'stop-recording' } }
      : { kind: 'item', label: 'Start recording', enabled: true, action: { type: 'start-recording' } },
    outputs.streaming
      ? { kind: 'item', label: 'Stop streaming', enabled: true, action: { type: 'stop-streaming' } }
      : { kind: 'item', label: 'Start streaming', enabled: true, action: { type: 'start-streaming' } },
  ];
}

export function trayMenuModel(state: TrayState): TrayMenuEntry[] {
  return [
    ...presetEntries(state.presets, state.active),
    { kind: 'separator' },
    ...peopleEntries(state.people),
    { kind: 'separator' },
    ...outputEntries(state.outputs),
    { kind: 'separator' },
    state.windowVisible
      ? { kind: 'item', label: 'Hide Backdrop', enabled: true, action: { type: 'hide-window' } }
      : { kind: 'item', label: 'Show Backdrop', enabled: true, action: { type: 'show-window' } },
    { kind: 'item', label: 'Quit Backdrop', enabled: true, action: { type: 'quit' } },
  ];
}
