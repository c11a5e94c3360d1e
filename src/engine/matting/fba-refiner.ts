import type { MattingMode, Quality } from '../common/contract';
import { floatImage, FramePlanes, type FloatImage, type Matte, type RgbaImage } from '../frame';
import { applyGuided, fitGuided, type GuidedFit, type MergeOptions } from './pixels/guided';
import { RUN_BACKGROUND, uniformRuns } from './pixels/runs';
import { cropResizeRgba, resizePlane } from './pixels/resize';
import type { Refiner } from './refiner';
import { DEFAULT_GUIDED_UPSAMPLE, upsampleMask } from './stages/upsampler';
import type { Matter } from './stages/matter';
import { DEFAULT_TEMPORAL, maskChange, personBox, smoothProbability } from './stages/temporal';
import { bandOf, makeTrimap, type Trimap, type TrimapOptions } from './stages/trimap';

/**
 * Segmentation every frame, FBA matting when it is free, full-resolution output on every frame.
 *
 * The probability is smoothed over time (motion-adaptive), and the person's box and trimap are kept while
 * the mask barely changes. Matting runs on a crop of the person scaled to fit the quality's pixel budget.
 * Live, it runs beside the frame loop on the newest frame; each frame is composited with the latest
 * matte, upsampled guided by *that frame*, so edges follow the current image between mattes. Where the
 * current segmentation firmly disagrees with an older matte (the person moved), the current one wins.
 */

/** Matting input pixels per quality; null is the crop at full resolution. */
export const MATTING_AREA: Record<Exclude<Quality, 'auto'>, number | null> = {
  performance: 256 * 144,
  balanced: 320 * 192,
  quality: 448 * 256,
  max: null,
};

/** Mask change (share of pixels, see maskChange) above which the box and trimap are made anew. */
export const TRIMAP_REUSE_LIMIT = 0.01;
/** Context around the person's box, as a share of the box's larger side. */
const BOX_MARGIN = 0.08;
/** An older matte is overruled where it and the current segmentation differ by more than this: the person moved. */
const OVERRULE = 0.5;
/**
 * Weight of the matte against the segmentation in the band: the mean. On real video with ground truth
 * the mean beat either alone on every measure (`bench/temporal.ts --matte-weights 1,0.5`, bench/README.md):
 * the light network places edges sharply but not always in the right place, the segmentation softly but
 * steadily, and their errors partly cancel.
 */
export const MATTE_WEIGHT = 0.5;

export interface Geometry {
  /** Crop in frame pixels, inclusive-exclusive. */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** Matting resolution of the crop. */
  width: number;
  height: number;
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

/** A kept crop may be this much larger (in area) than a fresh one before it is given up. */
const KEEP_SLACK = 1.3;

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

function sameGeometry(a: Geometry, b: Geometry): boolean {
  return a.x0 === b.x0 && a.y0 === b.y0 && a.x1 === b.x1 && a.y1 === b.y1 && a.width === b.width && a.height === b.height;
}

interface Plan {
  geometry: Geometry;
  trimap: Trimap;
  /** The smoothed probability this plan was made from, to measure change against. */
  reference: Float32Array;
  frameWidth: number;
  frameHeight: number;
}

interface Result {
  fit: GuidedFit;
  geometry: Geometry;
  frameWidth: number;
  frameHeight: number;
}

export interface FbaRefinerOptions {
  mode: Exclude<MattingMode, 'off'>;
  matter: Matter;
  quality: Exclude<Quality, 'auto'>;
  /** Live: matting runs beside the frame loop. Offline: every frame waits for its own matte. */
  live: boolean;
  trimap?: TrimapOptions;
  /** Called when a matte finishes, for the matting-rate figure. */
  onMatte?: () => void;
  /** Weight of the matte in the band, MATTE_WEIGHT by default; 1 is the matte alone. */
  matteWeight?: number;
}

export class FbaRefiner implements Refiner {
  readonly mode: Exclude<MattingMode, 'off'>;
  quality: Exclude<Quality, 'auto'>;
  private smoothed: Float32Array | null = null;
  private plan: Plan | null = null;
  private latest: Result | null = null;
  /** The crop the last matte was made of: the next matte of the same crop continues it. */
  private mattedGeometry: Geometry | null = null;
  private running: Promise<void> | null = null;
  /** Set when a live matte fails, so the frame loop can say matting is unavailable. */
  lastError: unknown = null;

  private readonly merge: MergeOptions;

  constructor(private readonly opts: FbaRefinerOptions) {
    this.mode = opts.mode;
    this.quality = opts.quality;
    this.merge = { overrule: OVERRULE, weight: opts.matteWeight ?? MATTE_WEIGHT };
  }

  get provider(): string {
    return this.opts.matter.provider;
  }

  async refine(frame: RgbaImage, prob: FloatImage, timeAsync: Parameters<Refiner['refine']>[2], time: Parameters<Refiner['refine']>[3]): Promise<Matte> {
    // One timing for the stage: two would enter the live median as two separate samples.
    const { smoothed, plan } = time('trimap', () => {
      const data = this.smooth(prob);
      return { smoothed: data, plan: this.planFor(frame, { width: prob.width, height: prob.height, data }) };
    });
    if (!plan) {
      this.latest = null;
      return { alpha: floatImage(frame.width, frame.height), foreground: null, runs: uniformRuns(frame.width, frame.height, RUN_BACKGROUND) };
    }
    if (this.opts.live) {
      if (!this.running) {
        this.running = timeAsync('matte', () => this.run(frame, plan))
          .catch((error: unknown) => {
            this.lastError = error;
          })
          .finally(() => {
            this.running = null;
          });
      }
    } else {
      await timeAsync('matte', () => this.run(frame, plan));
    }
    return time('upsample', () => this.compose(frame, { width: prob.width, height: prob.height, data: smoothed }));
  }

  async dispose(): Promise<void> {
    await this.running;
    await this.opts.matter.dispose();
  }

  private smooth(prob: FloatImage): Float32Array {
    if (!this.smoothed || this.smoothed.length !== prob.data.length) {
      this.smoothed = prob.data.slice();
      this.plan = null;
      this.latest = null;
    } else {
      smoothProbability(this.smoothed, prob.data, this.smoothed, DEFAULT_TEMPORAL);
    }
    return this.smoothed;
  }

  private planFor(frame: RgbaImage, prob: FloatImage): Plan | null {
    const p = this.plan;
    if (
      p &&
      p.frameWidth === frame.width &&
      p.frameHeight === frame.height &&
      maskChange(p.reference, prob.data) <= TRIMAP_REUSE_LIMIT
    ) {
      return p;
    }
    const box = personBox(prob, 0.1);
    if (!box) {
      this.plan = null;
      return null;
    }
    const sx = frame.width / prob.width;
    const sy = frame.height / prob.height;
    const fresh = matteGeometry(
      { x0: Math.floor(box.x0 * sx), y0: Math.floor(box.y0 * sy), x1: Math.ceil(box.x1 * sx), y1: Math.ceil(box.y1 * sy) },
      frame.width,
      frame.height,
      MATTING_AREA[this.quality],
    );
    const geometry = p && p.frameWidth === frame.width && p.frameHeight === frame.height ? keepGeometry(p.geometry, fresh) : fresh;
    const cropProb = floatImage(geometry.width, geometry.height);
    resizePlane(prob.data, prob.width, prob.height, cropProb.data, geometry.width, geometry.height, {
      x: geometry.x0 / sx,
      y: geometry.y0 / sy,
      width: (geometry.x1 - geometry.x0) / sx,
      height: (geometry.y1 - geometry.y0) / sy,
    });
    this.plan = {
      geometry,
      trimap: makeTrimap(cropProb, this.opts.trimap),
      reference: prob.data.slice(),
      frameWidth: frame.width,
      frameHeight: frame.height,
    };
    return this.plan;
  }

  private async run(frame: RgbaImage, plan: Plan): Promise<void> {
    const g = plan.geometry;
    const guide = cropResizeRgba(frame, { x: g.x0, y: g.y0, width: g.x1 - g.x0, height: g.y1 - g.y0 }, g.width, g.height);
    const previous = this.mattedGeometry;
    this.mattedGeometry = g;
    const continues = previous !== null && sameGeometry(previous, g);
    const result = await this.opts.matter.matte(guide, plan.trimap, continues);
    // The matting stage fits the upsampler on its own thread when asked to (MatterOptions.fit); else here.
    const fit = result.fit ?? fitGuided({ guide, alpha: result.alpha, foreground: result.foreground, band: bandOf(plan.trimap) }, DEFAULT_GUIDED_UPSAMPLE);
    this.latest = { fit, geometry: g, frameWidth: frame.width, frameHeight: frame.height };
    this.opts.onMatte?.();
  }

  private readonly planes = new FramePlanes();

  private compose(frame: RgbaImage, prob: FloatImage): Matte {
    const seg = upsampleMask(prob, frame.width, frame.height, this.planes.alphaFor(frame.width, frame.height));
    const latest = this.latest;
    // A matte of a frame of another size (the camera changed resolution) does not fit this one.
    if (!latest || latest.frameWidth !== frame.width || latest.frameHeight !== frame.height) return seg;
    // F is the frame wherever the matte's band does not reach; one copy, then the band is written over it.
    const foreground = this.planes.rgbaFor(frame.width, frame.height);
    foreground.data.set(frame.data);
    const runs = applyGuided(latest.fit, frame, latest.geometry, { alpha: seg.alpha, foreground, runs: seg.runs }, this.merge);
    return { alpha: seg.alpha, foreground, runs };
  }
}
