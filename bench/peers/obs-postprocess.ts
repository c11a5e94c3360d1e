import { resizePlane } from '../../src/engine/pixels/resize';

/**
 * The OBS background-removal plugin's mask post-processing (royshil/obs-backgroundremoval,
 * src/background-filter.cpp, background_filter_video_tick and processImageForBackground; the models' own
 * post-processing in src/models/*.hpp; runFilterModelInference in src/ort-utils/ort-session-utils.cpp),
 * reproduced on 8-bit masks the way its OpenCV calls compute them. The plugin works on a *background*
 * mask: 255 where the background shows, 0 on the person.
 */

/** The plugin's defaults (background_filter_defaults); the threshold group is enabled by default. */
export interface ObsSettings {
  threshold: number;
  /** Background regions smaller than this share of the mask are dropped. */
  contourFilter: number;
  /** 0..1; stack blur of 3 + 11 * smoothContour px at model resolution, then re-thresholded. */
  smoothContour: number;
  /** Weight of the new mask against the previous one. */
  temporalSmoothFactor: number;
  /** Inference is skipped while the frame's PSNR against the last processed one exceeds this (dB). */
  imageSimilarityThreshold: number;
  enableImageSimilarity: boolean;
}

export const OBS_DEFAULTS: ObsSettings = {
  threshold: 0.5,
  contourFilter: 0.05,
  smoothContour: 0.5,
  temporalSmoothFactor: 0.85,
  imageSimilarityThreshold: 35,
  enableImageSimilarity: true,
};

/** cv::Mat::convertTo(CV_8U, 255.0): scaled, rounded to nearest, saturated to 0..255. */
export function toUint8(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = Math.round(values[i] * 255);
    out[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return out;
}

/** cv::normalize(NORM_MINMAX) to [0, 1], in place; ModelSelfie does this to every output. */
export function minMaxNormalise(values: Float32Array): Float32Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi - lo;
  for (let i = 0; i < values.length; i++) values[i] = span > 0 ? (values[i] - lo) / span : 0;
  return values;
}

/** `outputImage < (uint8)(threshold * 255)`: 255 where the person score is under the threshold. */
export function backgroundMask(score: Uint8Array, threshold: number): Uint8Array {
  const level = Math.trunc(threshold * 255);
  const out = new Uint8Array(score.length);
  for (let i = 0; i < score.length; i++) out[i] = score[i] < level ? 255 : 0;
  return out;
}

/** cv::addWeighted(mask, f, last, 1 - f, 0): rounded, on 8-bit masks. */
export function temporalBlend(mask: Uint8Array, last: Uint8Array, factor: number): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) out[i] = Math.round(mask[i] * factor + last[i] * (1 - factor));
  return out;
}

/**
 * findContours(RETR_EXTERNAL) + drawContours(filled) of the regions larger than minShare of the mask:
 * every non-zero 8-connected region whose filled area passes is kept with its holes filled; smaller ones
 * vanish. Holes are the zero regions that do not reach the border (4-connected, the dual of 8).
 * The plugin measures cv::contourArea of the outline, a little less than the pixel count used here.
 */
export function contourFilter(mask: Uint8Array, width: number, height: number, minShare: number): Uint8Array {
  const n = width * height;
  const labels = new Int32Array(n);
  const stack = new Int32Array(n);
  const kept = new Uint8Array(n);
  const members: number[] = [];
  let next = 0;
  for (let start = 0; start < n; start++) {
    if (!mask[start] || labels[start]) continue;
    const label = ++next;
    members.length = 0;
    let top = 0;
    stack[top++] = start;
    labels[start] = label;
    while (top) {
      const i = stack[--top];
      members.push(i);
      const x = i % width;
      const y = (i - x) / width;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
          const j = yy * width + xx;
          if (mask[j] && !labels[j]) {
            labels[j] = label;
            stack[top++] = j;
          }
        }
      }
    }
    const filled = fillHoles(members, width, height);
    if (filled.length > n * minShare) for (const i of filled) kept[i] = 255;
  }
  return kept;
}

/** The pixels of one region plus every pixel it encloses (zero regions of its box not reaching its edge). */
function fillHoles(members: readonly number[], width: number, height: number): number[] {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (const i of members) {
    const x = i % width;
    const y = (i - x) / width;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  // Flood the outside from a one-pixel frame around the region's box; whatever is not reached is inside.
  const bw = x1 - x0 + 3;
  const bh = y1 - y0 + 3;
  const state = new Uint8Array(bw * bh); // 1 region, 2 outside
  for (const i of members) {
    const x = i % width;
    const y = (i - x) / width;
    state[(y - y0 + 1) * bw + (x - x0 + 1)] = 1;
  }
  const stack = [0];
  state[0] = 2;
  while (stack.length) {
    const i = stack.pop()!;
    const x = i % bw;
    const y = (i - x) / bw;
    for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]]) {
      const xx = x + dx;
      const yy = y + dy;
      if (xx < 0 || yy < 0 || xx >= bw || yy >= bh) continue;
      const j = yy * bw + xx;
      if (state[j] === 0) {
        state[j] = 2;
        stack.push(j);
      }
    }
  }
  const out: number[] = [];
  for (let y = 1; y < bh - 1; y++) {
    for (let x = 1; x < bw - 1; x++) if (state[y * bw + x] !== 2) out.push((y - 1 + y0) * width + (x - 1 + x0));
  }
  return out;
}

/**
 * cv::stackBlur with an odd ksize: a separable triangular kernel (weights 1, 2, ..., r + 1, ..., 2, 1 with
 * r = ksize / 2), edges replicated, rounded to 8 bits after each pass.
 */
export function stackBlur(mask: Uint8Array, width: number, height: number, ksize: number): Uint8Array {
  const r = ksize >> 1;
  const weights: number[] = [];
  for (let k = -r; k <= r; k++) weights.push(r + 1 - Math.abs(k));
  const total = (r + 1) * (r + 1);
  const pass = (src: Uint8Array, horizontal: boolean): Uint8Array => {
    const out = new Uint8Array(src.length);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let s = 0;
        for (let k = -r; k <= r; k++) {
          const xx = horizontal ? Math.min(width - 1, Math.max(0, x + k)) : x;
          const yy = horizontal ? y : Math.min(height - 1, Math.max(0, y + k));
          s += weights[k + r] * src[yy * width + xx];
        }
        out[y * width + x] = Math.round(s / total);
      }
    }
    return out;
  };
  return pass(pass(mask, true), false);
}

/** cv::resize(INTER_LINEAR) of an 8-bit mask, then `> 128` to 0 or 255: the plugin's full-size mask. */
export function upsampleBinary(mask: Uint8Array, width: number, height: number, outWidth: number, outHeight: number): Uint8Array {
  const src = new Float32Array(mask);
  const dst = new Float32Array(outWidth * outHeight);
  resizePlane(src, width, height, dst, outWidth, outHeight);
  const out = new Uint8Array(outWidth * outHeight);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(dst[i]) > 128 ? 255 : 0;
  return out;
}

/** cv::PSNR of two 8-bit images over all their bytes (BGRA in the plugin, so alpha is included). */
export function psnr(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    sum += d * d;
  }
  if (sum === 0) return 361; // OpenCV's cap for identical images (10 log10(255^2 / DBL_EPSILON)).
  return 10 * Math.log10((255 * 255 * a.length) / sum);
}

/**
 * One mask update of the plugin at model resolution, from the model's person score (already in [0, 1]
 * as the model's postprocessOutput leaves it): threshold, temporal blend with the previous blended
 * mask, contour filter, stack blur. Returns the new state of the blend and the mask to upsample.
 */
export function obsMaskStep(
  score: Float32Array,
  width: number,
  height: number,
  last: Uint8Array | null,
  settings: ObsSettings,
): { blended: Uint8Array; mask: Uint8Array } {
  let mask = backgroundMask(toUint8(score), settings.threshold);
  const f = settings.temporalSmoothFactor;
  if (f > 0 && f < 1 && last && last.length === mask.length) {
    // "The temporal smooth factor can't be smaller than the threshold" (with the threshold enabled).
    mask = temporalBlend(mask, last, Math.max(f, settings.threshold));
  }
  const blended = mask;
  if (settings.contourFilter > 0 && settings.contourFilter < 1) mask = contourFilter(mask, width, height, settings.contourFilter);
  if (settings.smoothContour > 0) {
    let k = Math.trunc(3 + 11 * settings.smoothContour);
    if (k % 2 === 0) k++;
    mask = stackBlur(mask, width, height, k);
  }
  return { blended, mask };
}
