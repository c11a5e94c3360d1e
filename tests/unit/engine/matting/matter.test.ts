import { describe, expect, it } from 'vitest';
import { EngineFailure } from '../../../../src/common/failure';
import { rgbaImage } from '../../../../src/frame';
import { PixelError } from '../../../../src/engine/pixels/errors';
import { chooseCrop, createMatter, matterFromRunner, type FbaInput } from '../../../../src/engine/matting/matter';
import type { Trimap } from '../../../../src/engine/pixels/trimap';

/**
 * The matting stage's own logic (no-call shortcuts, cropping, clamping, pasting) around a stand-in for
 * the network whose output is known; the real model runs in tests/integration/matter.test.ts.
 */

function image(w: number, h: number) {
  const img = rgbaImage(w, h);
  for (let i = 0; i < w * h; i++) img.data.set([i % 256, (3 * i) % 256, 200, 255], 4 * i);
  return img;
}

function trimap(w: number, h: number, label: (x: number, y: number) => number): Trimap {
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = label(x, y);
  return { width: w, height: h, data };
}

/** A network stand-in: alpha and F from a function of the input position; records what it was given. */
function standIn(alpha: (x: number, y: number) => number, f = 0.5) {
  const calls: FbaInput[] = [];
  const run = async (enc: FbaInput) => {
    calls.push(enc);
    const n = enc.width * enc.height;
    const out = new Float32Array(7 * n);
    for (let y = 0; y < enc.height; y++)
      for (let x = 0; x < enc.width; x++) {
        out[y * enc.width + x] = alpha(x, y);
        for (let c = 1; c < 7; c++) out[c * n + y * enc.width + x] = f;
      }
    return out;
  };
  return { calls, matter: matterFromRunner(run, { provider: 'stand-in', fellBack: false }) };
}

describe('matter', () => {
  it('returns the known alpha without calling the network when nothing is unknown', async () => {
    const { calls, matter } = standIn(() => 0.5);
    const img = image(6, 4);
    const r = await matter.matte(img, trimap(6, 4, (x) => (x < 3 ? 0 : 255)));
    expect(calls).toHaveLength(0);
    expect(Array.from(r.alpha.data)).toEqual(new Array(24).fill(0).map((_, i) => (i % 6 < 3 ? 0 : 1)));
    expect(r.foreground.data).toEqual(img.data);
  });

  it('gives a zero alpha for an all-background trimap, with no call', async () => {
    const { calls, matter } = standIn(() => 0.5);
    const r = await matter.matte(image(5, 5), trimap(5, 5, () => 0));
    expect(calls).toHaveLength(0);
    expect(Array.from(r.alpha.data)).toEqual(new Array(25).fill(0));
  });

  it("keeps known pixels exact, takes the network's alpha (clamped) and F in the unknown band", async () => {
    // Columns: 0-1 background, 2-3 unknown, 4-5 foreground. The stand-in answers 1.7 and -0.2 in the band.
    const { calls, matter } = standIn((x) => (x === 2 ? 1.7 : -0.2), 0.5);
    const img = image(6, 2);
    const r = await matter.matte(img, trimap(6, 2, (x) => (x < 2 ? 0 : x < 4 ? 128 : 255)));
    expect(calls).toHaveLength(1);
    expect([calls[0].width, calls[0].height]).toEqual([8, 8]);
    expect(Array.from(r.alpha.data.subarray(0, 6))).toEqual([0, 0, 1, 0, 1, 1]);
    for (let x = 0; x < 6; x++) {
      const p = 4 * x;
      const want = x >= 4 ? Array.from(img.data.subarray(p, p + 3)) : [128, 128, 128];
      expect(Array.from(r.foreground.data.subarray(p, p + 3)), `column ${x}`).toEqual(want);
    }
  });

  it('runs on a crop round a small band and pastes the answer back in place', async () => {
    // 200x100, unknown only in x 150-159, y 20-29; margin 16 -> crop x 134-175, y 4-45 (42x42 -> 48x48).
    const { calls, matter } = standIn((x, y) => (x + 100 * y) / 10000);
    const t = trimap(200, 100, (x, y) => (x >= 150 && x < 160 && y >= 20 && y < 30 ? 128 : 0));
    const r = await matter.matte(image(200, 100), t);
    expect([calls[0].width, calls[0].height]).toEqual([48, 48]);
    expect(r.alpha.data[25 * 200 + 155]).toBeCloseTo((155 - 134 + 100 * (25 - 4)) / 10000, 6);
    expect(r.alpha.data[20 * 200 + 150]).toBeCloseTo((150 - 134 + 100 * (20 - 4)) / 10000, 6);
  });

  it('chooses the whole image when the band spans most of it', () => {
    expect(chooseCrop({ x0: 5, y0: 5, x1: 95, y1: 60 }, 100, 64, 16)).toEqual({ x0: 0, y0: 0, x1: 100, y1: 64 });
    expect(chooseCrop({ x0: 40, y0: 10, x1: 50, y1: 20 }, 100, 64, 4)).toEqual({ x0: 36, y0: 6, x1: 54, y1: 24 });
  });

  it('rejects a trimap of another size, and a network answer of the wrong size', async () => {
    const { matter } = standIn(() => 0);
    await expect(matter.matte(image(4, 4), trimap(4, 3, () => 128))).rejects.toThrow(PixelError);
    const bad = matterFromRunner(async () => new Float32Array(10), { provider: 'stand-in', fellBack: false });
    await expect(bad.matte(image(4, 4), trimap(4, 4, () => 128))).rejects.toThrow(EngineFailure);
  });

  it('reports a model file that cannot be loaded as model-load-failed', async () => {
    await expect(createMatter({ modelPath: '/nonexistent/fba.onnx' })).rejects.toMatchObject({ code: 'model-load-failed' });
  });

  it('smooths a matte with the previous one only when it is of the same region', async () => {
    let next = 0.2;
    const run = async (enc: FbaInput) => {
      const out = new Float32Array(7 * enc.width * enc.height).fill(0.5);
      out.fill(next, 0, enc.width * enc.height);
      return out;
    };
    const matter = matterFromRunner(run, { provider: 'stand-in', fellBack: false });
    const img = image(6, 4);
    const t = trimap(6, 4, () => 128);
    const region = { x0: 10, y0: 10, x1: 22, y1: 18, width: 6, height: 4 };
    await matter.matte(img, t, region);
    next = 0.8;
    // The same picture of the same region again: still, so the new alpha gets the smoothing's minimum weight, 0.6.
    const continued = await matter.matte(img, t, { ...region });
    for (const v of continued.alpha.data) expect(v).toBeCloseTo(0.2 + 0.6 * (0.8 - 0.2), 5);
    const fresh = await matter.matte(img, t, { ...region, x0: 11 });
    for (const v of fresh.alpha.data) expect(v).toBeCloseTo(0.8, 5);
  });
});
