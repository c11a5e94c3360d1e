import { MetricError } from './metrics';

/**
 * Push-pull interpolation (Gortler et al. 1996): fills the pixels of float planes that carry no weight
 * from the weighted pixels around them, however large the hole. Weights are pooled 2x2 up a pyramid
 * (capped at 1) until every cell is covered, then each level blends its own value with the coarser
 * level's by its weight on the way down. A weight-1 pixel keeps its value; a hole gets a smooth blend
 * of its surroundings (the keyer's clean plate under the person, the foreground colour across an edge).
 */

export interface WeightedPlanes {
  width: number;
  height: number;
  weight: Float32Array;
  planes: Float32Array[];
}

function check(planes: readonly Float32Array[], weights: Float32Array, width: number, height: number): void {
  const n = width * height;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new MetricError(`push-pull needs positive integer dimensions, got ${width}x${height}`);
  }
  if (weights.length !== n) throw new MetricError(`push-pull weights hold ${weights.length} values, ${width}x${height} needs ${n}`);
  for (const p of planes) if (p.length !== n) throw new MetricError(`push-pull plane holds ${p.length} values, needs ${n}`);
}

/**
 * One push step, or several: weighted means over factor x factor cells (the last row and column take
 * what is left), weights summed and capped at 1.
 */
export function poolWeighted(planes: readonly Float32Array[], weights: Float32Array, width: number, height: number, factor: number): WeightedPlanes {
  check(planes, weights, width, height);
  if (!Number.isInteger(factor) || factor < 1) throw new MetricError(`pooling factor must be an integer >= 1, got ${factor}`);
  const w = Math.ceil(width / factor);
  const h = Math.ceil(height / factor);
  const weight = new Float64Array(w * h);
  const sums = planes.map(() => new Float64Array(w * h));
  for (let y = 0; y < height; y++) {
    const row = Math.floor(y / factor) * w;
    for (let x = 0; x < width; x++) {
      const wi = weights[y * width + x];
      if (wi === 0) continue;
      const o = row + Math.floor(x / factor);
      weight[o] += wi;
      for (let c = 0; c < planes.length; c++) sums[c][o] += wi * planes[c][y * width + x];
    }
  }
  const outPlanes = sums.map((s) => {
    const p = new Float32Array(w * h);
    for (let i = 0; i < p.length; i++) if (weight[i] > 0) p[i] = s[i] / weight[i];
    return p;
  });
  const capped = new Float32Array(w * h);
  for (let i = 0; i < capped.length; i++) capped[i] = Math.min(1, weight[i]);
  return { width: w, height: h, weight: capped, planes: outPlanes };
}

export function pushPullFill(planes: readonly Float32Array[], weights: Float32Array, width: number, height: number): Float32Array[] {
  check(planes, weights, width, height);
  let total = 0;
  for (const w of weights) {
    if (!(w >= 0)) throw new MetricError(`push-pull weights must be >= 0, found ${w}`);
    total += w;
  }
  if (total === 0) throw new MetricError('push-pull has nothing to fill from: every weight is zero');

  const capped = new Float32Array(weights.length);
  for (let i = 0; i < capped.length; i++) capped[i] = Math.min(1, weights[i]);
  const levels: WeightedPlanes[] = [{ width, height, weight: capped, planes: planes.map((p) => p.slice()) }];
  for (;;) {
    const fine = levels[levels.length - 1];
    if (!fine.weight.includes(0) || (fine.width === 1 && fine.height === 1)) break;
    levels.push(poolWeighted(fine.planes, fine.weight, fine.width, fine.height, 2));
  }
  for (let l = levels.length - 2; l >= 0; l--) {
    const fine = levels[l];
    const coarse = levels[l + 1];
    const fw = fine.width;
    for (let c = 0; c < planes.length; c++) {
      const fp = fine.planes[c];
      const cp = coarse.planes[c];
      for (let y = 0; y < fine.height; y++) {
        const crow = (y >> 1) * coarse.width;
        for (let x = 0; x < fw; x++) {
          const i = y * fw + x;
          const wi = fine.weight[i];
          if (wi < 1) fp[i] = wi * fp[i] + (1 - wi) * cp[crow + (x >> 1)];
        }
      }
    }
    fine.weight.fill(1);
  }
  return levels[0].planes;
}
