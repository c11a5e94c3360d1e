import { describe, expect, it } from 'vitest';
import { AcceleratorError, chordOf, findConflicts, formatAccelerator, keyboardFamily, parseAccelerator } from '../../src/common/accelerator';
import { ContractError, DEFAULT_HOTKEYS, parseHotkeyStatuses, parseHotkeys, type HotkeyAction, type HotkeyBindings } from '../../src/common/contract';
import { GlobalHotkeys, hotkeyProblemSummary, type ShortcutRegistrar } from '../../src/main/global-hotkeys';
import { checkHotkeyDraft, draftFromBindings } from '../../src/renderer/components/hotkey-draft';
import { acceleratorFromKeys, displayAccelerator } from '../../src/renderer/components/status-format';

describe('accelerator parsing', () => {
  it('normalises aliases, case and modifier order', () => {
    expect(formatAccelerator(parseAccelerator('shift+ctrl+r'))).toBe('Control+Shift+R');
    expect(formatAccelerator(parseAccelerator('Alt+CmdOrCtrl+Right'))).toBe('CommandOrControl+Alt+Right');
    expect(formatAccelerator(parseAccelerator('Option+Meta+esc'))).toBe('Super+Alt+Escape');
    expect(formatAccelerator(parseAccelerator('Ctrl+Alt+enter'))).toBe('Control+Alt+Return');
    expect(formatAccelerator(parseAccelerator('Ctrl+Alt+Plus'))).toBe('Control+Alt+Plus');
    expect(formatAccelerator(parseAccelerator('Ctrl+/'))).toBe('Control+/');
    expect(formatAccelerator(parseAccelerator('ctrl+num5'))).toBe('Control+num5');
  });

  it('lets keys that type nothing stand alone', () => {
    expect(parseAccelerator('F9')).toEqual({ modifiers: [], key: 'F9' });
    expect(parseAccelerator('Shift+F24')).toEqual({ modifiers: ['Shift'], key: 'F24' });
    expect(parseAccelerator('MediaPlayPause').key).toBe('MediaPlayPause');
  });

  it.each([
    ['', /1 to 100 characters/],
    ['R', /needs Ctrl, Alt, Super or Command/],
    ['Shift+R', /needs Ctrl, Alt, Super or Command/],
    ['Ctrl+Alt', /no key, only modifiers/],
    ['Ctrl++A', /empty part .*Plus/],
    ['Ctrl+Ctrl+A', /names Control twice/],
    ['Ctrl+A+B', /"A" where a modifier/],
    ['Ctrl+Hyper+A', /"Hyper" where a modifier/],
    ['Ctrl+F25', /unknown key "F25"/],
    ['Ctrl+Banana', /unknown key "Banana"/],
  ])('refuses %j', (text, reason) => {
    expect(() => parseAccelerator(text)).toThrow(AcceleratorError);
    expect(() => parseAccelerator(text)).toThrow(reason);
  });

  it('maps CommandOrControl per platform and Command to the same key as Super', () => {
    const cmdOrCtrl = parseAccelerator('CommandOrControl+Alt+R');
    expect(chordOf(cmdOrCtrl, 'mac')).toBe('alt+meta+r');
    expect(chordOf(cmdOrCtrl, 'other')).toBe('alt+ctrl+r');
    expect(chordOf(parseAccelerator('Command+X'), 'other')).toBe(chordOf(parseAccelerator('Super+X'), 'other'));
    expect(keyboardFamily('darwin')).toBe('mac');
    expect(keyboardFamily('linux')).toBe('other');
    expect(keyboardFamily('win32')).toBe('other');
  });

  it('finds chords that collide on one platform family only', () => {
    const bind = (name: string, text: string) => ({ name, accelerator: parseAccelerator(text) });
    expect(findConflicts([bind('a', 'CmdOrCtrl+Alt+R'), bind('b', 'Ctrl+Alt+R')])).toEqual([{ names: ['a', 'b'], family: 'other', chord: 'alt+ctrl+r' }]);
    expect(findConflicts([bind('a', 'CmdOrCtrl+Alt+R'), bind('b', 'Super+Alt+R')])).toEqual([{ names: ['a', 'b'], family: 'mac', chord: 'alt+meta+r' }]);
    expect(findConflicts([bind('a', 'Ctrl+Alt+R'), bind('b', 'Ctrl+Shift+R'), bind('c', 'Alt+Ctrl+r')])).toEqual([
      { names: ['a', 'c'], family: 'mac', chord: 'alt+ctrl+r' },
    ]);
  });
});

describe('hotkey settings schema', () => {
  it('accepts the defaults and unbound actions, normalising the spelling', () => {
    expect(parseHotkeys(DEFAULT_HOTKEYS)).toEqual(DEFAULT_HOTKEYS);
    expect(parseHotkeys({ ...DEFAULT_HOTKEYS, nextPreset: 'alt+ctrl+right', toggleRecording: null })).toEqual({
      ...DEFAULT_HOTKEYS,
      nextPreset: 'Control+Alt+Right',
      toggleRecording: null,
    });
  });

  it('names the action and the reason of a bad binding', () => {
    expect(() => parseHotkeys({ ...DEFAULT_HOTKEYS, backgroundOff: 'B' })).toThrow(/backgroundOff: hotkey "B" needs Ctrl/);
    expect(() => parseHotkeys({ ...DEFAULT_HOTKEYS, backgroundOff: 3 })).toThrow(/backgroundOff must be an accelerator string or null/);
    expect(() => parseHotkeys({ ...DEFAULT_HOTKEYS, launchRocket: 'Ctrl+Alt+L' })).toThrow(/hotkey action must be one of/);
    const { toggleRecording: _, ...missing } = DEFAULT_HOTKEYS;
    expect(() => parseHotkeys(missing)).toThrow(/toggleRecording must be an accelerator string or null/);
    expect(() => parseHotkeys([])).toThrow(ContractError);
  });

  it('refuses two actions on the same keys, on any platform', () => {
    expect(() => parseHotkeys({ ...DEFAULT_HOTKEYS, previousPreset: 'Ctrl+Alt+N' })).toThrow(
      /nextPreset and previousPreset press the same keys \(alt\+ctrl\+n on Windows and Linux\)/,
    );
  });

  it('validates statuses main reports', () => {
    expect(parseHotkeyStatuses([{ action: 'nextPreset', accelerator: null, state: 'unbound', message: null }])).toHaveLength(1);
    expect(() => parseHotkeyStatuses([{ action: 'nextPreset', accelerator: null, state: 'grabbed', message: null }])).toThrow(/hotkey state/);
  });
});

/** A globalShortcut stand-in: chords in `takenElsewhere` belong to another app, 'Ctrl+Alt+Boom' makes it throw. */
function fakeRegistrar(takenElsewhere: string[] = []) {
  const held = new Map<string, () => void>();
  const registrar: ShortcutRegistrar = {
    register(accelerator, callback) {
      if (accelerator === 'Control+Alt+F1') throw new Error('accelerator not supported here');
      if (takenElsewhere.includes(accelerator) || held.has(accelerator)) return false;
      held.set(accelerator, callback);
      return true;
    },
    unregister: (accelerator) => void held.delete(accelerator),
  };
  return { registrar, held, press: (accelerator: string) => held.get(accelerator)?.() };
}

describe('global hotkey registration', () => {
  it('claims every bound action and calls back with the action pressed', () => {
    const { registrar, held, press } = fakeRegistrar();
    const pressed: HotkeyAction[] = [];
    const hotkeys = new GlobalHotkeys(registrar, (a) => pressed.push(a));
    const statuses = hotkeys.apply({ ...DEFAULT_HOTKEYS, toggleRecording: null });
    expect(statuses.map((s) => s.state)).toEqual(['registered', 'registered', 'registered', 'unbound']);
    expect([...held.keys()].sort()).toEqual(['CommandOrControl+Alt+B', 'CommandOrControl+Alt+N', 'CommandOrControl+Alt+P']);
    press('CommandOrControl+Alt+P');
    press('CommandOrControl+Alt+N');
    expect(pressed).toEqual(['previousPreset', 'nextPreset']);
    expect(hotkeyProblemSummary(statuses)).toBeNull();
  });

  it('says which hotkey another app holds and which the system refused', () => {
    const { registrar } = fakeRegistrar(['CommandOrControl+Alt+R']);
    const hotkeys = new GlobalHotkeys(registrar, () => undefined);
    const bindings: HotkeyBindings = { ...DEFAULT_HOTKEYS, backgroundOff: 'Control+Alt+F1' };
    const statuses = hotkeys.apply(bindings);
    expect(statuses.find((s) => s.action === 'toggleRecording')).toEqual({
      action: 'toggleRecording',
      accelerator: 'CommandOrControl+Alt+R',
      state: 'taken',
      message: 'CommandOrControl+Alt+R is already used by another application; pick another key for Start / stop recording.',
    });
    expect(statuses.find((s) => s.action === 'backgroundOff')).toMatchObject({ state: 'failed', message: /accelerator not supported here/ });
    expect(hotkeyProblemSummary(statuses)).toBe(
      "Some hotkeys do not work: Background off / back on (Control+Alt+F1), Start / stop recording (CommandOrControl+Alt+R). Change them in Backdrop's hotkey settings.",
    );
  });

  it('releases its old chords when the bindings change, and all of them on clear', () => {
    const { registrar, held } = fakeRegistrar();
    const hotkeys = new GlobalHotkeys(registrar, () => undefined);
    hotkeys.apply(DEFAULT_HOTKEYS);
    hotkeys.apply({ nextPreset: 'Control+Shift+Alt+Right', previousPreset: null, backgroundOff: null, toggleRecording: null });
    expect([...held.keys()]).toEqual(['Control+Shift+Alt+Right']);
    hotkeys.clear();
    expect(held.size).toBe(0);
  });

  it('never releases a chord it did not get (another app keeps its hotkey)', () => {
    const { registrar } = fakeRegistrar(['CommandOrControl+Alt+N']);
    const released: string[] = [];
    const hotkeys = new GlobalHotkeys({ ...registrar, unregister: (a) => void released.push(a) }, () => undefined);
    hotkeys.apply(DEFAULT_HOTKEYS);
    hotkeys.clear();
    expect(released.sort()).toEqual(['CommandOrControl+Alt+B', 'CommandOrControl+Alt+P', 'CommandOrControl+Alt+R']);
  });
});

describe('hotkey form', () => {
  it('turns valid fields into normalised bindings, empty meaning unbound', () => {
    const draft = { ...draftFromBindings(DEFAULT_HOTKEYS), nextPreset: ' alt+ctrl+pageup ', toggleRecording: '' };
    expect(checkHotkeyDraft(draft, DEFAULT_HOTKEYS)).toEqual({
      bindings: { ...DEFAULT_HOTKEYS, nextPreset: 'Control+Alt+PageUp', toggleRecording: null },
      errors: {},
    });
  });

  it('shows shortcuts as the platform writes them, and a field left alone keeps its saved accelerator', () => {
    expect(draftFromBindings(DEFAULT_HOTKEYS).nextPreset).toBe('Ctrl+Alt+N');
    expect(draftFromBindings({ ...DEFAULT_HOTKEYS, nextPreset: 'CommandOrControl+Shift+B' }, 'mac').nextPreset).toBe('⇧⌘B');
    expect(displayAccelerator('Control+Shift+B', 'other')).toBe('Ctrl+Shift+B');
    const mac = draftFromBindings(DEFAULT_HOTKEYS, 'mac');
    expect(mac.backgroundOff).toBe('⌥⌘B');
    expect(checkHotkeyDraft({ ...mac, toggleRecording: '⌃⇧R' }, DEFAULT_HOTKEYS, 'mac').bindings).toEqual({ ...DEFAULT_HOTKEYS, toggleRecording: 'Control+Shift+R' });
  });

  it('records a pressed chord as an accelerator', () => {
    const press = { key: 'b', code: 'KeyB', ctrlKey: true, altKey: false, shiftKey: true, metaKey: false };
    expect(acceleratorFromKeys(press, 'other')).toBe('Control+Shift+B');
    expect(acceleratorFromKeys({ ...press, ctrlKey: false, metaKey: true }, 'mac')).toBe('Command+Shift+B');
    expect(acceleratorFromKeys({ ...press, key: 'Shift', code: 'ShiftLeft' }, 'other')).toBeNull();
  });

  it('explains each bad field and marks both sides of a clash', () => {
    const draft = { nextPreset: 'Ctrl+Alt+N', previousPreset: 'Control+Alt+N', backgroundOff: 'B', toggleRecording: 'Ctrl+Alt+R' };
    expect(checkHotkeyDraft(draft)).toEqual({
      bindings: null,
      errors: {
        nextPreset: 'same keys as Previous background',
        previousPreset: 'same keys as Next background',
        backgroundOff: 'B needs Ctrl, Alt, Super or Command: a global hotkey without one would take that key from every other app',
      },
    });
  });
});
