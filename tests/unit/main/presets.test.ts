import { describe, expect, it } from 'vitest';
import type { Background, BackgroundEntry } from '../../../src/common/contract';
import { BackgroundTracker, actionForHotkey, type HotkeyContext } from '../../../src/main/app-actions';
import { BLUR_LIGHT, BLUR_STRONG, backgroundOffTarget, buildPresets, cyclePreset, presetIndex, sameBackground } from '../../../src/main/presets';

const ENTRIES: BackgroundEntry[] = [
  { id: 'image:dusk.png', label: 'Dusk', background: { kind: 'image', path: '/res/dusk.png' }, source: 'bundled' },
  { id: 'user:beach.mp4', label: 'Beach', background: { kind: 'video', path: '/data/beach.mp4' }, source: 'user' },
  { id: 'user:cat.jpg', label: 'Cat', background: { kind: 'image', path: '/data/cat.jpg' }, source: 'user' },
];

describe('preset list', () => {
  it('orders none, the blurs, pictures, videos, then colours', () => {
    expect(buildPresets(ENTRIES).map((p) => p.id)).toEqual([
      'none',
      'blur:light',
      'blur:strong',
      'image:dusk.png',
      'user:cat.jpg',
      'user:beach.mp4',
      'colour:grey',
      'colour:white',
      'colour:black',
      'colour:green',
    ]);
  });

  it('carries the blur strengths and the entries backgrounds unchanged', () => {
    const presets = buildPresets(ENTRIES);
    expect(presets[1].background).toEqual({ kind: 'blur', strength: BLUR_LIGHT });
    expect(presets[2].background).toEqual({ kind: 'blur', strength: BLUR_STRONG });
    expect(presets.find((p) => p.id === 'user:beach.mp4')).toEqual({ id: 'user:beach.mp4', label: 'Beach', group: 'video', background: ENTRIES[1].background });
  });

  it('still offers the built-in presets with no pictures at all', () => {
    expect(buildPresets([]).map((p) => p.group)).toEqual(['off', 'blur', 'blur', 'colour', 'colour', 'colour', 'colour']);
  });
});

describe('matching and cycling', () => {
  const presets = buildPresets(ENTRIES);

  it('compares backgrounds by value', () => {
    expect(sameBackground({ kind: 'colour', rgb: [1, 2, 3] }, { kind: 'colour', rgb: [1, 2, 3] })).toBe(true);
    expect(sameBackground({ kind: 'colour', rgb: [1, 2, 3] }, { kind: 'colour', rgb: [1, 2, 4] })).toBe(false);
    expect(sameBackground({ kind: 'image', path: '/a' }, { kind: 'video', path: '/a' })).toBe(false);
    expect(sameBackground({ kind: 'blur', strength: 0.25 }, { kind: 'blur', strength: 0.5 })).toBe(false);
    expect(sameBackground({ kind: 'none' }, { kind: 'transparent' })).toBe(false);
  });

  it('finds the preset in use, and none for a hand-set background', () => {
    expect(presetIndex(presets, { kind: 'video', path: '/data/beach.mp4' })).toBe(5);
    expect(presetIndex(presets, { kind: 'blur', strength: 0.5 })).toBe(-1);
    expect(presetIndex(presets, { kind: 'image', path: '/elsewhere/typed.png' })).toBe(-1);
  });

  it('steps forwards and backwards, wrapping at both ends', () => {
    expect(cyclePreset(presets, { kind: 'none' }, 1)?.id).toBe('blur:light');
    expect(cyclePreset(presets, { kind: 'none' }, -1)?.id).toBe('colour:green');
    expect(cyclePreset(presets, { kind: 'colour', rgb: [0, 177, 64] }, 1)?.id).toBe('none');
    expect(cyclePreset(presets, { kind: 'image', path: '/data/cat.jpg' }, -1)?.id).toBe('image:dusk.png');
  });

  it('starts from the first (next) or the last (previous) when the background is no preset', () => {
    const handSet: Background = { kind: 'blur', strength: 0.5 };
    expect(cyclePreset(presets, handSet, 1)?.id).toBe('none');
    expect(cyclePreset(presets, handSet, -1)?.id).toBe('colour:green');
    expect(cyclePreset([], handSet, 1)).toBeNull();
  });

  it('turns the background off, and back to the last one shown', () => {
    const dusk: Background = { kind: 'image', path: '/res/dusk.png' };
    expect(backgroundOffTarget(dusk, dusk)).toEqual({ kind: 'none' });
    expect(backgroundOffTarget({ kind: 'none' }, dusk)).toEqual(dusk);
    expect(backgroundOffTarget({ kind: 'none' }, null)).toEqual({ kind: 'none' });
  });
});

describe('hotkeys to actions', () => {
  const presets = buildPresets(ENTRIES);
  const ctx = (current: Background, over: Partial<HotkeyContext> = {}): HotkeyContext => ({
    presets,
    current,
    lastShown: null,
    outputs: { virtualCamera: 'off', recording: false, streaming: false },
    ...over,
  });

  it('maps next and previous to the neighbouring preset', () => {
    expect(actionForHotkey('nextPreset', ctx({ kind: 'none' }))).toEqual({ type: 'apply-background', background: { kind: 'blur', strength: BLUR_LIGHT } });
    expect(actionForHotkey('previousPreset', ctx({ kind: 'none' }))).toEqual({ type: 'apply-background', background: { kind: 'colour', rgb: [0, 177, 64] } });
    expect(actionForHotkey('nextPreset', ctx({ kind: 'none' }, { presets: [] }))).toBeNull();
  });

  it('toggles the background off and recording on and off', () => {
    const cat: Background = { kind: 'image', path: '/data/cat.jpg' };
    expect(actionForHotkey('backgroundOff', ctx(cat))).toEqual({ type: 'apply-background', background: { kind: 'none' } });
    expect(actionForHotkey('backgroundOff', ctx({ kind: 'none' }, { lastShown: cat }))).toEqual({ type: 'apply-background', background: cat });
    expect(actionForHotkey('toggleRecording', ctx(cat))).toEqual({ type: 'start-recording' });
    expect(actionForHotkey('toggleRecording', ctx(cat, { outputs: { virtualCamera: 'on', recording: true, streaming: false } }))).toEqual({ type: 'stop-recording' });
  });

  it('steps from the last request, so two quick presses move two presets', () => {
    const tracker = new BackgroundTracker({ kind: 'none' });
    for (let i = 0; i < 2; i++) {
      const action = actionForHotkey('nextPreset', ctx(tracker.current));
      if (action?.type === 'apply-background') tracker.note(action.background);
    }
    expect(tracker.current).toEqual({ kind: 'blur', strength: BLUR_STRONG });
    expect(tracker.lastShown).toEqual({ kind: 'blur', strength: BLUR_STRONG });
    tracker.note({ kind: 'none' });
    expect(tracker.lastShown).toEqual({ kind: 'blur', strength: BLUR_STRONG });
  });
});
