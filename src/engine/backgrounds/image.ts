import { type RgbaImage } from '../../frame';
import { assertDimensions, assertLength } from '../pixels/errors';
import { cropResizeRgba, halveRgba } from '../pixels/resize';
import type { BackgroundRenderer } from './renderer';

/**
 * The picture scaled to cover the frame (no bars) and centre-cropped: what a viewer expects from a
 * wallpaper. Strong downscales halve first, so a 4K photo behind a 640x360 frame does not alias.
 */
export function coverFit(image: RgbaImage, width: number, height: number): RgbaImage {
  assertDimensions(image.width, image.height, 'background image');
  assertLength(image.data, image.width * image.height * 4, 'background image RGBA');
  assertDimensions(width, height, 'frame');
  let src = image;
  while (Math.max(width / src.width, height / src.height) < 0.5 && src.width > 1 && src.height > 1) src = halveRgba(src);
  const scale = Math.max(width / src.width, height / src.height);
  const cw = width / scale;
  const ch = height / scale;
  return cropResizeRgba(src, { x: (src.width - cw) / 2, y: (src.height - ch) / 2, width: cw, height: ch }, width, height);
}

/** A still picture, cover-fitted once per frame size. */
export function imageBackground(image: RgbaImage): BackgroundRenderer {
  assertDimensions(image.width, image.height, 'background image');
  assertLength(image.data, image.width * image.height * 4, 'background image RGBA');
  let cached: RgbaImage | null = null;
  return {
    render(frame) {
      if (!cached || cached.width !== frame.width || cached.height !== frame.height) cached = coverFit(image, frame.width, frame.height);
      return cached;
    },
  };
}
