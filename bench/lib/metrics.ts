import type { FloatImage } from '../../src/frame';

/**
 * Spatial matting errors of one alpha against its ground truth, as the alphamatting.com benchmark and the
 * Robust Video Matting evaluation (PeterL1n/RobustVideoMatting, evaluation/evaluate_lr.py) score them.
 * Alphas are in [0, 1]. A mask (0 = skip) restricts the sums to, say, a trimap's unknown band; without
 * one every pixel counts, as in video matting evaluation.
 */

export class MetricError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'MetricError';
  }
}

export function assertComparable(pred: FloatImage, truth: FloatImage, mask: Uint8Array | undefined, what: string): void {
  if (pred.width !== truth.width || pred.height !== truth.height) {
    throw new MetricError(`${what}: prediction is ${pred.width}x${pred.height}, ground truth ${truth.width}x${truth.height}`);
  }
  const n = truth.width * truth.height;
  if (pred.data.length !== n || truth.data.length !== n) {
    throw new MetricError(`${what}: ${truth.width}x${truth.height} needs ${n} values, got ${pred.data.length} and ${truth.data.length}`);
  }
  if (mask && mask.length !== n) throw new MetricError(`${what}: mask holds ${mask.length} values, needs ${n}`);
}

/** Sum of |alpha - truth| over the mask, divided by 1000 (the benchmark's and the FBA paper's unit). */
export function sad(pred: FloatImage, truth: FloatImage, mask?: Uint8Array): number {
  assertComparable(pred, truth, mask, 'SAD');
  const p = pred.data;
  const t = truth.data;
  let sum = 0;
  for (let i = 0; i < p.length; i++) if (!mask || mask[i]) sum += Math.abs(p[i] - t[i]);
  return sum / 1000;
}

/** Where the truth is transparent, partial or opaque: the three parts `errorSplit` reports. */
export const SPLIT_PARTS = ['background', 'partial', 'person'] as const;
export type SplitPart = (typeof SPLIT_PARTS)[number];
/** Truth at or below this is background and at or above 1 - this is person; between, partial. */
export const SPLIT_SOLID = 0.02;

/**
 * SAD (/1000) split by what the truth is at the pixel, and by sign: `over` is alpha above the truth (the
 * old background kept), `under` alpha below it (the person eaten). It says whether an error lies in the
 * soft transition or in solid regions, and which way a matte leans there.
 */
export function errorSplit(pred: FloatImage, truth: FloatImage): Record<SplitPart, { over: number; under: number }> {
  assertComparable(pred, truth, undefined, 'error split');
  const over = [0, 0, 0];
  const under = [0, 0, 0];
  const p = pred.data;
  const t = truth.data;
  for (let i = 0; i < p.length; i++) {
    const part = t[i] <= SPLIT_SOLID ? 0 : t[i] >= 1 - SPLIT_SOLID ? 2 : 1;
    const e = p[i] - t[i];
    if (e > 0) over[part] += e;
    else under[part] -= e;
  }
  const at = (k: number) => ({ over: over[k] / 1000, under: under[k] / 1000 });
  return { background: at(0), partial: at(1), person: at(2) };
}

/** Mean of (alpha - truth)^2 over the mask; 0 for an empty mask. */
export function mse(pred: FloatImage, truth: FloatImage, mask?: Uint8Array): number {
  assertComparable(pred, truth, mask, 'MSE');
  const p = pred.data;
  const t = truth.data;
  let sum = 0;
  let count = 0;
  for (let i = 0; i < p.length; i++) {
    if (mask && !mask[i]) continue;
    const d = p[i] - t[i];
    sum += d * d;
    count++;
  }
  return count ? sum / count : 0;
}

/**
 * The separable Gaussian-derivative filter of RVM's MetricGRAD (after the Deep Image Matting scorer): the
 * 2-D kernel G(row) * G'(column) cut where the Gaussian falls below epsilon and scaled to unit L2 norm.
 * `gauss` and `deriv` are each unit-norm, so their outer product is the unit-norm 2-D kernel.
 */
export function gradientKernel(sigma: number, epsilon = 1e-2): { half: number; gauss: Float64Array; deriv: Float64Array } {
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new MetricError(`gradient sigma must be a positive number, got ${sigma}`);
  const half = Math.ceil(sigma * Math.sqrt(-2 * Math.log(Math.sqrt(2 * Math.PI) * sigma * epsilon)));
  const size = 2 * half + 1;
  const gauss = new Float64Array(size);
  const deriv = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const x = i - half;
    const g = Math.exp((-x * x) / (2 * sigma * sigma)) / (sigma * Math.sqrt(2 * Math.PI));
    gauss[i] = g;
    deriv[i] = (-x * g) / (sigma * sigma);
  }
  for (const v of [gauss, deriv]) {
    const norm = Math.hypot(...v);
    for (let i = 0; i < size; i++) v[i] /= norm;
  }
  return { half, gauss, deriv };
}

/** Clamps an index into [0, n) the way each scorer extends an image past its edge. */
type Edge = (i: number, n: number) => number;
/** OpenCV BORDER_REPLICATE: a a a | a b c. */
const replicate: Edge = (i, n) => Math.min(n - 1, Math.max(0, i));
/** SciPy's 'reflect' (half-sample symmetric): b a | a b c | c b. */
const reflect: Edge = (i, n) => {
  const period = 2 * n;
  const m = ((i % period) + period) % period;
  return m < n ? m : period - 1 - m;
};

/** Correlates each row (horizontal) or column with `k`, extending the edges by `edge`. */
function correlate1d(src: Float64Array, width: number, height: number, k: Float64Array, horizontal: boolean, edge: Edge = replicate): Float64Array {
  const out = new Float64Array(width * height);
  const half = (k.length - 1) / 2;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let j = 0; j < k.length; j++) {
        const xx = horizontal ? edge(x + j - half, width) : x;
        const yy = horizontal ? y : edge(y + j - half, height);
        s += k[j] * src[yy * width + xx];
      }
      out[y * width + x] = s;
    }
  }
  return out;
}

/** |grad| of a plane with a separable kernel pair: x takes `deriv` along rows, y takes it along columns. */
function separableGradient(plane: Float64Array, width: number, height: number, gauss: Float64Array, deriv: Float64Array, edge: Edge): Float64Array {
  const gx = correlate1d(correlate1d(plane, width, height, deriv, true, edge), width, height, gauss, false, edge);
  const gy = correlate1d(correlate1d(plane, width, height, gauss, true, edge), width, height, deriv, false, edge);
  for (let i = 0; i < gx.length; i++) gx[i] = Math.hypot(gx[i], gy[i]);
  return gx;
}

/** |grad| of a plane with the Gaussian-derivative kernel: x takes G' along rows, y takes it along columns. */
export function gradientMagnitude(plane: Float64Array, width: number, height: number, sigma = 1.4): Float64Array {
  const { gauss, deriv } = gradientKernel(sigma);
  return separableGradient(plane, width, height, gauss, deriv, replicate);
}

/** Sum over the mask of (a - b)^2, divided by 1000: the gradient error's last step in either scorer. */
function squaredDifference(a: Float64Array, b: Float64Array, mask?: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    if (mask && !mask[i]) continue;
    const d = a[i] - b[i];
    sum += d * d;
  }
  return sum / 1000;
}

/** Min-max normalised copy (cv2.normalize NORM_MINMAX to [0, 1]); a constant plane becomes all zeros. */
function minMaxNormalised(a: Float32Array): Float64Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of a) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const out = new Float64Array(a.length);
  const span = hi - lo;
  if (span > 0) for (let i = 0; i < a.length; i++) out[i] = (a[i] - lo) / span;
  return out;
}

/**
 * Gradient error: both alphas min-max normalised (as the DIM and RVM scorers do), then the sum over the
 * mask of (|grad pred| - |grad truth|)^2 with sigma = 1.4, divided by 1000.
 */
export function gradientError(pred: FloatImage, truth: FloatImage, mask?: Uint8Array, sigma = 1.4): number {
  assertComparable(pred, truth, mask, 'gradient error');
  const { width, height } = truth;
  const gp = gradientMagnitude(minMaxNormalised(pred.data), width, height, sigma);
  const gt = gradientMagnitude(minMaxNormalised(truth.data), width, height, sigma);
  return squaredDifference(gp, gt, mask);
}

/**
 * The gradient error as the eval README's reference figures and training/fba/metrics.py compute it:
 * SciPy's gaussian_filter with order 1 (a sum-normalised Gaussian cut at 4 sigma, its derivative -x / sigma^2
 * times it, edges reflected), no normalisation of the alphas. Its scale differs from gradientError's.
 */
export function benchmarkGradientError(pred: FloatImage, truth: FloatImage, mask?: Uint8Array, sigma = 1.4): number {
  assertComparable(pred, truth, mask, 'gradient error');
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new MetricError(`gradient sigma must be a positive number, got ${sigma}`);
  const half = Math.floor(4 * sigma + 0.5);
  const gauss = new Float64Array(2 * half + 1);
  for (let i = 0; i < gauss.length; i++) gauss[i] = Math.exp(-((i - half) ** 2) / (2 * sigma * sigma));
  const total = gauss.reduce((a, b) => a + b, 0);
  // SciPy convolves, so its derivative kernel is applied mirrored: +x / sigma^2 as a correlation.
  const deriv = gauss.map((g, i) => ((i - half) * g) / total / (sigma * sigma));
  for (let i = 0; i < gauss.length; i++) gauss[i] /= total;
  const { width, height } = truth;
  const magnitude = (a: Float32Array) => separableGradient(Float64Array.from(a), width, height, gauss, deriv, reflect);
  return squaredDifference(magnitude(pred.data), magnitude(truth.data), mask);
}

/** The largest 4-connected component of a binary mask, as 0/1; all zeros when the mask is empty. */
export function largestComponent(mask: Uint8Array, width: number, height: number): Uint8Array {
  const labels = new Int32Array(width * height);
  const stack = new Int32Array(width * height);
  let best = 0;
  let bestSize = 0;
  let next = 0;
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || labels[start]) continue;
    const label = ++next;
    let size = 0;
    let top = 0;
    stack[top++] = start;
    labels[start] = label;
    while (top) {
      const i = stack[--top];
      size++;
      const x = i % width;
      const y = (i - x) / width;
      const visit = (j: number) => {
        if (mask[j] && !labels[j]) {
          labels[j] = label;
          stack[top++] = j;
        }
      };
      if (x > 0) visit(i - 1);
      if (x + 1 < width) visit(i + 1);
      if (y > 0) visit(i - width);
      if (y + 1 < height) visit(i + width);
    }
    if (size > bestSize) {
      bestSize = size;
      best = label;
    }
  }
  const out = new Uint8Array(width * height);
  if (best) for (let i = 0; i < out.length; i++) out[i] = labels[i] === best ? 1 : 0;
  return out;
}

/**
 * Connectivity error of Rhemann et al., as RVM's MetricCONN computes it: for thresholds 0.1 ... 1.0 the
 * largest 4-connected component where both alphas reach the threshold; each pixel's level is the last
 * threshold at which it was still in that component; differences below 0.15 are ignored. Sum over the
 * mask of |phi_truth - phi_pred|, divided by 1000.
 */
export function connectivityError(pred: FloatImage, truth: FloatImage, mask?: Uint8Array, step = 0.1): number {
  assertComparable(pred, truth, mask, 'connectivity error');
  if (!(step > 0 && step <= 1)) throw new MetricError(`connectivity step must be in (0, 1], got ${step}`);
  const { width, height } = truth;
  const p = pred.data;
  const t = truth.data;
  const n = width * height;
  const level = new Float64Array(n).fill(-1);
  const both = new Uint8Array(n);
  // numpy.arange(0, 1 + step, step): start + i * step, the same doubles RVM compares against.
  const steps: number[] = [];
  for (let i = 0; i * step < 1 + step; i++) steps.push(i * step);
  for (let s = 1; s < steps.length; s++) {
    const th = steps[s];
    for (let i = 0; i < n; i++) both[i] = t[i] >= th && p[i] >= th ? 1 : 0;
    const omega = largestComponent(both, width, height);
    for (let i = 0; i < n; i++) if (level[i] === -1 && !omega[i]) level[i] = steps[s - 1];
  }
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (mask && !mask[i]) continue;
    const l = level[i] === -1 ? 1 : level[i];
    const dt = t[i] - l;
    const dp = p[i] - l;
    const phiT = 1 - (dt >= 0.15 ? dt : 0);
    const phiP = 1 - (dp >= 0.15 ? dp : 0);
    sum += Math.abs(phiT - phiP);
  }
  return sum / 1000;
}
