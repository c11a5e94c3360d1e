import { boxBlurPlane } from '../pixels/blur';
import { assertLength } from '../pixels/errors';

/**
 * Temporal smoothing of successive mattes of one region: where the image barely changed since the
 * previous matte, the new alpha is blended with the previous one (the network's answer wobbles with
 * sensor noise even on a still subject); where the image changed, the new alpha stands. The change is
 * the mean absolute RGB difference over a 3x3 window, in 0-255 levels.
 */
export interface MatteSmoothing {
  /** Weight of the new alpha where the image stood still. */
  minWeight: number;
  /** Change (levels) up to which a pixel counts as still: webcam noise. */
  stillLevels: number;
  /** Change (levels) from which the new alpha is taken as it is. */
  movingLevels: number;
}

export const DEFAULT_MATTE_SMOOTHING: MatteSmoothing = { minWeight: 0.6, stillLevels: 2, movingLevels: 8 };

/** In place on `alpha`, in the band only (known pixels are exact): alpha = prev + w (alpha - prev). */
export function smoothMatte(
  prevImage: Uint8Array,
  prevAlpha: Float32Array,
  image: Uint8Array,
  alpha: Float32Array,
  band: Uint8Array,
  width: number,
  height: number,
  opts: MatteSmoothing = DEFAULT_MATTE_SMOOTHING,
): void {
  const n = width * height;
  assertLength(prevImage, n * 4, 'previous matting image');
  assertLength(image, n * 4, 'matting image');
  assertLength(prevAlpha, n, 'previous alpha');
  assertLength(alpha, n, 'alpha');
  assertLength(band, n, 'band');
  const change = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const p = 4 * i;
    const dr = image[p] - prevImage[p];
    const dg = image[p + 1] - prevImage[p + 1];
    const db = image[p + 2] - prevImage[p + 2];
    change[i] = ((dr < 0 ? -dr : dr) + (dg < 0 ? -dg : dg) + (db < 0 ? -db : db)) / 3;
  }
  boxBlurPlane(change, width, height, 1);
  const span = opts.movingLevels - opts.stillLevels;
  for (let i = 0; i < n; i++) {
    if (!band[i]) continue;
    let w = opts.minWeight + ((1 - opts.minWeight) * (change[i] - opts.stillLevels)) / span;
    if (w < opts.minWeight) w = opts.minWeight;
    else if (w > 1) w = 1;
    alpha[i] = prevAlpha[i] + w * (alpha[i] - prevAlpha[i]);
  }
}
