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
 * A small picture bilinearly upsampled to width x height as it is read, never stored at full size: its
 * rows already stretched to the output width, and per output row the two rows it blends and the weight.
 * A background blurred at a fraction of the frame's size is read this way straight into the composite,
 * only where the person does not cover it, so its full-resolution cost is one blend per pixel shown.
 */
export interface StretchedImage {
  width: number;
  height: number;
  /** The source's rows, each stretched to `width` opaque RGBA words. */
  rows: Int32Array;
  /** Per output row: the word offsets in `rows` of the two rows it reads, and the second's weight in 128ths. */
  top: Int32Array;
  bottom: Int32Array;
  weight: Int32Array;
}

/**
 * Blends two RGBA words, `w` in 128ths of the second: red and blue in one multiply (their 8 bits apart
 * leave room for a 7-bit weight), green in another, all in 32-bit integers. Alpha comes out 0.
 */
function blendWords(a: number, b: number, w: number): number {
  const u = 128 - w;
  return ((((a & 0xff00ff) * u + (b & 0xff00ff) * w + 0x400040) >> 7) & 0xff00ff) | ((((a & 0xff00) * u + (b & 0xff00) * w + 0x4000) >> 7) & 0xff00);
}

/**
 * Prepares the bilinear upsample (pixel centres aligned) of three float planes (red, green, blue in
 * 0-255, sw x sh; values outside clamp) to width x height; `reuse` is filled when it has the sizes.
 */
export function stretchPlanes(
  planes: readonly [Float32Array, Float32Array, Float32Array],
  sw: number,
  sh: number,
  width: number,
  height: number,
  reuse?: StretchedImage,
): StretchedImage {
  assertDimensions(sw, sh, 'stretch source');
  assertDimensions(width, height, 'stretch target');
  for (const p of planes) assertLength(p, sw * sh, 'stretch source plane');
  const out =
    reuse && reuse.width === width && reuse.height === height && reuse.rows.length === sh * width
      ? reuse
      : { width, height, rows: new Int32Array(sh * width), top: new Int32Array(height), bottom: new Int32Array(height), weight: new Int32Array(height) };
  const low = new Int32Array(sw);
  const tx = axisTaps(sw, width);
  const w7 = new Int32Array(width);
  for (let x = 0; x < width; x++) w7[x] = Math.round(tx.w[x] * 128);
  const [red, green, blue] = planes;
  const byte = (v: number) => (v <= 0 ? 0 : v >= 255 ? 255 : (v + 0.5) | 0);
  for (let y = 0; y < sh; y++) {
    const src = y * sw;
    for (let j = 0; j < sw; j++) low[j] = byte(red[src + j]) | (byte(green[src + j]) << 8) | (byte(blue[src + j]) << 16);
    const dst = y * width;
    for (let x = 0; x < width; x++) out.rows[dst + x] = blendWords(low[tx.i0[x]], low[tx.i1[x]], w7[x]) | OPAQUE;
  }
  const ty = axisTaps(sh, height);
  for (let y = 0; y < height; y++) {
    out.top[y] = ty.i0[y] * width;
    out.bottom[y] = ty.i1[y] * width;
    out.weight[y] = Math.round(ty.w[y] * 128);
  }
  return out;
}

/** Writes row y's pixels [from, to) of the upsampled picture, opaque, into `dst` from word `at` on. */
export function readStretched(image: StretchedImage, y: number, from: number, to: number, dst: Int32Array, at: number): void {
  const { rows } = image;
  const a = image.top[y];
  const b = image.bottom[y];
  const w = image.weight[y];
  if (w === 0) {
    dst.set(rows.subarray(a + from, a + to), at);
    return;
  }
  const u = 128 - w;
  for (let x = from, o = at; x < to; x++, o++) {
    const p = rows[a + x];
    const q = rows[b + x];
    dst[o] = ((((p & 0xff00ff) * u + (q & 0xff00ff) * w + 0x400040) >> 7) & 0xff00ff) | ((((p & 0xff00) * u + (q & 0xff00) * w + 0x4000) >> 7) & 0xff00) | OPAQUE;
  }
}

/** The whole upsampled picture as an RGBA image (`out` when given). */
export function expandStretched(image: StretchedImage, out?: RgbaImage): RgbaImage {
  const { width, height } = image;
  const dst = out ?? rgbaImage(width, height);
  if (dst.width !== width || dst.height !== height) throw new PixelError(`expand output is ${dst.width}x${dst.height}, asked for ${width}x${height}`);
  const words = rgbaWords(dst.data);
  const row = words ?? new Int32Array(width);
  for (let y = 0; y < height; y++) {
    readStretched(image, y, 0, width, row, words ? y * width : 0);
    if (words) continue;
    for (let x = 0, q = 4 * y * width; x < width; x++, q += 4) {
      const v = row[x];
      dst.data[q] = v & 255;
      dst.data[q + 1] = (v >> 8) & 255;
      dst.data[q + 2] = (v >> 16) & 255;
      dst.data[q + 3] = 255;
    }
  }
  return dst;
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
  // Four taps per output pixel, read where they are: a strong downscale (1080p to 256x144) touches a
  // sixth of the frame's pixels instead of blending whole rows first.
  const k = 1 / 255;
  for (let y = 0; y < height; y++) {
    const r0 = ty.i0[y] * sw * 4;
    const r1 = ty.i1[y] * sw * 4;
    const wy = ty.w[y];
    const o = y * width;
    for (let x = 0; x < width; x++) {
      const a = r0 + 4 * i0[x];
      const b = r0 + 4 * i1[x];
      const c = r1 + 4 * i0[x];
      const d = r1 + 4 * i1[x];
      const wx = w[x];
      for (let ch = 0; ch < 3; ch++) {
        const left = s[a + ch] + (s[c + ch] - s[a + ch]) * wy;
        const right = s[b + ch] + (s[d + ch] - s[b + ch]) * wy;
        out[ch * n + o + x] = (left + (right - left) * wx) * k;
      }
    }
  }
  return out;
}
