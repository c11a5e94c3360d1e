import type { FloatImage, RgbaImage } from '../../frame';
import { assertLength } from '../pixels/errors';
import { changeNear, sampleColour } from '../pixels/colour-change';

/**
 * The smooth stage: temporal smoothing of the segmentation probability. A fixed moving average trades
 * flicker for lag, so the weight of the new frame grows with how much the *picture* changed near that
 * pixel: where nothing moved, a segmenter that wavers over a still background is held steady; where
 * anything moved, the mask follows at once and does not ghost. Judging by the probability's own jumps
 * instead would pass the segmenter's wavering straight through.
 */
export interface TemporalOptions {
  /** Weight of the new probability where the picture stood still. */
  minWeight: number;
  /** A colour change of this much (0-255, any channel, near the pixel) takes the new probability as it is. */
  colourChange: number;
}

export const DEFAULT_TEMPORAL: TemporalOptions = { minWeight: 0.15, colourChange: 12 };

/** out = prev + w * (next - prev), w = clamp(imageChange / colourChange, minWeight, 1), per pixel. */
export function smoothProbability(
  prev: Float32Array,
  next: Float32Array,
  imageChange: Float32Array,
  out: Float32Array,
  opts: TemporalOptions = DEFAULT_TEMPORAL,
): void {
  assertLength(prev, next.length, 'previous probability');
  assertLength(imageChange, next.length, 'image change');
  assertLength(out, next.length, 'smoothed probability');
  const k = 1 / opts.colourChange;
  for (let i = 0; i < next.length; i++) {
    let w = imageChange[i] * k;
    if (w < opts.minWeight) w = opts.minWeight;
    else if (w > 1) w = 1;
    out[i] = prev[i] + w * (next[i] - prev[i]);
  }
}

/**
 * The stage's memory: the smoothed probability and the picture's colour at the mask's resolution, with
 * the buffers the next frame writes into (the stage runs every frame; it allocates nothing after the first).
 */
export interface SmoothState {
  prob: Float32Array;
  colour: Float32Array;
  nextColour: Float32Array;
  change: Float32Array;
}

/**
 * One step of the stage. Its memory is passed in and handed back (the refiner that owns it keeps it for
 * the next frame); a mask of another size starts the memory anew.
 */
export function smooth(previous: SmoothState | null, frame: RgbaImage, prob: FloatImage, opts: TemporalOptions = DEFAULT_TEMPORAL): SmoothState {
  const n = prob.data.length;
  if (!previous || previous.prob.length !== n) {
    const colour = new Float32Array(3 * n);
    sampleColour(frame, prob.width, prob.height, colour);
    return { prob: prob.data.slice(), colour, nextColour: new Float32Array(3 * n), change: new Float32Array(n) };
  }
  const colour = previous.nextColour;
  sampleColour(frame, prob.width, prob.height, colour);
  changeNear(previous.colour, colour, prob.width, prob.height, previous.change);
  smoothProbability(previous.prob, prob.data, previous.change, previous.prob, opts);
  return { prob: previous.prob, colour, nextColour: previous.colour, change: previous.change };
}
