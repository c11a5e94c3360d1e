import { describe, expect, it } from 'vitest';
import { rgbaImage } from '../../../../src/frame';
import { letterboxFor, letterboxRgbaToRgbFloat } from '../../../../src/engine/pixels/letterbox';

describe('letterboxFor', () => {
  it('fits the frame into the square and centres it, in whole model pixels', () => {
    expect(letterboxFor(1280, 720, 192)).toEqual({ size: 192, x: 0, y: 42, width: 192, height: 108 });
    expect(letterboxFor(720, 1280, 128)).toEqual({ size: 128, x: 28, y: 0, width: 72, height: 128 });
    expect(letterboxFor(640, 480, 128)).toEqual({ size: 128, x: 0, y: 16, width: 128, height: 96 });
    // 100x30 scales by 1.28 to 128x38.4: 38 rows, 45 above.
    expect(letterboxFor(100, 30, 128)).toEqual({ size: 128, x: 0, y: 45, width: 128, height: 38 });
  });
});

describe('letterboxRgbaToRgbFloat', () => {
  it('resizes the frame into its box as [-1, 1] planes and leaves the padding black (-1)', () => {
    // A 2x1 frame, black then white (red channel), into a 4x4 input: box 4x2 from row 1. Bilinear with centres
    // aligned reads source x -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1): 0, 63.75, 191.25, 255,
    // which map to -1, -0.5, 0.5, 1.
    const frame = rgbaImage(2, 1, Uint8Array.of(0, 51, 0, 255, 255, 51, 0, 255));
    const box = letterboxFor(2, 1, 4);
    expect(box).toEqual({ size: 4, x: 0, y: 1, width: 4, height: 2 });
    const out = letterboxRgbaToRgbFloat(frame, box, new Float32Array(48));
    const red = Array.from(out.subarray(0, 16));
    const row = [-1, -0.5, 0.5, 1];
    expect(red).toEqual([-1, -1, -1, -1, ...row, ...row, -1, -1, -1, -1]);
    // Green is 51 everywhere inside: 51 / 127.5 - 1 = -0.6.
    expect(out[16 + 5]).toBeCloseTo(-0.6, 6);
    expect(out[16]).toBe(-1);
  });

  it('refuses a box that does not fit the input', () => {
    expect(() => letterboxRgbaToRgbFloat(rgbaImage(2, 1), { size: 4, x: 1, y: 0, width: 4, height: 2 }, new Float32Array(48))).toThrow(/letterbox 4x2 at 1,0 does not fit a 4x4 input/);
  });
});
