import type { FloatImage, RgbaImage } from '../../frame';
import { assertDimensions, assertLength } from './errors';
import { boundingBox, type Box } from './box';
import { erode } from './morphology';

export type { Box };

/**
 * The trimap stage: from the segmenter's soft person probability to the three regions the matting model
 * needs. Stored as one byte per pixel with the values of the benchmark trimaps (alphamatting.com), so a
 * trimap file and a computed one are the same thing.
 */
export const TRIMAP_BACKGROUND = 0;
export const TRIMAP_UNKNOWN = 128;
export const TRIMAP_FOREGROUND = 255;

/** Row-major, 0 = background, 255 = foreground, anything else = unknown (written as 128). */
export interface Trimap {
  width: number;
  height: number;
  data: Uint8Array;
}

export interface TrimapOptions {
  /** Probability above which a pixel is confidently the person. */
  fgThreshold?: number;
  /** Probability below which a pixel is confidently background. */
  bgThreshold?: number;
  /**
   * How far, as a fraction of the short side, each confident region is eroded: the unknown band grows by
   * this on both sides, so its width follows the resolution.
   */
  bandFraction?: number;
  /** The least erosion in pixels, so a tiny input still gets a band. */
  minBandPx?: number;
}

export const DEFAULT_TRIMAP_OPTIONS: Required<TrimapOptions> = {
  fgThreshold: 0.9,
  bgThreshold: 0.1,
  bandFraction: 0.02,
  minBandPx: 1,
};

export class TrimapError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'TrimapError';
  }
}

function resolveOptions(opts: TrimapOptions): Required<TrimapOptions> {
  const o = { ...DEFAULT_TRIMAP_OPTIONS, ...opts };
  const inUnit = (x: number) => Number.isFinite(x) && x >= 0 && x <= 1;
  if (!inUnit(o.fgThreshold) || !inUnit(o.bgThreshold) || o.bgThreshold >= o.fgThreshold) {
    throw new TrimapError(`trimap thresholds need 0 <= bgThreshold < fgThreshold <= 1, got ${o.bgThreshold} and ${o.fgThreshold}`);
  }
  if (!Number.isFinite(o.bandFraction) || o.bandFraction < 0 || o.bandFraction > 0.5) {
    throw new TrimapError(`trimap bandFraction must be in [0, 0.5], got ${o.bandFraction}`);
  }
  if (!Number.isFinite(o.minBandPx) || o.minBandPx < 0) throw new TrimapError(`trimap minBandPx must be >= 0, got ${o.minBandPx}`);
  return o;
}

/** The erosion radius in pixels for an image of this size. */
export function bandRadius(width: number, height: number, opts: TrimapOptions = {}): number {
  const o = resolveOptions(opts);
  return Math.max(o.minBandPx, o.bandFraction * Math.min(width, height));
}

/**
 * Confident foreground (prob > fgThreshold) and confident background (prob < bgThreshold), each eroded by
 * an exact disc of bandRadius; everything else is unknown. A NaN probability is unknown.
 */
export function makeTrimap(prob: FloatImage, opts: TrimapOptions = {}, out?: Trimap): Trimap {
  const { width, height } = prob;
  assertDimensions(width, height, 'trimap probability');
  const n = width * height;
  assertLength(prob.data, n, 'trimap probability');
  const o = resolveOptions(opts);
  const dst = out ?? { width, height, data: new Uint8Array(n) };
  if (dst.width !== width || dst.height !== height) throw new TrimapError(`trimap output is ${dst.width}x${dst.height}, probability ${width}x${height}`);
  assertLength(dst.data, n, 'trimap output');
  trimapOf(prob.data, width, height, bandRadius(width, height, o), o, dst.data);
  return dst;
}

/** The trimap of a width x height probability with erosion radius r, into `t`. */
function trimapOf(p: Float32Array, width: number, height: number, r: number, o: Required<TrimapOptions>, t: Uint8Array): void {
  const n = width * height;
  // Made at the matting size and only when the plan changes: cheap enough to own per call, so the
  // kernel keeps no state between callers.
  const fg = new Uint8Array(n);
  const bg = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    fg[i] = p[i] > o.fgThreshold ? 1 : 0;
    bg[i] = p[i] < o.bgThreshold ? 1 : 0;
  }
  erode(fg, width, height, r, fg);
  erode(bg, width, height, r, bg);
  for (let i = 0; i < n; i++) t[i] = fg[i] ? TRIMAP_FOREGROUND : bg[i] ? TRIMAP_BACKGROUND : TRIMAP_UNKNOWN;
}

/** Which side of the thresholds a probability is on: 2 confident person, 0 confident background, 1 neither (NaN too). */
function side(v: number, o: Required<TrimapOptions>): number {
  return v > o.fgThreshold ? 2 : v < o.bgThreshold ? 0 : 1;
}

/**
 * makeTrimap(prob) made from `previous`, the trimap of `before` (same size, same options), by redoing
 * only what the change can reach: pixels within the erosion radius of one whose side of the thresholds
 * changed, computed from the probability within twice that radius (beyond it a pixel's erosion does not
 * look). `previous` itself when no pixel changed side. Identical to makeTrimap(prob). Pure.
 */
export function updateTrimap(previous: Trimap, before: Float32Array, prob: FloatImage, opts: TrimapOptions = {}): Trimap {
  const { width, height } = prob;
  const n = width * height;
  assertLength(prob.data, n, 'trimap probability');
  assertLength(before, n, 'previous trimap probability');
  if (previous.width !== width || previous.height !== height) throw new TrimapError(`previous trimap is ${previous.width}x${previous.height}, probability ${width}x${height}`);
  const o = resolveOptions(opts);
  const p = prob.data;
  const changed = boundingBox(width, height, (i) => side(p[i], o) !== side(before[i], o));
  if (!changed) return previous;
  const r = bandRadius(width, height, o);
  const reach = Math.ceil(r);
  const grow = (by: number): Box => ({
    x0: Math.max(0, changed.x0 - by),
    y0: Math.max(0, changed.y0 - by),
    x1: Math.min(width, changed.x1 + by),
    y1: Math.min(height, changed.y1 + by),
  });
  const inner = grow(reach);
  const outer = grow(2 * reach);
  const ow = outer.x1 - outer.x0;
  const oh = outer.y1 - outer.y0;
  const window = new Float32Array(ow * oh);
  for (let y = 0; y < oh; y++) window.set(p.subarray((outer.y0 + y) * width + outer.x0, (outer.y0 + y) * width + outer.x1), y * ow);
  const part = new Uint8Array(ow * oh);
  // Outside the window counts as set in the erosion, as outside the image does: a pixel of `inner` has
  // its whole disc inside the window, or cut by the image's own edge.
  trimapOf(window, ow, oh, r, o, part);
  const data = previous.data.slice();
  for (let y = inner.y0; y < inner.y1; y++) {
    const from = (y - outer.y0) * ow + (inner.x0 - outer.x0);
    data.set(part.subarray(from, from + inner.x1 - inner.x0), y * width + inner.x0);
  }
  return { width, height, data };
}

/** A trimap read from an image (a benchmark trimap file): the red channel's 0 and 255 are known. */
export function trimapFromImage(image: RgbaImage): Trimap {
  assertDimensions(image.width, image.height, 'trimap image');
  const n = image.width * image.height;
  assertLength(image.data, n * 4, 'trimap image RGBA');
  const data = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = image.data[4 * i];
    data[i] = v === 0 ? TRIMAP_BACKGROUND : v === 255 ? TRIMAP_FOREGROUND : TRIMAP_UNKNOWN;
  }
  return { width: image.width, height: image.height, data };
}

/** 1 where the trimap is unknown, 0 where it is known. */
export function bandOf(trimap: Trimap): Uint8Array {
  const t = trimap.data;
  const band = new Uint8Array(t.length);
  for (let i = 0; i < t.length; i++) band[i] = t[i] === TRIMAP_BACKGROUND || t[i] === TRIMAP_FOREGROUND ? 0 : 1;
  return band;
}

/** Bounds of the unknown pixels, or null when there are none. */
export function unknownBox(trimap: Trimap): Box | null {
  const t = trimap.data;
  return boundingBox(trimap.width, trimap.height, (i) => t[i] !== TRIMAP_BACKGROUND && t[i] !== TRIMAP_FOREGROUND);
}

/**
 * The trimap of a window of `src` at width x height. A target pixel stays known only where every source
 * pixel its footprint touches has the same known value; anything mixed becomes unknown. Shrinking a band
 * by sampling would let thin unknown lines vanish and call mixed pixels sure; this way the band only grows.
 */
export function downscaleTrimap(src: Trimap, rect: Box, width: number, height: number): Trimap {
  assertDimensions(width, height, 'downscaled trimap');
  const { x0, y0, x1, y1 } = rect;
  if (!(x0 >= 0 && y0 >= 0 && x1 <= src.width && y1 <= src.height && x0 < x1 && y0 < y1)) {
    throw new TrimapError(`trimap window ${x0},${y0}-${x1},${y1} is not inside the ${src.width}x${src.height} trimap`);
  }
  const sx = (x1 - x0) / width;
  const sy = (y1 - y0) / height;
  const t = src.data;
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const ya = y0 + Math.floor(y * sy);
    const yb = Math.max(ya + 1, y0 + Math.ceil((y + 1) * sy));
    for (let x = 0; x < width; x++) {
      const xa = x0 + Math.floor(x * sx);
      const xb = Math.max(xa + 1, x0 + Math.ceil((x + 1) * sx));
      const first = t[ya * src.width + xa];
      let value = first === TRIMAP_BACKGROUND || first === TRIMAP_FOREGROUND ? first : TRIMAP_UNKNOWN;
      for (let v = ya; v < yb && value !== TRIMAP_UNKNOWN; v++) {
        for (let u = xa; u < xb; u++) {
          if (t[v * src.width + u] !== value) {
            value = TRIMAP_UNKNOWN;
            break;
          }
        }
      }
      data[y * width + x] = value;
    }
  }
  return { width, height, data };
}
