import type { FloatImage, RgbaImage } from '../../src/frame';
import { assertComparable, MetricError } from './metrics';

/**
 * Temporal errors of a predicted alpha sequence against ground truth, one frame pair at a time, and the
 * flicker of a prediction on real video where no ground truth exists.
 */

/**
 * dtSSD of one pair of consecutive frames as RVM's evaluation computes it (MetricDTSSD):
 * sqrt(sum(((p_t - p_t-1) - (g_t - g_t-1))^2) / N) * 100. It punishes alpha that changes when the truth
 * does not (flicker) and alpha that lags when the truth moves.
 */
export function dtSSD(predPrev: FloatImage, pred: FloatImage, truthPrev: FloatImage, truth: FloatImage): number {
  assertComparable(pred, truth, undefined, 'dtSSD');
  assertComparable(predPrev, truthPrev, undefined, 'dtSSD (previous frame)');
  assertComparable(pred, predPrev, undefined, 'dtSSD (frame to frame)');
  const n = truth.data.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const d = pred.data[i] - predPrev.data[i] - (truth.data[i] - truthPrev.data[i]);
    sum += d * d;
  }
  return Math.sqrt(sum / n) * 100;
}

/** Per-pixel integer displacement from one frame to the next: pixel p of frame t-1 is at p + (dx, dy) in t. */
export interface MotionField {
  width: number;
  height: number;
  dx: Int16Array;
  dy: Int16Array;
}

export function motionField(width: number, height: number): MotionField {
  return { width, height, dx: new Int16Array(width * height), dy: new Int16Array(width * height) };
}

/**
 * MESSDdt (Erofeev et al. 2015, "Perceptually motivated benchmark for video matting"), in the form video
 * matting evaluations compute it: the squared error of frame t-1 against the squared error of frame t at
 * the same point of the scene, followed along the ground truth's motion:
 * sum_p |E_t-1(p)^2 - E_t(p + v(p))^2| / N, E = pred - truth, positions clamped to the frame; reported
 * times 1000. An error that stays put on a moving edge costs nothing; one that comes and goes does.
 */
export function messdt(predPrev: FloatImage, pred: FloatImage, truthPrev: FloatImage, truth: FloatImage, motion: MotionField): number {
  assertComparable(pred, truth, undefined, 'MESSDdt');
  assertComparable(predPrev, truthPrev, undefined, 'MESSDdt (previous frame)');
  assertComparable(pred, predPrev, undefined, 'MESSDdt (frame to frame)');
  const { width, height } = truth;
  if (motion.width !== width || motion.height !== height) {
    throw new MetricError(`MESSDdt: motion field is ${motion.width}x${motion.height}, frames ${width}x${height}`);
  }
  let sum = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const e0 = predPrev.data[i] - truthPrev.data[i];
      const x1 = Math.min(width - 1, Math.max(0, x + motion.dx[i]));
      const y1 = Math.min(height - 1, Math.max(0, y + motion.dy[i]));
      const j = y1 * width + x1;
      const e1 = pred.data[j] - truth.data[j];
      sum += Math.abs(e0 * e0 - e1 * e1);
    }
  }
  return (sum / (width * height)) * 1000;
}

/**
 * Motion of a ground-truth alpha by block matching: each block x block tile of `prev` that holds an edge
 * (its alpha not all 0 or all 1) takes the integer shift within +-radius that best matches `next` (least
 * sum of absolute differences, ties to the smallest shift); flat tiles cannot show motion and keep zero.
 * A stand-in for the optical flow the published scorers run on the truth, exact for the translations our
 * synthetic sequences make.
 */
export function blockMotion(prev: FloatImage, next: FloatImage, block = 8, radius = 8): MotionField {
  assertComparable(prev, next, undefined, 'block motion');
  if (!Number.isInteger(block) || block < 1 || !Number.isInteger(radius) || radius < 0) {
    throw new MetricError(`block motion needs an integer block >= 1 and radius >= 0, got ${block} and ${radius}`);
  }
  const { width, height } = prev;
  const a = prev.data;
  const b = next.data;
  const field = motionField(width, height);
  const shifts: [number, number][] = [];
  for (let dy = -radius; dy <= radius; dy++) for (let dx = -radius; dx <= radius; dx++) shifts.push([dx, dy]);
  shifts.sort((s, t) => Math.hypot(s[0], s[1]) - Math.hypot(t[0], t[1]));
  for (let by = 0; by < height; by += block) {
    for (let bx = 0; bx < width; bx += block) {
      const x1 = Math.min(width, bx + block);
      const y1 = Math.min(height, by + block);
      let flat = true;
      const first = a[by * width + bx];
      for (let y = by; y < y1 && flat; y++) for (let x = bx; x < x1; x++) if (a[y * width + x] !== first || (first > 0 && first < 1)) { flat = false; break; }
      if (flat) continue;
      let best = Infinity;
      let bestShift: [number, number] = [0, 0];
      for (const [dx, dy] of shifts) {
        if (bx + dx < 0 || by + dy < 0 || x1 + dx > width || y1 + dy > height) continue;
        let cost = 0;
        for (let y = by; y < y1 && cost < best; y++) {
          const r0 = y * width;
          const r1 = (y + dy) * width + dx;
          for (let x = bx; x < x1; x++) cost += Math.abs(a[r0 + x] - b[r1 + x]);
        }
        if (cost < best) {
          best = cost;
          bestShift = [dx, dy];
        }
      }
      for (let y = by; y < y1; y++) {
        for (let x = bx; x < x1; x++) {
          field.dx[y * width + x] = bestShift[0];
          field.dy[y * width + x] = bestShift[1];
        }
      }
    }
  }
  return field;
}

/** Rec. 601 luma of each pixel, 0..255. */
function luma(image: RgbaImage): Float32Array {
  const out = new Float32Array(image.width * image.height);
  const d = image.data;
  for (let i = 0, p = 0; i < out.length; i++, p += 4) out[i] = 0.299 * d[p] + 0.587 * d[p + 1] + 0.114 * d[p + 2];
  return out;
}

/** Mean over the (2r+1)^2 window clipped to the image, by summed-area table. */
function boxMean(plane: Float32Array, width: number, height: number, r: number): Float32Array {
  const sat = new Float64Array((width + 1) * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += plane[y * width + x];
      sat[(y + 1) * (width + 1) + x + 1] = sat[y * (width + 1) + x + 1] + row;
    }
  }
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - r);
    const y1 = Math.min(height, y + r + 1);
    for (let x = 0; x < width; x++) {
      const x0 = Math.max(0, x - r);
      const x1 = Math.min(width, x + r + 1);
      const s = sat[y1 * (width + 1) + x1] - sat[y0 * (width + 1) + x1] - sat[y1 * (width + 1) + x0] + sat[y0 * (width + 1) + x0];
      out[y * width + x] = s / ((x1 - x0) * (y1 - y0));
    }
  }
  return out;
}

/**
 * Pixels where the picture barely changed between two frames: the change of local mean luma (a
 * (2r+1)^2 box, which averages away sensor and codec noise) is at most `threshold` levels of 255.
 */
export function stillMask(prev: RgbaImage, next: RgbaImage, threshold = 1.5, radius = 2): Uint8Array {
  if (prev.width !== next.width || prev.height !== next.height) {
    throw new MetricError(`still mask: frames are ${prev.width}x${prev.height} and ${next.width}x${next.height}`);
  }
  const { width, height } = next;
  const a = boxMean(luma(prev), width, height, radius);
  const b = boxMean(luma(next), width, height, radius);
  const out = new Uint8Array(width * height);
  for (let i = 0; i < out.length; i++) out[i] = Math.abs(a[i] - b[i]) <= threshold ? 1 : 0;
  return out;
}

/** Sum and count of |alpha_t - alpha_t-1| over the still pixels; flicker is sum / count over a clip. */
export function flickerSum(prevAlpha: FloatImage, alpha: FloatImage, still: Uint8Array): { sum: number; count: number; edgeSum: number; edgeCount: number } {
  assertComparable(alpha, prevAlpha, still, 'flicker');
  let sum = 0;
  let count = 0;
  let edgeSum = 0;
  let edgeCount = 0;
  for (let i = 0; i < still.length; i++) {
    if (!still[i]) continue;
    const a = alpha.data[i];
    const b = prevAlpha.data[i];
    const d = Math.abs(a - b);
    sum += d;
    count++;
    // The outline: not solid background in both frames, nor solid person in both. Flicker there is what
    // a viewer sees crawl along hair and shoulders; the interior's share would dilute it.
    if ((a > EDGE_LOW || b > EDGE_LOW) && (a < EDGE_HIGH || b < EDGE_HIGH)) {
      edgeSum += d;
      edgeCount++;
    }
  }
  return { sum, count, edgeSum, edgeCount };
}

const EDGE_LOW = 0.02;
const EDGE_HIGH = 0.98;
