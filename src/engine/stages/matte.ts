import type { RgbaImage } from '../../frame';
import { cropResizeRgba } from '../pixels/resize';
import type { Trimap } from '../pixels/trimap';
import type { Geometry, Plan } from './plan';

/**
 * The matte stage's pure core: what the matter is asked to mat for a plan. The network itself runs in
 * engine/matting/ (on a thread of its own when live), which owns everything that outlives one matte.
 */
export interface MatteRequest {
  /** The plan's crop of the frame at the matting size: the network's input and the upsampler's guide. */
  image: RgbaImage;
  trimap: Trimap;
  /** Where in the frame the crop lies: a matte of the same region as the last one may be smoothed with it. */
  region: Geometry;
}

export function matteRequest(frame: RgbaImage, plan: Plan): MatteRequest {
  const g = plan.geometry;
  const image = cropResizeRgba(frame, { x: g.x0, y: g.y0, width: g.x1 - g.x0, height: g.y1 - g.y0 }, g.width, g.height);
  return { image, trimap: plan.trimap, region: g };
}
