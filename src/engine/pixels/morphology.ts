import { squaredDistanceTransform } from './distance';
import { assertDimensions, assertLength, assertRadius } from './errors';

/**
 * Binary erosion and dilation by an exact Euclidean disc (every pixel within `radius`, d^2 <= r^2), at a
 * cost independent of the radius: one distance transform, then a threshold. Masks hold 0 or 1 (any
 * non-zero counts as set); results hold 0 or 1.
 */

let distances = new Float32Array(0);
let inverted = new Uint8Array(0);

function workspace(n: number): void {
  if (distances.length < n) {
    distances = new Float32Array(n);
    inverted = new Uint8Array(n);
  }
}

function prepare(mask: Uint8Array, width: number, height: number, radius: number, out: Uint8Array | undefined): Uint8Array {
  assertDimensions(width, height, 'morphology mask');
  assertLength(mask, width * height, 'morphology mask');
  assertRadius(radius, 'morphology radius');
  const dst = out ?? new Uint8Array(width * height);
  assertLength(dst, width * height, 'morphology output');
  workspace(width * height);
  return dst;
}

/** Sets every pixel within `radius` of a set pixel. */
export function dilate(mask: Uint8Array, width: number, height: number, radius: number, out?: Uint8Array): Uint8Array {
  const dst = prepare(mask, width, height, radius, out);
  const n = width * height;
  const d = distances.subarray(0, n);
  squaredDistanceTransform(mask, width, height, d);
  const r2 = radius * radius;
  for (let i = 0; i < n; i++) dst[i] = d[i] <= r2 ? 1 : 0;
  return dst;
}

/**
 * Keeps the pixels whose whole disc of `radius` is set. Outside the image counts as set, so a region cut
 * by the frame edge (a person's shoulders at the bottom) is not eaten away from that edge.
 */
export function erode(mask: Uint8Array, width: number, height: number, radius: number, out?: Uint8Array): Uint8Array {
  const dst = prepare(mask, width, height, radius, out);
  const n = width * height;
  const inv = inverted.subarray(0, n);
  for (let i = 0; i < n; i++) inv[i] = mask[i] === 0 ? 1 : 0;
  const d = distances.subarray(0, n);
  squaredDistanceTransform(inv, width, height, d);
  const r2 = radius * radius;
  for (let i = 0; i < n; i++) dst[i] = d[i] > r2 ? 1 : 0;
  return dst;
}
