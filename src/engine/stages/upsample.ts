import { floatImage, rgbaImage, type FloatImage, type FramePlanes, type Matte, type RgbaImage, type Runs } from '../../frame';
import { assertDimensions, assertLength, assertSameSize } from '../pixels/errors';
import { applyGuided, fitGuided, REPLACE, type GuidedFit, type GuidedOptions, type MergeOptions } from '../pixels/guided';
import { axisTaps } from '../pixels/resize';
import { KNOWN_EPS, RUN_BACKGROUND, RUN_MIXED, RUN_PERSON, RunsBuilder, uniformRuns } from '../pixels/runs';
import { bandOf, type Trimap } from '../pixels/trimap';
import type { Geometry } from './plan';

/**
 * The upsample stage: brings a mask or a matte from the model's resolution to the frame's. The segmentation-only path is a
 * plain bilinear resize of the soft mask; a matte is upsampled guided by the full-resolution frame.
 */

/**
 * The soft person probability, bilinearly resized to width x height, with its runs. A pixel whose four
 * low-resolution taps are all known (within KNOWN_EPS of 0 or 1) is known whatever its weights, so runs
 * are decided per low-resolution cell and only mixed runs are interpolated: the cost follows the length
 * of the person's outline, not the frame's area. Rows reading the same two low-resolution rows share runs.
 */
export function upsampleMask(prob: FloatImage, width: number, height: number, out?: FloatImage): Matte & { runs: Runs } {
  assertDimensions(width, height, 'upsampled mask');
  assertDimensions(prob.width, prob.height, 'probability');
  assertLength(prob.data, prob.width * prob.height, 'probability');
  const alpha = out ?? floatImage(width, height);
  assertSameSize(alpha, { width, height }, 'upsampled mask output differs in size');
  const lw = prob.width;
  const p = prob.data;
  const tx = axisTaps(lw, width);
  const ty = axisTaps(prob.height, height);
  // Output columns come in spans that read the same two low-res columns: the runs are decided per span.
  const spanEnd: number[] = [];
  const spanCol: number[] = [];
  for (let x = 0; x < width; x++) {
    if (x + 1 === width || tx.i0[x + 1] !== tx.i0[x] || tx.i1[x + 1] !== tx.i1[x]) {
      spanEnd.push(x + 1);
      spanCol.push(x);
    }
  }
  const lo = new Float32Array(lw);
  const hi = new Float32Array(lw);
  const builder = new RunsBuilder(width, height);
  const a = alpha.data;
  let kindsOf = -1;
  for (let y = 0; y < height; y++) {
    const r0 = ty.i0[y] * lw;
    const r1 = ty.i1[y] * lw;
    if (kindsOf >= 0 && ty.i0[y] === ty.i0[kindsOf] && ty.i1[y] === ty.i1[kindsOf]) {
      builder.shareRow(y, kindsOf);
      continue;
    }
    for (let j = 0; j < lw; j++) {
      const u = p[r0 + j];
      const v = p[r1 + j];
      lo[j] = u < v ? u : v;
      hi[j] = u < v ? v : u;
    }
    for (let s = 0; s < spanEnd.length; s++) {
      const j0 = tx.i0[spanCol[s]];
      const j1 = tx.i1[spanCol[s]];
      const l = lo[j0] < lo[j1] ? lo[j0] : lo[j1];
      const h = hi[j0] < hi[j1] ? hi[j1] : hi[j0];
      builder.push(spanEnd[s], h < KNOWN_EPS ? RUN_BACKGROUND : l > 1 - KNOWN_EPS ? RUN_PERSON : RUN_MIXED);
    }
    builder.endRow(y);
    kindsOf = y;
  }
  const runs = builder.build();
  for (let y = 0; y < height; y++) {
    const r0 = ty.i0[y] * lw;
    const r1 = ty.i1[y] * lw;
    const wy = ty.w[y];
    const row = y * width;
    let start = 0;
    for (let k = runs.first[y], last = k + runs.count[y]; k < last; k++) {
      const end = runs.ends[k];
      const kind = runs.kinds[k];
      if (kind === RUN_MIXED) {
        for (let x = start; x < end; x++) {
          const j0 = tx.i0[x];
          const j1 = tx.i1[x];
          const wx = tx.w[x];
          const top = p[r0 + j0] + (p[r0 + j1] - p[r0 + j0]) * wx;
          const bottom = p[r1 + j0] + (p[r1 + j1] - p[r1 + j0]) * wx;
          a[row + x] = top + (bottom - top) * wy;
        }
      } else {
        a.fill(kind === RUN_PERSON ? 1 : 0, row + start, row + end);
      }
      start = end;
    }
  }
  return { alpha, foreground: null, runs };
}

/** What the matting stage produced, with the image and trimap it was computed from (all the same size). */
export interface LowResMatting {
  image: RgbaImage;
  trimap: Trimap;
  alpha: FloatImage;
  foreground: RgbaImage;
}

/**
 * Fitted at the matting resolution. Measured on alphamatting.com images (ground-truth alpha taken down
 * 4x and back, SAD in the unknown band): radius 1 beats 2 and 3 at every eps, and eps 1e-5 beats 1e-4
 * by 5-20%. 1e-4 is kept because a webcam's sensor noise has about that variance, and a smaller eps
 * would let alpha follow the noise.
 */
export const DEFAULT_GUIDED_UPSAMPLE: GuidedOptions = { radius: 1, eps: 1e-4 };

/**
 * Full-resolution alpha and foreground for `frame` from a low-resolution matte of the whole frame:
 * edge-aware inside the unknown band, exact outside it (alpha 0 or 1, F = the frame).
 */
export function upsampleMatte(frame: RgbaImage, low: LowResMatting, opts: GuidedOptions = DEFAULT_GUIDED_UPSAMPLE): Matte {
  assertSameSize(low.image, low.trimap, 'matting image and trimap differ in size');
  const { width, height } = frame;
  const fit = fitGuided({ guide: low.image, alpha: low.alpha, foreground: low.foreground, band: bandOf(low.trimap) }, opts);
  const base = { alpha: floatImage(width, height), foreground: rgbaImage(width, height, frame.data.slice()), runs: uniformRuns(width, height, RUN_BACKGROUND) };
  const runs = applyGuided(fit, frame, { x0: 0, y0: 0, x1: width, y1: height }, base, REPLACE);
  return { alpha: base.alpha, foreground: base.foreground, runs };
}

/** An older matte is overruled where it and the current segmentation differ by more than this: the person moved. */
const OVERRULE = 0.5;
/**
 * Weight of the matte against the segmentation in the band: the mean. On real video with ground truth
 * the mean beat either alone on every measure (`bench/temporal.ts --matte-weights 1,0.5`, bench/README.md):
 * the light network places edges sharply but not always in the right place, the segmentation softly but
 * steadily, and their errors partly cancel.
 */
export const MATTE_WEIGHT = 0.5;

export function mergeOptions(matteWeight = MATTE_WEIGHT): MergeOptions {
  return { overrule: OVERRULE, weight: matteWeight };
}

/** The latest matte, its upsampler already fitted (on the matting side), and where in which frame it lies. */
export interface FittedMatte {
  fit: GuidedFit;
  geometry: Geometry;
  frameWidth: number;
  frameHeight: number;
}

/**
 * The frame's full-resolution matte with matting on: the mask upsampled, and the latest matte applied
 * over it guided by *this* frame, so edges follow the current image between mattes. The result lives on
 * `planes` (the caller's, reused from frame to frame) until their next use.
 */
export function upsampleWithMatte(frame: RgbaImage, prob: FloatImage, latest: FittedMatte | null, planes: FramePlanes, merge: MergeOptions): Matte {
  const seg = upsampleMask(prob, frame.width, frame.height, planes.alphaFor(frame.width, frame.height));
  // A matte of a frame of another size (the camera changed resolution) does not fit this one.
  if (!latest || latest.frameWidth !== frame.width || latest.frameHeight !== frame.height) return seg;
  // F is the frame wherever the matte's band does not reach; one copy, then the band is written over it.
  const foreground = planes.rgbaFor(frame.width, frame.height);
  foreground.data.set(frame.data);
  const runs = applyGuided(latest.fit, frame, latest.geometry, { alpha: seg.alpha, foreground, runs: seg.runs }, merge);
  return { alpha: seg.alpha, foreground, runs };
}
