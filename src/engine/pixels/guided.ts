import { floatImage, type FloatImage, type RgbaImage } from '../../frame';
import { boxBlurPlane } from './blur';
import type { Box } from './box';
import { assertDimensions, assertLength, assertSameSize, PixelError } from './errors';
import { axisTaps } from './resize';
import { assertRuns, RUN_BACKGROUND, RUN_MIXED, RUN_PERSON, RunsBuilder, type RunKind } from './runs';
import type { Runs } from '../../frame';
import { rgbaWords } from './words';
import { BAND_BACKGROUND, BAND_OVERRULED, bandKernel, COEF, type BandKernel, type BandRow } from './simd/guided-band';

/**
 * The guided filter with a colour guide (He, Sun & Tang, "Guided Image Filtering", 2013, eq. 19-21): in
 * each window the output is an affine function of the guide's RGB, q = a . I + b, so edges in the output
 * follow edges in the image. Box means come from running sums, so the cost does not grow with the radius.
 *
 * The guided upsampler is the "fast guided filter" (He & Sun 2015): a and b are fitted at the low
 * resolution the matte was computed at, upsampled bilinearly, and applied to the full-resolution image,
 * inside the unknown band only: a full-resolution pixel is in the band when any of its four bilinear
 * neighbours at low resolution is. Outside it alpha is the known 0 or 1, exactly.
 */

export interface GuidedOptions {
  /** Box radius in pixels of the resolution the coefficients are fitted at. */
  radius: number;
  /** Regulariser on the guide's covariance, in (0-1 RGB)^2 units: larger is smoother. */
  eps: number;
}

let planes: Float32Array[] = [];
let planeSize = 0;

/** The 12 working planes of the fit, reused across calls of the same or a smaller size. */
function workspace(n: number): Float32Array[] {
  if (planeSize < n) {
    planes = Array.from({ length: 12 }, () => new Float32Array(n));
    planeSize = n;
  }
  return planes.map((p) => p.subarray(0, n));
}

function assertOptions(opts: GuidedOptions): void {
  if (!Number.isInteger(opts.radius) || opts.radius < 1) throw new PixelError(`guided filter radius must be an integer >= 1, got ${opts.radius}`);
  if (!Number.isFinite(opts.eps) || opts.eps <= 0) throw new PixelError(`guided filter eps must be a finite number > 0, got ${opts.eps}`);
}

/**
 * Fits the window-averaged coefficients of q = a . I + b for one target plane, writing mean a (red, green,
 * blue) and mean b into `coef[0..3]`.
 */
export function guidedCoefficients(guide: RgbaImage, target: Float32Array, opts: GuidedOptions, coef: readonly Float32Array[]): void {
  assertOptions(opts);
  const { width, height } = guide;
  assertDimensions(width, height, 'guide');
  const n = width * height;
  assertLength(guide.data, n * 4, 'guide RGBA');
  assertLength(target, n, 'guided filter target');
  if (coef.length !== 4) throw new PixelError(`guided coefficients need 4 planes, got ${coef.length}`);
  for (const c of coef) assertLength(c, n, 'guided coefficient plane');
  const [mr, mg, mb, rr, rg, rb, gg, gb, bb, pr, pg, pb] = workspace(n);
  const [ar, ag, ab, b] = coef;
  const g = guide.data;
  const k = 1 / 255;
  for (let i = 0; i < n; i++) {
    const r = g[4 * i] * k;
    const gr = g[4 * i + 1] * k;
    const bl = g[4 * i + 2] * k;
    const p = target[i];
    mr[i] = r;
    mg[i] = gr;
    mb[i] = bl;
    rr[i] = r * r;
    rg[i] = r * gr;
    rb[i] = r * bl;
    gg[i] = gr * gr;
    gb[i] = gr * bl;
    bb[i] = bl * bl;
    pr[i] = p * r;
    pg[i] = p * gr;
    pb[i] = p * bl;
    b[i] = p;
  }
  const r = opts.radius;
  for (const plane of [mr, mg, mb, rr, rg, rb, gg, gb, bb, pr, pg, pb, b]) boxBlurPlane(plane, width, height, r);

  const eps = opts.eps;
  for (let i = 0; i < n; i++) {
    const mR = mr[i];
    const mG = mg[i];
    const mB = mb[i];
    const mp = b[i];
    const s11 = rr[i] - mR * mR + eps;
    const s12 = rg[i] - mR * mG;
    const s13 = rb[i] - mR * mB;
    const s22 = gg[i] - mG * mG + eps;
    const s23 = gb[i] - mG * mB;
    const s33 = bb[i] - mB * mB + eps;
    const c1 = pr[i] - mR * mp;
    const c2 = pg[i] - mG * mp;
    const c3 = pb[i] - mB * mp;
    // Inverse of the symmetric covariance by cofactors; eps > 0 keeps it positive definite.
    const i11 = s22 * s33 - s23 * s23;
    const i12 = s13 * s23 - s12 * s33;
    const i13 = s12 * s23 - s13 * s22;
    const i22 = s11 * s33 - s13 * s13;
    const i23 = s12 * s13 - s11 * s23;
    const i33 = s11 * s22 - s12 * s12;
    const invDet = 1 / (s11 * i11 + s12 * i12 + s13 * i13);
    const aR = (i11 * c1 + i12 * c2 + i13 * c3) * invDet;
    const aG = (i12 * c1 + i22 * c2 + i23 * c3) * invDet;
    const aB = (i13 * c1 + i23 * c2 + i33 * c3) * invDet;
    ar[i] = aR;
    ag[i] = aG;
    ab[i] = aB;
    b[i] = mp - aR * mR - aG * mG - aB * mB;
  }
  for (const plane of coef) boxBlurPlane(plane, width, height, r);
}

/** The guided filter of `src` with `guide`'s colours, at the same resolution. */
export function guidedFilter(guide: RgbaImage, src: FloatImage, opts: GuidedOptions, out?: FloatImage): FloatImage {
  assertSameSize(guide, src, 'guided filter guide and source differ in size');
  const n = src.width * src.height;
  const dst = out ?? floatImage(src.width, src.height);
  assertSameSize(src, dst, 'guided filter source and output differ in size');
  const coef = [0, 1, 2, 3].map(() => new Float32Array(n));
  guidedCoefficients(guide, src.data, opts, coef);
  const [ar, ag, ab, b] = coef;
  const g = guide.data;
  const k = 1 / 255;
  for (let i = 0; i < n; i++) {
    dst.data[i] = ar[i] * g[4 * i] * k + ag[i] * g[4 * i + 1] * k + ab[i] * g[4 * i + 2] * k + b[i];
  }
  return dst;
}

/** What the matting model produced, at its own (low) resolution. */
export interface LowResMatte {
  /** The image the model saw: the frame resized to this resolution. */
  guide: RgbaImage;
  alpha: FloatImage;
  foreground: RgbaImage;
  /** Non-zero where the trimap was unknown; alpha there is the model's, elsewhere exactly 0 or 1. */
  band: Uint8Array;
}

/**
 * A low-resolution matte made ready to upsample: what depends on the matte alone, computed once per matte
 * (on the matting thread) rather than once per frame.
 */
export interface GuidedFit {
  width: number;
  height: number;
  /** COEF values per low-res pixel. */
  coef: Float32Array;
  /** 1 where the band reaches any of the four bilinear taps that start at this low-res pixel. */
  near: Uint8Array;
  /** The low-res alpha (exactly 0 or 1 outside the band). */
  alpha: Float32Array;
}

/**
 * Fits the guided upsampler of a low-resolution matte. Alpha follows the full-resolution image through the
 * guided filter's coefficients. F is not guided by the image: it is the foreground colour with the
 * background taken out, and fitting it to the mixed image would pull the background's colours back in. It
 * is carried as the model's correction to the image, F = I + up(F - I), which keeps the full-resolution
 * detail and is exactly I where the model left F = I.
 */
export function fitGuided(low: LowResMatte, opts: GuidedOptions): GuidedFit {
  const { width: lw, height: lh } = low.guide;
  assertSameSize(low.guide, low.alpha, 'low-res guide and alpha differ in size');
  assertSameSize(low.guide, low.foreground, 'low-res guide and foreground differ in size');
  assertLength(low.band, lw * lh, 'low-res band');
  const n = lw * lh;
  const planes = [0, 1, 2, 3].map(() => new Float32Array(n));
  guidedCoefficients(low.guide, low.alpha.data, opts, planes);
  const [ar, ag, ab, b] = planes;
  const coef = new Float32Array(n * COEF);
  const lg = low.guide.data;
  const lf = low.foreground.data;
  for (let i = 0; i < n; i++) {
    const o = i * COEF;
    coef[o] = ar[i];
    coef[o + 1] = ag[i];
    coef[o + 2] = ab[i];
    coef[o + 3] = b[i];
    coef[o + 4] = lf[4 * i] - lg[4 * i];
    coef[o + 5] = lf[4 * i + 1] - lg[4 * i + 1];
    coef[o + 6] = lf[4 * i + 2] - lg[4 * i + 2];
  }
  // The taps of a full-resolution pixel whose top-left tap is j are j, its right and lower neighbours
  // (clamped at the edges): mark j when any of them is in the band.
  const near = new Uint8Array(n);
  const band = low.band;
  for (let y = 0; y < lh; y++) {
    const down = y + 1 < lh ? lw : 0;
    for (let x = 0; x < lw; x++) {
      const j = y * lw + x;
      const right = x + 1 < lw ? 1 : 0;
      near[j] = band[j] | band[j + right] | band[j + down] | band[j + down + right] ? 1 : 0;
    }
  }
  return { width: lw, height: lh, coef, near, alpha: low.alpha.data.slice() };
}


/** How an upsampled matte is merged into a base matte. */
export interface MergeOptions {
  /** A pixel whose matte alpha differs from base's by more than this keeps base's alpha and F; null: never. */
  overrule: number | null;
  /** Inside the band, alpha = weight * matte + (1 - weight) * base. */
  weight: number;
}

/** The matte replaces the base wherever it reaches. */
export const REPLACE: MergeOptions = { overrule: null, weight: 1 };

/**
 * Brings a fitted matte to full resolution over `rect` of the frame (the frame region the low-res matte
 * was resized from) and merges it into `base`, a frame-sized matte with runs whose alpha and foreground
 * planes are written in place; returns the merged runs. Inside the band alpha is a . I + b of the frame's
 * pixel (mixed with base's by `merge.weight`) and F = I + (F - I); outside it alpha is the known 0 or 1
 * and F stays as it was. Per-pixel work is done in the band and base's mixed runs only.
 */
export function applyGuided(
  fit: GuidedFit,
  frame: RgbaImage,
  rect: Box,
  base: { alpha: FloatImage; foreground: RgbaImage; runs: Runs },
  merge: MergeOptions,
  kernel: BandKernel = bandKernel(),
): Runs {
  const { overrule, weight } = merge;
  if (!(weight >= 0 && weight <= 1)) throw new PixelError(`merge weight must be in [0, 1], got ${weight}`);
  const { width, height } = frame;
  assertLength(frame.data, width * height * 4, 'frame RGBA');
  assertSameSize(frame, base.alpha, 'frame and matte alpha differ in size');
  assertSameSize(frame, base.foreground, 'frame and matte foreground differ in size');
  assertRuns(base.runs, width, height);
  const { x0, y0, x1, y1 } = rect;
  if (!(x0 >= 0 && y0 >= 0 && x1 <= width && y1 <= height && x0 < x1 && y0 < y1)) {
    throw new PixelError(`upsample region ${x0},${y0}-${x1},${y1} is not inside the ${width}x${height} frame`);
  }
  const lw = fit.width;
  const tx = axisTaps(lw, x1 - x0);
  const ty = axisTaps(fit.height, y1 - y0);
  const coef = fit.coef;
  const near = fit.near;
  const la = fit.alpha;
  const oa = base.alpha.data;
  const limit = overrule ?? Infinity;
  const cw = x1 - x0;
  // Per low-res row, where along the crop the band is near: edges in frame x, segments alternate
  // away / near, the first away. At most one edge per pixel, plus the closing one.
  const nearEdges = new Int32Array(cw + 1);
  let nearCount = 0;
  let nearOf = -1;
  const baseRuns = base.runs;
  const builder = new RunsBuilder(width, height);
  const row: BandRow = {
    width,
    frame: frame.data,
    frameWords: rgbaWords(frame.data),
    alpha: oa,
    foreground: base.foreground.data,
    foregroundWords: rgbaWords(base.foreground.data),
    coef,
    tx,
    r0: 0,
    r1: 0,
    wy: 0,
    weight,
    limit,
  };
  for (let y = 0; y < height; y++) {
    const first = baseRuns.first[y];
    const last = first + baseRuns.count[y];
    if (y < y0 || y >= y1) {
      for (let r = first; r < last; r++) builder.push(baseRuns.ends[r], baseRuns.kinds[r] as RunKind);
      builder.endRow(y);
      continue;
    }
    const ly = y - y0;
    const r0 = ty.i0[ly] * lw;
    const r1 = ty.i1[ly] * lw;
    const wy = ty.w[ly];
    const nearRow = wy < 0.5 ? r0 : r1;
    row.r0 = r0;
    row.r1 = r1;
    row.wy = wy;
    if (r0 !== nearOf) {
      nearCount = 0;
      let inside = 0;
      for (let lx = 0; lx < cw; lx++) {
        if (near[r0 + tx.i0[lx]] !== inside) {
          nearEdges[nearCount++] = x0 + lx;
          inside ^= 1;
        }
      }
      nearEdges[nearCount++] = x1;
      nearOf = r0;
    }
    // Walk the row's pieces in order: before the crop, the crop's away/near segments, after the crop;
    // each cut further by base's runs. Known base runs away from the band move whole.
    const kinds = kernel.row(row, y, nearEdges, nearCount, x0);
    let k = 0;
    let r = first;
    let x = 0;
    for (let e = -1; e <= nearCount; e++) {
      const segEnd = e < 0 ? x0 : e < nearCount ? nearEdges[e] : width;
      const near1 = e >= 0 && e < nearCount && (e & 1) === 1;
      const inCrop = e >= 0 && e < nearCount;
      while (x < segEnd) {
        while (baseRuns.ends[r] <= x) r++;
        const end = baseRuns.ends[r] < segEnd ? baseRuns.ends[r] : segEnd;
        const kind = baseRuns.kinds[r] as RunKind;
        if (!inCrop || (!near1 && overrule !== null && kind !== RUN_MIXED)) {
          // Outside the crop, or away from the band on a known base pixel: the matte's known 0 or 1
          // changes nothing there (the same value) or is overruled (the other value).
          builder.push(end, kind);
        } else if (!near1) {
          for (; x < end; x++) {
            const i = y * width + x;
            const lx = x - x0;
            const m = la[nearRow + (tx.w[lx] < 0.5 ? tx.i0[lx] : tx.i1[lx])];
            const d = m - oa[i];
            if (d > limit || d < -limit) {
              builder.push(x + 1, kind);
              continue;
            }
            oa[i] = m;
            builder.push(x + 1, m > 0.5 ? RUN_PERSON : RUN_BACKGROUND);
          }
        } else {
          for (; x < end; x++) {
            const b = kinds[k++];
            builder.push(x + 1, b === BAND_OVERRULED ? kind : b === BAND_BACKGROUND ? RUN_BACKGROUND : RUN_MIXED);
          }
        }
        x = end;
      }
    }
    builder.endRow(y);
  }
  return builder.build();
}
