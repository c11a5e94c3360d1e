import { describe, expect, it } from 'vitest';
import { floatImage } from '../../../../src/frame';
import { makeTrimap } from '../../../../src/engine/pixels/trimap';
import { plan } from '../../../../src/engine/stages/plan';

/** A person-like mask at 64x36: a head and shoulders, and a hand at (hx, 20). */
function mask(hx: number) {
  const w = 64;
  const h = 36;
  return floatImage(
    w,
    h,
    Float32Array.from({ length: w * h }, (_, i) => {
      const x = i % w;
      const y = Math.floor(i / w);
      const body = Math.hypot(x - 32, y - 12) < 8 || (y > 20 && Math.abs(x - 32) < 14);
      const hand = Math.hypot(x - hx, y - 20) < 3;
      return body || hand ? 1 : 0;
    }),
  );
}

describe('plan', () => {
  it('keeps the crop when a hand moves inside it, and redoes the trimap only where the mask changed, exactly', () => {
    const frame = { width: 640, height: 360 };
    const first = plan(null, frame, mask(12), 128 * 72);
    const second = plan(first, frame, mask(16), 128 * 72);
    expect(first && second).toBeTruthy();
    expect(second).not.toBe(first);
    expect(second?.geometry).toEqual(first?.geometry);
    const g = second!.geometry;
    expect(Array.from(second!.trimap.data)).toEqual(Array.from(makeTrimap(floatImage(g.width, g.height, second!.cropProb)).data));
  });
});
