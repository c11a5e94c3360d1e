import { describe, expect, it } from 'vitest';
import { FbaRefiner } from '../../../../src/engine/matting/fba-refiner';
import { keepGeometry, matteGeometry } from '../../../../src/engine/stages/plan';
import { pickAutoQuality } from '../../../../src/engine/matting/create-refiner';
import { matterFromRunner, type FbaInput } from '../../../../src/engine/matting/matter';
import { upsampleMask } from '../../../../src/engine/stages/upsample';
import type { FloatImage, RgbaImage } from '../../../../src/frame';

describe('matteGeometry', () => {
  it('adds a margin, clamps to the frame and keeps a small crop at full resolution', () => {
    // box 100x50 -> margin 8% of 100 = 8
    const g = matteGeometry({ x0: 4, y0: 20, x1: 104, y1: 70 }, 200, 100, 1_000_000);
    expect(g).toEqual({ x0: 0, y0: 12, x1: 112, y1: 78, width: 112, height: 66 });
  });

  it('scales a large crop down to the pixel budget, keeping its aspect', () => {
    const g = matteGeometry({ x0: 0, y0: 0, x1: 1000, y1: 500 }, 1000, 500, 20_000);
    expect(g.width * g.height).toBeLessThanOrEqual(20_200);
    expect(g.width / g.height).toBeCloseTo(2, 1);
  });

  it('leaves the crop alone when the budget is unlimited', () => {
    const g = matteGeometry({ x0: 10, y0: 10, x1: 20, y1: 20 }, 100, 100, null);
    expect([g.width, g.height]).toEqual([g.x1 - g.x0, g.y1 - g.y0]);
  });
});

describe('keepGeometry', () => {
  const g = (x0: number, y0: number, x1: number, y1: number) => ({ x0, y0, x1, y1, width: 100, height: 100 });

  it('keeps the previous crop while it holds the fresh one and is at most 1.3 times its area', () => {
    const previous = g(0, 0, 110, 110);
    expect(keepGeometry(previous, g(5, 5, 105, 105))).toBe(previous);
  });

  it('takes the fresh crop when the person leaves the previous one, or it has grown too loose', () => {
    const previous = g(0, 0, 110, 110);
    const outside = g(20, 0, 120, 100);
    expect(keepGeometry(previous, outside)).toBe(outside);
    // 12100 > 1.3 * (90 * 90 = 8100)
    const smaller = g(10, 10, 100, 100);
    expect(keepGeometry(previous, smaller)).toBe(smaller);
  });
});

describe('pickAutoQuality', () => {
  it('takes the largest size that fits the budget', () => {
    expect(pickAutoQuality({ performance: 10, balanced: 20, quality: 40 }, 50)).toBe('quality');
    expect(pickAutoQuality({ performance: 10, balanced: 20, quality: 80 }, 50)).toBe('balanced');
    expect(pickAutoQuality({ performance: 60, balanced: 90, quality: 200 }, 50)).toBe('performance');
  });
});

/** A stand-in network: alpha 0.5 everywhere, F pure red. The refiner must clamp known regions around it. */
function halfMatter(calls: FbaInput[]) {
  return matterFromRunner(
    async (input) => {
      calls.push(input);
      const n = input.width * input.height;
      const out = new Float32Array(7 * n);
      out.fill(0.5, 0, n);
      out.fill(1, n, 2 * n);
      return out;
    },
    { provider: 'test', fellBack: false },
  );
}

function frame(width: number, height: number): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([0, 0, 255, 255], 4 * i);
  return { width, height, data };
}

/** A disc of probability 1 in the middle of a 32x18 mask, 0 elsewhere. */
function discProb(): FloatImage {
  const width = 32;
  const height = 18;
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = Math.hypot(x - 16, y - 9) < 6 ? 1 : 0;
  return { width, height, data };
}

/** The refiner's stages in the pipeline's order, as the session runs them (offline, it awaits the matte). */
async function refine(refiner: FbaRefiner, f: RgbaImage, prob: FloatImage, live: boolean) {
  const smoothed = refiner.smooth(f, prob);
  const plan = refiner.plan(f, smoothed);
  const running = plan ? refiner.matte(f, plan) : null;
  if (running && !live) await running;
  return refiner.upsample(f, smoothed, plan);
}

describe('FbaRefiner', () => {
  it('offline: mats each frame, keeps known regions exact and uses the predicted foreground in the band', async () => {
    const calls: FbaInput[] = [];
    const refiner = new FbaRefiner({ mode: 'light', matter: halfMatter(calls), quality: 'max', live: false });
    const f = frame(128, 72);
    const matte = await refine(refiner, f, discProb(), false);
    expect(calls).toHaveLength(1);
    const a = matte.alpha.data;
    expect(a[36 * 128 + 64]).toBe(1); // centre of the person
    expect(a[0]).toBe(0); // corner
    // In the band the foreground is the network's red, not the frame's blue, and alpha is the mean of the
    // matte and the segmentation's own soft edge: the matte is the network's 0.5 inside the band (the
    // guide is flat, so the guided filter only averages), between 0 and 1 at its rim.
    const seg = upsampleMask(discProb(), 128, 72).alpha.data;
    const fg = matte.foreground!.data;
    let band = 0;
    let networks = 0;
    for (let i = 0; i < a.length; i++) {
      if (fg[4 * i] !== 255 || fg[4 * i + 2] !== 0) continue;
      band++;
      const m = 2 * (a[i] - 0.5 * seg[i]);
      expect(m).toBeGreaterThanOrEqual(-1e-5);
      expect(m).toBeLessThanOrEqual(1 + 1e-5);
      if (Math.abs(m - 0.5) < 1e-4) networks++;
    }
    expect(band).toBeGreaterThan(50);
    expect(networks).toBeGreaterThan(50);
  });

  it('reuses the trimap while the mask barely changes and makes it anew when the person moves', async () => {
    const calls: FbaInput[] = [];
    const refiner = new FbaRefiner({ mode: 'light', matter: halfMatter(calls), quality: 'max', live: false });
    const trimaps: Float32Array[] = [];
    const f = frame(128, 72);
    const step = async (prob: FloatImage, image = f) => {
      const matte = await refine(refiner, image, prob, false);
      trimaps.push(calls[calls.length - 1].trimap2.slice());
      return matte;
    };
    await step(discProb());
    // Three edge pixels (0.5% of the mask, under the reuse limit) drop to 0.6: made anew, the trimap
    // would grow its unknown band there; reused, it stays as it was.
    const wobble = discProb();
    for (const x of [11, 12, 13]) wobble.data[9 * 32 + x] = 0.6;
    await step(wobble);
    expect(trimaps[1]).toEqual(trimaps[0]);

    const moved = { width: 32, height: 18, data: new Float32Array(32 * 18) };
    for (let y = 0; y < 18; y++) for (let x = 0; x < 32; x++) moved.data[y * 32 + x] = Math.hypot(x - 8, y - 9) < 6 ? 1 : 0;
    // The picture moves with the person (a blue frame turned white): the smoothing follows at once.
    const matte = await step(moved, { ...f, data: new Uint8Array(f.data.length).fill(255) });
    // the person is now centred at x = 8 of 32 (frame x = 32); the old centre (frame x = 64) is background
    expect(matte.alpha.data[36 * 128 + 32]).toBe(1);
    expect(matte.alpha.data[36 * 128 + 64]).toBeLessThan(0.05);
  });

  it('returns a zero alpha and calls no model when nobody is in the frame', async () => {
    const calls: FbaInput[] = [];
    const refiner = new FbaRefiner({ mode: 'light', matter: halfMatter(calls), quality: 'balanced', live: true });
    const matte = await refine(refiner, frame(64, 36), { width: 32, height: 18, data: new Float32Array(32 * 18) }, true);
    expect(calls).toHaveLength(0);
    expect(matte.alpha.data.every((v) => v === 0)).toBe(true);
  });

  it('live: a matte of the old size is not applied after the camera changes resolution', async () => {
    const calls: FbaInput[] = [];
    const refiner = new FbaRefiner({ mode: 'light', matter: halfMatter(calls), quality: 'balanced', live: true });
    await refine(refiner, frame(128, 72), discProb(), true);
    // Let the matte of the 128x72 frame land.
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toHaveLength(1);
    const matte = await refine(refiner, frame(64, 36), discProb(), true);
    expect([matte.alpha.width, matte.alpha.height]).toEqual([64, 36]);
    // The old matte's red foreground is nowhere; this frame shows the segmentation until its own matte lands.
    expect(matte.foreground).toBeNull();
    expect(matte.alpha.data[18 * 64 + 32]).toBe(1);
    await refiner.dispose();
  });
});
