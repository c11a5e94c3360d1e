import type { RgbaImage } from '../../frame';
import { squaredDistanceTransform } from '../pixels/distance';
import { assertDimensions, assertLength, PixelError } from '../pixels/errors';
import { TRIMAP_BACKGROUND, TRIMAP_FOREGROUND, type Trimap } from '../pixels/trimap';

/**
 * The FBA network's four inputs, exactly as training/fba/encoding.py::encode builds them (the Python
 * reference; tests/integration/engine/matting/fba-encoding-parity.test.ts holds the two together): image and trimap
 * edge-padded at the bottom and right to a multiple of 8 first, so the distance channels see the padded
 * trimap; then raw RGB in [0, 1], the (background, foreground) trimap, ImageNet-normalised RGB, and six
 * Gaussians of the squared distance to each known region. All NCHW float32 with N = 1.
 */
export interface FbaInput {
  /** Padded size, a multiple of 8 each. */
  width: number;
  height: number;
  image: Float32Array;
  trimap2: Float32Array;
  image_n: Float32Array;
  trimap6: Float32Array;
}

export const FBA_MULTIPLE = 8;
const MEAN = [0.485, 0.456, 0.406].map(Math.fround);
const STD = [0.229, 0.224, 0.225].map(Math.fround);
/** The reference's trimap scale: distances are encoded relative to a 320-pixel image. */
const L = 320;
const SIGMAS = [0.02 * L, 0.08 * L, 0.16 * L];

/**
 * exp(-d2 / (2 sigma^2)) for each sigma, looked up for the small whole-number squared distances that
 * cover nearly every pixel (d < 256) and computed beyond; one exp per pixel and sigma is most of the
 * encoding's time otherwise.
 */
const LUT_SIZE = 1 << 16;
let gaussianLut: Float32Array[] | null = null;

function gaussians(): Float32Array[] {
  if (!gaussianLut) {
    gaussianLut = SIGMAS.map((s) => {
      const lut = new Float32Array(LUT_SIZE);
      for (let d2 = 0; d2 < LUT_SIZE; d2++) lut[d2] = Math.exp(-d2 / (2 * s * s));
      return lut;
    });
  }
  return gaussianLut;
}

export function paddedSize(size: number): number {
  return Math.ceil(size / FBA_MULTIPLE) * FBA_MULTIPLE;
}

export function allocateFbaInput(width: number, height: number): FbaInput {
  const n = width * height;
  return {
    width,
    height,
    image: new Float32Array(3 * n),
    trimap2: new Float32Array(2 * n),
    image_n: new Float32Array(3 * n),
    trimap6: new Float32Array(6 * n),
  };
}

let regionMask = new Uint8Array(0);
let regionDistance = new Float32Array(0);
/** The trimap each reused input's trimap channels were made from. */
const encodedTrimaps = new WeakMap<FbaInput, Trimap>();

function sameTrimap(a: Trimap | undefined, b: Trimap): boolean {
  if (!a || a.width !== b.width || a.height !== b.height) return false;
  const x = a.data;
  const y = b.data;
  for (let i = 0; i < y.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/**
 * Encodes `image` and `trimap` (same size) into `out`, allocated when absent or of another padded size.
 * The live pipeline keeps its trimap over many frames, so when `out` was last encoded from the same
 * trimap its trimap channels (the distance transforms, most of the work) are kept as they are.
 */
export function encodeFbaInput(image: RgbaImage, trimap: Trimap, out?: FbaInput): FbaInput {
  const { width: w, height: h } = image;
  assertDimensions(w, h, 'FBA image');
  assertLength(image.data, w * h * 4, 'FBA image RGBA');
  if (trimap.width !== w || trimap.height !== h) throw new PixelError(`FBA trimap is ${trimap.width}x${trimap.height}, image ${w}x${h}`);
  assertLength(trimap.data, w * h, 'FBA trimap');
  const pw = paddedSize(w);
  const ph = paddedSize(h);
  const enc = out && out.width === pw && out.height === ph ? out : allocateFbaInput(pw, ph);
  const n = pw * ph;
  if (regionMask.length < n) {
    regionMask = new Uint8Array(n);
    regionDistance = new Float32Array(n);
  }
  const src = image.data;
  const inv255 = 1 / 255;
  for (let y = 0; y < ph; y++) {
    const sy = y < h ? y : h - 1;
    for (let x = 0; x < pw; x++) {
      const sx = x < w ? x : w - 1;
      const s = sy * w + sx;
      const i = y * pw + x;
      for (let c = 0; c < 3; c++) {
        const v = Math.fround(src[4 * s + c] * inv255);
        enc.image[c * n + i] = v;
        enc.image_n[c * n + i] = (v - MEAN[c]) / STD[c];
      }
    }
  }
  if (enc === out && sameTrimap(encodedTrimaps.get(enc), trimap)) return enc;
  encodedTrimaps.set(enc, { width: w, height: h, data: trimap.data.slice() });
  const t = trimap.data;
  for (let y = 0; y < ph; y++) {
    const sy = y < h ? y : h - 1;
    for (let x = 0; x < pw; x++) {
      const label = t[sy * w + (x < w ? x : w - 1)];
      const i = y * pw + x;
      enc.trimap2[i] = label === TRIMAP_BACKGROUND ? 1 : 0;
      enc.trimap2[n + i] = label === TRIMAP_FOREGROUND ? 1 : 0;
    }
  }

  const mask = regionMask.subarray(0, n);
  const d2 = regionDistance.subarray(0, n);
  const luts = gaussians();
  for (let k = 0; k < 2; k++) {
    const region = enc.trimap2.subarray(k * n, (k + 1) * n);
    let any = false;
    for (let i = 0; i < n; i++) {
      mask[i] = region[i];
      if (region[i]) any = true;
    }
    const channels = [0, 1, 2].map((j) => enc.trimap6.subarray((3 * k + j) * n, (3 * k + j + 1) * n));
    // As in the reference, an empty region leaves its three channels zero.
    if (!any) {
      for (const c of channels) c.fill(0);
      continue;
    }
    squaredDistanceTransform(mask, pw, ph, d2);
    for (let j = 0; j < 3; j++) {
      const lut = luts[j];
      const c = channels[j];
      const twoSigma2 = 2 * SIGMAS[j] * SIGMAS[j];
      for (let i = 0; i < n; i++) {
        const d = d2[i];
        c[i] = d < LUT_SIZE ? lut[d | 0] : Math.exp(-d / twoSigma2);
      }
    }
  }
  return enc;
}
