import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { MattingMode, Quality } from '../../common/contract';
import { EngineFailure } from '../failure';
import { FramePlanes, type FloatImage, type Matte, type RgbaImage } from '../../frame';
import { MATTING_AREA, type Plan } from '../stages/plan';
import { upsampleMask } from '../stages/upsample';
import { FbaRefiner } from './fba-refiner';
import { createMatter, type Matter } from './matter';
import { createThreadedMatter } from './thread';

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
  /** The smooth stage: the probability smoothed over time. */
  smooth(prob: FloatImage): FloatImage;
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
    smooth: (prob) => prob,
    plan: () => null,
    matte: () => null,
    upsample: (frame, prob) => upsampleMask(prob, frame.width, frame.height, planes.alphaFor(frame.width, frame.height)),
    setQuality: () => true,
    async dispose() {},
  };
}

export const MATTING_MODELS: Record<Exclude<MattingMode, 'off'>, string> = {
  light: 'fba_light.onnx',
  full: 'fba_full.onnx',
};

export interface RefinerOptions {
  modelsDir: string;
  quality: Quality;
  live: boolean;
  threads?: number;
  providers?: string[];
  onMatte?: () => void;
  /** Weight of the matte against the segmentation in the band (FbaRefinerOptions.matteWeight). */
  matteWeight?: number;
}

/**
 * ms per matte (network, encoding and the upsampler's fit, on the matting thread), timed alone at start,
 * under which a size holds 30 fps and at least 15 mattes/s once matting shares the machine with the frame
 * loop: on the 2-core reference machine Performance timed 26-42 ms alone (start-up timings are noisy) and
 * just held 15 mattes/s at 1280x720 in the live run (bench/realtime.ts); Balanced timed 38-45 ms and fell
 * to 11-12. Below the fastest of those, so that noise does not pick a size this machine cannot hold.
 */
export const AUTO_BUDGET_MS = 25;

/**
 * Auto's size: the largest whose measured time fits the budget; performance when none does. Auto's rate
 * is the matting thread's own: a matte starts on the newest frame whenever the last is done, so matting
 * takes at most that thread's core and the frame loop never waits for it. Pure.
 */
export function pickAutoQuality(msPerQuality: Partial<Record<'performance' | 'balanced' | 'quality', number>>, budgetMs = AUTO_BUDGET_MS): Exclude<Quality, 'auto' | 'max'> {
  for (const q of ['quality', 'balanced'] as const) {
    const ms = msPerQuality[q];
    if (ms !== undefined && ms <= budgetMs) return q;
  }
  return 'performance';
}

const WARM_UP_RUNS = 3;
const TIMED_RUNS = 5;

/** Times the matter on a synthetic person-like trimap at each quality's size (median of a few runs). */
async function measureQualities(matter: Matter): Promise<Partial<Record<'performance' | 'balanced' | 'quality', number>>> {
  const out: Partial<Record<'performance' | 'balanced' | 'quality', number>> = {};
  for (const q of ['performance', 'balanced', 'quality'] as const) {
    const area = MATTING_AREA[q] as number;
    const width = Math.round(Math.sqrt((area * 3) / 4) / 8) * 8;
    const height = Math.round(area / width / 8) * 8;
    const image = { width, height, data: new Uint8Array(width * height * 4).fill(128) };
    const trimap = { width, height, data: new Uint8Array(width * height) };
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const r = Math.hypot((x - width / 2) / width, (y - height / 2) / height);
        trimap.data[y * width + x] = r < 0.25 ? 255 : r < 0.35 ? 128 : 0;
      }
    }
    // onnxruntime plans memory on the first runs of a new input size (they take several times longer),
    // and the first matte also makes the trimap's channels: those runs are not timed.
    for (let i = 0; i < WARM_UP_RUNS; i++) await matter.matte(image, trimap);
    const times: number[] = [];
    for (let i = 0; i < TIMED_RUNS; i++) {
      const t0 = performance.now();
      await matter.matte(image, trimap);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    out[q] = times[Math.floor(times.length / 2)];
  }
  return out;
}

export async function createRefiner(mode: MattingMode, opts: RefinerOptions): Promise<Refiner> {
  if (mode === 'off') return maskRefiner();
  const modelPath = join(opts.modelsDir, MATTING_MODELS[mode]);
  if (!existsSync(modelPath)) {
    const hint = mode === 'full' ? ' (export it from the authors\' checkpoint: /usr/bin/python3 training/export.py --weights FBA.pth)' : '';
    throw new EngineFailure('matting-unavailable', `matting model ${modelPath} is missing${hint}`);
  }
  // Live, the network runs on a thread of its own so the frame loop never waits on it (onnxruntime-node
  // runs inference on the calling thread); offline, each frame waits for its matte anyway.
  const make = opts.live ? createThreadedMatter : createMatter;
  const matter = await make({ modelPath, threads: opts.threads, providers: opts.providers });
  const quality = opts.quality === 'auto' ? pickAutoQuality(await measureQualities(matter)) : opts.quality;
  return new FbaRefiner({
    mode,
    matter,
    quality,
    live: opts.live,
    onMatte: opts.onMatte,
    matteWeight: opts.matteWeight,
  });
}
