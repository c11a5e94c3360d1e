import { describe, expect, it } from 'vitest';
import { DEFAULT_CHANGE, frameChange, personRegion, type ChangeOptions } from '../../../../src/engine/pixels/change';

/** 3 planes of w x h, every value `v`. */
const planes = (w: number, h: number, v = 0.5) => new Float32Array(3 * w * h).fill(v);
const strict: ChangeOptions = { pixelChange: 0.05, personLevel: 0.5, margin: 0, personPixels: 0, sceneShare: 0 };

describe('personRegion', () => {
  it('is the mask at or above the level, grown by the margin in a square', () => {
    const mask = new Float32Array(25);
    mask[12] = 0.6; // the centre of 5x5
    mask[0] = 0.4; // below the level
    expect(Array.from(personRegion(mask, 5, 5, 0.5, 0))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(personRegion(mask, 5, 5, 0.5, 1))).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    expect(personRegion(mask, 5, 5, 0.5, 2).every((v) => v === 1)).toBe(true);
  });
});

describe('frameChange', () => {
  const region = new Uint8Array([1, 1, 0, 0]); // 2x2: the top row is the person
  it('counts nothing under the pixel threshold', () => {
    const next = planes(2, 2);
    next[0] += 0.049;
    next[4 + 3] -= 0.049;
    expect(frameChange(planes(2, 2), next, region, 2, 2, strict)).toEqual({ person: 0, scene: 0, unchanged: true });
  });

  it('a change of the person in any one channel counts, and is judged before the rest of the picture', () => {
    const next = planes(2, 2);
    next[2 * 4 + 1] += 0.2; // blue of the person's second pixel
    next[2] += 0.2; // red of a background pixel
    expect(frameChange(planes(2, 2), next, region, 2, 2, strict)).toEqual({ person: 1, scene: 0, unchanged: false });
    expect(frameChange(planes(2, 2), next, region, 2, 2, { ...strict, personPixels: 1 })).toEqual({ person: 1, scene: 1, unchanged: false });
    expect(frameChange(planes(2, 2), next, region, 2, 2, { ...strict, personPixels: 1, sceneShare: 0.25 })).toEqual({ person: 1, scene: 1, unchanged: true });
  });

  it('lets the rest of the picture change by a share of its pixels', () => {
    const w = 10;
    const h = 10;
    const none = new Uint8Array(w * h);
    const next = planes(w, h);
    for (let i = 0; i < 3; i++) next[i] = 0.9;
    expect(frameChange(planes(w, h), next, none, w, h, { ...strict, sceneShare: 0.03 }).unchanged).toBe(true);
    expect(frameChange(planes(w, h), next, none, w, h, { ...strict, sceneShare: 0.02 }).unchanged).toBe(false);
  });

  it('by default, a few pixels of the person moving is enough to process the frame', () => {
    const w = 16;
    const h = 9;
    const all = new Uint8Array(w * h).fill(1);
    const next = planes(w, h);
    for (let i = 0; i <= DEFAULT_CHANGE.personPixels; i++) next[i] = 0.9;
    expect(frameChange(planes(w, h), next, all, w, h).unchanged).toBe(false);
  });
});
