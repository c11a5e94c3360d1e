import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RgbaImage } from '../../../../src/frame';
import { convertTfliteToOnnx, type ConvertedModel } from '../../../../tools/tflite/convert';
import type { MeetReferenceManifest } from '../../../fixtures/tflite-meet/generate-reference';
import { BACKSCRUB_DIR, decodeLogits, decodeProbability, MEET_MODELS, meetInput, meetModelBytes, personProbability, type MeetModel } from '../../../fixtures/tflite-meet/meet';
import { loadTestImage, rgbaSha256, TEST_IMAGES, unavailable } from '../../../fixtures/segmentation/images';
import { maskAgreement, type MaskAgreement } from '../../../fixtures/segmentation/masks';

/**
 * backscrub's Google Meet segmentation models (../shared/peers/backscrub), converted by Backdrop's TFLite
 * converter and run by onnxruntime, against what MediaPipe's own TFLite runtime (MediaPipe Tasks in
 * Chromium, CPU) computed from the original .tflite files on the same inputs (tests/fixtures/tflite-meet;
 * see generate-reference.ts there). Compared: the person probability (softmax of the two logits, what
 * backscrub thresholds) everywhere, and the raw logits where the reference keeps them.
 */

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/tflite-meet');
const manifest = JSON.parse(readFileSync(join(FIXTURES, 'reference.json'), 'utf8')) as MeetReferenceManifest;

const missingModels = (Object.values(MEET_MODELS) as { file: string }[])
  .map((m) => join(BACKSCRUB_DIR, m.file))
  .filter((path) => !existsSync(path));
const missing = missingModels.length > 0 ? `${missingModels.join(', ')} absent (backscrub's models in the shared data: $BACKDROP_SHARED, else ../shared, else /work/shared)` : null;
if (missing) console.log(`tflite-meet-parity skipped: ${missing}`);

/** With the very input bytes the reference had: float32 rounding only. */
const EXACT = { probMaxAbs: 1e-3, probMeanAbs: 1e-4, minIou: 0.999, logitMaxAbs: 2e-3, logitMeanAbs: 1e-4 };
/** Another ffmpeg may turn video frames into slightly different RGB: then only the segmentation must agree. */
const LOOSE = { probMeanAbs: 0.01, minIou: 0.99 };

const models = new Map<MeetModel, { converted: ConvertedModel; session: ort.InferenceSession }>();
const frames = new Map<string, Promise<RgbaImage>>();
const results: (MaskAgreement & { name: string; inputMatches: boolean; logits?: string })[] = [];

beforeAll(async () => {
  if (missing) return;
  for (const model of Object.keys(MEET_MODELS) as MeetModel[]) {
    const converted = convertTfliteToOnnx(meetModelBytes(model), MEET_MODELS[model].file);
    models.set(model, { converted, session: await ort.InferenceSession.create(converted.onnx, { intraOpNumThreads: 1 }) });
  }
});

afterAll(async () => {
  for (const m of models.values()) await m.session.release();
  if (results.length === 0) return;
  const rows = results.map((r) =>
    [r.name.padEnd(22), r.maxAbs.toExponential(2).padStart(9), r.meanAbs.toExponential(2).padStart(9), r.iou.toFixed(5), r.inputMatches ? 'same ' : 'DIFFERS', r.logits ?? ''].join('  '),
  );
  console.log(
    [
      `Meet parity vs ${manifest.runtime}`,
      `${'case'.padEnd(22)}  ${'max|dp|'.padStart(9)}  ${'mean|dp|'.padStart(9)}  IoU@0.5  input    logits max|d| / mean|d|`,
      ...rows,
    ].join('\n'),
  );
});

async function logitsOf(model: MeetModel, input: RgbaImage): Promise<Float32Array[]> {
  const { converted, session } = models.get(model)!;
  const plane = input.width * input.height;
  const x = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) for (let c = 0; c < 3; c++) x[c * plane + i] = input.data[i * 4 + c] / 255;
  const out = (await session.run({ [converted.input.name]: new ort.Tensor('float32', x, converted.input.shape) }))[converted.outputs[0].name];
  expect(out.dims).toEqual([1, 2, input.height, input.width]);
  const data = out.data as Float32Array;
  return [data.subarray(0, plane), data.subarray(plane, 2 * plane)];
}

function absDiff(a: Float32Array, b: Float32Array): { max: number; mean: number } {
  let max = 0;
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (d > max) max = d;
    sum += d;
  }
  return { max, mean: sum / a.length };
}

describe.skipIf(missing !== null)(`converted Meet models vs MediaPipe's TFLite runtime${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('both models convert to NCHW graphs without a Transpose, with the operators the Meet models add', () => {
    for (const [model, { converted }] of models) {
      const { width, height } = MEET_MODELS[model];
      expect(converted.input.shape).toEqual([1, 3, height, width]);
      expect(converted.outputs.map((o) => o.shape)).toEqual([[1, 2, height, width]]);
      expect(converted.operators).toMatchObject({ RELU6: 10, FULLY_CONNECTED: 12, CONCATENATION: 3, 'CUSTOM(Convolution2DTransposeBias)': 1 });
      expect(converted.onnxNodes.Transpose).toBeUndefined();
      expect(converted.onnxNodes).toMatchObject({ Clip: 10, Concat: 3, Conv: 31 + 11 + 12, ConvTranspose: 1 });
    }
  });

  for (const c of manifest.cases) {
    const image = TEST_IMAGES.find((i) => i.id === c.image);
    const why = image ? unavailable(image) : `unknown test image ${c.image}`;
    const name = `${c.image}/${c.model}`;
    it.skipIf(why !== null)(`${name}${why ? ` (skipped: ${why})` : ''}`, async () => {
      if (!image) throw new Error(`unknown test image ${c.image}`);
      let frame = frames.get(image.id);
      if (!frame) frames.set(image.id, (frame = loadTestImage(image)));
      const input = meetInput(await frame, c.model);
      expect([input.width, input.height]).toEqual([c.width, c.height]);
      const inputMatches = rgbaSha256(input) === c.inputSha256;

      const logits = await logitsOf(c.model, input);
      const plane = c.width * c.height;
      const agreement = maskAgreement(personProbability(logits[0], logits[1]), decodeProbability(readFileSync(join(FIXTURES, c.probability)), plane));
      let logitSummary: string | undefined;
      if (c.logits) {
        const reference = decodeLogits(readFileSync(join(FIXTURES, c.logits)), 2, plane);
        const diffs = logits.map((l, ch) => absDiff(l, reference[ch]));
        logitSummary = diffs.map((d) => `${d.max.toExponential(2)} / ${d.mean.toExponential(2)}`).join(', ');
        if (inputMatches) {
          for (const d of diffs) {
            expect(d.max).toBeLessThan(EXACT.logitMaxAbs);
            expect(d.mean).toBeLessThan(EXACT.logitMeanAbs);
          }
        }
      }
      results.push({ name, ...agreement, inputMatches, logits: logitSummary });
      if (inputMatches) {
        expect(agreement.maxAbs).toBeLessThan(EXACT.probMaxAbs);
        expect(agreement.meanAbs).toBeLessThan(EXACT.probMeanAbs);
        expect(agreement.iou).toBeGreaterThan(EXACT.minIou);
      } else {
        expect(agreement.meanAbs).toBeLessThan(LOOSE.probMeanAbs);
        expect(agreement.iou).toBeGreaterThan(LOOSE.minIou);
      }
    });
  }
});
