import { describe, expect, it } from 'vitest';
import { floatImage, rgbaImage, type RgbaImage } from '../../src/engine/frame';
import { boxBlurPlane } from '../../src/engine/pixels/blur';
import { PixelError } from '../../src/engine/pixels/errors';
import { guidedFilter, guidedUpsample } from '../../src/engine/pixels/guided';
import { resizeFloat, resizeRgba } from '../../src/engine/pixels/resize';

function noiseImage(w: number, h: number, seed: number): RgbaImage {
  let s = seed;
  const img = rgbaImage(w, h);
  for (let i = 0; i < img.data.length; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    img.data[i] = i % 4 === 3 ? 255 : s >>> 24;
  }
  return img;
}

describe('guidedFilter', () => {
  it('returns a constant source unchanged, whatever the guide', () => {
    const guide = noiseImage(9, 7, 1);
    const out = guidedFilter(guide, floatImage(9, 7, new Float32Array(63).fill(0.3)), { radius: 2, eps: 1e-4 });
    for (const v of out.data) expect(v).toBeCloseTo(0.3, 5);
  });

  it('reproduces a source that is a linear function of the guide (small eps)', () => {
    const guide = noiseImage(12, 10, 2);
    const src = floatImage(12, 10);
    for (let i = 0; i < 120; i++) src.data[i] = 0.1 + (0.5 * guide.data[4 * i + 1]) / 255;
    const out = guidedFilter(guide, src, { radius: 2, eps: 1e-6 });
    for (let i = 0; i < 120; i++) expect(out.data[i]).toBeCloseTo(src.data[i], 3);
  });

  it('tends to a mean of means when eps dwarfs the guide variance', () => {
    const guide = noiseImage(8, 8, 3);
    const src = floatImage(8, 8);
    for (let i = 0; i < 64; i++) src.data[i] = (i % 5) / 4;
    const out = guidedFilter(guide, src, { radius: 1, eps: 1e6 });
    const want = src.data.slice();
    boxBlurPlane(want, 8, 8, 1);
    boxBlurPlane(want, 8, 8, 1);
    for (let i = 0; i < 64; i++) expect(out.data[i]).toBeCloseTo(want[i], 4);
  });

  it('rejects eps <= 0, a fractional radius and a size mismatch', () => {
    const guide = noiseImage(4, 4, 4);
    const src = floatImage(4, 4);
    expect(() => guidedFilter(guide, src, { radius: 1, eps: 0 })).toThrow(PixelError);
    expect(() => guidedFilter(guide, src, { radius: 1.5, eps: 1e-3 })).toThrow(/radius/);
    expect(() => guidedFilter(guide, floatImage(4, 3), { radius: 1, eps: 1e-3 })).toThrow(/differ in size/);
  });
});

describe('guidedUpsample', () => {
  const opts = { radius: 1, eps: 1e-4 };

  function lowMatte(w: number, h: number, alpha: number, band: number) {
    const guide = noiseImage(w, h, 5);
    const foreground = rgbaImage(w, h, guide.data.map((v, i) => (i % 4 === 3 ? 255 : Math.min(255, v + 10))));
    return {
      guide,
      alpha: floatImage(w, h, new Float32Array(w * h).fill(alpha)),
      foreground,
      band: new Uint8Array(w * h).fill(band),
    };
  }

  it('outside the band copies the known alpha and the frame exactly', () => {
    const low = lowMatte(4, 3, 1, 0);
    const frame = noiseImage(8, 6, 6);
    const out = { alpha: floatImage(8, 6), foreground: rgbaImage(8, 6) };
    guidedUpsample(low, frame, opts, out);
    expect(Array.from(out.alpha.data)).toEqual(new Array(48).fill(1));
    expect(Array.from(out.foreground.data)).toEqual(Array.from(frame.data));
  });

  it('inside the band keeps a constant alpha and carries the model correction F - I onto the frame', () => {
    const low = lowMatte(4, 3, 0.4, 1);
    const frame = noiseImage(8, 6, 7);
    const out = { alpha: floatImage(8, 6), foreground: rgbaImage(8, 6) };
    guidedUpsample(low, frame, opts, out);
    for (const v of out.alpha.data) expect(v).toBeCloseTo(0.4, 4);
    // F - I is +10 where the low guide had room below 255, so F at full resolution is the frame + about 10.
    let sum = 0;
    for (let i = 0; i < 48; i++) sum += out.foreground.data[4 * i] - frame.data[4 * i];
    expect(sum / 48).toBeGreaterThan(8);
    expect(sum / 48).toBeLessThanOrEqual(10);
  });

  it('is sharper than bilinear on a real edge: a 4x upsample of a step follows the full-resolution guide', () => {
    // Full resolution: a vertical edge at x = 13 (not on the 4-pixel grid), dark left, light right.
    const W = 32;
    const H = 8;
    const frame = rgbaImage(W, H);
    const truth = floatImage(W, H);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const fg = x >= 13;
        frame.data.set(fg ? [220, 200, 180, 255] : [30, 40, 60, 255], 4 * (y * W + x));
        truth.data[y * W + x] = fg ? 1 : 0;
      }
    const lowGuide = resizeRgba(frame, 8, 2);
    const lowAlpha = resizeFloat(truth, 8, 2);
    const low = { guide: lowGuide, alpha: lowAlpha, foreground: lowGuide, band: new Uint8Array(16).fill(1) };
    const out = { alpha: floatImage(W, H), foreground: rgbaImage(W, H) };
    guidedUpsample(low, frame, { radius: 1, eps: 1e-4 }, out);
    const bilinear = resizeFloat(lowAlpha, W, H);
    const err = (a: Float32Array) => a.reduce((s, v, i) => s + Math.abs(v - truth.data[i]), 0);
    // Measured: about a third of the bilinear error here (the coefficients are averaged over windows).
    expect(err(out.alpha.data)).toBeLessThan(0.5 * err(bilinear.data));
  });

  it('rejects a low-res matte whose parts differ in size', () => {
    const low = { ...lowMatte(4, 3, 0.5, 1), alpha: floatImage(3, 3) };
    const out = { alpha: floatImage(8, 6), foreground: rgbaImage(8, 6) };
    expect(() => guidedUpsample(low, noiseImage(8, 6, 8), opts, out)).toThrow(PixelError);
  });
});
