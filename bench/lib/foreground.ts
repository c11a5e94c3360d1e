import type { FloatImage, RgbaImage } from '../../src/frame';
import type { Planes } from './chroma-key';
import { MetricError } from './metrics';
import { pushPullFill } from './push-pull';

/**
 * The foreground colours of a photograph with ground-truth alpha (alphamatting.com gives the picture and
 * alpha, not F): I = aF + (1 - a)B. B is interpolated from the pure-background pixels around; where alpha
 * is large enough to trust the division, F = (I - (1 - a)B) / a; elsewhere (thin hair over background)
 * F is interpolated from those solved pixels. Composited over another background with the ground-truth
 * alpha, the object keeps its own colours instead of carrying its old background along.
 */
export function estimateForeground(image: RgbaImage, alpha: FloatImage, solveFrom = 0.5): Planes {
  const { width, height } = image;
  const n = width * height;
  if (alpha.width !== width || alpha.height !== height) {
    throw new MetricError(`foreground: image is ${width}x${height}, alpha ${alpha.width}x${alpha.height}`);
  }
  const a = alpha.data;
  const planes: Planes = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) planes[c][i] = image.data[i * 4 + c];
  const bgWeight = new Float32Array(n);
  for (let i = 0; i < n; i++) bgWeight[i] = a[i] <= 0.02 ? 1 : 0;
  const hasBackground = bgWeight.includes(1);
  const b = hasBackground ? pushPullFill(planes, bgWeight, width, height) : planes;

  const solved: Planes = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  const fgWeight = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (a[i] < solveFrom) continue;
    fgWeight[i] = 1;
    for (let c = 0; c < 3; c++) {
      const v = hasBackground ? (planes[c][i] - (1 - a[i]) * b[c][i]) / a[i] : planes[c][i];
      solved[c][i] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  if (!fgWeight.includes(1)) throw new MetricError(`foreground: no pixel has alpha >= ${solveFrom}`);
  const filled = pushPullFill(solved, fgWeight, width, height);
  return [filled[0], filled[1], filled[2]];
}
