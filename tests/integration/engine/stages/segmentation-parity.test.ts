import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RgbaImage } from '../../../../src/frame';
import { convertTfliteToOnnx } from '../../../../tools/tflite/convert';
import { resizePlane, resizeRgba } from '../../../../src/engine/pixels/resize';
import { createSegmenter, SEGMENTATION_MODELS, type SegmentationModel, type Segmenter } from '../../../../src/engine/stages/segment';
import type { ReferenceManifest } from '../../../fixtures/segmentation/generate-reference';
import { loadTestImage, rgbaSha256, TEST_IMAGES, unavailable } from '../../../fixtures/segmentation/images';
import { decodeMask, gridIndices, maskAgreement, type MaskAgreement } from '../../../fixtures/segmentation/masks';

/**
 * The converted models, run by onnxruntime through the segmenter, against masks that MediaPipe's own TFLite
 * runtime produced from the original .tflite files on the same images (tests/fixtures/segmentation; see
 * generate-reference.ts there). 'model' cases compare raw model outputs; 'frame' cases compare the whole
 * path from a full frame (preprocessing included) after upsampling both masks the same way.
 */

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/segmentation');
const manifest = JSON.parse(readFileSync(join(FIXTURES, 'reference.json'), 'utf8')) as ReferenceManifest;
const PACKAGE_DIR = dirname(createRequire(import.meta.url).resolve('@mediapipe/selfie_segmentation/package.json'));

const MAX_MEAN_ABS = 0.01;
const MIN_IOU = 0.99;

let modelsDir: string;
const segmenters = new Map<SegmentationModel, Segmenter>();
const frames = new Map<string, Promise<RgbaImage>>();
const results: (MaskAgreement & { name: string; inputMatches: boolean })[] = [];

beforeAll(async () => {
  // Converted afresh, so the test checks the converter as it is now, not whatever models/ holds.
  modelsDir = mkdtempSync(join(tmpdir(), 'backdrop-parity-'));
  for (const [model, spec] of Object.entries(SEGMENTATION_MODELS) as [SegmentationModel, { file: string }][]) {
    const source = spec.file.replace(/\.onnx$/, '.tflite');
    writeFileSync(join(modelsDir, spec.file), convertTfliteToOnnx(readFileSync(join(PACKAGE_DIR, source)), source).onnx);
    segmenters.set(model, await createSegmenter({ model, modelsDir, threads: 1, providers: ['cpu'] }));
  }
});

afterAll(async () => {
  await Promise.all([...segmenters.values()].map((s) => s.dispose()));
  rmSync(modelsDir, { recursive: true, force: true });
  if (results.length === 0) return;
  const rows = results.map((r) =>
    [r.name.padEnd(28), r.maxAbs.toFixed(4), r.meanAbs.toFixed(5), r.iou.toFixed(4), r.inputMatches ? 'same' : 'DIFFERS'].join('  '),
  );
  console.log(
    [`segmentation parity vs ${manifest.runtime}`, `${'case'.padEnd(28)}  max|d|  mean|d|  IoU@0.5  input`, ...rows].join('\n'),
  );
});

describe('converted selfie segmentation vs MediaPipe TFLite', () => {
  for (const c of manifest.cases) {
    const image = TEST_IMAGES.find((i) => i.id === c.image);
    const why = image ? unavailable(image) : `unknown test image ${c.image}`;
    const name = `${c.image}/${c.model}/${c.level}`;
    it.skipIf(why !== null)(`${name}${why ? ` (skipped: ${why})` : ''}`, async () => {
      if (!image) throw new Error(`unknown test image ${c.image}`);
      let frame = frames.get(image.id);
      if (!frame) frames.set(image.id, (frame = loadTestImage(image)));
      const full = await frame;
      const segmenter = segmenters.get(c.model)!;
      const { width: mw, height: mh } = SEGMENTATION_MODELS[c.model];

      const input = c.level === 'model' ? resizeRgba(full, mw, mh) : full;
      expect([input.width, input.height]).toEqual([c.width, c.height]);
      // A different ffmpeg may convert YUV to RGB a little differently; the table then flags it.
      const inputMatches = rgbaSha256(input) === c.inputSha256;
      const prob = await segmenter.segment(input);
      let ours = prob.data;
      if (c.level === 'frame') {
        const up = new Float32Array(c.width * c.height);
        resizePlane(prob.data, mw, mh, up, c.width, c.height);
        ours = Float32Array.from(gridIndices(c.width, c.height, c.step), (i) => up[i]);
      }
      const reference = decodeMask(readFileSync(join(FIXTURES, c.mask)), ours.length);
      const agreement = maskAgreement(ours, reference);
      results.push({ name, ...agreement, inputMatches });
      expect(agreement.meanAbs).toBeLessThan(MAX_MEAN_ABS);
      expect(agreement.iou).toBeGreaterThan(MIN_IOU);
    });
  }
});
