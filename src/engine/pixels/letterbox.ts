import type { RgbaImage } from '../../frame';
import { assertDimensions, assertLength, PixelError } from './errors';
import { axisTaps } from './resize';

/**
 * A frame fitted into a square model input with its aspect ratio kept and the rest padded with black
 * (MediaPipe's ImageToTensorCalculator with keep_aspect_ratio and BORDER_ZERO), as the face detectors take it.
 */

/** Where the frame lies inside the square model input, in whole model pixels. */
export interface Letterbox {
  /** The model input's side. */
  size: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The frame scaled to fit a size x size input and centred. Rounded to whole model pixels, so the padding is
 * exactly black pixels and the frame's pixels resample as in a plain resize; for 16:9, 4:3 and square frames
 * into 128 or 192 the rounding changes nothing.
 */
export function letterboxFor(frameWidth: number, frameHeight: number, size: number): Letterbox {
  assertDimensions(frameWidth, frameHeight, 'letterboxed frame');
  assertDimensions(size, size, 'letterbox');
  const scale = size / Math.max(frameWidth, frameHeight);
  const width = Math.max(1, Math.round(frameWidth * scale));
  const height = Math.max(1, Math.round(frameHeight * scale));
  return { size, x: Math.floor((size - width) / 2), y: Math.floor((size - height) / 2), width, height };
}

/**
 * The detector's input: planar (CHW) RGB in [-1, 1], the frame bilinearly resized into the letterbox and
 * the padding black (-1), written into `out` (3 * size * size values) and returned.
 */
export function letterboxRgbaToRgbFloat(src: RgbaImage, box: Letterbox, out: Float32Array): Float32Array {
  assertDimensions(src.width, src.height, 'letterbox source');
  assertLength(src.data, src.width * src.height * 4, 'letterbox source RGBA');
  const { size } = box;
  const n = size * size;
  assertLength(out, 3 * n, 'letterbox target RGB planes');
  if (box.x < 0 || box.y < 0 || box.width < 1 || box.height < 1 || box.x + box.width > size || box.y + box.height > size) {
    throw new PixelError(`letterbox ${box.width}x${box.height} at ${box.x},${box.y} does not fit a ${size}x${size} input`);
  }
  out.fill(-1);
  const sw = src.width;
  const s = src.data;
  const tx = axisTaps(sw, box.width);
  const ty = axisTaps(src.height, box.height);
  for (let y = 0; y < box.height; y++) {
    const r0 = ty.i0[y] * sw * 4;
    const r1 = ty.i1[y] * sw * 4;
    const wy = ty.w[y];
    const o = (box.y + y) * size + box.x;
    for (let x = 0; x < box.width; x++) {
      const p0 = r0 + 4 * tx.i0[x];
      const p1 = r0 + 4 * tx.i1[x];
      const q0 = r1 + 4 * tx.i0[x];
      const q1 = r1 + 4 * tx.i1[x];
      const wx = tx.w[x];
      for (let c = 0; c < 3; c++) {
        const top = s[p0 + c] + (s[p1 + c] - s[p0 + c]) * wx;
        const bottom = s[q0 + c] + (s[q1 + c] - s[q0 + c]) * wx;
        out[c * n + o + x] = (top + (bottom - top) * wy) / 127.5 - 1;
      }
    }
  }
  return out;
}
