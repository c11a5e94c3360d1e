import { describe, expect, it } from 'vitest';
import { floatImage, rgbaImage, type FloatImage } from '../../../../src/frame';
import {
  benchmarkGradientError,
  connectivityError,
  errorSplit,
  gradientError,
  gradientKernel,
  gradientMagnitude,
  largestComponent,
  MetricError,
  mse,
  sad,
} from '../../../../bench/lib/metrics';
import { blockMotion, dtSSD, flickerSum, messdt, motionField, stillMask } from '../../../../bench/lib/temporal-metrics';

const img = (width: number, height: number, values: number[]): FloatImage => floatImage(width, height, Float32Array.from(values));

describe('SAD and MSE', () => {
  const pred = img(2, 2, [0, 1, 0.5, 0.5]);
  const truth = img(2, 2, [0, 0, 1, 0.5]);

  it('sum |diff| / 1000 and mean squared diff over every pixel', () => {
    // |diffs| = 0, 1, 0.5, 0 -> 1.5 / 1000; squares 0, 1, 0.25, 0 -> 1.25 / 4.
    expect(sad(pred, truth)).toBeCloseTo(0.0015, 12);
    expect(mse(pred, truth)).toBeCloseTo(0.3125, 12);
  });

  it('only count the masked pixels', () => {
    const mask = Uint8Array.from([0, 0, 1, 1]);
    expect(sad(pred, truth, mask)).toBeCloseTo(0.0005, 12);
    expect(mse(pred, truth, mask)).toBeCloseTo(0.125, 12);
  });

  it('refuse images of different sizes with a MetricError naming both', () => {
    expect(() => sad(img(2, 1, [0, 0]), truth)).toThrow(MetricError);
    expect(() => mse(img(2, 1, [0, 0]), truth)).toThrow(/2x1.*2x2/);
  });
});

describe('error split', () => {
  it('splits SAD by what the truth is (background, partial, person) and by sign', () => {
    // truth 0, 0, 0.5, 0.5, 1, 1; pred 0.25 (+0.25 bg), 0 (0), 0.75 (+0.25), 0.25 (-0.25), 0.5 (-0.5), 1 (0)
    const split = errorSplit(img(3, 2, [0.25, 0, 0.75, 0.25, 0.5, 1]), img(3, 2, [0, 0, 0.5, 0.5, 1, 1]));
    expect(split.background.over).toBeCloseTo(0.00025, 12);
    expect(split.background.under).toBe(0);
    expect(split.partial.over).toBeCloseTo(0.00025, 12);
    expect(split.partial.under).toBeCloseTo(0.00025, 12);
    expect(split.person.over).toBe(0);
    expect(split.person.under).toBeCloseTo(0.0005, 12);
  });

  it('adds up to SAD, and counts truth within 0.02 of 0 or 1 as solid', () => {
    const pred = img(2, 2, [0.1, 0.9, 0.3, 0.6]);
    const truth = img(2, 2, [0.02, 0.98, 0.03, 0.97]);
    const split = errorSplit(pred, truth);
    const total = split.background.over + split.background.under + split.partial.over + split.partial.under + split.person.over + split.person.under;
    expect(total).toBeCloseTo(sad(pred, truth), 12);
    expect(split.background.over).toBeCloseTo(0.00008, 9);
    expect(split.person.under).toBeCloseTo(0.00008, 9);
    expect(split.partial.over).toBeCloseTo(0.00027, 9);
    expect(split.partial.under).toBeCloseTo(0.00037, 9);
  });
});

describe('gradient error', () => {
  it('uses the 9-tap kernel RVM derives for sigma 1.4, unit norm, derivative odd', () => {
    // half = ceil(1.4 * sqrt(-2 ln(sqrt(2 pi) * 1.4 * 0.01))) = ceil(1.4 * 2.588) = ceil(3.62) = 4.
    const { half, gauss, deriv } = gradientKernel(1.4);
    expect(half).toBe(4);
    expect(gauss.length).toBe(9);
    expect(Math.hypot(...gauss)).toBeCloseTo(1, 12);
    expect(Math.hypot(...deriv)).toBeCloseTo(1, 12);
    expect(Math.abs(deriv[4])).toBe(0);
    expect(deriv[3]).toBeCloseTo(-deriv[5], 12);
    // Correlation with -x G(x): a rising edge gives a negative response, like cv2.filter2D in RVM.
    expect(deriv[5]).toBeLessThan(0);
  });

  it('matches a direct 2-D correlation with the outer-product kernel', () => {
    const w = 6;
    const h = 5;
    const plane = Float64Array.from({ length: w * h }, (_, i) => ((i * 7) % 11) / 10);
    const { half, gauss, deriv } = gradientKernel(1.4);
    const at = (x: number, y: number) => plane[Math.min(h - 1, Math.max(0, y)) * w + Math.min(w - 1, Math.max(0, x))];
    const got = gradientMagnitude(plane, w, h);
    for (const [x, y] of [[0, 0], [2, 3], [5, 4]]) {
      let gx = 0;
      let gy = 0;
      for (let i = -half; i <= half; i++) {
        for (let j = -half; j <= half; j++) {
          gx += gauss[i + half] * deriv[j + half] * at(x + j, y + i);
          gy += deriv[i + half] * gauss[j + half] * at(x + j, y + i);
        }
      }
      expect(got[y * w + x]).toBeCloseTo(Math.hypot(gx, gy), 10);
    }
  });

  it('is zero for identical alphas and for alphas that differ only by scale (min-max normalised)', () => {
    const a = img(4, 3, [0, 0.2, 0.4, 0.6, 0, 0.2, 0.4, 0.6, 0, 0.2, 0.4, 0.6]);
    const b = img(4, 3, Array.from(a.data, (v) => v / 2));
    expect(gradientError(a, a)).toBe(0);
    expect(gradientError(a, b)).toBeCloseTo(0, 12);
  });

  it('against a constant prediction equals the sum of the truth gradient squared / 1000', () => {
    const truth = img(5, 1, [0, 0, 1, 1, 1]);
    const flat = img(5, 1, [0, 0, 0, 0, 0]);
    const g = gradientMagnitude(Float64Array.from(truth.data), 5, 1);
    const expected = g.reduce((s, v) => s + v * v, 0) / 1000;
    expect(expected).toBeGreaterThan(0);
    expect(gradientError(flat, truth)).toBeCloseTo(expected, 12);
  });
});

describe('connectivity error', () => {
  it('finds the largest 4-connected component (diagonals do not connect)', () => {
    // 1 1 0
    // 0 0 1
    // 0 0 1   -> components {0,1} and {5,8}; ties go to the first found.
    const mask = Uint8Array.from([1, 1, 0, 0, 0, 1, 0, 0, 1]);
    expect([...largestComponent(mask, 3, 3)]).toEqual([1, 1, 0, 0, 0, 0, 0, 0, 0]);
    mask[2] = 1;
    expect([...largestComponent(mask, 3, 3)]).toEqual([1, 1, 1, 0, 0, 1, 0, 0, 1]);
  });

  it('is zero for a perfect prediction', () => {
    const t = img(3, 1, [1, 0.5, 0]);
    expect(connectivityError(t, t)).toBe(0);
  });

  it('charges an island the truth connects to the main body but the prediction cuts off', () => {
    // Truth: all three pixels 1, one component at every threshold: level 1 everywhere, phi = 1.
    // Prediction [1, 0, 1]: from 0.1 on, the largest component of both >= t is pixel 0 alone, so
    // pixels 1 and 2 get level 0. Truth: d = 1 -> phi 0 for both. Prediction: pixel 1 d = 0 -> phi 1;
    // pixel 2 d = 1 -> phi 0. |diff| = 0 + 1 + 0 -> 1 / 1000.
    const truth = img(3, 1, [1, 1, 1]);
    const pred = img(3, 1, [1, 0, 1]);
    expect(connectivityError(pred, truth)).toBeCloseTo(0.001, 12);
  });
});

describe('dtSSD', () => {
  it('is zero when the prediction changes exactly as the truth does', () => {
    const a0 = img(2, 1, [0, 1]);
    const a1 = img(2, 1, [1, 0]);
    expect(dtSSD(a0, a1, a0, a1)).toBe(0);
  });

  it('is sqrt(mean squared difference of the changes) * 100', () => {
    // Truth still; prediction moves by 0.5 at one of 4 pixels: sqrt(0.25 / 4) * 100 = 25.
    const t = img(2, 2, [0, 0, 1, 1]);
    const p1 = img(2, 2, [0.5, 0, 1, 1]);
    expect(dtSSD(t, p1, t, t)).toBeCloseTo(25, 10);
  });
});

describe('MESSDdt', () => {
  it('is zero when an error moves with the scene', () => {
    // Truth and prediction both shift right by one; the prediction's error (0.5 at the edge) follows.
    const t0 = img(4, 1, [1, 0, 0, 0]);
    const t1 = img(4, 1, [0, 1, 0, 0]);
    const p0 = img(4, 1, [1, 0.5, 0, 0]);
    const p1 = img(4, 1, [0, 1, 0.5, 0]);
    const motion = motionField(4, 1);
    motion.dx.fill(1);
    expect(messdt(p0, p1, t0, t1, motion)).toBeCloseTo(0, 12);
  });

  it('charges an error that appears: |0 - 0.5^2| at one of 4 pixels -> 0.0625 * 1000', () => {
    const t = img(4, 1, [1, 1, 0, 0]);
    const p1 = img(4, 1, [1, 1, 0.5, 0]);
    expect(messdt(t, p1, t, t, motionField(4, 1))).toBeCloseTo(62.5, 10);
  });
});

describe('block motion', () => {
  it('recovers a translation of an edge and leaves flat tiles still', () => {
    const w = 16;
    const h = 8;
    const a = floatImage(w, h);
    const b = floatImage(w, h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        a.data[y * w + x] = x >= 5 && x < 9 ? (x - 4) / 4 : 0;
        b.data[y * w + x] = x >= 7 && x < 11 ? (x - 6) / 4 : 0;
      }
    }
    const field = blockMotion(a, b, 4, 3);
    expect(field.dx[0 * w + 5]).toBe(2); // tile x 4..7 holds the ramp
    expect(field.dy[0 * w + 5]).toBe(0);
    expect(field.dx[0 * w + 13]).toBe(0); // tile x 12..15 is flat zero
  });
});

describe('flicker', () => {
  it('marks still pixels by local mean luma change and sums |d alpha| over them', () => {
    const prev = rgbaImage(3, 1, Uint8Array.from([10, 10, 10, 255, 10, 10, 10, 255, 10, 10, 10, 255]));
    const next = rgbaImage(3, 1, Uint8Array.from([10, 10, 10, 255, 10, 10, 10, 255, 250, 250, 250, 255]));
    // radius 0: pixel-wise luma change 0, 0, 240.
    const still = stillMask(prev, next, 1.5, 0);
    expect([...still]).toEqual([1, 1, 0]);
    const f = flickerSum(img(3, 1, [0, 0.2, 0]), img(3, 1, [0.1, 0.2, 1]), still);
    expect(f.count).toBe(2);
    expect(f.sum).toBeCloseTo(0.1, 6);
  });

  it('counts as edge only still pixels that are not solid background or solid person in both frames', () => {
    const still = Uint8Array.of(1, 1, 1, 1, 1);
    // solid bg both (0, 0.01), flip bg->person, solid person both (1, 0.99), soft both, still person 1 -> 1.
    const f = flickerSum(img(5, 1, [0, 0, 1, 0.4, 1]), img(5, 1, [0.01, 1, 0.99, 0.5, 1]), still);
    expect(f.count).toBe(5);
    expect(f.edgeCount).toBe(2);
    expect(f.edgeSum).toBeCloseTo(1 + 0.1, 6);
    expect(f.sum).toBeCloseTo(0.01 + 1 + 0.01 + 0.1, 6);
  });
});

describe('benchmarkGradientError (the eval README scorer)', () => {
  // Reference values from training/fba/metrics.py (SciPy gaussian_filter, sigma 1.4) on the same arrays.
  const P = [0.09, 0.24, 0.8, 0.58, 0.09, 0.43, 0.48, 0.16, 0.73, 0.11, 0.39, 0.52, 0.43, 0.59, 0.74, 0.96, 0.28, 0.65, 0.7, 0.29, 0.0, 0.97, 0.3, 0.31, 0.89, 0.59, 0.47, 0.77, 0.03, 0.71, 0.37, 0.09, 0.66, 0.93, 0.21, 0.63, 0.3, 0.74, 0.72, 0.22, 0.83, 0.66, 0.68, 0.82, 0.43, 0.76, 0.88, 0.1, 0.85, 0.39, 0.48, 0.15, 0.7, 0.29, 0.87, 0.28, 0.56, 0.4, 0.61, 0.2, 0.18, 0.75, 0.75];
  const T = [0.57, 0.92, 0.21, 0.85, 0.17, 0.96, 0.62, 0.61, 0.97, 0.79, 0.79, 0.05, 0.37, 0.08, 0.19, 0.21, 0.86, 0.13, 0.3, 0.49, 0.85, 0.97, 0.71, 0.21, 0.54, 0.71, 0.05, 0.68, 0.37, 0.59, 0.67, 0.67, 0.52, 0.55, 0.2, 0.5, 0.13, 0.48, 0.54, 0.77, 0.39, 0.02, 0.53, 0.21, 0.74, 0.39, 0.38, 0.91, 0.39, 0.35, 0.35, 0.48, 0.09, 0.55, 0.92, 0.56, 0.74, 0.95, 0.84, 0.74, 0.81, 0.82, 0.25];

  it('matches SciPy on a 9 x 7 image, the first row masked out', () => {
    const mask = new Uint8Array(63).fill(1).fill(0, 0, 9);
    const got = benchmarkGradientError(floatImage(9, 7, Float32Array.from(P)), floatImage(9, 7, Float32Array.from(T)), mask);
    expect(got * 1000).toBeCloseTo(0.029957630551839223, 5);
  });

  it('reads a ramp of slope 0.1 as 0.1 in the middle, less at the reflected edges, as SciPy does', () => {
    const ramp = floatImage(12, 3, Float32Array.from({ length: 36 }, (_, i) => (i % 12) * 0.1));
    const flat = floatImage(12, 3);
    const mask = new Uint8Array(36);
    mask[12 + 0] = 1;
    expect(Math.sqrt(benchmarkGradientError(ramp, flat, mask) * 1000)).toBeCloseTo(0.0272510133041352, 5);
    mask.fill(0);
    mask[12 + 5] = 1;
    expect(Math.sqrt(benchmarkGradientError(ramp, flat, mask) * 1000)).toBeCloseTo(0.09998579474676941, 5);
  });
});
