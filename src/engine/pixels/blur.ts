import { assertDimensions, assertLength, PixelError } from './errors';

/**
 * Separable blurs on float planes with running sums: the cost per pixel does not grow with the radius.
 * Windows are clipped to the image and the mean taken over what remains, so edges neither darken (as
 * with zero padding) nor smear one edge pixel inwards (as with clamping).
 */

let scratch = new Float32Array(0);
let columnSums = new Float64Array(0);

function ensureScratch(n: number, width: number): void {
  if (scratch.length < n) scratch = new Float32Array(n);
  if (columnSums.length < width) columnSums = new Float64Array(width);
}

function assertBoxRadius(radius: number): void {
  if (!Number.isInteger(radius) || radius < 0) throw new PixelError(`box radius must be an integer >= 0, got ${radius}`);
}

function horizontal(src: Float32Array, dst: Float32Array, width: number, height: number, r: number): void {
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let sum = 0;
    const first = Math.min(r, width - 1);
    for (let x = 0; x <= first; x++) sum += src[row + x];
    for (let x = 0; x < width; x++) {
      const lo = x - r;
      const hi = x + r;
      const count = (hi < width ? hi : width - 1) - (lo > 0 ? lo : 0) + 1;
      dst[row + x] = sum / count;
      if (hi + 1 < width) sum += src[row + hi + 1];
      if (lo >= 0) sum -= src[row + lo];
    }
  }
}

function vertical(src: Float32Array, dst: Float32Array, width: number, height: number, r: number): void {
  const sums = columnSums;
  sums.fill(0, 0, width);
  const first = Math.min(r, height - 1);
  for (let y = 0; y <= first; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) sums[x] += src[row + x];
  }
  for (let y = 0; y < height; y++) {
    const lo = y - r;
    const hi = y + r;
    const inv = 1 / ((hi < height ? hi : height - 1) - (lo > 0 ? lo : 0) + 1);
    const row = y * width;
    for (let x = 0; x < width; x++) dst[row + x] = sums[x] * inv;
    if (hi + 1 < height) {
      const add = (hi + 1) * width;
      for (let x = 0; x < width; x++) sums[x] += src[add + x];
    }
    if (lo >= 0) {
      const sub = lo * width;
      for (let x = 0; x < width; x++) sums[x] -= src[sub + x];
    }
  }
}

/** In place: the mean over the (2r+1) x (2r+1) window around each pixel, clipped to the image. */
export function boxBlurPlane(plane: Float32Array, width: number, height: number, radius: number): void {
  assertDimensions(width, height, 'blur plane');
  assertLength(plane, width * height, 'blur plane');
  assertBoxRadius(radius);
  if (radius === 0) return;
  ensureScratch(width * height, width);
  const tmp = scratch.subarray(0, width * height);
  horizontal(plane, tmp, width, height, radius);
  vertical(tmp, plane, width, height, radius);
}

/**
 * In place: `passes` box blurs of `radius` (3 passes are within a few percent of a Gaussian with variance
 * r(r+1)). Use boxRadiusForSigma to pick the radius for a wanted sigma.
 */
export function gaussianishBlurPlane(plane: Float32Array, width: number, height: number, radius: number, passes = 3): void {
  for (let i = 0; i < passes; i++) boxBlurPlane(plane, width, height, radius);
}

/** The box radius whose `passes`-fold repetition has about the standard deviation sigma. */
export function boxRadiusForSigma(sigma: number, passes = 3): number {
  if (!Number.isFinite(sigma) || sigma < 0) throw new PixelError(`blur sigma must be a finite number >= 0, got ${sigma}`);
  // One box of radius r has variance r(r+1)/3; passes add variances.
  const v = (3 * sigma * sigma) / passes;
  return Math.max(0, Math.round((-1 + Math.sqrt(1 + 4 * v)) / 2));
}

/**
 * In place: blurs channels that are already multiplied by `weight`, and the weight itself, then divides,
 * giving sum(w * I) / sum(w) over each window: a blur of only the pixels that carry weight. Pixels with
 * no weight anywhere in reach come out 0; give every pixel a small floor weight to fall back to a plain
 * blur there.
 */
export function blurPremultiplied(
  channels: readonly Float32Array[],
  weight: Float32Array,
  width: number,
  height: number,
  radius: number,
  passes = 3,
): void {
  for (const c of channels) gaussianishBlurPlane(c, width, height, radius, passes);
  gaussianishBlurPlane(weight, width, height, radius, passes);
  const n = width * height;
  for (const c of channels) {
    for (let i = 0; i < n; i++) {
      const w = weight[i];
      c[i] = w > 0 ? c[i] / w : 0;
    }
  }
}

/**
 * In place: the normalised (masked) blur blur(I * w) / blur(w) of each channel. `weight` is overwritten
 * with its own blur.
 */
export function maskedBlur(
  channels: readonly Float32Array[],
  weight: Float32Array,
  width: number,
  height: number,
  radius: number,
  passes = 3,
): void {
  assertLength(weight, width * height, 'blur weight');
  const n = width * height;
  for (const c of channels) {
    assertLength(c, n, 'blur channel');
    for (let i = 0; i < n; i++) c[i] *= weight[i];
  }
  blurPremultiplied(channels, weight, width, height, radius, passes);
}
