import { describe, expect, it } from 'vitest';
import { EngineFailure } from '../../../../src/common/failure';
import { floatImage, rgbaImage, type RgbaImage } from '../../../../src/frame';
import { blurBackground, coverFit, createBackgroundRenderer } from '../../../../src/engine/backgrounds';
import { PixelError } from '../../../../src/engine/pixels/errors';

function solid(w: number, h: number, rgb: [number, number, number]): RgbaImage {
  const img = rgbaImage(w, h);
  for (let i = 0; i < w * h; i++) img.data.set([...rgb, 255], 4 * i);
  return img;
}

/** A red disc (the person) on a blue frame, with alpha 1 on the disc. */
function person(w: number, h: number, r: number) {
  const frame = solid(w, h, [0, 0, 255]);
  const alpha = floatImage(w, h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      if ((x - w / 2) ** 2 + (y - h / 2) ** 2 < r * r) {
        frame.data.set([255, 0, 0, 255], 4 * (y * w + x));
        alpha.data[y * w + x] = 1;
      }
  return { frame, alpha };
}

describe('colour background', () => {
  it('fills the frame size with the colour', () => {
    const bg = createBackgroundRenderer({ kind: 'colour', rgb: [1, 2, 3] }).render(solid(3, 2, [9, 9, 9]), floatImage(3, 2));
    expect(bg && Array.from(bg.data)).toEqual(new Array(6).fill([1, 2, 3, 255]).flat());
  });
});

describe('image background', () => {
  it('cover-fits and centre-crops a wide picture into a square frame', () => {
    const pic = rgbaImage(4, 2);
    for (let x = 0; x < 4; x++) for (let y = 0; y < 2; y++) pic.data.set([x * 50, y * 50, 0, 255], 4 * (y * 4 + x));
    const out = coverFit(pic, 2, 2);
    // Scale 1: the middle two columns, untouched.
    expect(Array.from(out.data)).toEqual([50, 0, 0, 255, 100, 0, 0, 255, 50, 50, 0, 255, 100, 50, 0, 255]);
  });

  it('scales a small picture up to cover a larger frame', () => {
    const out = coverFit(solid(2, 1, [7, 8, 9]), 6, 6);
    expect([out.width, out.height]).toEqual([6, 6]);
    expect(Array.from(out.data.subarray(0, 4))).toEqual([7, 8, 9, 255]);
  });

  it('halves a much larger picture before resampling, so a fine pattern averages to grey', () => {
    const checker = rgbaImage(64, 64);
    for (let i = 0; i < 64 * 64; i++) checker.data.set((i + Math.floor(i / 64)) % 2 ? [255, 255, 255, 255] : [0, 0, 0, 255], 4 * i);
    const out = coverFit(checker, 4, 4);
    for (let i = 0; i < 16; i++) expect(Math.abs(out.data[4 * i] - 128)).toBeLessThan(3);
  });

  it('is built from the decoded picture, and fails clearly without one', () => {
    const frame = solid(2, 2, [0, 0, 0]);
    const bg = createBackgroundRenderer({ kind: 'image', path: '/x.png' }, solid(4, 4, [5, 6, 7])).render(frame, floatImage(2, 2));
    expect(bg && Array.from(bg.data.subarray(0, 4))).toEqual([5, 6, 7, 255]);
    expect(() => createBackgroundRenderer({ kind: 'image', path: '/x.png' })).toThrow(EngineFailure);
  });
});

describe('blur background', () => {
  it('keeps a uniform frame uniform', () => {
    const bg = blurBackground(0.7).render(solid(40, 30, [10, 120, 240]), floatImage(40, 30));
    for (let i = 0; i < 40 * 30; i++) expect(Array.from(bg!.data.subarray(4 * i, 4 * i + 4))).toEqual([10, 120, 240, 255]);
  });

  it('has no halo: the person does not bleed into the blurred background', () => {
    const { frame, alpha } = person(96, 64, 14);
    const masked = blurBackground(1).render(frame, alpha)!;
    // The same blur ignoring the matte, to show the test would see a halo if there were one.
    const naive = blurBackground(1).render(frame, floatImage(96, 64))!;
    let maskedRed = 0;
    let naiveRed = 0;
    for (let y = 0; y < 64; y++)
      for (let x = 0; x < 96; x++) {
        if (alpha.data[y * 96 + x] > 0) continue;
        maskedRed = Math.max(maskedRed, masked.data[4 * (y * 96 + x)]);
        naiveRed = Math.max(naiveRed, naive.data[4 * (y * 96 + x)]);
      }
    expect(maskedRed).toBeLessThanOrEqual(1);
    expect(naiveRed).toBeGreaterThan(60);
  });

  it('blurs more at higher strength', () => {
    // A vertical edge, half black, half white: the transition widens with strength (sigma 1% to 6% of
    // the short side, here 1.2 to 7.2 pixels).
    const w = 240;
    const h = 120;
    const frame = rgbaImage(w, h);
    for (let i = 0; i < w * h; i++) frame.data.set(i % w < w / 2 ? [0, 0, 0, 255] : [255, 255, 255, 255], 4 * i);
    const transition = (strength: number) => {
      const bg = blurBackground(strength).render(frame, floatImage(w, h))!;
      let n = 0;
      for (let x = 0; x < w; x++) {
        const v = bg.data[4 * ((h / 2) * w + x)];
        if (v > 25 && v < 230) n++;
      }
      return n;
    };
    expect(transition(1)).toBeGreaterThan(2 * transition(0) + 4);
  });

  it('rejects a strength outside [0, 1] and an alpha of another size', () => {
    expect(() => blurBackground(1.5)).toThrow(PixelError);
    expect(() => blurBackground(0.5).render(solid(4, 4, [0, 0, 0]), floatImage(4, 3))).toThrow(/differ in size/);
  });
});

describe('createBackgroundRenderer', () => {
  it("'none' puts the frame behind itself, 'transparent' nothing", () => {
    const frame = solid(2, 2, [1, 1, 1]);
    expect(createBackgroundRenderer({ kind: 'none' }).render(frame, floatImage(2, 2))).toBe(frame);
    expect(createBackgroundRenderer({ kind: 'transparent' }).render(frame, floatImage(2, 2))).toBeNull();
  });

  it('fails clearly for a video background without an opened source', () => {
    expect(() => createBackgroundRenderer({ kind: 'video', path: '/v.mp4' })).toThrow(EngineFailure);
  });
});
