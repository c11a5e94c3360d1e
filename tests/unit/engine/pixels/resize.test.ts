import { describe, expect, it } from 'vitest';
import { floatImage, rgbaImage } from '../../../../src/frame';
import { PixelError } from '../../../../src/engine/pixels/errors';
import { cropResizeRgba, expandStretched, halveRgba, readStretched, resizeFloat, resizeRgba, stretchPlanes } from '../../../../src/engine/pixels/resize';

const close = (got: ArrayLike<number>, want: number[]) => Array.from(got).forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));

describe('resizeFloat (bilinear, pixel centres aligned)', () => {
  it('upsamples 2 -> 4 with edge clamping', () => {
    // Output centres fall at source -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
    close(resizeFloat(floatImage(2, 1, Float32Array.from([0, 10])), 4, 1).data, [0, 2.5, 7.5, 10]);
  });

  it('downsamples 4 -> 2 by reading between source pixels', () => {
    close(resizeFloat(floatImage(4, 1, Float32Array.from([0, 10, 20, 30])), 2, 1).data, [5, 25]);
  });

  it('is the identity at the same size', () => {
    const src = floatImage(3, 2, Float32Array.from([1, 2, 3, 4, 5, 6]));
    close(resizeFloat(src, 3, 2).data, [1, 2, 3, 4, 5, 6]);
  });

  it('interpolates in both directions', () => {
    // 2x2 -> 4x4: the inner 2x2 of the output sits a quarter pixel from each source pixel.
    const out = resizeFloat(floatImage(2, 2, Float32Array.from([0, 4, 8, 12])), 4, 4).data;
    expect(out[1 * 4 + 1]).toBeCloseTo(0 * 0.5625 + 4 * 0.1875 + 8 * 0.1875 + 12 * 0.0625, 5);
  });

  it('rejects a zero-sized target and a wrong output buffer', () => {
    const src = floatImage(2, 2);
    expect(() => resizeFloat(src, 0, 2)).toThrow(PixelError);
    expect(() => resizeFloat(src, 4, 4, floatImage(3, 3))).toThrow(/asked for 4x4/);
  });
});

describe('RGBA resizes', () => {
  it('replicates a single pixel', () => {
    const out = resizeRgba(rgbaImage(1, 1, Uint8Array.from([10, 20, 30, 255])), 3, 2);
    expect(Array.from(out.data)).toEqual(new Array(6).fill([10, 20, 30, 255]).flat());
  });

  it('rounds to the nearest integer', () => {
    const out = resizeRgba(rgbaImage(2, 1, Uint8Array.from([0, 0, 0, 255, 3, 3, 3, 255])), 4, 1);
    // 3 * 0.25 = 0.75 -> 1, 3 * 0.75 = 2.25 -> 2
    expect(Array.from(out.data.filter((_, i) => i % 4 === 0))).toEqual([0, 1, 2, 3]);
  });

  it('crop-resizes a window of the source', () => {
    const src = rgbaImage(4, 1, Uint8Array.from([0, 0, 0, 255, 40, 0, 0, 255, 80, 0, 0, 255, 120, 0, 0, 255]));
    const out = cropResizeRgba(src, { x: 1, y: 0, width: 2, height: 1 }, 2, 1);
    expect([out.data[0], out.data[4]]).toEqual([40, 80]);
  });

  it('halves with a rounded 2x2 mean, repeating the last column on odd widths', () => {
    const src = rgbaImage(3, 2, Uint8Array.from([
      0, 0, 0, 0, 2, 0, 0, 0, 9, 0, 0, 0,
      4, 0, 0, 0, 7, 0, 0, 0, 9, 0, 0, 0,
    ]));
    const out = halveRgba(src);
    expect([out.width, out.height]).toEqual([2, 1]);
    expect([out.data[0], out.data[4]]).toEqual([3, 9]); // (0+2+4+7+2)>>2 = 3, (9+9+9+9+2)>>2 = 9
  });

  it('upsamples float planes into opaque RGBA', () => {
    const r = Float32Array.from([0, 100]);
    const g = Float32Array.from([50, 50]);
    const b = Float32Array.from([255, 255]);
    const out = expandStretched(stretchPlanes([r, g, b], 2, 1, 4, 1));
    expect(Array.from(out.data)).toEqual([0, 50, 255, 255, 25, 50, 255, 255, 75, 50, 255, 255, 100, 50, 255, 255]);
  });
});

describe('stretched pictures (the blur background, upsampled as it is read)', () => {
  it('equal per-pixel bilinear resizing of each plane, rounded, within a level (7-bit weights, 8-bit steps)', () => {
    for (const [sw, sh, w, h] of [
      [3, 2, 13, 7],
      [5, 4, 16, 9],
      [4, 3, 4, 3],
      [7, 5, 3, 2],
      [16, 9, 192, 108],
    ]) {
      // A smooth picture, as a blur makes: neighbouring samples within 40 levels of each other.
      const planes = [0, 1, 2].map((c) => Float32Array.from({ length: sw * sh }, (_, i) => 100 + 40 * Math.sin(i * 0.7 + c) + 20 * Math.cos((i % sw) * 0.5))) as [Float32Array, Float32Array, Float32Array];
      const out = expandStretched(stretchPlanes(planes, sw, sh, w, h));
      for (let c = 0; c < 3; c++) {
        const want = resizeFloat(floatImage(sw, sh, planes[c]), w, h).data;
        for (let i = 0; i < w * h; i++) expect(Math.abs(out.data[4 * i + c] - Math.round(want[i])), `${sw}x${sh}->${w}x${h} c${c} i${i}`).toBeLessThanOrEqual(1);
      }
    }
  });

  it('reads any span of a row as the whole row has it, opaque', () => {
    const planes = [0, 1, 2].map((c) => Float32Array.from({ length: 12 }, (_, i) => (i * 53 + c * 91) % 256)) as [Float32Array, Float32Array, Float32Array];
    const image = stretchPlanes(planes, 4, 3, 11, 7);
    const whole = new Int32Array(11);
    const part = new Int32Array(20);
    for (let y = 0; y < 7; y++) {
      readStretched(image, y, 0, 11, whole, 0);
      readStretched(image, y, 3, 9, part, 5);
      expect(Array.from(part.subarray(5, 11))).toEqual(Array.from(whole.subarray(3, 9)));
      expect(Array.from(whole).every((v) => v >>> 24 === 255)).toBe(true);
    }
  });

  it('clamps values outside 0-255 instead of spilling into the next channel, aligned or not', () => {
    const planes = [Float32Array.from([300]), Float32Array.from([-20]), Float32Array.from([128.4])] as const;
    const stretched = stretchPlanes(planes, 1, 1, 2, 1);
    const aligned = expandStretched(stretched);
    const odd = expandStretched(stretched, rgbaImage(2, 1, new Uint8Array(9).subarray(1)));
    expect(Array.from(aligned.data)).toEqual([255, 0, 128, 255, 255, 0, 128, 255]);
    expect(Array.from(odd.data)).toEqual(Array.from(aligned.data));
  });
});
