import type { MattingMode, Quality } from '../../common/contract';
import { FramePlanes, type FloatImage, type Matte, type RgbaImage } from '../../frame';
import type { Plan } from '../stages/plan';
import { upsampleMask } from '../stages/upsample';

/** What a refiner says of itself, so that nobody needs to know which kind it is. */
export interface RefinerInfo {
  readonly mode: MattingMode;
  /** The quality matting runs at (auto resolved); null without matting. */
  readonly quality: Exclude<Quality, 'auto'> | null;
  /** The execution provider the matting network runs on; null without matting. */
  readonly provider: string | null;
  /** Why matting stopped (a live matte failed); null while it runs, or without matting. */
  readonly issue: string | null;
}

/**
 * The matting boundary: owns every piece of state the stages between segmentation and compositing keep
 * from frame to frame (the smoothed mask, the plan, the latest fitted matte, the matte in flight), on the
 * engine's thread. The pipeline calls one method per stage; 'off' smooths nothing, plans nothing and
 * upsamples the soft mask; 'light' and 'full' run FBA. A matte is valid until the next `upsample`.
 */
export interface Refiner {
  describe(): RefinerInfo;
  /** The smooth stage: the probability smoothed over time, judged against the frame's own change. */
  smooth(frame: RgbaImage, prob: FloatImage): FloatImage;
  /** The plan stage: where to mat, or null (nobody there, or no matting). */
  plan(frame: RgbaImage, prob: FloatImage): Plan | null;
  /**
   * The matte stage: a matte of the plan, or null when none starts (one is already running). Live, the
   * promise never rejects (a failure becomes `describe().issue`) and the caller need not wait for it.
   */
  matte(frame: RgbaImage, plan: Plan): Promise<void> | null;
  /** The upsample stage: the frame's full-resolution matte. */
  upsample(frame: RgbaImage, prob: FloatImage, plan: Plan | null): Matte;
  /** Changes the quality in place; false when the refiner must be made anew for it (auto measures). */
  setQuality(quality: Quality): boolean;
  dispose(): Promise<void>;
}

export function maskRefiner(): Refiner {
  const planes = new FramePlanes();
  return {
    describe: () => ({ mode: 'off', quality: null, provider: null, issue: null }),
    smooth: (_frame, prob) => prob,
    plan: () => null,
    matte: () => null,
    upsample: (frame, prob) => upsampleMask(prob, frame.width, frame.height, planes.alphaFor(frame.width, frame.height)),
    setQuality: () => true,
    async dispose() {},
  };
}
