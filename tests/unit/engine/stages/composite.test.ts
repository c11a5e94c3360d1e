import { describe, expect, it } from 'vitest';
import { floatImage, rgbaImage, type RgbaImage } from '../../../../src/frame';
import { PixelError } from '../../../../src/engine/pixels/errors';
import { expandStretched, stretchPlanes } from '../../../../src/engine/pixels/resize';
import { runsOf } from '../../../../src/engine/pixels/runs';
import { composite } from '../../../../src/engine/stages/composite';

/** The same bytes at an odd offset, which forces the byte-at-a-time path instead of 32-bit words. */
function unaligned(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(bytes.length + 1).subarray(1);
  copy.set(bytes);
  return copy;
}

const px = (rgb: number[]) => [...rgb, 255];
const frameBytes = Uint8Array.from([...px([200, 100, 50]), ...px([200, 100, 50]), ...px([200, 100, 50]), ...px([200, 100, 50])]);
const backgroundBytes = Uint8Array.from([...px([0, 0, 0]), ...px([0, 0, 0]), ...px([0, 0, 0]), ...px([10, 20, 30])]);
const alpha = floatImage(4, 1, Float32Array.from([0, 1, 0.5, 0.25]));

for (const layout of ['aligned (word path)', 'unaligned (byte path)'] as const) {
  const wrap = (b: Uint8Array) => (layout.startsWith('aligned') ? b.slice() : unaligned(b));
  const image = (b: Uint8Array): RgbaImage => rgbaImage(4, 1, wrap(b));

  describe(`composite, ${layout}`, () => {
    it('blends F * a + B * (1 - a): background at 0, frame at 1, halfway at 0.5', () => {
      const out = wrap(new Uint8Array(16));
      composite(image(frameBytes), { alpha, foreground: null }, image(backgroundBytes), out);
      expect(Array.from(out)).toEqual([
        0, 0, 0, 255,
        200, 100, 50, 255,
        100, 50, 25, 255,
        // 0.25 -> 64/256: (200*64 + 10*192 + 128) >> 8 = 58, (100*64 + 20*192 + 128) >> 8 = 40, (50*64 + 30*192 + 128) >> 8 = 35
        58, 40, 35, 255,
      ]);
    });

    it("uses the matte's foreground colours instead of the frame when it has them", () => {
      const out = wrap(new Uint8Array(16));
      composite(image(frameBytes), { alpha, foreground: image(new Uint8Array(16).fill(250)) }, image(backgroundBytes), out);
      expect(Array.from(out.subarray(4, 12))).toEqual([250, 250, 250, 255, 125, 125, 125, 255]);
    });

    it('without a background writes straight alpha into A, and black where fully transparent', () => {
      const out = wrap(new Uint8Array(16).fill(9));
      composite(image(frameBytes), { alpha, foreground: null }, null, out);
      expect(Array.from(out)).toEqual([0, 0, 0, 0, 200, 100, 50, 255, 200, 100, 50, 128, 200, 100, 50, 64]);
    });

    it('clamps alpha outside [0, 1] and treats NaN as background', () => {
      const odd = floatImage(4, 1, Float32Array.from([-0.5, 2, Number.NaN, 1]));
      const out = wrap(new Uint8Array(16));
      composite(image(frameBytes), { alpha: odd, foreground: null }, image(backgroundBytes), out);
      expect(Array.from(out.subarray(0, 12))).toEqual([0, 0, 0, 255, 200, 100, 50, 255, 0, 0, 0, 255]);
    });
  });
}

describe('composite input checks', () => {
  const frame = rgbaImage(4, 1, frameBytes.slice());
  const background = rgbaImage(4, 1, backgroundBytes.slice());

  it('rejects mismatched sizes with a message naming both', () => {
    const out = new Uint8Array(16);
    expect(() => composite(frame, { alpha: floatImage(2, 2), foreground: null }, background, out)).toThrow(PixelError);
    expect(() => composite(frame, { alpha, foreground: null }, rgbaImage(2, 2), out)).toThrow(/4x1 vs 2x2/);
    expect(() => composite(frame, { alpha, foreground: null }, background, new Uint8Array(8))).toThrow(/output/);
  });
});

describe('composite over a stretched background (the blur, upsampled as it is composited)', () => {
  it('gives exactly what compositing over its expansion gives, with runs or without', () => {
    const w = 9;
    const h = 5;
    const frame = rgbaImage(w, h, Uint8Array.from({ length: w * h * 4 }, (_, i) => (i * 37) % 256));
    const a = floatImage(w, h, Float32Array.from({ length: w * h }, (_, i) => [0, 1, 0.3, 0.7][i % 4] * (i % 3 === 0 ? 1 : 0)));
    const planes = [0, 1, 2].map((c) => Float32Array.from({ length: 6 }, (_, i) => (i * 61 + c * 17) % 256)) as [Float32Array, Float32Array, Float32Array];
    const stretched = stretchPlanes(planes, 3, 2, w, h);
    const expanded = expandStretched(stretched);
    const runs = runsOf(a.data, w, h);
    for (const matte of [{ alpha: a, foreground: null, runs }, { alpha: a, foreground: null }]) {
      const want = new Uint8Array(w * h * 4);
      const got = new Uint8Array(w * h * 4);
      composite(frame, matte, expanded, want);
      composite(frame, matte, stretched, got);
      expect(Array.from(got)).toEqual(Array.from(want));
    }
  });
});
