import * as ort from 'onnxruntime-node';
import { EngineFailure } from '../../common/failure';
import { floatImage, rgbaImage, type FloatImage, type RgbaImage } from '../../frame';
import { GuardedSession } from '../models/guarded';
import { createOrtSession } from '../models/providers';
import { PixelError } from '../pixels/errors';
import { fitGuided, type GuidedFit, type GuidedOptions } from '../pixels/guided';
import { DEFAULT_GUIDED_UPSAMPLE } from '../stages/upsample';
import { sameGeometry, type Geometry } from '../stages/plan';
import { encodeFbaInput, paddedSize, type FbaInput } from './fba-encoding';
import { smoothMatte } from './smoothing';
import { bandOf, TRIMAP_BACKGROUND, TRIMAP_FOREGROUND, unknownBox, type Box, type Trimap } from '../pixels/trimap';

export type { FbaInput } from './fba-encoding';

/**
 * The FBA matting stage: image + trimap -> alpha and foreground colours at the same size. Only the
 * unknown band needs the network, so it runs on the band's bounding box plus context when that is
 * cheaper than the whole image, and known pixels are written straight from the trimap.
 */

export interface MatterOptions {
  modelPath: string;
  threads?: number;
  providers?: string[];
  /** Context in pixels kept around the unknown band when cropping; by default 5% of the long side, at least 16. */
  cropMargin?: number;
  /** The guided upsampler fitted to each matte here, where it is off the frame loop's thread; DEFAULT_GUIDED_UPSAMPLE by default. */
  fit?: GuidedOptions;
}

export interface MatteResult {
  alpha: FloatImage;
  /** RGBA, alpha channel 255; the image itself where the trimap is foreground. */
  foreground: RgbaImage;
  /** The guided upsampler fitted to this matte: always here, on the matter's side of the thread boundary. */
  fit: GuidedFit;
}

export interface Matter {
  /** Execution provider that actually runs the model. */
  readonly provider: string;
  readonly fellBack: boolean;
  /**
   * `region`: where the image was cropped from. A matte of the same region as the previous call's (the
   * same crop at the same size, a moment later) is smoothed with the previous one; the matter alone keeps
   * that memory and makes that decision. Without a region nothing is smoothed.
   */
  matte(image: RgbaImage, trimap: Trimap, region?: Geometry): Promise<MatteResult>;
  dispose(): Promise<void>;
}

/** Runs the network on encoded inputs and returns its [1, 7, H, W] output (alpha, F rgb, B rgb). */
export type FbaRunner = (input: FbaInput) => Promise<Float32Array>;

/** Pay for a crop's copying only when it saves at least this share of the network's pixels. */
const CROP_WORTH = 0.8;

/** The region to run the network on: the unknown box grown by `margin`, or the whole image when not cheaper. */
export function chooseCrop(box: Box, width: number, height: number, margin: number): Box {
  const grown = {
    x0: Math.max(0, box.x0 - margin),
    y0: Math.max(0, box.y0 - margin),
    x1: Math.min(width, box.x1 + margin),
    y1: Math.min(height, box.y1 + margin),
  };
  const cropCost = paddedSize(grown.x1 - grown.x0) * paddedSize(grown.y1 - grown.y0);
  const fullCost = paddedSize(width) * paddedSize(height);
  return cropCost <= CROP_WORTH * fullCost ? grown : { x0: 0, y0: 0, x1: width, y1: height };
}

function cropImage(image: RgbaImage, box: Box): RgbaImage {
  const w = box.x1 - box.x0;
  const out = rgbaImage(w, box.y1 - box.y0);
  for (let y = box.y0; y < box.y1; y++) {
    const from = (y * image.width + box.x0) * 4;
    out.data.set(image.data.subarray(from, from + w * 4), (y - box.y0) * w * 4);
  }
  return out;
}

function cropTrimap(trimap: Trimap, box: Box): Trimap {
  const w = box.x1 - box.x0;
  const h = box.y1 - box.y0;
  const data = new Uint8Array(w * h);
  for (let y = box.y0; y < box.y1; y++) {
    const from = y * trimap.width + box.x0;
    data.set(trimap.data.subarray(from, from + w), (y - box.y0) * w);
  }
  return { width: w, height: h, data };
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/** The matting stage around any runner: the ONNX session in the app, a stand-in in tests. */
export function matterFromRunner(
  run: FbaRunner,
  info: { provider: string; fellBack: boolean; dispose?: () => Promise<void> },
  cropMargin?: number,
  fit?: GuidedOptions,
): Matter {
  if (cropMargin !== undefined && (!Number.isInteger(cropMargin) || cropMargin < 0)) {
    throw new PixelError(`matting crop margin must be an integer >= 0, got ${cropMargin}`);
  }
  // Reused between calls, but never while a run may still be reading it.
  let spare: FbaInput | undefined;
  let previous: { image: Uint8Array; alpha: Float32Array; band: Uint8Array; region: Geometry | undefined; width: number; height: number } | null = null;
  const guided = fit ?? DEFAULT_GUIDED_UPSAMPLE;
  const finish = (image: RgbaImage, trimap: Trimap, result: Omit<MatteResult, 'fit'>, region: Geometry | undefined): MatteResult => {
    const { width, height } = image;
    const band = bandOf(trimap);
    const prev = previous;
    const continues = region !== undefined && prev?.region !== undefined && sameGeometry(prev.region, region);
    if (continues && prev && prev.width === width && prev.height === height) {
      // Only where the previous matte was the network's too: elsewhere it holds a trimap's hard 0 or 1.
      const both = band.map((b, i) => b & prev.band[i]);
      smoothMatte(prev.image, prev.alpha, image.data, result.alpha.data, both, width, height);
    }
    previous = { image: image.data.slice(), alpha: result.alpha.data.slice(), band, region, width, height };
    return { ...result, fit: fitGuided({ guide: image, alpha: result.alpha, foreground: result.foreground, band }, guided) };
  };

  return {
    provider: info.provider,
    fellBack: info.fellBack,
    async matte(image, trimap, region) {
      const { width: w, height: h } = image;
      if (trimap.width !== w || trimap.height !== h) throw new PixelError(`trimap is ${trimap.width}x${trimap.height}, image ${w}x${h}`);
      if (image.data.length !== w * h * 4) throw new PixelError(`image holds ${image.data.length} bytes, ${w}x${h} RGBA needs ${w * h * 4}`);
      if (trimap.data.length !== w * h) throw new PixelError(`trimap holds ${trimap.data.length} values, needs ${w * h}`);
      const n = w * h;
      const alpha = floatImage(w, h);
      const foreground = rgbaImage(w, h, image.data.slice());
      const t = trimap.data;
      for (let i = 0; i < n; i++) {
        if (t[i] === TRIMAP_FOREGROUND) alpha.data[i] = 1;
        foreground.data[4 * i + 3] = 255;
      }
      const box = unknownBox(trimap);
      if (!box) return finish(image, trimap, { alpha, foreground }, region);

      const margin = cropMargin ?? Math.max(16, Math.round(0.05 * Math.max(w, h)));
      const crop = chooseCrop(box, w, h, margin);
      const whole = crop.x1 - crop.x0 === w && crop.y1 - crop.y0 === h;
      const encoded = encodeFbaInput(whole ? image : cropImage(image, crop), whole ? trimap : cropTrimap(trimap, crop), spare);
      spare = undefined;
      const out = await run(encoded);
      const pw = encoded.width;
      const np = pw * encoded.height;
      if (out.length !== 7 * np) {
        throw new EngineFailure('internal', `matting model returned ${out.length} values, expected 7x${encoded.height}x${pw}`);
      }
      const a = alpha.data;
      const f = foreground.data;
      for (let y = crop.y0; y < crop.y1; y++) {
        for (let x = crop.x0; x < crop.x1; x++) {
          const i = y * w + x;
          const label = t[i];
          if (label === TRIMAP_FOREGROUND) continue;
          const c = (y - crop.y0) * pw + (x - crop.x0);
          // F is kept in known background too: the upsampler interpolates it across the band's edge.
          f[4 * i] = clamp01(out[np + c]) * 255 + 0.5;
          f[4 * i + 1] = clamp01(out[2 * np + c]) * 255 + 0.5;
          f[4 * i + 2] = clamp01(out[3 * np + c]) * 255 + 0.5;
          if (label !== TRIMAP_BACKGROUND) a[i] = clamp01(out[c]);
        }
      }
      spare = encoded;
      return finish(image, trimap, { alpha, foreground }, region);
    },
    async dispose() {
      await info.dispose?.();
    },
  };
}

const INPUTS = ['image', 'trimap2', 'image_n', 'trimap6'] as const;
const CHANNELS: Record<(typeof INPUTS)[number], number> = { image: 3, trimap2: 2, image_n: 3, trimap6: 6 };

/** Loads the FBA model (inputs image, trimap2, image_n, trimap6; output `output` [1, 7, H, W]). */
export async function createMatter(opts: MatterOptions): Promise<Matter> {
  let created: Awaited<ReturnType<typeof createOrtSession>>;
  try {
    created = await createOrtSession(opts.modelPath, { threads: opts.threads, providers: opts.providers });
  } catch (error) {
    throw new EngineFailure('model-load-failed', `matting model ${opts.modelPath} could not be loaded: ${(error as Error).message}`);
  }
  const { session } = created;
  const missing = INPUTS.filter((name) => !session.inputNames.includes(name));
  if (missing.length > 0 || !session.outputNames.includes('output')) {
    await session.release();
    throw new EngineFailure(
      'model-load-failed',
      `${opts.modelPath} is not an FBA model: it needs inputs ${INPUTS.join(', ')} and output 'output', has ${session.inputNames.join(', ')} -> ${session.outputNames.join(', ')}`,
    );
  }
  const guarded = new GuardedSession(session);
  const run: FbaRunner = async (enc) => {
    const feeds: Record<string, ort.Tensor> = {};
    for (const name of INPUTS) feeds[name] = new ort.Tensor('float32', enc[name], [1, CHANNELS[name], enc.height, enc.width]);
    const result = await guarded.run(feeds);
    const output = result.output;
    const dims = output.dims;
    if (dims.length !== 4 || dims[1] !== 7 || dims[2] !== enc.height || dims[3] !== enc.width) {
      throw new EngineFailure('internal', `matting model output is [${dims.join(', ')}], expected [1, 7, ${enc.height}, ${enc.width}]`);
    }
    return output.data as Float32Array;
  };
  return matterFromRunner(run, { provider: created.provider, fellBack: created.fellBack, dispose: () => guarded.release() }, opts.cropMargin, opts.fit);
}
