import { describe, expect, it } from 'vitest';
import { floatImage, rgbaImage } from '../../src/engine/frame';
import { PixelError } from '../../src/engine/pixels/errors';
import { composite } from '../../src/engine/stages/compositor';

const frame = rgbaImage(4, 1, Uint8Array.from([200, 100, 50, 255, 200, 100, 50, 255, 200, 100, 50, 255, 200, 100, 50, 255]));
const background = rgbaImage(4, 1, Uint8Array.from([0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 255]));
const alpha = floatImage(4, 1, Float32Array.from([0, 1, 0.5, 0.25]));

describe('composite', () => {
  it('blends F * a + B * (1 - a): background at 0, frame at 1, halfway at 0.5', () => {
    const out = new Uint8Array(16);
    composite(frame, { alpha, foreground: null }, background, out);
    expect(Array.from(out)).toEqual([
      0, 0, 0, 255,
      200, 100, 50, 255,
      100, 50, 25, 255,
      // 0.25 -> 64/256: (200*64 + 10*192 + 128) >> 8 = 58, (100*64 + 20*192 + 128) >> 8 = 40, (50*64 + 30*192 + 128) >> 8 = 35
      58, 40, 35, 255,
    ]);
  });

  it("uses the matte's foreground colours instead of the frame when it has them", () => {
    const fg = rgbaImage(4, 1, new Uint8Array(16).fill(250));
    const out = new Uint8Array(16);
    composite(frame, { alpha, foreground: fg }, background, out);
    expect(Array.from(out.subarray(4, 12))).toEqual([250, 250, 250, 255, 125, 125, 125, 255]);
  });

  it('without a background writes straight alpha into A, and black where fully transparent', () => {
    const out = new Uint8Array(16).fill(9);
    composite(frame, { alpha, foreground: null }, null, out);
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 200, 100, 50, 255, 200, 100, 50, 128, 200, 100, 50, 64]);
  });

  it('clamps alpha outside [0, 1] and treats NaN as background', () => {
    const odd = floatImage(4, 1, Float32Array.from([-0.5, 2, Number.NaN, 1]));
    const out = new Uint8Array(16);
    composite(frame, { alpha: odd, foreground: null }, background, out);
    expect(Array.from(out.subarray(0, 12))).toEqual([0, 0, 0, 255, 200, 100, 50, 255, 0, 0, 0, 255]);
  });

  it('rejects mismatched sizes with a message naming both', () => {
    const out = new Uint8Array(16);
    expect(() => composite(frame, { alpha: floatImage(2, 2), foreground: null }, background, out)).toThrow(PixelError);
    expect(() => composite(frame, { alpha, foreground: null }, rgbaImage(2, 2), out)).toThrow(/4x1 vs 2x2/);
    expect(() => composite(frame, { alpha, foreground: null }, background, new Uint8Array(8))).toThrow(/output/);
  });
});
