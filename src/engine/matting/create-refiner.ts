import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { MattingMode, Quality } from '../../common/contract';
import { EngineFailure } from '../../common/failure';
import { MATTING_AREA } from '../stages/plan';
import { FbaRefiner } from './fba-refiner';
import { createMatter, type Matter } from './matter';
import { maskRefiner, type Refiner } from './refiner';
import { createThreadedMatter } from './thread';
import { machineKey, modelHash, readAutoCache, writeAutoCache, type QualityTimes } from './auto-cache';

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
  /** Where Auto's measurements are kept between starts (auto-cache.ts); without it Auto measures every time. */
  cacheDir?: string;
  /** Aborted when the refiner is no longer wanted: Auto stops measuring, and the matter is released. */
  signal?: AbortSignal;
}

/** A refiner and what making it cost, for the start-up figures. */
export interface CreatedRefiner {
  refiner: Refiner;
  /** ms to load the model and run it once (on its thread, live). */
  loadMs: number;
  /** ms Auto spent measuring; 0 when its figures came from the cache, null when the quality was not Auto. */
  autoMs: number | null;
  autoCached: boolean;
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
async function measureQualities(matter: Matter, signal: AbortSignal | undefined): Promise<QualityTimes> {
  const out: QualityTimes = {};
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
    for (let i = 0; i < WARM_UP_RUNS; i++) {
      signal?.throwIfAborted();
      await matter.matte(image, trimap);
    }
    const times: number[] = [];
    for (let i = 0; i < TIMED_RUNS; i++) {
      signal?.throwIfAborted();
      const t0 = performance.now();
      await matter.matte(image, trimap);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    out[q] = times[Math.floor(times.length / 2)];
  }
  return out;
}

export async function createRefiner(mode: MattingMode, opts: RefinerOptions): Promise<CreatedRefiner> {
  if (mode === 'off') return { refiner: maskRefiner(), loadMs: 0, autoMs: null, autoCached: false };
  const modelPath = join(opts.modelsDir, MATTING_MODELS[mode]);
  if (!existsSync(modelPath)) {
    const hint = mode === 'full' ? ' (export it from the authors\' checkpoint: /usr/bin/python3 training/export.py --weights FBA.pth)' : '';
    throw new EngineFailure('matting-unavailable', `matting model ${modelPath} is missing${hint}`);
  }
  const t0 = performance.now();
  // Live, the network runs on a thread of its own so the frame loop never waits on it (onnxruntime-node
  // runs inference on the calling thread); offline, each frame waits for its matte anyway.
  const make = opts.live ? createThreadedMatter : createMatter;
  const matter = await make({ modelPath, threads: opts.threads, providers: opts.providers });
  const loadMs = performance.now() - t0;
  let quality: Exclude<Quality, 'auto'>;
  let autoMs: number | null = null;
  let autoCached = false;
  if (opts.quality === 'auto') {
    const t1 = performance.now();
    const key = opts.cacheDir ? machineKey(modelHash(modelPath), matter.provider, opts.threads ?? 0) : null;
    let times = key && opts.cacheDir ? readAutoCache(opts.cacheDir, key) : null;
    autoCached = times !== null;
    if (!times) {
      try {
        times = await measureQualities(matter, opts.signal);
      } catch (error) {
        await matter.dispose();
        throw error;
      }
      if (key && opts.cacheDir) writeAutoCache(opts.cacheDir, key, times);
    }
    quality = pickAutoQuality(times);
    autoMs = performance.now() - t1;
  } else quality = opts.quality;
  const refiner = new FbaRefiner({
    mode,
    matter,
    quality,
    live: opts.live,
    onMatte: opts.onMatte,
    matteWeight: opts.matteWeight,
  });
  return { refiner, loadMs, autoMs, autoCached };
}
