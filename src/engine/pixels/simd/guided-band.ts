import type { AxisTaps } from '../resize';
import { WASM_BASE64 } from './guided-band.wasm';
import { instantiate, SharedMemory, simdModuleOf } from './memory';

/**
 * The guided upsampler's inner loop over a segment of one frame row that lies near the band: alpha = a . I + b
 * from the four bilinear taps of the low-resolution coefficients, merged into the base alpha, and
 * F = I + (F - I) upsampled the same way. It is the one per-pixel loop of the upsample whose cost grows
 * with the band, so it exists twice: in TypeScript (`jsBand`, the reference, in float64) and as a
 * WebAssembly SIMD kernel (assembly/guided-band.ts, float32 with the seven coefficients of a tap in two
 * 4-lane vectors), which bench/pixels.ts compares and tests/unit/engine/pixels/simd/ holds to the reference.
 */

/** What a segment writes per pixel into `kinds`, the base's kind being kept where the matte was overruled. */
export const BAND_BACKGROUND = 0;
export const BAND_MIXED = 2;
export const BAND_OVERRULED = 3;

/** Values per low-resolution pixel, interleaved: a (red, green, blue), b, then F - I (red, green, blue) in 0-255 units. */
export const COEF = 7;

export interface BandRow {
  /** Frame RGBA, base alpha and base foreground RGBA, all of the frame's size. */
  width: number;
  frame: Uint8Array;
  /** The frame and foreground as RGBA words (rgbaWords), null where they cannot be viewed so. */
  frameWords: Int32Array | null;
  foregroundWords: Int32Array | null;
  alpha: Float32Array;
  foreground: Uint8Array;
  coef: Float32Array;
  /** Horizontal taps along the crop; the segment's first pixel is crop column `lx0`. */
  tx: AxisTaps;
  /** Word offsets of the two low-resolution rows, and the lower one's weight. */
  r0: number;
  r1: number;
  wy: number;
  weight: number;
  /** |matte - base| above this keeps the base; Infinity never does. */
  limit: number;
}

export interface BandKernel {
  readonly name: string;
  /**
   * The near segments of frame row `y` ([edges[e - 1], edges[e]) for odd e < count, in frame x; taps
   * indexed by x - x0): writes alpha and foreground in place, and returns one BAND_* value per pixel of
   * the segments, in order (valid until the next call).
   */
  row(row: BandRow, y: number, edges: Int32Array, count: number, x0: number): Uint8Array;
}

let jsKinds = new Uint8Array(0);

export const jsBand: BandKernel = {
  name: 'TypeScript',
  row({ frame: f, alpha: oa, foreground: of, width, coef, tx, r0, r1, wy, weight, limit }, y, edges, count, x0) {
    if (jsKinds.length < width) jsKinds = new Uint8Array(width);
    const kinds = jsKinds;
    const k = 1 / 255;
    let s = 0;
    for (let e = 1; e < count; e += 2) {
      for (let x = edges[e - 1]; x < edges[e]; x++, s++) {
        const i = y * width + x;
        const lx = x - x0;
        const c0 = tx.i0[lx];
        const c1 = tx.i1[lx];
        const p = 4 * i;
        const wx = tx.w[lx];
        const w00 = (1 - wx) * (1 - wy);
        const w01 = wx * (1 - wy);
        const w10 = (1 - wx) * wy;
        const w11 = wx * wy;
        const q00 = (r0 + c0) * COEF;
        const q01 = (r0 + c1) * COEF;
        const q10 = (r1 + c0) * COEF;
        const q11 = (r1 + c1) * COEF;
        const R = f[p];
        const G = f[p + 1];
        const B = f[p + 2];
        const aR = coef[q00] * w00 + coef[q01] * w01 + coef[q10] * w10 + coef[q11] * w11;
        const aG = coef[q00 + 1] * w00 + coef[q01 + 1] * w01 + coef[q10 + 1] * w10 + coef[q11 + 1] * w11;
        const aB = coef[q00 + 2] * w00 + coef[q01 + 2] * w01 + coef[q10 + 2] * w10 + coef[q11 + 2] * w11;
        const b = coef[q00 + 3] * w00 + coef[q01 + 3] * w01 + coef[q10 + 3] * w10 + coef[q11 + 3] * w11;
        let a = (aR * R + aG * G + aB * B) * k + b;
        a = a < 0 ? 0 : a > 1 ? 1 : a;
        const d = a - oa[i];
        if (d > limit || d < -limit) {
          kinds[s] = BAND_OVERRULED;
          continue;
        }
        a = oa[i] + weight * d;
        oa[i] = a;
        kinds[s] = a <= 0 ? BAND_BACKGROUND : BAND_MIXED;
        const dR = coef[q00 + 4] * w00 + coef[q01 + 4] * w01 + coef[q10 + 4] * w10 + coef[q11 + 4] * w11;
        const dG = coef[q00 + 5] * w00 + coef[q01 + 5] * w01 + coef[q10 + 5] * w10 + coef[q11 + 5] * w11;
        const dB = coef[q00 + 6] * w00 + coef[q01 + 6] * w01 + coef[q10 + 6] * w10 + coef[q11 + 6] * w11;
        // Uint8Array stores clamp nothing: out-of-range values wrap, so clamp before the store.
        const fr = R + dR + 0.5;
        const fg = G + dG + 0.5;
        const fb = B + dB + 0.5;
        of[p] = fr < 0 ? 0 : fr > 255 ? 255 : fr;
        of[p + 1] = fg < 0 ? 0 : fg > 255 ? 255 : fg;
        of[p + 2] = fb < 0 ? 0 : fb > 255 ? 255 : fb;
      }
    }
    return kinds;
  },
};

type BandRowExport = (
  edges: number, count: number, x0: number, frame: number, alpha: number, fg: number, kinds: number,
  i0: number, i1: number, wx: number, coef: number, r0: number, r1: number, wy: number, weight: number, limit: number,
) => void;

/**
 * The SIMD kernel and the memory it shares with us. The coefficients are copied in once per matte and the
 * taps once per crop (both keyed by identity: a fit's coefficients never change, and axisTaps caches its
 * arrays). A row's near pixels are copied in, packed, and the results out, a word per pixel and plane:
 * typed-array copies of each segment cost more in fixed overhead than the work (segments average under
 * 20 pixels), and a copy of the span from the first segment to the last moved the whole row.
 */
export class WasmBand implements BandKernel {
  readonly name = 'WebAssembly SIMD';
  private readonly memory = new SharedMemory();
  private readonly bandRow: BandRowExport;
  private uploaded: { coef: Float32Array; tx: AxisTaps; width: number; at: BandLayout } | null = null;

  constructor(module: WebAssembly.Module) {
    this.bandRow = instantiate(module, this.memory).bandRow as BandRowExport;
  }

  row(row: BandRow, y: number, edges: Int32Array, count: number, x0: number): Uint8Array {
    const { frameWords: frame, foregroundWords: fg, width } = row;
    if (!frame || !fg) return jsBand.row(row, y, edges, count, x0);
    const at = this.prepare(row);
    const { i32, f32, u8 } = this.memory;
    const alpha = row.alpha;
    const start = y * width;
    const fw = at.frame >> 2;
    const aw = at.alpha >> 2;
    const gw = at.fg >> 2;
    const ew = at.edges >> 2;
    let s = 0;
    for (let e = 0; e < count; e++) i32[ew + e] = edges[e];
    for (let e = 1; e < count; e += 2) {
      for (let i = start + edges[e - 1], last = start + edges[e]; i < last; i++, s++) {
        i32[fw + s] = frame[i];
        f32[aw + s] = alpha[i];
        i32[gw + s] = fg[i];
      }
    }
    if (s === 0) return u8;
    this.bandRow(at.edges, count, x0, at.frame, at.alpha, at.fg, at.kinds, at.i0, at.i1, at.wx, at.coef, row.r0, row.r1, row.wy, row.weight, row.limit);
    s = 0;
    for (let e = 1; e < count; e += 2) {
      for (let i = start + edges[e - 1], last = start + edges[e]; i < last; i++, s++) {
        alpha[i] = f32[aw + s];
        fg[i] = i32[gw + s];
      }
    }
    return u8.subarray(at.kinds);
  }

  /** Lays out the shared memory for this matte and crop, and copies their coefficients and taps in, once. */
  private prepare({ coef, tx, width }: BandRow): BandLayout {
    const up = this.uploaded;
    if (up && up.coef === coef && up.tx === tx && up.width === width) return up.at;
    const taps = 4 * tx.i0.length;
    const at = this.memory.layout([
      // The kernel reads a tap's F - I as 4 lanes, one float past the last coefficient: layout's spare bytes.
      ['coef', 4 * coef.length],
      ['i0', taps],
      ['i1', taps],
      ['wx', taps],
      ['edges', 4 * (width + 1)],
      ['frame', 4 * width],
      ['alpha', 4 * width],
      ['fg', 4 * width],
      ['kinds', width],
    ]);
    const { i32, f32 } = this.memory;
    f32.set(coef, at.coef >> 2);
    i32.set(tx.i0, at.i0 >> 2);
    i32.set(tx.i1, at.i1 >> 2);
    f32.set(tx.w, at.wx >> 2);
    this.uploaded = { coef, tx, width, at };
    return at;
  }
}

type BandLayout = Record<'coef' | 'i0' | 'i1' | 'wx' | 'edges' | 'frame' | 'alpha' | 'fg' | 'kinds', number>;

/** The compiled SIMD module, or null where this runtime has no WebAssembly SIMD. */
export function simdModule(): WebAssembly.Module | null {
  return simdModuleOf(WASM_BASE64);
}

let shared: BandKernel | null = null;

/** The faster kernel this runtime has: the SIMD one (bench/pixels.ts), else the TypeScript reference. */
export function bandKernel(): BandKernel {
  if (!shared) {
    const module = simdModule();
    shared = module ? new WasmBand(module) : jsBand;
  }
  return shared;
}
