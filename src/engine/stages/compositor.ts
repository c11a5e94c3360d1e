import type { Matte, RgbaImage } from '../frame';
import { assertLength, assertSameSize } from '../pixels/errors';

/**
 * out = F * a + B * (1 - a) per pixel, at the frame's full resolution, F being the matting model's
 * foreground colours when it ran (so no background colour fringes round hair) and the frame otherwise.
 *
 * With no background (null) the output is transparent: RGB = F with alpha in A, not premultiplied, as
 * PNG and ffmpeg's alpha formats expect; fully transparent pixels carry black so that a consumer which
 * drops alpha does not show the room behind the person.
 */
export function composite(frame: RgbaImage, matte: Matte, background: RgbaImage | null, out: Uint8Array): void {
  const { width, height } = frame;
  const n = width * height;
  assertLength(frame.data, n * 4, 'composite frame');
  assertSameSize(frame, matte.alpha, 'composite frame and alpha differ in size');
  assertLength(matte.alpha.data, n, 'composite alpha');
  if (matte.foreground) {
    assertSameSize(frame, matte.foreground, 'composite frame and foreground differ in size');
    assertLength(matte.foreground.data, n * 4, 'composite foreground');
  }
  if (background) {
    assertSameSize(frame, background, 'composite frame and background differ in size');
    assertLength(background.data, n * 4, 'composite background');
  }
  assertLength(out, n * 4, 'composite output');

  const a = matte.alpha.data;
  const f = (matte.foreground ?? frame).data;
  if (!background) {
    for (let i = 0, p = 0; i < n; i++, p += 4) {
      const v = a[i];
      // Scaled by 255 and rounded; NaN fails both tests and lands on 0.
      const a8 = v >= 1 ? 255 : v > 0 ? (v * 255 + 0.5) | 0 : 0;
      if (a8 === 0) {
        out[p] = out[p + 1] = out[p + 2] = out[p + 3] = 0;
      } else {
        out[p] = f[p];
        out[p + 1] = f[p + 1];
        out[p + 2] = f[p + 2];
        out[p + 3] = a8;
      }
    }
    return;
  }
  const b = background.data;
  for (let i = 0, p = 0; i < n; i++, p += 4) {
    const v = a[i];
    // Weights in 1/256ths so the blend is integer multiply-adds and a shift; most pixels are 0 or 256.
    const w = v >= 1 ? 256 : v > 0 ? (v * 256 + 0.5) | 0 : 0;
    if (w === 256) {
      out[p] = f[p];
      out[p + 1] = f[p + 1];
      out[p + 2] = f[p + 2];
    } else if (w === 0) {
      out[p] = b[p];
      out[p + 1] = b[p + 1];
      out[p + 2] = b[p + 2];
    } else {
      const u = 256 - w;
      out[p] = (f[p] * w + b[p] * u + 128) >> 8;
      out[p + 1] = (f[p + 1] * w + b[p + 1] * u + 128) >> 8;
      out[p + 2] = (f[p + 2] * w + b[p + 2] * u + 128) >> 8;
    }
    out[p + 3] = 255;
  }
}
