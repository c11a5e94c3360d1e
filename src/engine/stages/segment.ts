import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { MAX_FRAME_HEIGHT, MAX_FRAME_WIDTH } from '../../common/contract';
import { floatImage, type FloatImage, type RgbaImage } from '../../frame';
import { GuardedSession } from '../models/guarded';
import { createOrtSession, ModelLoadError, type ProviderFailure } from '../models/providers';
import { resizeRgbaToRgbFloat } from '../pixels/resize';

/**
 * The segment stage: person segmentation with MediaPipe's selfie segmentation models (converted to ONNX at install, see
 * scripts/build-models.ts). Preprocessing follows MediaPipe's SelfieSegmentation graph
 * (mediapipe/modules/selfie_segmentation/selfie_segmentation_*.pbtxt): ImageToTensorCalculator stretches the
 * whole frame to the model size (keep_aspect_ratio: false, bilinear with pixel centres aligned) and maps
 * 0..255 to [0, 1]; the model ends in a sigmoid, so its output already is the person probability
 * (TensorsToSegmentationCalculator, activation: NONE).
 */

export type SegmentationModel = 'general' | 'landscape';

/** Picks the MediaPipe model whose input shape wastes least of the frame: landscape for wide frames. */
export function modelFor(width: number, height: number): 'general' | 'landscape' {
  return width / height > 1.3 ? 'landscape' : 'general';
}

export const SEGMENTATION_MODELS: Record<SegmentationModel, { file: string; width: number; height: number }> = {
  general: { file: 'selfie_segmentation.onnx', width: 256, height: 256 },
  landscape: { file: 'selfie_segmentation_landscape.onnx', width: 256, height: 144 },
};

/** A frame the segmenter cannot read. The engine reports it as 'bad-frame' (see EngineFailure.from). */
export class FrameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrameError';
  }
}

export interface SegmenterOptions {
  model: SegmentationModel;
  modelsDir: string;
  threads?: number;
  providers?: string[];
}

export interface Segmenter {
  readonly provider: string;
  /** Providers tried before `provider`, and why each failed. */
  readonly fallbacks: readonly ProviderFailure[];
  /** Model resolution: the size of every mask segment() returns. */
  readonly width: number;
  readonly height: number;
  /** Person probability in [0, 1] at model resolution; the engine upsamples. */
  segment(frame: RgbaImage): Promise<FloatImage>;
  /** The model's input for a frame: planar RGB in [0, 1] at model resolution, in a buffer of its own. */
  prepare(frame: RgbaImage): Float32Array;
  /** The person probability of a prepared input. */
  infer(input: Float32Array): Promise<FloatImage>;
  dispose(): Promise<void>;
}

export function assertFrame(frame: RgbaImage): void {
  if (typeof frame !== 'object' || frame === null) throw new FrameError('frame must be an RGBA image object');
  const { width, height, data } = frame;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new FrameError(`frame size must be positive integers, got ${String(width)}x${String(height)}`);
  }
  if (width > MAX_FRAME_WIDTH || height > MAX_FRAME_HEIGHT) {
    throw new FrameError(`frame ${width}x${height} exceeds the ${MAX_FRAME_WIDTH}x${MAX_FRAME_HEIGHT} limit`);
  }
  if (!(data instanceof Uint8Array)) {
    throw new FrameError(`frame pixels must be a Uint8Array of RGBA bytes, got ${Object.prototype.toString.call(data).slice(8, -1)}`);
  }
  if (data.length !== width * height * 4) {
    throw new FrameError(`frame ${width}x${height} RGBA needs ${width * height * 4} bytes, got ${data.length}`);
  }
}

export async function createSegmenter(opts: SegmenterOptions): Promise<Segmenter> {
  const spec = SEGMENTATION_MODELS[opts.model];
  if (!spec) throw new RangeError(`unknown segmentation model ${JSON.stringify(opts.model)}; use 'general' or 'landscape'`);
  const { width, height } = spec;
  const path = join(opts.modelsDir, spec.file);
  const { session, provider, failures } = await createOrtSession(path, { threads: opts.threads, providers: opts.providers });

  const inputName = session.inputNames[0];
  const outputName = session.outputNames[0];
  const shapeOf = (meta: ort.InferenceSession.ValueMetadata | undefined): string => (meta?.isTensor ? meta.shape.join('x') : '?');
  const inShape = shapeOf(session.inputMetadata[0]);
  const outShape = shapeOf(session.outputMetadata[0]);
  if (session.inputNames.length !== 1 || inShape !== `1x3x${height}x${width}` || outShape !== `1x1x${height}x${width}`) {
    await session.release();
    throw new ModelLoadError(path, `expected one input 1x3x${height}x${width} and output 1x1x${height}x${width}, found ${inShape} -> ${outShape}; rebuild it with npm run postinstall`);
  }

  const guarded = new GuardedSession(session);
  // Each input is a buffer of its own: the engine keeps the last one to tell whether the next frame changed.
  const prepare = (frame: RgbaImage): Float32Array => {
    assertFrame(frame);
    return resizeRgbaToRgbFloat(frame, width, height, new Float32Array(3 * width * height));
  };
  const infer = async (input: Float32Array): Promise<FloatImage> => {
    if (input.length !== 3 * width * height) throw new FrameError(`segmenter input holds ${input.length} values, needs ${3 * width * height}`);
    const result = await guarded.run({ [inputName]: new ort.Tensor('float32', input, [1, 3, height, width]) });
    return floatImage(width, height, result[outputName].data as Float32Array);
  };

  return {
    provider,
    fallbacks: failures,
    width,
    height,
    segment: async (frame) => infer(prepare(frame)),
    prepare,
    infer,
    dispose: () => guarded.release(),
  };
}
