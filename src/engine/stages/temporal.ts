import type { FloatImage } from '../frame';
import { boundingBox, type Box } from '../pixels/box';
import { assertLength } from '../pixels/errors';

/**
 * Temporal smoothing of the segmentation probability. A fixed moving average trades flicker for lag, so
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
 * How far the mask has moved since `reference`: the share of pixels whose side of 0.5 differs, plus
 * those whose probability moved by more than 0.25. Scale-free, so one threshold serves every model size.
 */
export function maskChange(reference: Float32Array, current: Float32Array): number {
  assertLength(reference, current.length, 'reference probability');
  let changed = 0;
  for (let i = 0; i < current.length; i++) {
    const a = reference[i];
    const b = current[i];
    const d = a - b;
    if (a >= 0.5 !== b >= 0.5 || d > 0.25 || d < -0.25) changed++;
  }
  return current.length === 0 ? 0 : changed / current.length;
}

/** Bounds of the pixels with probability above `threshold`, in the mask's pixels; null if none. */
export function personBox(prob: FloatImage, threshold: number): Box | null {
  const p = prob.data;
  return boundingBox(prob.width, prob.height, (i) => p[i] > threshold);
}
