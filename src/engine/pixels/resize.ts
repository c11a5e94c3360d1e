import { floatImage, rgbaImage, type FloatImage, type RgbaImage } from '../frame';
import { assertDimensions, assertLength, PixelError } from './errors';

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

/** Bilinear resample of one float plane (sw x sh) into dst (dw x dh), reading the source window `rect`. */
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
  const tx = axisTaps(sw, dw, rect.x, rect.width);
  const ty = axisTaps(sh, dh, rect.y, rect.height);
  const { i0: x0, i1: x1, w: wx } = tx;
  for (let y = 0; y < dh; y++) {
    const r0 = ty.i0[y] * sw;
    const r1 = ty.i1[y] * sw;
    const wy = ty.w[y];
    const o = y * dw;
    for (let x = 0; x < dw; x++) {
      const a = x0[x];
      const b = x1[x];
      const fx = wx[x];
      const top = src[r0 + a] + (src[r0 + b] - src[r0 + a]) * fx;
      const bottom = src[r1 + a] + (src[r1 + b] - src[r1 + a]) * fx;
      dst[o + x] = top + (bottom - top) * wy;
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
 * image. Each output row interpolates between two source rows once, then across, so a large upsample
 * costs three lerps per output pixel.
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
  const tx = axisTaps(sw, width);
  const ty = axisTaps(sh, height);
  if (rowCache.length < 3 * sw) rowCache = new Float32Array(3 * sw);
  const row = rowCache;
  for (let y = 0; y < height; y++) {
    const r0 = ty.i0[y] * sw;
    const r1 = ty.i1[y] * sw;
    const wy = ty.w[y];
    for (let c = 0; c < 3; c++) {
      const p = planes[c];
      const o = c * sw;
      for (let x = 0; x < sw; x++) row[o + x] = p[r0 + x] + (p[r1 + x] - p[r0 + x]) * wy;
    }
    let o = y * width * 4;
    for (let x = 0; x < width; x++) {
      const a = tx.i0[x];
      const b = tx.i1[x];
      const fx = tx.w[x];
      data[o] = row[a] + (row[b] - row[a]) * fx + 0.5;
      data[o + 1] = row[sw + a] + (row[sw + b] - row[sw + a]) * fx + 0.5;
      data[o + 2] = row[2 * sw + a] + (row[2 * sw + b] - row[2 * sw + a]) * fx + 0.5;
      data[o + 3] = 255;
      o += 4;
    }
  }
}

let rowCache = new Float32Array(0);

/**
 * Bilinear resample of an RGBA image to planar RGB floats in [0, 1] (NCHW without the batch axis, what
 * image models take); alpha is dropped. The whole source is stretched to dstW x dstH, aspect ignored.
 */
export function resizeRgbaToRgbFloat(src: RgbaImage, dstW: number, dstH: number, out: Float32Array): Float32Array {
  assertDimensions(src.width, src.height, 'resize source');
  assertDimensions(dstW, dstH, 'resize target');
  assertLength(src.data, src.width * src.height * 4, 'resize source RGBA');
  assertLength(out, 3 * dstW * dstH, 'resize target RGB planes');
  const s = src.data;
  const sw = src.width;
  const plane = dstW * dstH;
  const tx = axisTaps(sw, dstW);
  const ty = axisTaps(src.height, dstH);
  for (let y = 0; y < dstH; y++) {
    const r0 = ty.i0[y] * sw;
    const r1 = ty.i1[y] * sw;
    const wy = ty.w[y];
    for (let x = 0; x < dstW; x++) {
      const fx = tx.w[x];
      const p00 = (r0 + tx.i0[x]) * 4;
      const p01 = (r0 + tx.i1[x]) * 4;
      const p10 = (r1 + tx.i0[x]) * 4;
      const p11 = (r1 + tx.i1[x]) * 4;
      const o = y * dstW + x;
      for (let c = 0; c < 3; c++) {
        const top = s[p00 + c] + (s[p01 + c] - s[p00 + c]) * fx;
        const bottom = s[p10 + c] + (s[p11 + c] - s[p10 + c]) * fx;
        out[c * plane + o] = (top + (bottom - top) * wy) / 255;
      }
    }
  }
  return out;
}
