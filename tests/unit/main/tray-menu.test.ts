import { describe, expect, it } from 'vitest';
import type { BackgroundEntry } from '../../../src/common/contract';
import { runAppAction, type AppAction, type AppActionEffects } from '../../../src/main/app-actions';
import { OutputNotConnectedError, unconnectedOutputs, type OutputControls, type OutputState } from '../../../src/main/outputs';
import { buildPresets } from '../../../src/main/presets';
import { trayMenuModel, type TrayMenuEntry, type TrayState } from '../../../src/main/tray-menu';

const ENTRIES: BackgroundEntry[] = [
  { id: 'image:dusk.png', label: 'Dusk', background: { kind: 'image', path: '/res/dusk.png' } },
  { id: 'user:beach.mp4', label: 'Beach', background: { kind: 'video', path: '/data/beach.mp4' }, source: 'user' },
];
const IDLE: OutputState = { virtualCamera: 'off', recording: false, streaming: false };

function state(over: Partial<TrayState> = {}): TrayState {
  return { presets: buildPresets(ENTRIES), active: { kind: 'image', path: '/res/dusk.png' }, outputs: IDLE, windowVisible: true, people: 'all', ...over };
}

/** The menu as lines a person would read: "[x] Dusk", "---", "Quit Backdrop (disabled)". */
function lines(entries: TrayMenuEntry[]): string[] {
  return entries.map((e) => {
    if (e.kind === 'separator') return '---';
    if (e.kind === 'heading') return `# ${e.label}`;
    if (e.kind === 'check') return `${e.checked ? '[x]' : '[ ]'} ${e.label}`;
    return e.enabled ? e.label : `${e.label} (disabled)`;
  });
}

describe('tray menu model', () => {
  it('lists every preset by group with the active one checked, then outputs, window and quit', () => {
    expect(lines(trayMenuModel(state()))).toEqual([
      '# Background',
      '[ ] No background',
      '[ ] Blur (light)',
      '[ ] Blur (strong)',
      '---',
      '[x] Dusk',
      '---',
      '[ ] Beach',
      '---',
      '[ ] Grey',
      '[ ] White',
      '[ ] Black',
      '[ ] Green screen',
      '---',
      '# Who stays in the picture',
      '[x] Everyone',
      '[ ] Only me',
      '[ ] People I pick',
      '---',
      '[ ] Virtual camera',
      'Start recording',
      'Start streaming',
      '---',
      'Hide Backdrop',
      'Quit Backdrop',
    ]);
  });

  it('checks nothing while a hand-set background is in use', () => {
    const checked = trayMenuModel(state({ active: { kind: 'blur', strength: 0.6 } })).filter((e) => e.kind === 'check' && e.checked && e.action.type === 'apply-background');
    expect(checked).toEqual([]);
  });

  it('hands back the preset background as the click action', () => {
    const beach = trayMenuModel(state()).find((e) => e.kind === 'check' && e.label === 'Beach');
    expect(beach).toMatchObject({ action: { type: 'apply-background', background: { kind: 'video', path: '/data/beach.mp4' } } });
  });

  it('checks the saved people mode and hands back the mode clicked', () => {
    const people = trayMenuModel(state({ people: 'main' })).filter((e) => e.kind === 'check' && e.action.type === 'set-people');
    expect(lines(people)).toEqual(['[ ] Everyone', '[x] Only me', '[ ] People I pick']);
    expect(people.map((e) => ('action' in e ? e.action : null))).toEqual([
      { type: 'set-people', people: 'all' },
      { type: 'set-people', people: 'main' },
      { type: 'set-people', people: 'pick' },
    ]);
  });

  it('follows the outputs: camera on, recording and streaming running', () => {
    const model = trayMenuModel(state({ outputs: { virtualCamera: 'on', recording: true, streaming: true } }));
    const tail = model.slice(-7);
    expect(lines(tail)).toEqual(['---', '[x] Virtual camera', 'Stop recording', 'Stop streaming', '---', 'Hide Backdrop', 'Quit Backdrop']);
    expect(tail.map((e) => ('action' in e ? e.action : null))).toEqual([
      null,
      { type: 'set-virtual-camera', on: false },
      { type: 'stop-recording' },
      { type: 'stop-streaming' },
      null,
      { type: 'hide-window' },
      { type: 'quit' },
    ]);
  });

  it('offers to turn the camera on when off, and nothing when there is no loopback device', () => {
    const camera = (vc: OutputState['virtualCamera']) => trayMenuModel(state({ outputs: { ...IDLE, virtualCamera: vc } })).find((e) => 'label' in e && e.label.startsWith('Virtual camera'));
    expect(camera('off')).toEqual({ kind: 'check', label: 'Virtual camera', checked: false, action: { type: 'set-virtual-camera', on: true } });
    expect(camera('unavailable')).toEqual({ kind: 'item', label: 'Virtual camera unavailable', enabled: false, action: null });
  });

  it('offers to show a hidden window', () => {
    expect(trayMenuModel(state({ windowVisible: false })).at(-2)).toEqual({ kind: 'item', label: 'Show Backdrop', enabled: true, action: { type: 'show-window' } });
  });
});

describe('running tray actions', () => {
  function effects(outputs: OutputControls = unconnectedOutputs()) {
    const calls: string[] = [];
    const fx: AppActionEffects = {
      applyBackground: (bg) => void calls.push(`apply ${bg.kind}`),
      setPeople: async (people) => void calls.push(`people ${people}`),
      outputs,
      showWindow: () => void calls.push('show'),
      hideWindow: () => void calls.push('hide'),
      quit: () => void calls.push('quit'),
    };
    return { fx, calls };
  }

  it('sends each action to its effect', async () => {
    const { fx, calls } = effects();
    const actions: AppAction[] = [
      { type: 'apply-background', background: { kind: 'none' } },
      { type: 'set-people', people: 'main' },
      { type: 'hide-window' },
      { type: 'show-window' },
      { type: 'quit' },
    ];
    for (const action of actions) await runAppAction(action, fx);
    expect(calls).toEqual(['apply none', 'people main', 'hide', 'show', 'quit']);
  });

  it('drives the outputs through their controls', async () => {
    const done: string[] = [];
    const outputs: OutputControls = {
      state: () => IDLE,
      onChange: () => () => undefined,
      setVirtualCamera: async (on) => void done.push(`camera ${on}`),
      startRecording: async () => void done.push('record'),
      stopRecording: async () => void done.push('stop record'),
      startStreaming: async () => void done.push('stream'),
      stopStreaming: async () => void done.push('stop stream'),
    };
    const { fx } = effects(outputs);
    const actions: AppAction[] = [
      { type: 'set-virtual-camera', on: true },
      { type: 'start-recording' },
      { type: 'stop-recording' },
      { type: 'start-streaming' },
      { type: 'stop-streaming' },
    ];
    for (const action of actions) await runAppAction(action, fx);
    expect(done).toEqual(['camera true', 'record', 'stop record', 'stream', 'stop stream']);
  });

  it('rejects with the output named while no sink is connected', async () => {
    const { fx } = effects();
    await expect(runAppAction({ type: 'start-recording' }, fx)).rejects.toThrow(OutputNotConnectedError);
    await expect(runAppAction({ type: 'set-virtual-camera', on: true }, fx)).rejects.toThrow(/virtual camera is not connected/);
    expect(unconnectedOutputs().state()).toEqual({ virtualCamera: 'unavailable', recording: false, streaming: false });
  });
});
