import { describe, expect, it } from 'vitest';
import { smoothMatte } from '../../../../src/engine/matting/smoothing';
import { maskChange, personBox } from '../../../../src/engine/stages/plan';
import { smoothProbability } from '../../../../src/engine/stages/smooth';

describe('smoothProbability', () => {
  const opts = { minWeight: 0.25, motionChange: 0.5 };

  it('averages small wobble with the minimum weight', () => {
    const out = new Float32Array(1);
    smoothProbability(Float32Array.of(0.8), Float32Array.of(0.9), out, opts);
    // |d| = 0.1 -> w = 0.2, clamped up to 0.25 -> 0.8 + 0.025
    expect(out[0]).toBeCloseTo(0.825, 6);
  });

  it('follows a large change at once', () => {
    const out = new Float32Array(2);
    smoothProbability(Float32Array.of(0, 1), Float32Array.of(0.9, 0.2), out, opts);
    expect(out[0]).toBeCloseTo(0.9, 6);
    expect(out[1]).toBeCloseTo(0.2, 6);
  });

  it('weighs a middling change in proportion', () => {
    const out = new Float32Array(1);
    smoothProbability(Float32Array.of(0.2), Float32Array.of(0.5), out, opts);
    // |d| = 0.3 -> w = 0.6 -> 0.2 + 0.18
    expect(out[0]).toBeCloseTo(0.38, 6);
  });

  it('rejects mismatched lengths', () => {
    expect(() => smoothProbability(new Float32Array(2), new Float32Array(3), new Float32Array(3))).toThrow();
  });
});

describe('maskChange', () => {
  it('counts pixels that crossed 0.5 or moved more than 0.25', () => {
    const ref = Float32Array.of(0.1, 0.45, 0.9, 0.6);
    const cur = Float32Array.of(0.1, 0.55, 0.5, 0.65);
    // pixel 1 crossed 0.5, pixel 2 moved 0.4 -> 2 of 4
    expect(maskChange(ref, cur)).toBe(0.5);
    expect(maskChange(ref, ref)).toBe(0);
  });
});

describe('personBox', () => {
  it('bounds the pixels above the threshold', () => {
    // 4x3, person at (1,1) and (2,2)
    const data = new Float32Array(12);
    data[1 * 4 + 1] = 0.9;
    data[2 * 4 + 2] = 0.6;
    expect(personBox({ width: 4, height: 3, data }, 0.5)).toEqual({ x0: 1, y0: 1, x1: 3, y1: 3 });
    expect(personBox({ width: 4, height: 3, data: new Float32Array(12) }, 0.5)).toBeNull();
  });
});

describe('smoothMatte', () => {
  const opts = { minWeight: 0.6, stillLevels: 2, movingLevels: 8 };
  /** A 3x3 grey image at `level`, every pixel in the band unless said otherwise. */
  const grey = (level: number) => new Uint8Array(36).fill(level);

  function run(change: number, band = new Uint8Array(9).fill(1)): Float32Array {
    const alpha = new Float32Array(9).fill(0.9);
    smoothMatte(grey(100), new Float32Array(9).fill(0.5), grey(100 + change), alpha, band, 3, 3, opts);
    return alpha;
  }

  it('keeps the minimum weight of the new alpha where the image stood still', () => {
    // w = 0.6: 0.5 + 0.6 * (0.9 - 0.5) = 0.74
    for (const v of run(0)) expect(v).toBeCloseTo(0.74, 6);
  });

  it('ramps the weight up with the change and takes the new alpha where the image moved', () => {
    // 5 levels: w = 0.6 + 0.4 * (5 - 2) / 6 = 0.8 -> 0.5 + 0.8 * 0.4 = 0.82
    for (const v of run(5)) expect(v).toBeCloseTo(0.82, 6);
    for (const v of run(30)) expect(v).toBeCloseTo(0.9, 6);
  });

  it('leaves pixels outside the band as they are', () => {
    const band = new Uint8Array(9).fill(1);
    band[4] = 0;
    const alpha = run(0, band);
    expect(alpha[4]).toBeCloseTo(0.9, 6);
    expect(alpha[0]).toBeCloseTo(0.74, 6);
  });
});
