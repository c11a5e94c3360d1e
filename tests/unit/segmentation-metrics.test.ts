import { describe, expect, it } from 'vitest';
import { decodeMask, encodeMask, gridIndices, maskAgreement } from '../fixtures/segmentation/masks';

describe('maskAgreement', () => {
  it('measures differences and IoU at 0.5', () => {
    // Person by a: pixels 0, 1; by b: pixels 1, 2 -> IoU 1/3. |d| = 0.5, 0.1, 0.6, 0.
    const r = maskAgreement([0.9, 0.6, 0.1, 0], [0.4, 0.5, 0.7, 0]);
    expect(r.maxAbs).toBeCloseTo(0.6, 6);
    expect(r.meanAbs).toBeCloseTo(1.2 / 4, 6);
    expect(r.iou).toBeCloseTo(1 / 3, 6);
  });

  it('two empty masks agree fully', () => {
    expect(maskAgreement([0, 0.2], [0.1, 0]).iou).toBe(1);
  });

  it('refuses masks of different sizes', () => {
    expect(() => maskAgreement([1], [1, 0])).toThrow(RangeError);
  });
});

describe('reference mask storage', () => {
  it('keeps every step-th pixel, starting half a step in', () => {
    // 4x3 image, step 2: rows 1, columns 1 and 3.
    expect(Array.from(gridIndices(4, 3, 2))).toEqual([5, 7]);
    expect(gridIndices(3, 2, 1)).toHaveLength(6);
  });

  it('round-trips 8-bit masks to [0, 1]', () => {
    const decoded = decodeMask(encodeMask(Uint8Array.of(0, 51, 255)), 3);
    expect(Array.from(decoded)).toEqual([0, Math.fround(0.2), 1]);
    expect(() => decodeMask(encodeMask(Uint8Array.of(1)), 2)).toThrow(/holds 1 values, expected 2/);
  });
});
