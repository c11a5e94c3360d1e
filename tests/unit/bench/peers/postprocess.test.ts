import { describe, expect, it } from 'vitest';
import { bitMix, boxBlur5, centreRoi } from '../../../../bench/peers/backscrub';
import {
  backgroundMask,
  contourFilter,
  minMaxNormalise,
  OBS_DEFAULTS,
  obsMaskStep,
  psnr,
  stackBlur,
  temporalBlend,
  toUint8,
  upsampleBinary,
} from '../../../../bench/peers/obs-postprocess';
import { rvmDownsampleRatio } from '../../../../bench/peers/rvm';
import { niceTicks, robustTop } from '../../../../bench/lib/plot';

describe("OBS plugin's mask post-processing", () => {
  it('converts scores to 8 bits with rounding and saturation, like convertTo(CV_8U, 255)', () => {
    expect([...toUint8(Float32Array.of(-0.2, 0, 0.5, 0.999, 1.7))]).toEqual([0, 0, 128, 255, 255]);
  });

  it('min-max normalises a selfie output per frame', () => {
    expect([...minMaxNormalise(Float32Array.of(0.2, 0.4, 0.6))].map((v) => +v.toFixed(6))).toEqual([0, 0.5, 1]);
  });

  it('thresholds at (uint8)(threshold * 255) into a background mask', () => {
    // 0.5 * 255 = 127.5 -> 127: a score of 127 is person (not < 127), 126 is background.
    expect([...backgroundMask(Uint8Array.of(0, 126, 127, 255), 0.5)]).toEqual([255, 255, 0, 0]);
  });

  it('blends with the previous mask like addWeighted, rounded', () => {
    // 255 * 0.85 + 0 * 0.15 = 216.75 -> 217; 0 * 0.85 + 255 * 0.15 = 38.25 -> 38.
    expect([...temporalBlend(Uint8Array.of(255, 0), Uint8Array.of(0, 255), 0.85)]).toEqual([217, 38]);
  });

  it('drops small background regions and fills holes of kept ones', () => {
    // 6 x 6. A 4 x 4 background block in the corner with a hole at (1, 1) is kept and its hole filled;
    // a lone background pixel at (5, 5) is 1 pixel of 36, under 5 % (1.8) -> dropped.
    const w = 6;
    const mask = new Uint8Array(36);
    for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) mask[y * w + x] = 255;
    mask[1 * w + 1] = 0;
    mask[5 * w + 5] = 255;
    const out = contourFilter(mask, w, 6, 0.05);
    expect(out[1 * w + 1]).toBe(255);
    expect(out[5 * w + 5]).toBe(0);
    expect(out[0]).toBe(255);
    expect(out[4 * w + 4]).toBe(0);
  });

  it('stack-blurs with a triangular kernel: a 3-wide kernel on a step gives 1/4, 3/4', () => {
    // ksize 3 -> weights 1, 2, 1 over 4 in each direction; a vertical step stays a step vertically.
    const w = 4;
    const mask = Uint8Array.from({ length: 8 }, (_, i) => (i % w >= 2 ? 255 : 0));
    const out = stackBlur(mask, w, 2, 3);
    expect([...out.slice(0, 4)]).toEqual([0, 64, 191, 255]);
  });

  it('upsamples bilinearly then keeps > 128 as background', () => {
    expect([...upsampleBinary(Uint8Array.of(0, 255), 2, 1, 4, 1)]).toEqual([0, 0, 255, 255]);
  });

  it('measures PSNR over all bytes, capped for identical images', () => {
    // One byte off by 255 in four: MSE = 255^2 / 4 -> 10 log10(4) = 6.02 dB.
    expect(psnr(Uint8Array.of(0, 0, 0, 0), Uint8Array.of(255, 0, 0, 0))).toBeCloseTo(6.0206, 3);
    expect(psnr(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(361);
  });

  it('keeps the blended (not contour-filtered) mask as the next frame\'s history', () => {
    const score = Float32Array.of(1, 1, 0, 0);
    const first = obsMaskStep(score, 2, 2, null, OBS_DEFAULTS);
    expect([...first.blended]).toEqual([0, 0, 255, 255]);
    const second = obsMaskStep(Float32Array.of(0, 0, 0, 0), 2, 2, first.blended, OBS_DEFAULTS);
    // New background 255 at weight 0.85 over history 0: 216.75 -> 217.
    expect([...second.blended]).toEqual([217, 217, 255, 255]);
  });
});

describe("backscrub's helpers", () => {
  it('crops the centre square of a 16:9 frame for a square model, the whole frame for a 16:9 one', () => {
    expect(centreRoi(1280, 720, 256, 256)).toEqual({ x: 280, y: 0, width: 720, height: 720 });
    expect(centreRoi(1280, 720, 256, 144)).toEqual({ x: 0, y: 0, width: 1280, height: 720 });
  });

  it('keeps the new decision in the top three bits and the history shifted down by three', () => {
    expect(bitMix(255, 0)).toBe(0xe0);
    expect(bitMix(255, 0xe0)).toBe(0xe0 | 0x1c);
    expect(bitMix(0, 255)).toBe(0x1f);
  });

  it('box-blurs 5x5 with replicated edges', () => {
    const plane = new Uint8Array(25);
    plane[12] = 250;
    const out = boxBlur5(plane, 5, 5);
    expect(out[12]).toBe(10);
    expect(out[0]).toBe(10); // the centre pixel is within 2 of the corner, once
  });
});

describe('RVM downsample ratio', () => {
  it('follows the authors\' advice: 0.25 for HD, 0.4 up to 720 px', () => {
    expect(rvmDownsampleRatio(1280, 720)).toBe(0.25);
    expect(rvmDownsampleRatio(640, 360)).toBe(0.4);
  });
});

describe('plot ticks', () => {
  it('steps by 1, 2 or 5 times a power of ten', () => {
    expect(niceTicks(0, 100)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(0, 1.2, 5)).toEqual([0, 0.5, 1]);
    expect(niceTicks(3, 3)).toEqual([3]);
  });

  it('stops the axis short of one runaway series, not of an ordinary spread', () => {
    const s = (peak: number) => ({ label: String(peak), x: [0, 1], y: [0, peak] });
    expect(robustTop([s(100), s(10), s(8)])).toBe(15);
    expect(robustTop([s(20), s(10), s(8)])).toBeUndefined();
  });
});
