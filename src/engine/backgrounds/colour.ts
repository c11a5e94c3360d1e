import type { Rgb } from '../../common/contract';
import { rgbaImage, type RgbaImage } from '../../frame';
import { PixelError } from '../pixels/errors';
import type { BackgroundRenderer } from './renderer';

/** A solid colour, filled once per frame size. */
export function colourBackground(rgb: Rgb): BackgroundRenderer {
  if (rgb.length !== 3 || rgb.some((v) => !Number.isInteger(v) || v < 0 || v > 255)) {
    throw new PixelError(`background colour must be three integers in [0, 255], got [${rgb.join(', ')}]`);
  }
  let cached: RgbaImage | null = null;
  return {
    render(frame) {
      if (!cached || cached.width !== frame.width || cached.height !== frame.height) {
        cached = rgbaImage(frame.width, frame.height);
        const d = cached.data;
        for (let p = 0; p < d.length; p += 4) {
          d[p] = rgb[0];
          d[p + 1] = rgb[1];
          d[p + 2] = rgb[2];
          d[p + 3] = 255;
        }
      }
      return cached;
    },
  };
}
