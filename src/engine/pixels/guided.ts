import { floatImage, type FloatImage, type RgbaImage } from '../frame';
import { boxBlurPlane } from './blur';
import { assertDimensions, assertLength, assertSameSize, PixelError } from './errors';
import { axisTaps } from './resize';

/**
 * The guided filter with a colour guide (He, Sun & Tang, "Guided Image Filtering", 2013, eq. 19-21): in
 * each window the output is an affine function of the guide's RGB, q = a . I + b, so edges in the output
 * follow edges in the image. Box means come from running sums, so the cost does not grow with the radius.
 *
 * The guided upsampler is the "fast guided filter" (He & Sun 2015): a and b are fitted at the low
 * resolution the matte was computed at, upsampled bilinearly, and applied to the full-resolution image.
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

/** Per low-res pixel, interleaved: a (r, g, b), b, then F - I (r, g, b) in 0-255 units. */
const COEF = 7;
let packed = new Float32Array(0);
let fitPlanes: Float32Array[] = [];
let nearBand = new Uint8Array(0);

/**
 * Full-resolution alpha and foreground from a low-resolution matte, edge-aware, inside the unknown band
 * only: a full-resolution pixel is in the band when any of its four bilinear neighbours at low resolution
 * is. Outside it alpha is the known 0 or 1 and F is the frame itself, exactly (its alpha channel too,
 * which F does not use).
 *
 * Alpha follows the full-resolution image through the guided filter. F is not guided by the image: it is
 * the foreground colour with the background taken out, and fitting it to the mixed image would pull the
 * background's colours back in. It is carried as the model's correction to the image, F = I + up(F - I),
 * which keeps the full-resolution detail and is exactly I where the model left F = I.
 */
export function guidedUpsample(
  low: LowResMatte,
  frame: RgbaImage,
  opts: GuidedOptions,
  out: { alpha: FloatImage; foreground: RgbaImage },
): void {
  const { width: lw, height: lh } = low.guide;
  assertSameSize(low.guide, low.alpha, 'low-res guide and alpha differ in size');
  assertSameSize(low.guide, low.foreground, 'low-res guide and foreground differ in size');
  assertLength(low.band, lw * lh, 'low-res band');
  assertSameSize(frame, out.alpha, 'frame and output alpha differ in size');
  assertSameSize(frame, out.foreground, 'frame and output foreground differ in size');
  assertLength(frame.data, frame.width * frame.height * 4, 'frame RGBA');

  const n = lw * lh;
  if (fitPlanes.length === 0 || fitPlanes[0].length < n) fitPlanes = [0, 1, 2, 3].map(() => new Float32Array(n));
  const coef = fitPlanes.map((p) => p.subarray(0, n));
  guidedCoefficients(low.guide, low.alpha.data, opts, coef);
  if (packed.length < n * COEF) packed = new Float32Array(n * COEF);
  const lg = low.guide.data;
  const lf = low.foreground.data;
  for (let i = 0; i < n; i++) {
    const o = i * COEF;
    packed[o] = coef[0][i];
    packed[o + 1] = coef[1][i];
    packed[o + 2] = coef[2][i];
    packed[o + 3] = coef[3][i];
    packed[o + 4] = lf[4 * i] - lg[4 * i];
    packed[o + 5] = lf[4 * i + 1] - lg[4 * i + 1];
    packed[o + 6] = lf[4 * i + 2] - lg[4 * i + 2];
  }

  // A full-resolution pixel is in the band when any of its four bilinear taps is: the taps of low-res
  // pixel j are j, its right and lower neighbours (clamped at the edges), so mark those once here.
  if (nearBand.length < n) nearBand = new Uint8Array(n);
  const near = nearBand;
  const band = low.band;
  for (let y = 0; y < lh; y++) {
    const down = y + 1 < lh ? lw : 0;
    for (let x = 0; x < lw; x++) {
      const j = y * lw + x;
      const right = x + 1 < lw ? 1 : 0;
      near[j] = band[j] | band[j + right] | band[j + down] | band[j + down + right];
    }
  }

  const { width, height } = frame;
  const tx = axisTaps(lw, width);
  const ty = axisTaps(lh, height);
  const la = low.alpha.data;
  const f = frame.data;
  const oa = out.alpha.data;
  const of = out.foreground.data;
  // F is the frame wherever the band does not reach; one copy, then the band is written over it.
  of.set(f);
  const k = 1 / 255;
  for (let y = 0; y < height; y++) {
    const r0 = ty.i0[y] * lw;
    const r1 = ty.i1[y] * lw;
    const wy = ty.w[y];
    const nearRow = wy < 0.5 ? r0 : r1;
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const x0 = tx.i0[x];
      const x1 = tx.i1[x];
      if (near[r0 + x0] === 0) {
        oa[i] = la[nearRow + (tx.w[x] < 0.5 ? x0 : x1)];
        continue;
      }
      const p = 4 * i;
      const wx = tx.w[x];
      const w00 = (1 - wx) * (1 - wy);
      const w01 = wx * (1 - wy);
      const w10 = (1 - wx) * wy;
      const w11 = wx * wy;
      const q00 = (r0 + x0) * COEF;
      const q01 = (r0 + x1) * COEF;
      const q10 = (r1 + x0) * COEF;
      const q11 = (r1 + x1) * COEF;
      const R = f[p];
      const G = f[p + 1];
      const B = f[p + 2];
      const aR = packed[q00] * w00 + packed[q01] * w01 + packed[q10] * w10 + packed[q11] * w11;
      const aG = packed[q00 + 1] * w00 + packed[q01 + 1] * w01 + packed[q10 + 1] * w10 + packed[q11 + 1] * w11;
      const aB = packed[q00 + 2] * w00 + packed[q01 + 2] * w01 + packed[q10 + 2] * w10 + packed[q11 + 2] * w11;
      const b = packed[q00 + 3] * w00 + packed[q01 + 3] * w01 + packed[q10 + 3] * w10 + packed[q11 + 3] * w11;
      const a = (aR * R + aG * G + aB * B) * k + b;
      oa[i] = a < 0 ? 0 : a > 1 ? 1 : a;
      const dR = packed[q00 + 4] * w00 + packed[q01 + 4] * w01 + packed[q10 + 4] * w10 + packed[q11 + 4] * w11;
      const dG = packed[q00 + 5] * w00 + packed[q01 + 5] * w01 + packed[q10 + 5] * w10 + packed[q11 + 5] * w11;
      const dB = packed[q00 + 6] * w00 + packed[q01 + 6] * w01 + packed[q10 + 6] * w10 + packed[q11 + 6] * w11;
      // Uint8Array stores clamp nothing: out-of-range values wrap, so clamp before the store.
      const fr = R + dR + 0.5;
      const fg = G + dG + 0.5;
      const fb = B + dB + 0.5;
      of[p] = fr < 0 ? 0 : fr > 255 ? 255 : fr;
      of[p + 1] = fg < 0 ? 0 : fg > 255 ? 255 : fg;
      of[p + 2] = fb < 0 ? 0 : fb > 255 ? 255 : fb;
    }
  }
}
