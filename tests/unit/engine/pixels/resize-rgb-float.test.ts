import { describe, expect, it } from 'vitest';
import { rgbaImage } from '../../../../src/frame';
import { PixelError } from '../../../../src/engine/pixels/errors';
import { resizeRgbaToRgbFloat } from '../../../../src/engine/pixels/resize';

describe('resizeRgbaToRgbFloat', () => {
  it('writes planar RGB in [0, 1] and drops alpha', () => {
    const src = rgbaImage(2, 1, Uint8Array.of(255, 0, 51, 7, 0, 255, 102, 9));
    const out = resizeRgbaToRgbFloat(src, 2, 1, new Float32Array(6));
    expect(Array.from(out)).toEqual([1, 0, 0, 1, 0.2, 0.4].map(Math.fround));
  });

  it('upsamples with pixel centres aligned and edges clamped', () => {
    // Red 0 and 255 side by side, 2 -> 4 wide: samples at -0.25, 0.25, 0.75, 1.25 -> 0, 0.25, 0.75, 1.
    const src = rgbaImage(2, 1, Uint8Array.of(0, 0, 0, 255, 255, 0, 0, 255));
    const out = resizeRgbaToRgbFloat(src, 4, 1, new Float32Array(12));
    expect(Array.from(out.subarray(0, 4))).toEqual([0, 0.25, 0.75, 1]);
  });

  it('downsamples 4 -> 2 to the mean of each pair (samples at 0.5 and 2.5)', () => {
    const src = rgbaImage(4, 1, Uint8Array.of(0, 0, 0, 0, 100, 0, 0, 0, 200, 0, 0, 0, 50, 0, 0, 0));
    const out = resizeRgbaToRgbFloat(src, 2, 1, new Float32Array(6));
    expect(out[0]).toBeCloseTo(50 / 255, 6);
    expect(out[1]).toBeCloseTo(125 / 255, 6);
  });

  it('stretches height independently of width', () => {
    // 1x2 column: top 0, bottom 255, to 1x1: the average.
    const src = rgbaImage(1, 2, Uint8Array.of(0, 0, 0, 255, 255, 255, 255, 255));
    expect(resizeRgbaToRgbFloat(src, 1, 1, new Float32Array(3))[2]).toBeCloseTo(0.5, 6);
  });

  it('refuses an output buffer of the wrong size', () => {
    expect(() => resizeRgbaToRgbFloat(rgbaImage(2, 2), 4, 4, new Float32Array(16))).toThrow(PixelError);
  });
});
