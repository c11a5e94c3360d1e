import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { floatImage, rgbaImage, type RgbaImage } from '../../src/frame';
import { cropResizeRgba, resizePlane } from '../../src/engine/pixels/resize';
import { convertTfliteToOnnx } from '../../tools/tflite/convert';
import { ContestantUnavailable, StageClock, type Contestant } from './contestant';
import { CACHE_DIR, openPeerSession, PEERS_DIR, type PeerSession } from './ort';

/**
 * backscrub (floe/backscrub, lib/libbackscrub.cc) with its TFLite models, converted to ONNX by Backdrop's
 * own converter (src/engine/models/tflite/). Its pipeline: the centre of the frame at the model's aspect
 * (outside it the mask stays background), bilinear resize, a 5 px bilateral filter, RGB / 255; a hard
 * threshold per model; a temporal filter on the 8-bit mask that keeps the new decision in the top three
 * bits and the previous value shifted down by three below them; bilinear upsample and a 5x5 box blur.
 * Its mask is a background weight: 255 shows the background.
 */

export type BackscrubModel = 'meet-full' | 'meet-lite' | 'mlkit-selfie';

interface Spec {
  file: string;
  label: string;
  /** 'logits': two-class Meet logits (person is class 1); 'probability': ML Kit's sigmoid output. */
  output: 'logits' | 'probability';
}

export const BACKSCRUB_MODELS: Record<BackscrubModel, Spec> = {
  'meet-full': { file: 'segm_full_v679.tflite', label: 'Meet full', output: 'logits' },
  'meet-lite': { file: 'segm_lite_v681.tflite', label: 'Meet lite', output: 'logits' },
  'mlkit-selfie': { file: 'selfiesegmentation_mlkit-256x256-2021_01_19-v1215.f16.tflite', label: 'ML Kit selfie', output: 'probability' },
};

/** The centre part of a frame with the model's aspect (backscrub's roidim), in frame pixels. */
export function centreRoi(width: number, height: number, modelWidth: number, modelHeight: number): { x: number; y: number; width: number; height: number } {
  const modelRatio = modelHeight / modelWidth;
  if (height / width < modelRatio) {
    const w = Math.trunc(height / modelRatio);
    return { x: Math.trunc((width - w) / 2), y: 0, width: w, height };
  }
  return { x: 0, y: 0, width, height };
}

/**
 * cv::bilateralFilter(d = 5, sigmaColor, sigmaSpace) on RGB: a disc of radius 2, spatial weight
 * exp(-r^2 / 2 sigmaSpace^2), colour weight exp(-L1^2 / 2 sigmaColor^2) with L1 the summed channel
 * difference; edges replicated (OpenCV reflects, which only matters at the outermost two pixels).
 */
export function bilateral5(image: RgbaImage, sigmaColor: number, sigmaSpace: number): RgbaImage {
  const { width, height, data } = image;
  const out = rgbaImage(width, height);
  const taps: { dx: number; dy: number; w: number }[] = [];
  for (let dy = -2; dy <= 2; dy++) {
    for (let dx = -2; dx <= 2; dx++) {
      const r2 = dx * dx + dy * dy;
      if (r2 <= 4) taps.push({ dx, dy, w: Math.exp(-r2 / (2 * sigmaSpace * sigmaSpace)) });
    }
  }
  const colourCoeff = -0.5 / (sigmaColor * sigmaColor);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 4;
      let sr = 0;
      let sg = 0;
      let sb = 0;
      let sw = 0;
      for (const t of taps) {
        const q = (Math.min(height - 1, Math.max(0, y + t.dy)) * width + Math.min(width - 1, Math.max(0, x + t.dx))) * 4;
        const l1 = Math.abs(data[q] - data[p]) + Math.abs(data[q + 1] - data[p + 1]) + Math.abs(data[q + 2] - data[p + 2]);
        const w = t.w * Math.exp(l1 * l1 * colourCoeff);
        sr += w * data[q];
        sg += w * data[q + 1];
        sb += w * data[q + 2];
        sw += w;
      }
      out.data[p] = Math.round(sr / sw);
      out.data[p + 1] = Math.round(sg / sw);
      out.data[p + 2] = Math.round(sb / sw);
      out.data[p + 3] = 255;
    }
  }
  return out;
}

/** backscrub's temporal filter on one pixel: the new decision (0 person, 255 background) in the top three bits. */
export function bitMix(decision: number, previous: number): number {
  return (decision & 0xe0) | (previous >> 3);
}

/** cv::blur with a 5x5 box on an 8-bit plane, edges replicated, rounded. */
export function boxBlur5(plane: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(plane.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let dy = -2; dy <= 2; dy++) {
        const yy = Math.min(height - 1, Math.max(0, y + dy)) * width;
        for (let dx = -2; dx <= 2; dx++) s += plane[yy + Math.min(width - 1, Math.max(0, x + dx))];
      }
      out[y * width + x] = Math.round(s / 25);
    }
  }
  return out;
}

/** Converts the TFLite file once into the cache; the converter's error says why when it cannot. */
function convertedModel(name: string, spec: Spec): string {
  const source = join(PEERS_DIR, 'backscrub', spec.file);
  if (!existsSync(source)) throw new ContestantUnavailable(name, `${source} is missing`);
  const target = join(CACHE_DIR, 'peers', spec.file.replace(/\.tflite$/, '.onnx'));
  if (existsSync(target)) return target;
  let onnx: Uint8Array;
  try {
    onnx = convertTfliteToOnnx(readFileSync(source), spec.file).onnx;
  } catch (error) {
    throw new ContestantUnavailable(name, `Backdrop's TFLite->ONNX converter cannot convert it yet: ${(error as Error).message}`);
  }
  mkdirSync(join(CACHE_DIR, 'peers'), { recursive: true });
  writeFileSync(`${target}.partial`, onnx);
  renameSync(`${target}.partial`, target);
  return target;
}

export function backscrubContestant(model: BackscrubModel, threads = 1): Contestant {
  const spec = BACKSCRUB_MODELS[model];
  const name = `backscrub (${spec.label})`;
  const clock = new StageClock();
  let peer: PeerSession | null = null;
  let mw = 0;
  let mh = 0;
  let small = new Uint8Array(0);

  return {
    name,
    detail: `${spec.file} converted by src/engine/models/tflite, centre crop to the model's aspect, bilateral 5 px, ${spec.output === 'logits' ? 'softmax person > background' : 'probability > 0.65'}, bit-mixing temporal filter, 5x5 box blur; ${threads} thread(s)`,
    get lastStagesMs() {
      return clock.stagesMs;
    },
    async prepare() {
      if (peer) return;
      peer = await openPeerSession(name, convertedModel(name, spec), threads);
      const shape = peer.session.inputMetadata[0];
      if (!shape.isTensor || shape.shape.length !== 4) throw new ContestantUnavailable(name, 'the converted model has no 4-D image input');
      [mh, mw] = [Number(shape.shape[2]), Number(shape.shape[3])];
      small = new Uint8Array(mw * mh);
    },
    async alpha(frame: RgbaImage) {
      if (!peer) throw new Error(`${name}: prepare() was not called`);
      const session = peer.session;
      clock.start();
      const roi = centreRoi(frame.width, frame.height, mw, mh);
      const output = await clock.timeAsync('segment', async () => {
        const filtered = bilateral5(cropResizeRgba(frame, roi, mw, mh), 100, 100);
        const plane = mw * mh;
        const input = new Float32Array(3 * plane);
        for (let i = 0; i < plane; i++) for (let c = 0; c < 3; c++) input[c * plane + i] = filtered.data[i * 4 + c] / 255;
        const result = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, [1, 3, mh, mw]) });
        return result[session.outputNames[0]].data as Float32Array;
      });
      return clock.time('upsample', () => {
        const plane = mw * mh;
        for (let i = 0; i < plane; i++) {
          const person = spec.output === 'logits' ? output[plane + i] > output[i] : output[i] > 0.65;
          small[i] = bitMix(person ? 0 : 255, small[i]);
        }
        const up = new Float32Array(roi.width * roi.height);
        resizePlane(new Float32Array(small), mw, mh, up, roi.width, roi.height);
        const rounded = new Uint8Array(up.length);
        for (let i = 0; i < up.length; i++) rounded[i] = Math.round(up[i]);
        const roiMask = boxBlur5(rounded, roi.width, roi.height);
        const alpha = floatImage(frame.width, frame.height);
        for (let y = 0; y < roi.height; y++) {
          for (let x = 0; x < roi.width; x++) alpha.data[(y + roi.y) * frame.width + x + roi.x] = 1 - roiMask[y * roi.width + x] / 255;
        }
        return alpha;
      });
    },
    async reset() {
      small.fill(0);
    },
    async close() {
      await peer?.session.release();
      peer = null;
    },
  };
}
