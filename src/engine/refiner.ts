import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { MattingMode, Quality } from '../common/contract';
import { EngineFailure } from './failure';
import { FbaRefiner, MATTING_AREA } from './fba-refiner';
import type { FloatImage, Matte, RgbaImage } from './frame';
import type { AsyncTimer, Timer } from './session';
import { createMatter, type Matter } from './stages/matter';
import { createThreadedMatter } from './stages/matter-thread';
import { DEFAULT_GUIDED_UPSAMPLE, upsampleMask } from './stages/upsampler';

/**
 * The matting boundary: turns a frame and the person probability (at model resolution) into a
 * full-resolution matte for the compositor. 'off' upsamples the soft mask; 'light' and 'full' run FBA.
 */
export interface Refiner {
  readonly mode: MattingMode;
  refine(frame: RgbaImage, prob: FloatImage, timeAsync: AsyncTimer, time: Timer): Promise<Matte>;
  dispose(): Promise<void>;
}

export function maskRefiner(): Refiner {
  return {
    mode: 'off',
    async refine(frame, prob, _timeAsync, time) {
      return time('upsample', () => upsampleMask(prob, frame.width, frame.height));
    },
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
 * ms per matte, timed alone at start, that holds the frame rate once matting shares the machine with
 * segmentation and compositing: on the 2-core reference machine a size timed at 17 ms alone ran at
 * 15-25 mattes/s in the live run (bench/realtime.ts), one timed at about 33 ms fell to 10.
 */
export const AUTO_BUDGET_MS = 20;

/** The most of the machine's cores Auto lets matting take: the frame loop and the outputs need the rest. */
export const AUTO_MATTING_CORES = 0.5;
/** Matting faster than the camera delivers frames buys nothing: there is no newer frame to mat. */
const MAX_MATTING_HZ = 30;

/** The largest matting size whose measured time fits the budget; performance when none does. Pure. */
export function pickAutoQuality(msPerQuality: Partial<Record<'performance' | 'balanced' | 'quality', number>>, budgetMs = AUTO_BUDGET_MS): Exclude<Quality, 'auto' | 'max'> {
  for (const q of ['quality', 'balanced'] as const) {
    const ms = msPerQuality[q];
    if (ms !== undefined && ms <= budgetMs) return q;
  }
  return 'performance';
}

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
    const times: number[] = [];
    for (let i = 0; i < 4; i++) {
      const t0 = performance.now();
      await matter.matte(image, trimap);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    out[q] = times[Math.floor(times.length / 2)];
  }
  return out;
}

/**
 * Auto's choice: the largest size that fits the per-matte budget, and the highest rate at which matting
 * at that size stays within AUTO_MATTING_CORES of the machine (at most the camera's rate). Pure.
 */
export function pickAuto(
  msPerQuality: Partial<Record<'performance' | 'balanced' | 'quality', number>>,
  budgetMs = AUTO_BUDGET_MS,
): { quality: Exclude<Quality, 'auto' | 'max'>; maxHz: number } {
  const quality = pickAutoQuality(msPerQuality, budgetMs);
  const ms = msPerQuality[quality];
  const maxHz = ms && ms > 0 ? Math.max(1, Math.min(MAX_MATTING_HZ, Math.floor((1000 * AUTO_MATTING_CORES) / ms))) : MAX_MATTING_HZ;
  return { quality, maxHz };
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
  const matter = await make({ modelPath, threads: opts.threads, providers: opts.providers, fit: DEFAULT_GUIDED_UPSAMPLE });
  const auto = opts.quality === 'auto' ? pickAuto(await measureQualities(matter)) : null;
  return new FbaRefiner({
    mode,
    matter,
    quality: auto ? auto.quality : (opts.quality as Exclude<Quality, 'auto'>),
    maxHz: auto?.maxHz,
    live: opts.live,
    onMatte: opts.onMatte,
    matteWeight: opts.matteWeight,
  });
}
