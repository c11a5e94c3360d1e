import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../../src/outputs/streamer/backoff';

const noJitter = { baseMs: 1000, maxMs: 30_000, jitter: 0 };

describe('backoffDelay', () => {
  it('doubles from the base and stops at the maximum', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, noJitter))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(backoffDelay(1000, noJitter)).toBe(30000);
  });

  it('spreads by at most the jitter fraction either way', () => {
    const policy = { baseMs: 1000, maxMs: 30_000, jitter: 0.2 };
    expect(backoffDelay(3, policy, () => 0)).toBe(3200); // 4000 - 20 %
    expect(backoffDelay(3, policy, () => 0.5)).toBe(4000);
    expect(backoffDelay(3, policy, () => 0.999999)).toBe(4800); // just under +20 %
  });

  it('refuses an attempt number that is not a positive integer', () => {
    expect(() => backoffDelay(0)).toThrow(/positive integer, got 0/);
    expect(() => backoffDelay(1.5)).toThrow(RangeError);
  });
});
