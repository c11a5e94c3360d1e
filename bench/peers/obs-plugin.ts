import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { floatImage, type FloatImage, type RgbaImage } from '../../src/frame';
import { resizeRgbaToRgbFloat } from '../../src/engine/pixels/resize';
import { StageClock, type Contestant } from './contestant';
import { minMaxNormalise, OBS_DEFAULTS, obsMaskStep, psnr, upsampleBinary, type ObsSettings } from './obs-postprocess';
import { openPeerSession, PEERS_DIR, planarToNhwc, type PeerSession } from './ort';

/**
 * The OBS background-removal plugin's pipeline with one of its own models: the frame squeezed to the
 * model's input (cv::resize, bilinear, aspect ignored), each model's pre- and post-processing as the
 * plugin's src/models/*.hpp define it, then the plugin's mask post-processing (obs-postprocess.ts) at its
 * default settings, including its skip of frames that look like the last one. The mask it outputs is
 * binary: the plugin blends the frame over the background with it.
 */

export type ObsModel = 'selfie' | 'meet' | 'sinet';

interface ModelSpec {
  file: string;
  label: string;
  width: number;
  height: number;
  /** Fills the model's input from planar RGB in [0, 1] at the model's size. */
  input(planar: Float32Array, out: Float32Array): ort.Tensor;
  /** The plugin's postprocessOutput: the person score in [0, 1] at model resolution. */
  score(output: ort.Tensor): Float32Array;
}

const SINET_MEAN = [102.890434, 111.25247, 126.91212];
const SINET_STD = [62.93292, 62.82138, 66.355705];

export const OBS_MODELS: Record<ObsModel, ModelSpec> = {
  // ModelSelfie: NHWC RGB / 255; the output is min-max normalised per frame.
  selfie: {
    file: 'selfie_segmentation.onnx',
    label: 'MediaPipe selfie (general)',
    width: 256,
    height: 256,
    input: (planar, out) => new ort.Tensor('float32', planarToNhwc(planar, 256 * 256, out), [1, 256, 256, 3]),
    score: (output) => minMaxNormalise((output.data as Float32Array).slice()),
  },
  // ModelMediaPipe (Meet): NHWC RGB / 255; the plugin takes channel 1 of the two-class logits as it is
  // (no softmax) and convertTo(CV_8U) saturates it, so a logit above 0.5 already passes the 0.5 threshold.
  meet: {
    file: 'mediapipe.onnx',
    label: 'MediaPipe Meet',
    width: 256,
    height: 144,
    input: (planar, out) => new ort.Tensor('float32', planarToNhwc(planar, 256 * 144, out), [1, 144, 256, 3]),
    score: (output) => {
      const d = output.data as Float32Array;
      const out = new Float32Array(d.length / 2);
      for (let i = 0; i < out.length; i++) out[i] = d[2 * i + 1];
      return out;
    },
  },
  // ModelSINET: NCHW, (x - mean) / (std * 255) on 0..255 RGB, exactly as the plugin writes it; the graph
  // ends in a softmax and the plugin takes class 1.
  sinet: {
    file: 'SINet_Softmax_simple.onnx',
    label: 'SINet',
    width: 320,
    height: 320,
    input: (planar, out) => {
      const plane = 320 * 320;
      for (let c = 0; c < 3; c++) {
        for (let i = 0; i < plane; i++) out[c * plane + i] = (planar[c * plane + i] * 255 - SINET_MEAN[c]) / (SINET_STD[c] * 255);
      }
      return new ort.Tensor('float32', out, [1, 3, 320, 320]);
    },
    score: (output) => (output.data as Float32Array).slice(320 * 320, 2 * 320 * 320),
  },
};

export function obsPluginContestant(model: ObsModel, threads = 1, settings: ObsSettings = OBS_DEFAULTS): Contestant {
  const spec = OBS_MODELS[model];
  const name = `OBS plugin (${spec.label})`;
  const clock = new StageClock();
  const planar = new Float32Array(3 * spec.width * spec.height);
  const input = new Float32Array(3 * spec.width * spec.height);
  let peer: PeerSession | null = null;
  let lastBlended: Uint8Array | null = null;
  let lastImage: Uint8Array | null = null;
  let lastAlpha: FloatImage | null = null;

  return {
    name,
    detail: `${spec.file} ${spec.width}x${spec.height}, ${threads} thread(s); threshold ${settings.threshold}, temporal smooth ${settings.temporalSmoothFactor}, contour filter ${settings.contourFilter}, smooth contour ${settings.smoothContour}, skip frames over ${settings.imageSimilarityThreshold} dB PSNR`,
    get lastStagesMs() {
      return clock.stagesMs;
    },
    async prepare() {
      peer ??= await openPeerSession(name, join(PEERS_DIR, 'obs-backgroundremoval', spec.file), threads);
    },
    async alpha(frame: RgbaImage) {
      if (!peer) throw new Error(`${name}: prepare() was not called`);
      const session = peer.session;
      clock.start();
      const similar =
        settings.enableImageSimilarity &&
        lastImage !== null &&
        lastAlpha !== null &&
        lastImage.length === frame.data.length &&
        psnr(lastImage, frame.data) > settings.imageSimilarityThreshold;
      if (similar && lastAlpha) return lastAlpha;
      if (settings.enableImageSimilarity) lastImage = frame.data.slice();

      const score = await clock.timeAsync('segment', async () => {
        resizeRgbaToRgbFloat(frame, spec.width, spec.height, planar);
        const result = await session.run({ [session.inputNames[0]]: spec.input(planar, input) });
        return spec.score(result[session.outputNames[0]]);
      });
      const alpha = clock.time('upsample', () => {
        const { blended, mask } = obsMaskStep(score, spec.width, spec.height, lastBlended, settings);
        lastBlended = blended;
        const background = upsampleBinary(mask, spec.width, spec.height, frame.width, frame.height);
        const out = floatImage(frame.width, frame.height);
        for (let i = 0; i < background.length; i++) out.data[i] = background[i] ? 0 : 1;
        return out;
      });
      lastAlpha = alpha;
      return alpha;
    },
    async reset() {
      lastBlended = null;
      lastImage = null;
      lastAlpha = null;
    },
    async close() {
      await peer?.session.release();
      peer = null;
    },
  };
}
