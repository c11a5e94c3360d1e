import { describe, expect, it } from 'vitest';
import { smoothMatte } from '../../../../src/engine/matting/smoothing';
import { maskChange, personBox } from '../../../../src/engine/stages/plan';
import { rgbaImage } from '../../../../src/frame';
import { changeNear, sampleColour } from '../../../../src/engine/pixels/colour-change';
import { smooth, smoothProbability } from '../../../../src/engine/stages/smooth';

describe('smoothProbability', () => {
  const opts = { minWeight: 0.25, colourChange: 20 };

  it('holds a wavering probability where the picture stood still and follows where it moved', () => {
    const out = new Float32Array(3);
    // Pixel 0: the probability jumps 0 -> 1 on a still picture: w = 0.25. Pixel 1: the same jump where
    // the colour moved by 10: w = 0.5. Pixel 2: it moved by 40: w = 1.
    smoothProbability(Float32Array.of(0, 0, 0), Float32Array.of(1, 1, 1), Float32Array.of(0, 10, 40), out, opts);
    expect(Array.from(out)).toEqual([0.25, 0.5, 1]);
  });

  it('averages small wobble on a still picture with the minimum weight', () => {
    const out = new Float32Array(1);
    smoothProbability(Float32Array.of(0.8), Float32Array.of(0.9), Float32Array.of(1), out, opts);
    // change 1 -> w = 0.05, clamped up to 0.25 -> 0.8 + 0.025
    expect(out[0]).toBeCloseTo(0.825, 6);
  });

  it('rejects mismatched lengths', () => {
    expect(() => smoothProbability(new Float32Array(2), new Float32Array(3), new Float32Array(3), new Float32Array(3))).toThrow();
    expect(() => smoothProbability(new Float32Array(3), new Float32Array(3), new Float32Array(2), new Float32Array(3))).toThrow();
  });
});

describe('sampleColour', () => {
  it('averages the 2 x 2 frame pixels at each cell centre, per channel', () => {
    // 4x2 frame to a 2x1 grid: cell 0 reads columns 0-1, cell 1 columns 2-3, both rows.
    const frame = rgbaImage(4, 2);
    const red = [10, 20, 100, 200, 30, 40, 0, 100];
    red.forEach((v, i) => frame.data.set([v, 2 * i, 7, 255], 4 * i));
    const out = new Float32Array(6);
    sampleColour(frame, 2, 1, out);
    // Cell 0: red (10 + 20 + 30 + 40) / 4, green (0 + 2 + 8 + 10) / 4; cell 1: (100 + 200 + 0 + 100) / 4, (4 + 6 + 12 + 14) / 4.
    expect(Array.from(out)).toEqual([25, 5, 7, 100, 9, 7]);
  });
});

describe('changeNear', () => {
  it('takes the largest change of any channel in each 3 x 3 neighbourhood', () => {
    const a = new Float32Array(24);
    const b = new Float32Array(24);
    b[3 * 7 + 2] = 9; // pixel (3, 1), blue only
    b[3 * 0 + 1] = 1; // pixel (0, 0), green, a smaller change
    const out = new Float32Array(8);
    changeNear(a, b, 4, 2, out);
    // Pixel (3, 1)'s change reaches columns 2-3; pixel (0, 0)'s reaches columns 0-1.
    expect(Array.from(out)).toEqual([1, 1, 9, 9, 1, 1, 9, 9]);
  });
});

describe('changeNear against the 3 x 3 maximum taken directly', () => {
  it('agrees on a 7 x 5 grid with edges', () => {
    const w = 7;
    const h = 5;
    const a = Float32Array.from({ length: 3 * w * h }, (_, i) => (i * 37) % 101);
    const b = Float32Array.from({ length: 3 * w * h }, (_, i) => (i * 53) % 89);
    const got = new Float32Array(w * h);
    changeNear(a, b, w, h, got);
    const d = (i: number) => Math.max(...[0, 1, 2].map((c) => Math.abs(a[3 * i + c] - b[3 * i + c])));
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        let m = 0;
        for (let v = Math.max(0, y - 1); v <= Math.min(h - 1, y + 1); v++) for (let u = Math.max(0, x - 1); u <= Math.min(w - 1, x + 1); u++) m = Math.max(m, d(v * w + u));
        expect(got[y * w + x]).toBe(m);
      }
  });
});

describe('smooth', () => {
  it('starts anew on the first frame and on a mask of another size, then smooths against the picture', () => {
    const frame = rgbaImage(4, 2, new Uint8Array(32).fill(100));
    const first = smooth(null, frame, { width: 2, height: 1, data: Float32Array.of(0, 0) });
    expect(Array.from(first.prob)).toEqual([0, 0]);
    // Same picture, the segmenter flips to 1: held at the minimum weight (0.15 by default).
    const second = smooth(first, frame, { width: 2, height: 1, data: Float32Array.of(1, 1) });
    expect(second.prob[0]).toBeCloseTo(0.15, 6);
    const resized = smooth(second, frame, { width: 1, height: 1, data: Float32Array.of(1) });
    expect(Array.from(resized.prob)).toEqual([1]);
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
