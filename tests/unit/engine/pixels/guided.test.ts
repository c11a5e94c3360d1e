import { describe, expect, it } from 'vitest';
import { floatImage, rgbaImage, type RgbaImage } from '../../../../src/frame';
import { boxBlurPlane } from '../../../../src/engine/pixels/blur';
import { PixelError } from '../../../../src/engine/pixels/errors';
import { applyGuided, fitGuided, guidedFilter, REPLACE } from '../../../../src/engine/pixels/guided';
import { resizeFloat, resizeRgba } from '../../../../src/engine/pixels/resize';
import { RUN_BACKGROUND, RUN_MIXED, RUN_PERSON, runsOf, uniformRuns } from '../../../../src/engine/pixels/runs';

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

describe('fitGuided + applyGuided', () => {
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

  /** An all-background base matte of the frame: alpha 0, F the frame. */
  function emptyBase(frame: RgbaImage) {
    const { width, height } = frame;
    return { alpha: floatImage(width, height), foreground: rgbaImage(width, height, frame.data.slice()), runs: uniformRuns(width, height, RUN_BACKGROUND) };
  }

  const whole = (img: RgbaImage) => ({ x0: 0, y0: 0, x1: img.width, y1: img.height });

  it('outside the band copies the known alpha and the frame exactly, and marks the pixels known', () => {
    const low = lowMatte(4, 3, 1, 0);
    const frame = noiseImage(8, 6, 6);
    const base = emptyBase(frame);
    const runs = applyGuided(fitGuided(low, opts), frame, whole(frame), base, REPLACE);
    expect(Array.from(base.alpha.data)).toEqual(new Array(48).fill(1));
    expect(Array.from(base.foreground.data)).toEqual(Array.from(frame.data));
    for (let y = 0; y < 6; y++) {
      expect(runs.count[y]).toBe(1);
      expect(runs.kinds[runs.first[y]]).toBe(RUN_PERSON);
    }
  });

  it('inside the band keeps a constant alpha and carries the model correction F - I onto the frame', () => {
    const low = lowMatte(4, 3, 0.4, 1);
    const frame = noiseImage(8, 6, 7);
    const base = emptyBase(frame);
    const runs = applyGuided(fitGuided(low, opts), frame, whole(frame), base, REPLACE);
    for (const v of base.alpha.data) expect(v).toBeCloseTo(0.4, 4);
    // F - I is +10 where the low guide had room below 255, so F at full resolution is the frame + about 10.
    let sum = 0;
    for (let i = 0; i < 48; i++) sum += base.foreground.data[4 * i] - frame.data[4 * i];
    expect(sum / 48).toBeGreaterThan(8);
    expect(sum / 48).toBeLessThanOrEqual(10);
    expect(runs.kinds[runs.first[0]]).toBe(RUN_MIXED);
  });

  it('writes only inside its rectangle and keeps the base runs elsewhere', () => {
    const low = lowMatte(2, 2, 1, 0);
    const frame = noiseImage(8, 6, 9);
    const base = emptyBase(frame);
    const runs = applyGuided(fitGuided(low, opts), frame, { x0: 2, y0: 1, x1: 6, y1: 4 }, base, REPLACE);
    for (let y = 0; y < 6; y++)
      for (let x = 0; x < 8; x++) expect(base.alpha.data[y * 8 + x]).toBe(x >= 2 && x < 6 && y >= 1 && y < 4 ? 1 : 0);
    expect(runs.count[0]).toBe(1);
    // Row 2: background [0, 2), person [2, 6), background [6, 8).
    const f = runs.first[2];
    expect(Array.from(runs.ends.subarray(f, f + runs.count[2]))).toEqual([2, 6, 8]);
    expect(Array.from(runs.kinds.subarray(f, f + runs.count[2]))).toEqual([RUN_BACKGROUND, RUN_PERSON, RUN_BACKGROUND]);
  });

  it('with overrule, keeps the base where the matte differs from it by more than the limit', () => {
    const low = lowMatte(4, 3, 1, 0);
    const frame = noiseImage(8, 6, 10);
    const base = emptyBase(frame);
    // Base: column 0 a mixed 0.7 (close to the matte's 1), column 1 a mixed 0.2 (far from it), the rest background.
    for (let y = 0; y < 6; y++) {
      base.alpha.data[y * 8] = 0.7;
      base.alpha.data[y * 8 + 1] = 0.2;
    }
    base.runs = runsOf(base.alpha.data, 8, 6);
    const runs = applyGuided(fitGuided(low, opts), frame, whole(frame), base, { overrule: 0.5, weight: 1 });
    for (let y = 0; y < 6; y++) {
      expect(base.alpha.data[y * 8]).toBe(1);
      expect(base.alpha.data[y * 8 + 1]).toBeCloseTo(0.2, 6);
      // Known background in the base stays: a matte of 1 against a known 0 is overruled.
      expect(base.alpha.data[y * 8 + 5]).toBe(0);
      const f = runs.first[y];
      expect(Array.from(runs.kinds.subarray(f, f + runs.count[y]))).toEqual([RUN_PERSON, RUN_MIXED, RUN_BACKGROUND]);
    }
  });

  it('with a weight, mixes the band with the base: 0.5 of a matte at 0.4 and a base at 0.8 is 0.6', () => {
    const low = lowMatte(4, 3, 0.4, 1);
    const frame = noiseImage(8, 6, 12);
    const base = emptyBase(frame);
    base.alpha.data.fill(0.8);
    base.runs = uniformRuns(8, 6, RUN_MIXED);
    applyGuided(fitGuided(low, opts), frame, whole(frame), base, { overrule: null, weight: 0.5 });
    for (const v of base.alpha.data) expect(v).toBeCloseTo(0.6, 4);
    expect(() => applyGuided(fitGuided(low, opts), frame, whole(frame), base, { overrule: null, weight: 1.5 })).toThrow(/weight/);
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
    const base = emptyBase(frame);
    applyGuided(fitGuided(low, { radius: 1, eps: 1e-4 }), frame, whole(frame), base, REPLACE);
    const bilinear = resizeFloat(lowAlpha, W, H);
    const err = (a: Float32Array) => a.reduce((s, v, i) => s + Math.abs(v - truth.data[i]), 0);
    // Measured: about a third of the bilinear error here (the coefficients are averaged over windows).
    expect(err(base.alpha.data)).toBeLessThan(0.5 * err(bilinear.data));
  });

  it('rejects a low-res matte whose parts differ in size, and a rectangle outside the frame', () => {
    expect(() => fitGuided({ ...lowMatte(4, 3, 0.5, 1), alpha: floatImage(3, 3) }, opts)).toThrow(PixelError);
    const frame = noiseImage(8, 6, 8);
    const fit = fitGuided(lowMatte(4, 3, 0.5, 1), opts);
    expect(() => applyGuided(fit, frame, { x0: 4, y0: 0, x1: 9, y1: 6 }, emptyBase(frame), REPLACE)).toThrow(/not inside the 8x6 frame/);
  });
});
