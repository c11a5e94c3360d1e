import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { floatImage, rgbaImage, type FloatImage, type RgbaImage } from '../../../../src/frame';
import { decodePng } from '../../../../src/engine/pixels/png';
import { resizeFloat } from '../../../../src/engine/pixels/resize';
import { smooth } from '../../../../src/engine/stages/smooth';
import { SHARED_DIR } from '../../../../bench/lib/shared-data';

/**
 * The smooth stage on a real photograph (alphamatting.com's GT01, read in place): its ground-truth alpha
 * at a segmenter's resolution stands in for the probability, with a segmenter's frame-to-frame wavering.
 */
const EVAL = `${SHARED_DIR}/eval/alphamatting`;
const missing = existsSync(`${EVAL}/image/GT01.png`) ? null : `${EVAL} is absent`;

/** The image and its alpha moved right by dx pixels (the left edge repeated): the picture moved. */
function shifted(image: RgbaImage, alpha: FloatImage, dx: number): { image: RgbaImage; alpha: FloatImage } {
  const { width, height } = image;
  const out = rgbaImage(width, height);
  const a = floatImage(width, height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const sx = Math.max(0, x - dx);
      out.data.set(image.data.subarray(4 * (y * width + sx), 4 * (y * width + sx) + 4), 4 * (y * width + x));
      a.data[y * width + x] = alpha.data[y * width + sx];
    }
  return { image: out, alpha: a };
}

const meanAbs = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0) / a.length;

describe.skipIf(missing)(`smooth stage on GT01${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('holds a wavering mask steady on a still picture, and follows at once when the picture moves', () => {
    const image = decodePng(readFileSync(`${EVAL}/image/GT01.png`));
    const gt = decodePng(readFileSync(`${EVAL}/alpha/GT01.png`));
    const alpha = floatImage(image.width, image.height);
    for (let i = 0; i < alpha.data.length; i++) alpha.data[i] = gt.data[4 * i] / 255;
    const small = (a: FloatImage) => resizeFloat(a, 256, 160);
    const truth = small(alpha);
    // The segmenter wavers: +-0.2 around the truth on alternate frames, clamped.
    const waver = (sign: number) => floatImage(256, 160, truth.data.map((v) => Math.min(1, Math.max(0, v + sign * 0.2 * (v > 0.05 && v < 0.95 ? 1 : 0.5)))));
    let state = smooth(null, image, waver(1));
    const raw: number[] = [];
    const smoothed: number[] = [];
    for (let t = 1; t <= 10; t++) {
      const before = state.prob.slice();
      state = smooth(state, image, waver(t % 2 ? -1 : 1));
      smoothed.push(meanAbs(before, state.prob));
      raw.push(meanAbs(waver(1).data, waver(-1).data));
    }
    // Still picture: the smoothed mask moves far less from frame to frame than the raw one.
    expect(smoothed.slice(-5).reduce((s, v) => s + v, 0) / 5).toBeLessThan(0.25 * raw[0]);

    // The doll moves 24 pixels right, and the segmenter with it: where the picture changed the mask
    // follows in the same frame (the error to the moved truth is far below the error to the old mask).
    const moved = shifted(image, alpha, 24);
    const movedTruth = small(moved.alpha);
    const before = state.prob.slice();
    state = smooth(state, moved.image, movedTruth);
    expect(meanAbs(state.prob, movedTruth.data)).toBeLessThan(0.25 * meanAbs(before, movedTruth.data));
  });
});
