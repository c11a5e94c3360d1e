import { rgbaImage, type FloatImage, type RgbaImage } from '../../frame';
import { blurPremultiplied, boxRadiusForSigma } from '../pixels/blur';
import { assertLength, assertSameSize, PixelError } from '../pixels/errors';
import { expandStretched, stretchPlanes, type StretchedImage } from '../pixels/resize';
import type { BackgroundRenderer } from './renderer';

/**
 * The frame blurred behind the person, built from background pixels only: blur(I * (1 - a)) / blur(1 - a),
 * so the person's colours do not bleed into the blurred background as a halo around them.
 *
 * It runs at reduced resolution: the frame is box-averaged down by a factor that leaves the blur a few
 * low-resolution pixels wide (from a sample of each block's pixels), blurred there, and bilinearly
 * upsampled, which is invisible in a blurry background. The upsample is left to the compositor
 * (`renderStretched`), which reads it only where the person does not cover it.
 */

/** Blur sigma as a fraction of the frame's short side, at strength 0 and 1. */
const SIGMA_LIGHT = 0.01;
const SIGMA_STRONG = 0.06;
/** Least blur sigma in low-resolution pixels: below it, bilinear upsampling would show and box radii step coarsely. */
const LOW_SIGMA = 3;
/**
 * Every pixel keeps this much weight, so where no background is within reach (deep inside the person,
 * hidden anyway) the result falls back to a plain blur instead of 0/0. Wherever some background is in
 * reach it outweighs the person by about 1000 to 1.
 */
const WEIGHT_FLOOR = 1e-3;

/** The blur's standard deviation in frame pixels. */
export function blurSigma(strength: number, width: number, height: number): number {
  return Math.min(width, height) * (SIGMA_LIGHT + (SIGMA_STRONG - SIGMA_LIGHT) * strength);
}

interface Workspace {
  width: number;
  height: number;
  factor: number;
  lw: number;
  lh: number;
  radius: number;
  red: Float32Array;
  green: Float32Array;
  blue: Float32Array;
  weight: Float32Array;
  /** Low-resolution column of each frame column. */
  column: Int32Array;
  stretched: StretchedImage | undefined;
  out: RgbaImage | undefined;
}

function workspace(strength: number, width: number, height: number): Workspace {
  const sigma = blurSigma(strength, width, height);
  const factor = Math.max(1, Math.floor(sigma / LOW_SIGMA));
  const lw = Math.ceil(width / factor);
  const lh = Math.ceil(height / factor);
  const n = lw * lh;
  const column = new Int32Array(width);
  for (let x = 0; x < width; x++) column[x] = (x / factor) | 0;
  return {
    width,
    height,
    factor,
    lw,
    lh,
    radius: Math.max(1, boxRadiusForSigma(sigma / factor)),
    red: new Float32Array(n),
    green: new Float32Array(n),
    blue: new Float32Array(n),
    weight: new Float32Array(n),
    column,
    stretched: undefined,
    out: undefined,
  };
}

/** Blur background of strength in [0, 1] (0 light, 1 strongest). */
export function blurBackground(strength: number): BackgroundRenderer {
  if (!Number.isFinite(strength) || strength < 0 || strength > 1) throw new PixelError(`blur strength must be in [0, 1], got ${strength}`);
  let ws: Workspace | null = null;
  const renderStretched = (frame: RgbaImage, alpha: FloatImage): StretchedImage => {
    assertSameSize(frame, alpha, 'blur background frame and alpha differ in size');
    const { width, height } = frame;
    assertLength(frame.data, width * height * 4, 'blur background frame');
    assertLength(alpha.data, width * height, 'blur background alpha');
    if (!ws || ws.width !== width || ws.height !== height) ws = workspace(strength, width, height);
    const { factor, lw, lh, red, green, blue, weight, column } = ws;
    red.fill(0);
    green.fill(0);
    blue.fill(0);
    weight.fill(0);
    // Large factors read a grid of each block's pixels, at least 9 of them: a blur several blocks wide
    // cannot tell them from the block's mean, and 1080p's 12-pixel blocks cost a sixteenth of their area.
    const step = Math.max(1, Math.floor(factor / 3));
    const d = frame.data;
    const a = alpha.data;
    for (let y = 0; y < height; y += step) {
      const row = ((y / factor) | 0) * lw;
      for (let x = 0; x < width; x += step) {
        const i = y * width + x;
        const v = a[i];
        const w = (v >= 1 ? 0 : v > 0 ? 1 - v : 1) + WEIGHT_FLOOR;
        const j = row + column[x];
        red[j] += d[4 * i] * w;
        green[j] += d[4 * i + 1] * w;
        blue[j] += d[4 * i + 2] * w;
        weight[j] += w;
      }
    }
    blurPremultiplied([red, green, blue], weight, lw, lh, ws.radius);
    ws.stretched = stretchPlanes([red, green, blue], lw, lh, width, height, ws.stretched);
    return ws.stretched;
  };
  return {
    renderStretched,
    render(frame, alpha) {
      const stretched = renderStretched(frame, alpha);
      const space = ws as Workspace;
      space.out ??= rgbaImage(frame.width, frame.height);
      return expandStretched(stretched, space.out);
    },
  };
}
