import { assertDimensions, assertLength } from './errors';

/**
 * Exact squared Euclidean distance transform in linear time (Felzenszwalb & Huttenlocher, "Distance
 * Transforms of Sampled Functions", 2012): a 1-D pass down every column, then the lower envelope of
 * parabolas along every row. Exact, unlike chamfer approximations, because the FBA encoding must match
 * scipy's distance_transform_edt.
 */

let scratchSize = 0;
let rowF = new Float64Array(0);
let rowV = new Int32Array(0);
let rowZ = new Float64Array(0);
let colNext = new Int32Array(0);

function ensureScratch(n: number): void {
  if (n <= scratchSize) return;
  scratchSize = n;
  rowF = new Float64Array(n);
  rowV = new Int32Array(n);
  rowZ = new Float64Array(n + 1);
  colNext = new Int32Array(n);
}

/**
 * d[q] = min over p of (q - p)^2 + f[p], for the n values of f at f[0..n). Infinite f[p] (no seed in that
 * column) are left out of the envelope rather than stood in for by a large number, which would overflow
 * the intersection formula; a row with no finite value stays infinite.
 */
function lowerEnvelope(f: Float64Array, n: number, out: Float32Array, offset: number): void {
  const v = rowV;
  const z = rowZ;
  let k = -1;
  for (let q = 0; q < n; q++) {
    const fq = f[q];
    if (fq === Infinity) continue;
    if (k < 0) {
      k = 0;
      v[0] = q;
      z[0] = -Infinity;
      z[1] = Infinity;
      continue;
    }
    const hq = fq + q * q;
    let p = v[k];
    let s = (hq - (f[p] + p * p)) / (2 * (q - p));
    while (s <= z[k]) {
      k--;
      p = v[k];
      s = (hq - (f[p] + p * p)) / (2 * (q - p));
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Infinity;
  }
  if (k < 0) {
    out.fill(Infinity, offset, offset + n);
    return;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1] < q) k++;
    const p = v[k];
    out[offset + q] = (q - p) * (q - p) + f[p];
  }
}

/**
 * Squared distance from every pixel to the nearest pixel where `seeds` is non-zero (0 on the seeds),
 * Infinity everywhere when there is no seed. Distances are whole numbers, exact in float32 up to 2^24.
 */
export function squaredDistanceTransform(seeds: Uint8Array, width: number, height: number, out?: Float32Array): Float32Array {
  assertDimensions(width, height, 'distance transform input');
  assertLength(seeds, width * height, 'distance transform seeds');
  const d = out ?? new Float32Array(width * height);
  assertLength(d, width * height, 'distance transform output');
  ensureScratch(Math.max(width, height));

  // Columns: with binary seeds the 1-D transform is the squared gap to the nearest seed above or below,
  // found with one scan down (remembering the last seed) and one scan up, row-major friendly.
  const next = colNext;
  for (let x = 0; x < width; x++) next[x] = -1;
  for (let y = height - 1; y >= 0; y--) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (seeds[row + x] !== 0) next[x] = y;
      d[row + x] = next[x] < 0 ? Infinity : (next[x] - y) * (next[x] - y);
    }
  }
  for (let x = 0; x < width; x++) next[x] = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (seeds[row + x] !== 0) next[x] = y;
      if (next[x] >= 0) {
        const g = (y - next[x]) * (y - next[x]);
        if (g < d[row + x]) d[row + x] = g;
      }
    }
  }

  const f = rowF;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) f[x] = d[row + x];
    lowerEnvelope(f, width, d, row);
  }
  return d;
}
