import type { MattingMode, Quality } from '../../common/contract';
import { floatImage, FramePlanes, type FloatImage, type Matte, type RgbaImage } from '../../frame';
import type { MergeOptions } from '../pixels/guided';
import { RUN_BACKGROUND, uniformRuns } from '../pixels/runs';
import type { TrimapOptions } from '../pixels/trimap';
import { matteRequest } from '../stages/matte';
import { MATTING_AREA, plan, type Plan } from '../stages/plan';
import { smooth, type SmoothState } from '../stages/smooth';
import { mergeOptions, upsampleWithMatte, type FittedMatte } from '../stages/upsample';
import { EngineFailure } from '../../common/failure';
import type { Matter } from './matter';
import type { Refiner, RefinerInfo } from './refiner';

/**
 * Segmentation every frame, FBA matting when it is free, full-resolution output on every frame.
 *
 * The probability is smoothed over time (motion-adaptive), and the person's box and trimap are kept while
 * the mask barely changes. Matting runs on a crop of the person scaled to fit the quality's pixel budget.
 * Live, it runs beside the frame loop on the newest frame; each frame is composited with the latest
 * matte, upsampled guided by *that frame*, so edges follow the current image between mattes. Where the
 * current segmentation firmly disagrees with an older matte (the person moved), the current one wins.
 *
 * This object is the one owner, on the engine's thread, of what those stages keep between frames; the
 * stages themselves (engine/stages/) are pure steps it passes that state through. What the matter keeps
 * (the previous matte, for smoothing successive ones) stays on the matter's side.
 */

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
  private quality: Exclude<Quality, 'auto'>;
  private smoothed: SmoothState | null = null;
  private current: Plan | null = null;
  private latest: FittedMatte | null = null;
  private running: Promise<void> | null = null;
  private issue: string | null = null;
  private readonly planes = new FramePlanes();
  private readonly merge: MergeOptions;

  constructor(private readonly opts: FbaRefinerOptions) {
    this.quality = opts.quality;
    this.merge = mergeOptions(opts.matteWeight);
  }

  describe(): RefinerInfo {
    return { mode: this.opts.mode, quality: this.quality, provider: this.opts.matter.provider, issue: this.issue };
  }

  setQuality(quality: Quality): boolean {
    if (quality === 'auto') return false;
    this.quality = quality;
    return true;
  }

  smooth(frame: RgbaImage, prob: FloatImage): FloatImage {
    const out = smooth(this.smoothed, frame, prob);
    if (out.prob !== this.smoothed?.prob) {
      // A mask of another size: the camera changed, and nothing kept fits it.
      this.current = null;
      this.latest = null;
    }
    this.smoothed = out;
    return { width: prob.width, height: prob.height, data: out.prob };
  }

  plan(frame: RgbaImage, prob: FloatImage): Plan | null {
    this.current = plan(this.current, frame, prob, MATTING_AREA[this.quality], this.opts.trimap);
    if (!this.current) this.latest = null;
    return this.current;
  }

  matte(frame: RgbaImage, plan: Plan): Promise<void> | null {
    if (!this.opts.live) return this.run(frame, plan);
    if (this.running) return null;
    const running = this.run(frame, plan)
      .catch((error: unknown) => {
        this.issue = EngineFailure.from(error).message;
      })
      .finally(() => {
        this.running = null;
      });
    this.running = running;
    return running;
  }

  upsample(frame: RgbaImage, prob: FloatImage, plan: Plan | null): Matte {
    if (!plan) return { alpha: floatImage(frame.width, frame.height), foreground: null, runs: uniformRuns(frame.width, frame.height, RUN_BACKGROUND) };
    return upsampleWithMatte(frame, prob, this.latest, this.planes, this.merge);
  }

  async dispose(): Promise<void> {
    await this.running;
    await this.opts.matter.dispose();
  }

  private async run(frame: RgbaImage, plan: Plan): Promise<void> {
    const request = matteRequest(frame, plan);
    const result = await this.opts.matter.matte(request.image, request.trimap, request.region);
    this.latest = { fit: result.fit, geometry: request.region, frameWidth: frame.width, frameHeight: frame.height };
    this.opts.onMatte?.();
  }
}
