import { describe, expect, it } from 'vitest';
import { boxBlurPlane, boxRadiusForSigma, gaussianishBlurPlane, maskedBlur } from '../../../../src/engine/pixels/blur';
import { PixelError } from '../../../../src/engine/pixels/errors';

const close = (got: Float32Array, want: number[]) => Array.from(got).forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));

describe('boxBlurPlane', () => {
  it('averages over the window clipped to the image', () => {
    const row = Float32Array.from([0, 0, 3, 0, 0]);
    boxBlurPlane(row, 5, 1, 1);
    close(row, [0, 1, 1, 1, 0]);
  });

  it('spreads an impulse over 2x2 at a corner, 3x2 at an edge, 3x3 in the middle', () => {
    const p = Float32Array.from([0, 0, 0, 0, 36, 0, 0, 0, 0]);
    boxBlurPlane(p, 3, 3, 1);
    close(p, [9, 6, 9, 6, 4, 6, 9, 6, 9]);
  });

  it('keeps a constant plane constant, edges included', () => {
    const p = new Float32Array(7 * 5).fill(0.25);
    gaussianishBlurPlane(p, 7, 5, 3);
    close(p, new Array(35).fill(0.25));
  });

  it('leaves the plane unchanged at radius 0 and rejects a fractional radius', () => {
    const p = Float32Array.from([1, 2, 3]);
    boxBlurPlane(p, 3, 1, 0);
    close(p, [1, 2, 3]);
    expect(() => boxBlurPlane(p, 3, 1, 1.5)).toThrow(PixelError);
  });
});

/** The definition: the mean over the window clipped to the image, pixel by pixel. */
function bruteBox(src: Float32Array, w: number, h: number, r: number): Float32Array {
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let sum = 0;
      let n = 0;
      for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++)
        for (let xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) {
          sum += src[yy * w + xx];
          n++;
        }
      out[y * w + x] = sum / n;
    }
  return out;
}

describe('boxBlurPlane against its definition', () => {
  it('matches on sizes smaller than, equal to and larger than the window', () => {
    for (const [w, h, r] of [
      [2, 3, 3],
      [7, 7, 3],
      [8, 5, 3],
      [13, 9, 2],
      [1, 6, 1],
      [30, 4, 5],
      // Radius 1 has a three-tap path of its own.
      [2, 2, 1],
      [13, 9, 1],
      [5, 2, 1],
      [2, 7, 1],
    ]) {
      const src = Float32Array.from({ length: w * h }, (_, i) => (i * 37) % 11);
      const want = bruteBox(src, w, h, r);
      boxBlurPlane(src, w, h, r);
      close(src, Array.from(want));
    }
  });
});

describe('boxRadiusForSigma', () => {
  it('inverts the variance of three boxes, r(r + 1) = sigma^2', () => {
    expect(boxRadiusForSigma(Math.sqrt(6))).toBe(2);
    expect(boxRadiusForSigma(Math.sqrt(12))).toBe(3);
    expect(boxRadiusForSigma(0)).toBe(0);
  });
});

describe('maskedBlur', () => {
  it('averages only the weighted pixels', () => {
    // Windows of radius 1: the weighted values 10 and 30 are all that count.
    const c = Float32Array.from([10, 20, 30, 40]);
    const w = Float32Array.from([1, 0, 1, 0]);
    maskedBlur([c], w, 4, 1, 1, 1);
    close(c, [10, 20, 30, 30]);
  });

  it('gives 0 where no weight is within reach', () => {
    const c = Float32Array.from([5, 5, 5, 7]);
    const w = Float32Array.from([0, 0, 0, 1]);
    maskedBlur([c], w, 4, 1, 1, 1);
    close(c, [0, 0, 7, 7]);
  });
});
