import { floatImage, rgbaImage, type FloatImage, type RgbaImage } from '../../frame';
import { assertDimensions, assertLength, PixelError } from './errors';
import { OPAQUE, rgbaWords } from './words';

/**
 * Bilinear resampling with pixel centres aligned (OpenCV INTER_LINEAR, PyTorch align_corners=False), so
 * a resize there and back does not shift the image by half a pixel. Edges clamp.
 */

/** A source window in source pixels; a resize reads the whole image, a crop-resize a part of it. */
export interface SourceRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** For one axis: output i reads src[i0[i]] * (1 - w[i]) + src[i1[i]] * w[i]. */
export interface AxisTaps {
  i0: Int32Array;
  i1: Int32Array;
  w: Float32Array;
}

const tapsCache = new Map<string, AxisTaps>();
const TAPS_CACHE_LIMIT = 64;
let rowCache = new Float32Array(0);

/** Taps mapping dstSize output pixels onto the source span [start, start + extent) of an axis srcSize long. */
export function axisTaps(srcSize: number, dstSize: number, start = 0, extent = srcSize): AxisTaps {
  const key = `${srcSize},${dstSize},${start},${extent}`;
  const cached = tapsCache.get(key);
  if (cached) return cached;
  const i0 = new Int32Array(dstSize);
  const i1 = new Int32Array(dstSize);
  const w = new Float32Array(dstSize);
  const scale = extent / dstSize;
  for (let i = 0; i < dstSize; i++) {
    let s = start + (i + 0.5) * scale - 0.5;
    if (s < 0) s = 0;
    let a = Math.floor(s);
    if (a >= srcSize - 1) {
      a = srcSize - 1;
      s = a;
    }
    i0[i] = a;
    i1[i] = Math.min(a + 1, srcSize - 1);
    w[i] = s - a;
  }
  const taps = { i0, i1, w };
  if (tapsCache.size >= TAPS_CACHE_LIMIT) tapsCache.clear();
  tapsCache.set(key, taps);
  return taps;
}

function rowBuffer(n: number): Float32Array {
  if (rowCache.length < n) rowCache = new Float32Array(n);
  return rowCache;
}

/**
 * Bilinear resample of one float plane (sw x sh) into dst (dw x dh), reading the source window `rect`.
 * Each output row blends its two source rows once, then interpolates across.
 */
export function resizePlane(
  src: Float32Array,
  sw: number,
  sh: number,
  dst: Float32Array,
  dw: number,
  dh: number,
  rect: SourceRect = { x: 0, y: 0, width: sw, height: sh },
): void {
  assertDimensions(sw, sh, 'resize source');
  assertDimensions(dw, dh, 'resize target');
  assertLength(src, sw * sh, 'resize source plane');
  assertLength(dst, dw * dh, 'resize target plane');
  const { i0, i1, w } = axisTaps(sw, dw, rect.x, rect.width);
  const ty = axisTaps(sh, dh, rect.y, rect.height);
  const row = rowBuffer(sw);
  for (let y = 0; y < dh; y++) {
    const r0 = ty.i0[y] * sw;
    const r1 = ty.i1[y] * sw;
    const wy = ty.w[y];
    for (let x = 0; x < sw; x++) row[x] = src[r0 + x] + (src[r1 + x] - src[r0 + x]) * wy;
    const o = y * dw;
    for (let x = 0; x < dw; x++) {
      const a = row[i0[x]];
      dst[o + x] = a + (row[i1[x]] - a) * w[x];
    }
  }
}

export function resizeFloat(src: FloatImage, width: number, height: number, out?: FloatImage): FloatImage {
  assertDimensions(width, height, 'resize target');
  const dst = out ?? floatImage(width, height);
  if (dst.width !== width || dst.height !== height) throw new PixelError(`resize output is ${dst.width}x${dst.height}, asked for ${width}x${height}`);
  resizePlane(src.data, src.width, src.height, dst.data, width, height);
  return dst;
}

/** Bilinear resample of all four channels of the source window `rect` to width x height. */
export function cropResizeRgba(src: RgbaImage, rect: SourceRect, width: number, height: number, out?: RgbaImage): RgbaImage {
  assertDimensions(src.width, src.height, 'resize source');
  assertDimensions(width, height, 'resize target');
  assertLength(src.data, src.width * src.height * 4, 'resize source RGBA');
  const dst = out ?? rgbaImage(width, height);
  if (dst.width !== width || dst.height !== height) throw new PixelError(`resize output is ${dst.width}x${dst.height}, asked for ${width}x${height}`);
  const s = src.data;
  const d = dst.data;
  const sw = src.width;
  const tx = axisTaps(sw, width, rect.x, rect.width);
  const ty = axisTaps(src.height, height, rect.y, rect.height);
  for (let y = 0; y < height; y++) {
    const r0 = ty.i0[y] * sw;
    const r1 = ty.i1[y] * sw;
    const wy = ty.w[y];
    let o = y * width * 4;
    for (let x = 0; x < width; x++) {
      const fx = tx.w[x];
      const p00 = (r0 + tx.i0[x]) * 4;
      const p01 = (r0 + tx.i1[x]) * 4;
      const p10 = (r1 + tx.i0[x]) * 4;
      const p11 = (r1 + tx.i1[x]) * 4;
      for (let c = 0; c < 4; c++) {
        const top = s[p00 + c] + (s[p01 + c] - s[p00 + c]) * fx;
        const bottom = s[p10 + c] + (s[p11 + c] - s[p10 + c]) * fx;
        d[o++] = top + (bottom - top) * wy + 0.5;
      }
    }
  }
  return dst;
}

export function resizeRgba(src: RgbaImage, width: number, height: number, out?: RgbaImage): RgbaImage {
  return cropResizeRgba(src, { x: 0, y: 0, width: src.width, height: src.height }, width, height, out);
}

/**
 * Halves an RGBA image with a 2x2 box (the last row or column repeats on odd sizes). Chained before a
 * bilinear resize, it keeps strong downscales from aliasing, since bilinear alone reads only 4 pixels.
 */
export function halveRgba(src: RgbaImage): RgbaImage {
  assertDimensions(src.width, src.height, 'halve source');
  const w = Math.max(1, Math.ceil(src.width / 2));
  const h = Math.max(1, Math.ceil(src.height / 2));
  const dst = rgbaImage(w, h);
  const s = src.data;
  const d = dst.data;
  const sw = src.width;
  for (let y = 0; y < h; y++) {
    const ya = 2 * y * sw;
    const yb = Math.min(2 * y + 1, src.height - 1) * sw;
    for (let x = 0; x < w; x++) {
      const xa = 2 * x;
      const xb = Math.min(2 * x + 1, sw - 1);
      const o = (y * w + x) * 4;
      for (let c = 0; c < 4; c++) {
        d[o + c] = (s[(ya + xa) * 4 + c] + s[(ya + xb) * 4 + c] + s[(yb + xa) * 4 + c] + s[(yb + xb) * 4 + c] + 2) >> 2;
      }
    }
  }
  return dst;
}

/**
 * Bilinear upsample of three float planes (red, green, blue in 0-255, sw x sh) into an opaque RGBA
 * image (values outside 0-255 clamp). Each output row blends its two source rows once; across the row,
 * between two source samples the value moves by a constant step, so each output pixel is three adds.
 */
export function resizePlanesToRgba(
  planes: readonly [Float32Array, Float32Array, Float32Array],
  sw: number,
  sh: number,
  out: RgbaImage,
): void {
  assertDimensions(sw, sh, 'resize source');
  for (const p of planes) assertLength(p, sw * sh, 'resize source plane');
  const { width, height, data } = out;
  assertLength(data, width * height * 4, 'resize target RGBA');
  const { i0, i1, w } = axisTaps(sw, width);
  const step = sw / width;
  const ty = axisTaps(sh, height);
  const row = rowBuffer(3 * sw);
  const words = rgbaWords(data);
  for (let y = 0; y < height; y++) {
    const r0 = ty.i0[y] * sw;
    const r1 = ty.i1[y] * sw;
    const wy = ty.w[y];
    for (let c = 0; c < 3; c++) {
      const p = planes[c];
      const o = c * sw;
      for (let x = 0; x < sw; x++) {
        const v = p[r0 + x] + (p[r1 + x] - p[r0 + x]) * wy;
        // Clamped here, at the source samples, the interpolated values stay in range; + 0.5 rounds below.
        row[o + x] = (v < 0 ? 0 : v > 255 ? 255 : v) + 0.5;
      }
    }
    const o = y * width;
    let x = 0;
    while (x < width) {
      const a = i0[x];
      const b = i1[x];
      // A run of output pixels between the same two samples; clamped edge pixels (weight 0) run alone.
      let end = x + 1;
      if (w[x] > 0) while (end < width && i0[end] === a && w[end] > 0) end++;
      const dr = row[b] - row[a];
      const dg = row[sw + b] - row[sw + a];
      const db = row[2 * sw + b] - row[2 * sw + a];
      let r = row[a] + dr * w[x];
      let g = row[sw + a] + dg * w[x];
      let bl = row[2 * sw + a] + db * w[x];
      const sr = dr * step;
      const sg = dg * step;
      const sb = db * step;
      if (words) {
        for (; x < end; x++) {
          words[o + x] = (r | 0) | ((g | 0) << 8) | ((bl | 0) << 16) | OPAQUE;
          r += sr;
          g += sg;
          bl += sb;
        }
      } else {
        for (; x < end; x++) {
          const q = 4 * (o + x);
          data[q] = r;
          data[q + 1] = g;
          data[q + 2] = bl;
          data[q + 3] = 255;
          r += sr;
          g += sg;
          bl += sb;
        }
      }
    }
  }
}

/**
 * The segmenter's input: the frame bilinearly resized to width x height as planar (CHW) RGB in [0, 1],
 * alpha dropped, written into `out` (3 * width * height values) and returned.
 */
export function resizeRgbaToRgbFloat(src: RgbaImage, width: number, height: number, out: Float32Array): Float32Array {
  assertDimensions(src.width, src.height, 'resize source');
  assertDimensions(width, height, 'resize target');
  assertLength(src.data, src.width * src.height * 4, 'resize source RGBA');
  const n = width * height;
  assertLength(out, 3 * n, 'resize target RGB planes');
  const sw = src.width;
  const s = src.data;
  const { i0, i1, w } = axisTaps(sw, width);
  const ty = axisTaps(src.height, height);
  const row = rowBuffer(3 * sw);
  for (let y = 0; y < height; y++) {
    const r0 = ty.i0[y] * sw * 4;
    const r1 = ty.i1[y] * sw * 4;
    const wy = ty.w[y];
    for (let x = 0; x < sw; x++) {
      for (let c = 0; c < 3; c++) {
        const top = s[r0 + 4 * x + c];
        row[c * sw + x] = top + (s[r1 + 4 * x + c] - top) * wy;
      }
    }
    const o = y * width;
    for (let c = 0; c < 3; c++) {
      const base = c * sw;
      const plane = c * n + o;
      for (let x = 0; x < width; x++) {
        const a = row[base + i0[x]];
        out[plane + x] = (a + (row[base + i1[x]] - a) * w[x]) / 255;
      }
    }
  }
  return out;
}
