import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rgbaImage } from '../../../../src/frame';
import { decodePng, encodePng, PngError } from '../../../../src/engine/pixels/png';
import { SHARED_DIR } from '../../../../bench/lib/shared-data';

const TRIMAP = `${SHARED_DIR}/eval/alphamatting/trimap/GT01.png`;
const ASTRONAUT = '/usr/lib/python3/dist-packages/skimage/data/astronaut.png';

describe('PNG codec', () => {
  it('round-trips an opaque image (written as RGB) and one with alpha (RGBA)', () => {
    for (const alpha of [255, 77]) {
      const img = rgbaImage(5, 3);
      for (let i = 0; i < 15; i++) img.data.set([i * 17, 255 - i * 9, (i * 31) % 256, i === 7 ? alpha : 255], 4 * i);
      const png = encodePng(img);
      expect(png[25]).toBe(alpha === 255 ? 2 : 6); // IHDR colour type
      expect(decodePng(png)).toEqual(img);
    }
  });

  it('compresses a smooth gradient well (row filters at work)', () => {
    const img = rgbaImage(256, 64);
    for (let y = 0; y < 64; y++) for (let x = 0; x < 256; x++) img.data.set([x, y * 4, 128, 255], 4 * (y * 256 + x));
    expect(encodePng(img).length).toBeLessThan(2000);
  });

  it.skipIf(!existsSync(ASTRONAUT))('decodes a photo written by another encoder (skimage astronaut)', () => {
    const img = decodePng(readFileSync(ASTRONAUT));
    expect([img.width, img.height]).toEqual([512, 512]);
    // First pixel as Pillow reads it.
    expect(Array.from(img.data.subarray(0, 4))).toEqual([154, 147, 151, 255]);
  });

  it.skipIf(!existsSync(TRIMAP))('decodes a palette PNG (the benchmark trimap GT01; skipped without the shared data)', () => {
    const img = decodePng(readFileSync(TRIMAP));
    expect([img.width, img.height]).toEqual([800, 497]);
    const counts = new Map<number, number>();
    for (let i = 0; i < img.width * img.height; i++) counts.set(img.data[4 * i], (counts.get(img.data[4 * i]) ?? 0) + 1);
    // Pillow counts 38573 pixels at 128 in this file.
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([0, 128, 255]);
    expect(counts.get(128)).toBe(38573);
  });

  it('names what is wrong with a bad file', () => {
    expect(() => decodePng(new Uint8Array([1, 2, 3]))).toThrow(PngError);
    const png = encodePng(rgbaImage(2, 2));
    const corrupt = Buffer.from(png);
    corrupt[24] = 16; // bit depth
    expect(() => decodePng(corrupt)).toThrow(/8-bit/);
  });
});
