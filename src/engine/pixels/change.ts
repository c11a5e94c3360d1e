import { assertDimensions, assertLength } from './errors';

/**
 * Did the picture change since the last frame that was processed? Judged on two planar RGB images in
 * [0, 1] of the same small size (the segmenter's input, which a frame is resized to anyway), in the
 * person's region first: a pixel counts as changed when a channel moved by more than `pixelChange`,
 * which a webcam's sensor noise, averaged down to that size, stays well under. Any change of the person
 * beyond a few pixels means the frame is processed, so a person who starts moving is never held back;
 * the rest of the picture may change a little more (a flicker of light, compression noise) before it counts.
 */

export interface ChangeOptions {
  /** A channel change (0-1) above this marks a pixel changed. */
  pixelChange: number;
  /** The person's region: probability at or above this, grown by `margin` pixels. */
  personLevel: number;
  margin: number;
  /** Changed pixels the person's region may hold and still count as unchanged. */
  personPixels: number;
  /** Share of the other pixels that may change and still count as unchanged. */
  sceneShare: number;
}

/**
 * At the landscape model's 256x144, one pixel is 7.5 frame pixels of 1080p: a moving hand or a blink
 * changes tens of them by far more than 0.06 (15 of 255), while noise after the downscale stays within
 * about 0.02. The margin (2 pixels) keeps the outline's own neighbourhood inside the person's region.
 */
export const DEFAULT_CHANGE: ChangeOptions = { pixelChange: 0.06, personLevel: 0.3, margin: 2, personPixels: 3, sceneShare: 0.003 };

export interface Change {
  /** Changed pixels in the person's region, counted up to one past what it may hold. */
  person: number;
  /** Changed pixels elsewhere; not counted (0) when the person already changed. */
  scene: number;
  /** Nothing that matters changed: the last result may be reused. */
  unchanged: boolean;
}

/** The person's region: mask >= level, grown by `margin` pixels (a square window), as 0/1 per pixel. */
export function personRegion(mask: Float32Array, width: number, height: number, level: number, margin: number, out = new Uint8Array(width * height)): Uint8Array {
  assertDimensions(width, height, 'person region');
  assertLength(mask, width * height, 'person mask');
  assertLength(out, width * height, 'person region');
  const rows = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    // Distance to the last person pixel seen, left to right then right to left.
    let since = margin + 1;
    for (let x = 0; x < width; x++) {
      since = mask[row + x] >= level ? 0 : since + 1;
      rows[row + x] = since <= margin ? 1 : 0;
    }
    since = margin + 1;
    for (let x = width - 1; x >= 0; x--) {
      since = mask[row + x] >= level ? 0 : since + 1;
      if (since <= margin) rows[row + x] = 1;
    }
  }
  for (let x = 0; x < width; x++) {
    let since = margin + 1;
    for (let y = 0; y < height; y++) {
      since = rows[y * width + x] ? 0 : since + 1;
      out[y * width + x] = since <= margin ? 1 : 0;
    }
    since = margin + 1;
    for (let y = height - 1; y >= 0; y--) {
      since = rows[y * width + x] ? 0 : since + 1;
      if (since <= margin) out[y * width + x] = 1;
    }
  }
  return out;
}

/**
 * How `next` differs from `prev` (3 planes of width x height each), the person's region (`region`, 0/1
 * per pixel, from personRegion) judged first. Pure.
 */
export function frameChange(prev: Float32Array, next: Float32Array, region: Uint8Array, width: number, height: number, opts: ChangeOptions = DEFAULT_CHANGE): Change {
  const n = width * height;
  assertDimensions(width, height, 'change');
  assertLength(prev, 3 * n, 'previous frame');
  assertLength(next, 3 * n, 'next frame');
  assertLength(region, n, 'person region');
  const t = opts.pixelChange;
  const changed = (i: number): boolean => {
    const r = next[i] - prev[i];
    const g = next[n + i] - prev[n + i];
    const b = next[2 * n + i] - prev[2 * n + i];
    return r > t || r < -t || g > t || g < -t || b > t || b < -t;
  };
  let person = 0;
  for (let i = 0; i < n; i++) {
    if (region[i] && changed(i) && ++person > opts.personPixels) return { person, scene: 0, unchanged: false };
  }
  const allowed = opts.sceneShare * n;
  let scene = 0;
  for (let i = 0; i < n; i++) {
    if (!region[i] && changed(i) && ++scene > allowed) return { person, scene, unchanged: false };
  }
  return { person, scene, unchanged: true };
}
