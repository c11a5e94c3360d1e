import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { RgbaImage } from '../../frame';
import { GuardedSession } from '../models/guarded';
import { createOrtSession, ModelLoadError, type ProviderFailure } from '../models/providers';
import { letterboxFor, letterboxRgbaToRgbFloat, type Letterbox } from '../pixels/letterbox';
import { decodeDetections, FACE_MODELS, removeLetterbox, ssdAnchors, weightedNonMaxSuppression, type FaceDetection, type FaceModel } from './detection';

/**
 * MediaPipe's face detector (BlazeFace, converted to ONNX at install, see scripts/build-models.ts) run as
 * MediaPipe's FaceDetectionShortRange / FaceDetectionFullRange graphs run it: the frame letterboxed into
 * the square input as RGB in [-1, 1], the model, then detection.ts's decoding, weighted NMS and letterbox
 * removal. Detections come back normalised to the frame.
 */

export interface FaceDetectorOptions {
  model: FaceModel;
  modelsDir: string;
  threads?: number;
  providers?: string[];
  /** Overrides the graph's min_score_thresh (MediaPipe's minDetectionConfidence). */
  minScore?: number;
}

export interface FaceDetector {
  readonly model: FaceModel;
  readonly provider: string;
  readonly fallbacks: readonly ProviderFailure[];
  /** Faces, best first, normalised to the frame. */
  detect(frame: RgbaImage): Promise<FaceDetection[]>;
  /** Faces in model-input coordinates, before the letterbox is removed (what the parity test compares). */
  detectInInput(frame: RgbaImage): Promise<{ detections: FaceDetection[]; letterbox: Letterbox }>;
  dispose(): Promise<void>;
}

export async function createFaceDetector(opts: FaceDetectorOptions): Promise<FaceDetector> {
  const spec = FACE_MODELS[opts.model];
  if (!spec) throw new RangeError(`unknown face model ${JSON.stringify(opts.model)}; use 'short' or 'full'`);
  const path = join(opts.modelsDir, spec.file);
  const { session, provider, failures } = await createOrtSession(path, { threads: opts.threads, providers: opts.providers });
  const anchors = ssdAnchors(spec.anchors);
  const count = anchors.length / 4;
  const { size } = spec;
  const shapes = session.outputMetadata.map((m) => (m.isTensor ? m.shape.join('x') : '?'));
  const expected = [`1x${count}x${spec.decode.numCoords}`, `1x${count}x1`];
  if (session.inputNames.length !== 1 || shapes.join() !== expected.join()) {
    await session.release();
    throw new ModelLoadError(path, `expected one input and outputs ${expected.join(', ')}, found ${shapes.join(', ')}; rebuild it with npm run postinstall`);
  }
  const [inputName] = session.inputNames;
  const [boxesName, scoresName] = session.outputNames;
  const decode = { ...spec.decode, minScoreThresh: opts.minScore ?? spec.decode.minScoreThresh };
  const guarded = new GuardedSession(session);

  const detectInInput = async (frame: RgbaImage) => {
    const letterbox = letterboxFor(frame.width, frame.height, size);
    // Per call, so overlapping calls never share an input (it is 200 kB at most).
    const input = letterboxRgbaToRgbFloat(frame, letterbox, new Float32Array(3 * size * size));
    const out = await guarded.run({ [inputName]: new ort.Tensor('float32', input, [1, 3, size, size]) });
    const raw = decodeDetections(out[boxesName].data as Float32Array, out[scoresName].data as Float32Array, anchors, decode);
    return { detections: weightedNonMaxSuppression(raw, decode.minSuppressionThreshold), letterbox };
  };

  return {
    model: opts.model,
    provider,
    fallbacks: failures,
    detectInInput,
    async detect(frame) {
      const { detections, letterbox } = await detectInInput(frame);
      return detections.map((d) => removeLetterbox(d, letterbox));
    },
    dispose: () => guarded.release(),
  };
}
