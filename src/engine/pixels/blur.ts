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
  // Inside the row the window holds 2r + 1 pixels: one multiply; only the clipped ends divide.
  const inner = 1 / (2 * r + 1);
  const leftEnd = Math.min(r, width);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let sum = 0;
    for (let x = 0; x <= Math.min(r, width - 1); x++) sum += src[row + x];
    let x = 0;
    for (; x < leftEnd; x++) {
      dst[row + x] = sum / (Math.min(x + r, width - 1) + 1);
      if (x + r + 1 < width) sum += src[row + x + r + 1];
    }
    for (; x < width - r - 1; x++) {
      dst[row + x] = sum * inner;
      sum += src[row + x + r + 1] - src[row + x - r];
    }
    for (; x < width; x++) {
      dst[row + x] = sum / (width - Math.max(x - r, 0));
      if (x - r >= 0) sum -= src[row + x - r];
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
    const add = (hi + 1) * width;
    const sub = lo * width;
    if (hi + 1 < height && lo >= 0) {
      for (let x = 0; x < width; x++) {
        dst[row + x] = sums[x] * inv;
        sums[x] += src[add + x] - src[sub + x];
      }
    } else if (hi + 1 < height) {
      for (let x = 0; x < width; x++) {
        dst[row + x] = sums[x] * inv;
        sums[x] += src[add + x];
      }
    } else if (lo >= 0) {
      for (let x = 0; x < width; x++) {
        dst[row + x] = sums[x] * inv;
        sums[x] -= src[sub + x];
      }
    } else {
      for (let x = 0; x < width; x++) dst[row + x] = sums[x] * inv;
    }
  }
}

/**
 * Radius 1 (the guided upsampler's) as three-tap sums: no running sum carried from pixel to pixel, so
 * the loads pipeline; about twice as fast as the general passes, same result to float rounding.
 */
function horizontal3(src: Float32Array, dst: Float32Array, width: number, height: number): void {
  const third = 1 / 3;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const end = row + width - 1;
    dst[row] = (src[row] + src[row + 1]) * 0.5;
    for (let i = row + 1; i < end; i++) dst[i] = (src[i - 1] + src[i] + src[i + 1]) * third;
    dst[end] = (src[end - 1] + src[end]) * 0.5;
  }
}

function vertical3(src: Float32Array, dst: Float32Array, width: number, height: number): void {
  const third = 1 / 3;
  for (let x = 0; x < width; x++) dst[x] = (src[x] + src[width + x]) * 0.5;
  for (let y = 1; y < height - 1; y++) {
    const row = y * width;
    for (let i = row; i < row + width; i++) dst[i] = (src[i - width] + src[i] + src[i + width]) * third;
  }
  const last = (height - 1) * width;
  for (let x = 0; x < width; x++) dst[last + x] = (src[last - width + x] + src[last + x]) * 0.5;
}

/** In place: the mean over the (2r+1) x (2r+1) window around each pixel, clipped to the image. */
export function boxBlurPlane(plane: Float32Array, width: number, height: number, radius: number): void {
  assertDimensions(width, height, 'blur plane');
  assertLength(plane, width * height, 'blur plane');
  assertBoxRadius(radius);
  if (radius === 0) return;
  ensureScratch(width * height, width);
  const tmp = scratch.subarray(0, width * height);
  if (radius === 1 && width > 1 && height > 1) {
    horizontal3(plane, tmp, width, height);
    vertical3(tmp, plane, width, height);
    return;
  }
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
