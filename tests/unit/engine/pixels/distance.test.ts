import { describe, expect, it } from 'vitest';
import { squaredDistanceTransform } from '../../../../src/engine/pixels/distance';
import { PixelError } from '../../../../src/engine/pixels/errors';

/** The definition, O(n^2): the reference the linear-time transform must equal exactly. */
function bruteForce(seeds: Uint8Array, w: number, h: number): Float32Array {
  const out = new Float32Array(w * h).fill(Infinity);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let sy = 0; sy < h; sy++)
        for (let sx = 0; sx < w; sx++)
          if (seeds[sy * w + sx]) out[y * w + x] = Math.min(out[y * w + x], (x - sx) ** 2 + (y - sy) ** 2);
  return out;
}

/** Deterministic pseudo-random bits (a linear congruential generator), so failures reproduce. */
function randomMask(w: number, h: number, density: number, seed: number): Uint8Array {
  let s = seed;
  const m = new Uint8Array(w * h);
  for (let i = 0; i < m.length; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    m[i] = s / 2 ** 32 < density ? 1 : 0;
  }
  return m;
}

describe('squaredDistanceTransform', () => {
  it('gives dx^2 + dy^2 to a single seed in a 5x5', () => {
    const seeds = new Uint8Array(25);
    seeds[2 * 5 + 1] = 1; // x = 1, y = 2
    const d = squaredDistanceTransform(seeds, 5, 5);
    expect(Array.from(d)).toEqual([
      5, 4, 5, 8, 13,
      2, 1, 2, 5, 10,
      1, 0, 1, 4, 9,
      2, 1, 2, 5, 10,
      5, 4, 5, 8, 13,
    ]);
  });

  it('takes the nearer of two seeds', () => {
    const seeds = new Uint8Array(7);
    seeds[0] = 1;
    seeds[6] = 1;
    expect(Array.from(squaredDistanceTransform(seeds, 7, 1))).toEqual([0, 1, 4, 9, 4, 1, 0]);
  });

  it('is Infinity everywhere without a seed', () => {
    const d = squaredDistanceTransform(new Uint8Array(12), 4, 3);
    expect(Array.from(d).every((v) => v === Infinity)).toBe(true);
  });

  it('equals the brute-force definition on random masks, sparse and dense, wide and tall', () => {
    for (const [w, h, density, seed] of [
      [13, 7, 0.05, 1],
      [7, 13, 0.3, 2],
      [16, 16, 0.01, 3],
      [1, 9, 0.2, 4],
      [9, 1, 0.2, 5],
      [20, 11, 0.7, 6],
    ]) {
      const seeds = randomMask(w, h, density, seed);
      expect(squaredDistanceTransform(seeds, w, h)).toEqual(bruteForce(seeds, w, h));
    }
  });

  it('writes into the given output', () => {
    const out = new Float32Array(3);
    const seeds = Uint8Array.from([1, 0, 0]);
    expect(squaredDistanceTransform(seeds, 3, 1, out)).toBe(out);
    expect(Array.from(out)).toEqual([0, 1, 4]);
  });

  it('rejects a mask of the wrong size', () => {
    expect(() => squaredDistanceTransform(new Uint8Array(5), 2, 2)).toThrow(PixelError);
    expect(() => squaredDistanceTransform(new Uint8Array(0), 0, 0)).toThrow(/positive integer dimensions/);
  });
});
