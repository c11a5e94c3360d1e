import { describe, expect, it } from 'vitest';
import { rgbaImage } from '../../../../src/frame';
import { matteWithTrimap } from '../../../../src/engine/matting/given-trimap';
import { matterFromRunner, type FbaInput } from '../../../../src/engine/matting/matter';
import { TRIMAP_BACKGROUND, TRIMAP_FOREGROUND, TRIMAP_UNKNOWN, type Trimap } from '../../../../src/engine/pixels/trimap';

/** The live path's matting with a given trimap, around a network stand-in whose output is a known step. */

const W = 40;
const H = 20;

/** Background everywhere but a foreground block x 20-29, y 6-13, ringed by two unknown pixels. */
function ringTrimap(): Trimap {
  const data = new Uint8Array(W * H).fill(TRIMAP_BACKGROUND);
  for (let y = 4; y < 16; y++) for (let x = 18; x < 32; x++) data[y * W + x] = TRIMAP_UNKNOWN;
  for (let y = 6; y < 14; y++) for (let x = 20; x < 30; x++) data[y * W + x] = TRIMAP_FOREGROUND;
  return { width: W, height: H, data };
}

/** Alpha 0 left of the network input's column `step`, 1 from it on. */
function stepMatter(step: number) {
  const calls: FbaInput[] = [];
  const run = async (enc: FbaInput) => {
    calls.push(enc);
    const n = enc.width * enc.height;
    const out = new Float32Array(7 * n).fill(0.5);
    for (let y = 0; y < enc.height; y++) for (let x = 0; x < enc.width; x++) out[y * enc.width + x] = x >= step ? 1 : 0;
    return out;
  };
  return { calls, matter: matterFromRunner(run, { provider: 'stand-in', fellBack: false }, 0) };
}

const grey = rgbaImage(W, H, new Uint8Array(W * H * 4).fill(128));

describe('matteWithTrimap', () => {
  it('at max runs the network on the whole image', async () => {
    const { calls, matter } = stepMatter(7);
    const alpha = await matteWithTrimap(matter, grey, ringTrimap(), null);
    // The matter crops to the unknown box itself (margin 0), x 18-31, and pads it to 16 x 16.
    expect([calls[0].width, calls[0].height]).toEqual([16, 16]);
    expect([alpha.data[10 * W + 18], alpha.data[10 * W + 19], alpha.data[10 * W + 30], alpha.data[10 * W + 31]]).toEqual([0, 0, 1, 1]);
  });

  it('under a budget mats a scaled crop and brings it back in place, the known regions exact', async () => {
    // The 14 x 12 box plus a 1-pixel margin, x 17-32, y 3-16, scaled by sqrt(64 / 224) to 9 x 8 (at least
    // 8): the step at column 4 of 9 falls near the crop's middle, x = 25.
    const { calls, matter } = stepMatter(4);
    const alpha = await matteWithTrimap(matter, grey, ringTrimap(), 64);
    expect(calls).toHaveLength(1);
    expect(calls[0].height).toBe(8);
    const t = ringTrimap().data;
    let left = 0;
    let right = 1;
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const i = y * W + x;
        if (t[i] === TRIMAP_FOREGROUND) expect(alpha.data[i]).toBe(1);
        else if (t[i] === TRIMAP_BACKGROUND) expect(alpha.data[i]).toBe(0);
        else if (x < 20) left = Math.max(left, alpha.data[i]);
        else if (x >= 30) right = Math.min(right, alpha.data[i]);
      }
    // The step lands where the crop was taken from: low all along the ring's left side, 1 along its right.
    // Not 0 on the left: on this flat grey guide the guided upsampler is a 3 x 3 mean at the matting
    // resolution, and there the ring is one pixel wide beside the sure foreground.
    expect(left).toBeLessThan(0.4);
    expect(right).toBeGreaterThan(0.99);
  });

  it('returns an empty matte when the trimap knows there is nobody', async () => {
    const { calls, matter } = stepMatter(0);
    const empty = { width: W, height: H, data: new Uint8Array(W * H).fill(TRIMAP_BACKGROUND) };
    const alpha = await matteWithTrimap(matter, grey, empty, 64);
    expect(calls).toHaveLength(0);
    expect(alpha.data.every((a) => a === 0)).toBe(true);
  });
});
