import type { MatteRegion } from '../../common/contract';
import { floatImage, type FloatImage } from '../../frame';
import { boundingBox, type Box } from '../pixels/box';
import { assertLength } from '../pixels/errors';
import { resizePlane } from '../pixels/resize';
import { makeTrimap, updateTrimap, type Trimap, type TrimapOptions } from '../pixels/trimap';

/**
 * The plan stage: where to mat and what is known there. From the smoothed probability it picks the crop
 * around the person (scaled to the quality's pixel budget) and makes the crop's trimap. A plan is kept
 * while the mask barely changes, so the network's trimap channels and the crop's grid stay put; when it
 * changes but the crop stays, the trimap is redone only where the mask changed (a moving hand).
 */

/** Matting input pixels per quality; null is the crop at full resolution. */
export const MATTING_AREA: Record<'performance' | 'balanced' | 'quality' | 'max', number | null> = {
  performance: 256 * 144,
  balanced: 320 * 192,
  quality: 448 * 256,
  max: null,
};

/** Mask change (share of pixels, see maskChange) above which the box and trimap are made anew. */
export const TRIMAP_REUSE_LIMIT = 0.01;
/** Context around the person's box, as a share of the box's larger side. */
const BOX_MARGIN = 0.08;
/** A kept crop may be this much larger (in area) than a fresh one before it is given up. */
const KEEP_SLACK = 1.3;

/** Crop in frame pixels (x1, y1 exclusive) and its matting resolution: the region a matte request carries. */
export type Geometry = MatteRegion;

export interface Plan {
  geometry: Geometry;
  trimap: Trimap;
  /** The smoothed probability this plan was made from, to measure change against. */
  reference: Float32Array;
  /** That probability on the crop at the matting size: the trimap's own input, to update it from. */
  cropProb: Float32Array;
  frameWidth: number;
  frameHeight: number;
}

/** The crop and matting size for a person box (frame pixels) under a pixel budget. Pure. */
export function matteGeometry(
  box: { x0: number; y0: number; x1: number; y1: number },
  frameWidth: number,
  frameHeight: number,
  area: number | null,
): Geometry {
  const margin = Math.round(BOX_MARGIN * Math.max(box.x1 - box.x0, box.y1 - box.y0));
  const x0 = Math.max(0, box.x0 - margin);
  const y0 = Math.max(0, box.y0 - margin);
  const x1 = Math.min(frameWidth, box.x1 + margin);
  const y1 = Math.min(frameHeight, box.y1 + margin);
  const w = x1 - x0;
  const h = y1 - y0;
  const scale = area === null ? 1 : Math.min(1, Math.sqrt(area / (w * h)));
  return { x0, y0, x1, y1, width: Math.max(8, Math.round(w * scale)), height: Math.max(8, Math.round(h * scale)) };
}

/**
 * The previous crop when it still holds the fresh one and is not much larger, else the fresh one. A
 * crop that stays put keeps the matting grid on the same frame pixels, so successive mattes line up
 * and can be smoothed over time; a crop that followed every small move would resample the edge anew
 * each time. Pure.
 */
export function keepGeometry(previous: Geometry, fresh: Geometry): Geometry {
  const holds = previous.x0 <= fresh.x0 && previous.y0 <= fresh.y0 && previous.x1 >= fresh.x1 && previous.y1 >= fresh.y1;
  const area = (g: Geometry) => (g.x1 - g.x0) * (g.y1 - g.y0);
  return holds && area(previous) <= KEEP_SLACK * area(fresh) ? previous : fresh;
}

export function sameGeometry(a: Geometry, b: Geometry): boolean {
  return a.x0 === b.x0 && a.y0 === b.y0 && a.x1 === b.x1 && a.y1 === b.y1 && a.width === b.width && a.height === b.height;
}

/**
 * How far the mask has moved since `reference`: the share of pixels whose side of 0.5 differs, plus
 * those whose probability moved by more than 0.25. Scale-free, so one threshold serves every model size.
 */
export function maskChange(reference: Float32Array, current: Float32Array): number {
  assertLength(reference, current.length, 'reference probability');
  let changed = 0;
  for (let i = 0; i < current.length; i++) {
    const a = reference[i];
    const b = current[i];
    const d = a - b;
    if (a >= 0.5 !== b >= 0.5 || d > 0.25 || d < -0.25) changed++;
  }
  return current.length === 0 ? 0 : changed / current.length;
}

/** Bounds of the pixels with probability above `threshold`, in the mask's pixels; null if none. */
export function personBox(prob: FloatImage, threshold: number): Box | null {
  const p = prob.data;
  return boundingBox(prob.width, prob.height, (i) => p[i] > threshold);
}


/**
 * One step of the stage: the previous plan while the mask has barely moved since it was made, else a
 * fresh one (keeping the previous crop where it still fits), or null when nobody is in the picture.
 * The previous plan is passed in and the result handed back; the refiner that owns it keeps it.
 */
export function plan(
  previous: Plan | null,
  frame: { width: number; height: number },
  prob: FloatImage,
  area: number | null,
  trimap?: TrimapOptions,
): Plan | null {
  const sameFrame = previous !== null && previous.frameWidth === frame.width && previous.frameHeight === frame.height;
  if (sameFrame && previous.reference.length === prob.data.length && maskChange(previous.reference, prob.data) <= TRIMAP_REUSE_LIMIT) {
    return previous;
  }
  const box = personBox(prob, 0.1);
  if (!box) return null;
  const sx = frame.width / prob.width;
  const sy = frame.height / prob.height;
  const fresh = matteGeometry(
    { x0: Math.floor(box.x0 * sx), y0: Math.floor(box.y0 * sy), x1: Math.ceil(box.x1 * sx), y1: Math.ceil(box.y1 * sy) },
    frame.width,
    frame.height,
    area,
  );
  const geometry = sameFrame ? keepGeometry(previous.geometry, fresh) : fresh;
  const cropProb = floatImage(geometry.width, geometry.height);
  resizePlane(prob.data, prob.width, prob.height, cropProb.data, geometry.width, geometry.height, {
    x: geometry.x0 / sx,
    y: geometry.y0 / sy,
    width: (geometry.x1 - geometry.x0) / sx,
    height: (geometry.y1 - geometry.y0) / sy,
  });
  const kept = sameFrame && sameGeometry(previous.geometry, geometry);
  return {
    geometry,
    trimap: kept ? updateTrimap(previous.trimap, previous.cropProb, cropProb, trimap) : makeTrimap(cropProb, trimap),
    reference: prob.data.slice(),
    cropProb: cropProb.data,
    frameWidth: frame.width,
    frameHeight: frame.height,
  };
}
