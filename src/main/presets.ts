/**
 * The presets the tray lists and the hotkeys step through: no background, two blurs, every bundled and
 * user-added picture or video, and a few solid colours. Pure: built from the background list main
 * already has, so the order and the cycling are tested without Electron or a disk.
 */
import type { Background, BackgroundEntry, Rgb } from '../common/contract';

export type PresetGroup = 'off' | 'blur' | 'picture' | 'video' | 'colour';

export interface Preset {
  id: string;
  label: string;
  group: PresetGroup;
  background: Background;
}

/** Blur strengths of the two blur presets (the contract's 0 is the lightest blur, 1 the strongest). */
export const BLUR_LIGHT = 0.25;
export const BLUR_STRONG = 1;

export const COLOUR_PRESETS: readonly { id: string; label: string; rgb: Rgb }[] = [
  { id: 'colour:grey', label: 'Grey', rgb: [128, 128, 128] },
  { id: 'colour:white', label: 'White', rgb: [245, 245, 245] },
  { id: 'colour:black', label: 'Black', rgb: [16, 16, 16] },
  // Broadcast chroma green, for keying the person again in OBS or an editor.
  { id: 'colour:green', label: 'Green screen', rgb: [0, 177, 64] },
];

/** Presets in menu order; `entries` are the bundled then the user's pictures and videos, as listed. */
export function buildPresets(entries: readonly BackgroundEntry[]): Preset[] {
  const media = (kind: 'image' | 'video'): Preset[] =>
    entries
      .filter((e) => e.background.kind === kind)
      .map((e) => ({ id: e.id, label: e.label, group: kind === 'image' ? 'picture' : 'video', background: e.background }));
  return [
    { id: 'none', label: 'No background', group: 'off', background: { kind: 'none' } },
    { id: 'blur:light', label: 'Blur (light)', group: 'blur', background: { kind: 'blur', strength: BLUR_LIGHT } },
    { id: 'blur:strong', label: 'Blur (strong)', group: 'blur', background: { kind: 'blur', strength: BLUR_STRONG } },
    ...media('image'),
    ...media('video'),
    ...COLOUR_PRESETS.map((c): Preset => ({ id: c.id, label: c.label, group: 'colour', background: { kind: 'colour', rgb: c.rgb } })),
  ];
}

export function sameBackground(a: Background, b: Background): boolean {
  switch (a.kind) {
    case 'none':
    case 'transparent':
      return b.kind === a.kind;
    case 'blur':
      return b.kind === 'blur' && b.strength === a.strength;
    case 'colour':
      return b.kind === 'colour' && a.rgb.every((v, i) => v === b.rgb[i]);
    case 'image':
    case 'video':
      return b.kind === a.kind && b.path === a.path;
  }
}

/** The preset showing `background`, or -1 for one set by hand (a slider blur, a typed path). */
export function presetIndex(presets: readonly Preset[], background: Background): number {
  return presets.findIndex((p) => sameBackground(p.background, background));
}

/**
 * The preset `step` places after the one in use, wrapping round. From a background that is no preset,
 * "next" starts at the first and "previous" at the last.
 */
export function cyclePreset(presets: readonly Preset[], current: Background, step: 1 | -1): Preset | null {
  if (presets.length === 0) return null;
  const at = presetIndex(presets, current);
  const from = at === -1 ? (step === 1 ? -1 : 0) : at;
  return presets[(from + step + presets.length) % presets.length];
}

/**
 * "Background off" as a toggle: off when something is shown, and back to what was shown before when
 * already off, so one key both hides a background for a moment and brings it back.
 */
export function backgroundOffTarget(current: Background, lastShown: Background | null): Background {
  if (current.kind !== 'none') return { kind: 'none' };
  return lastShown ?? { kind: 'none' };
}
