import { floatImage, rgbaImage, type FloatImage, type RgbaImage } from '../../frame';
import { boundingBox } from '../pixels/box';
import { applyGuided, REPLACE } from '../pixels/guided';
import { cropResizeRgba } from '../pixels/resize';
import { RUN_BACKGROUND, uniformRuns } from '../pixels/runs';
import { downscaleTrimap, TRIMAP_BACKGROUND, TRIMAP_FOREGROUND, type Trimap } from '../pixels/trimap';
import { matteGeometry } from '../stages/plan';
import type { Matter } from './matter';

/**
 * The live path's matting, fed a given trimap instead of the segmenter's: the crop around everything that
 * is not sure background, scaled to a quality's pixel budget, matted there, and brought back to the full
 * image by the guided upsampler. Scoring this against ground truth tells what the reduced resolution
 * costs beside what the network costs (`area` null: the network on the full image).
 */
export async function matteWithTrimap(matter: Matter, frame: RgbaImage, trimap: Trimap, area: number | null): Promise<FloatImage> {
  if (area === null) return (await matter.matte(frame, trimap)).alpha;
  const { width, height } = frame;
  const t = trimap.data;
  const box = boundingBox(width, height, (i) => t[i] !== TRIMAP_BACKGROUND);
  const alpha = floatImage(width, height);
  if (!box) return alpha;
  const g = matteGeometry(box, width, height, area);
  const image = cropResizeRgba(frame, { x: g.x0, y: g.y0, width: g.x1 - g.x0, height: g.y1 - g.y0 }, g.width, g.height);
  const { fit } = await matter.matte(image, downscaleTrimap(trimap, g, g.width, g.height));
  const base = { alpha, foreground: rgbaImage(width, height, frame.data.slice()), runs: uniformRuns(width, height, RUN_BACKGROUND) };
  applyGuided(fit, frame, g, base, REPLACE);
  // What the trimap knows at full resolution it knows better than any upsampled guess.
  const a = alpha.data;
  for (let i = 0; i < a.length; i++) {
    if (t[i] === TRIMAP_FOREGROUND) a[i] = 1;
    else if (t[i] === TRIMAP_BACKGROUND) a[i] = 0;
  }
  return alpha;
}
