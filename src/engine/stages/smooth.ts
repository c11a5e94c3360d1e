import type { FloatImage } from '../../frame';
import { assertLength } from '../pixels/errors';

/**
 * The smooth stage: temporal smoothing of the segmentation probability. A fixed moving average trades flicker for lag, so
 * the weight of the new frame grows with how much that pixel changed: where the person is still, small
 * frame-to-frame wobble is averaged away; where they move, the mask follows at once and does not ghost.
 */
export interface TemporalOptions {
  /** Weight of the new probability where nothing moved. */
  minWeight: number;
  /** A change of this much (or more) in one frame takes the new probability as it is. */
  motionChange: number;
}

export const DEFAULT_TEMPORAL: TemporalOptions = { minWeight: 0.3, motionChange: 0.35 };

/** out = prev + w * (next - prev), w = clamp(|next - prev| / motionChange, minWeight, 1), per pixel. */
export function smoothProbability(prev: Float32Array, next: Float32Array, out: Float32Array, opts: TemporalOptions = DEFAULT_TEMPORAL): void {
  assertLength(prev, next.length, 'previous probability');
  assertLength(out, next.length, 'smoothed probability');
  const k = 1 / opts.motionChange;
  for (let i = 0; i < next.length; i++) {
    const d = next[i] - prev[i];
    let w = (d < 0 ? -d : d) * k;
    if (w < opts.minWeight) w = opts.minWeight;
    else if (w > 1) w = 1;
    out[i] = prev[i] + w * d;
  }
}

/**
 * One step of the stage. Its memory is the previous smoothed probability, passed in and handed back (the
 * refiner that owns it keeps it for the next frame); a mask of another size starts the memory anew.
 */
export function smooth(previous: Float32Array | null, prob: FloatImage, opts: TemporalOptions = DEFAULT_TEMPORAL): FloatImage {
  if (!previous || previous.length !== prob.data.length) return { width: prob.width, height: prob.height, data: prob.data.slice() };
  smoothProbability(previous, prob.data, previous, opts);
  return { width: prob.width, height: prob.height, data: previous };
}
