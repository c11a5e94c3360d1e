import { describe, expect, it } from 'vitest';
import { maskChange, personBox, smoothProbability } from '../../src/engine/stages/temporal';

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
