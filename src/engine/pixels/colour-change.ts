import type { RgbaImage } from '../../frame';
import { assertDimensions, assertLength } from './errors';

/**
 * The colour (0-255, interleaved r g b) of `frame` on a coarser width x height grid: per cell, the mean of
 * the 2 x 2 frame pixels at the cell's centre. Four reads a cell instead of the whole footprint: enough to
 * tell a still scene from a moving one at a segmentation mask's resolution, at a cost that does not grow
 * with the frame. Colour, not luma: a blue shirt moving over a beige wall of the same brightness moves.
 */
export function sampleColour(frame: RgbaImage, width: number, height: number, out: Float32Array): void {
  assertDimensions(width, height, 'colour grid');
  assertLength(out, 3 * width * height, 'colour grid');
  assertLength(frame.data, frame.width * frame.height * 4, 'frame RGBA');
  const f = frame.data;
  const fw = frame.width;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(frame.height - 2, Math.max(0, Math.floor(((y + 0.5) * frame.height) / height) - 1));
    const y1 = frame.height > 1 ? fy + 1 : fy;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(fw - 2, Math.max(0, Math.floor(((x + 0.5) * fw) / width) - 1));
      const x1 = fw > 1 ? fx + 1 : fx;
      const a = 4 * (fy * fw + fx);
      const b = 4 * (fy * fw + x1);
      const c = 4 * (y1 * fw + fx);
      const d = 4 * (y1 * fw + x1);
      const o = 3 * (y * width + x);
      out[o] = (f[a] + f[b] + f[c] + f[d]) / 4;
      out[o + 1] = (f[a + 1] + f[b + 1] + f[c + 1] + f[d + 1]) / 4;
      out[o + 2] = (f[a + 2] + f[b + 2] + f[c + 2] + f[d + 2]) / 4;
    }
  }
}

/**
 * Per pixel of two colour grids (sampleColour's layout), the largest change of any channel in its 3 x 3
 * neighbourhood (edges clamp): change near a pixel counts as its own. The 3 x 3 maximum is taken as a
 * row pass then a column pass, in place in `out`: it runs every frame, so it allocates one row only.
 */
export function changeNear(a: Float32Array, b: Float32Array, width: number, height: number, out: Float32Array): void {
  assertLength(a, 3 * width * height, 'previous colour grid');
  assertLength(b, 3 * width * height, 'colour grid');
  assertLength(out, width * height, 'change');
  for (let i = 0; i < out.length; i++) {
    const r = Math.abs(a[3 * i] - b[3 * i]);
    const g = Math.abs(a[3 * i + 1] - b[3 * i + 1]);
    const bl = Math.abs(a[3 * i + 2] - b[3 * i + 2]);
    out[i] = r > g ? (r > bl ? r : bl) : g > bl ? g : bl;
  }
  for (let y = 0; y < height; y++) {
    const row = y * width;
    // The left neighbour's value from before this pass.
    let left = out[row];
    for (let x = 0; x < width; x++) {
      const here = out[row + x];
      const right = x + 1 < width ? out[row + x + 1] : here;
      out[row + x] = Math.max(left, here, right);
      left = here;
    }
  }
  // The row above's values from before this pass; the first row is its own.
  const above = out.slice(0, width);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const here = out[row + x];
      const below = y + 1 < height ? out[row + width + x] : here;
      out[row + x] = Math.max(above[x], here, below);
      above[x] = here;
    }
  }
}
