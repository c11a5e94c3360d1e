import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RgbaImage } from '../../../../src/frame';
import { FACE_MODELS, type FaceDetection, type FaceModel } from '../../../../src/engine/faces/detection';
import { createFaceDetector, type FaceDetector } from '../../../../src/engine/faces/detector';
import { convertTfliteToOnnx } from '../../../../tools/tflite/convert';
import type { ReferenceManifest } from '../../../fixtures/faces/generate-reference';
import { letterboxedRgba } from '../../../fixtures/faces/letterboxed';
import { loadTestImage, rgbaSha256, TEST_IMAGES, unavailable } from '../../../fixtures/segmentation/images';

/**
 * The converted face detectors, run by onnxruntime through Backdrop's detector (letterbox, anchors, decoding,
 * weighted NMS), against the faces MediaPipe's own runtime found with the original .tflite files on the same
 * images (tests/fixtures/faces). Boxes and keypoints are compared in pixels of the frame the image came
 * from, at both levels.
 */

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/faces');
const manifest = JSON.parse(readFileSync(join(FIXTURES, 'reference.json'), 'utf8')) as ReferenceManifest;
const PACKAGE_DIR = dirname(createRequire(import.meta.url).resolve('@mediapipe/face_detection/package.json'));

const MAX_PX = 1;
const MAX_SCORE = 1e-3;

let modelsDir: string;
const detectors = new Map<FaceModel, FaceDetector>();
const frames = new Map<string, Promise<RgbaImage>>();
const rows: string[] = [];

beforeAll(async () => {
  // Converted afresh, so the test checks the converter as it is now, not whatever models/ holds.
  modelsDir = mkdtempSync(join(tmpdir(), 'backdrop-face-parity-'));
  for (const [model, spec] of Object.entries(FACE_MODELS) as [FaceModel, { file: string }][]) {
    const source = spec.file.replace(/\.onnx$/, '.tflite');
    writeFileSync(join(modelsDir, spec.file), convertTfliteToOnnx(readFileSync(join(PACKAGE_DIR, source)), source).onnx);
    detectors.set(model, await createFaceDetector({ model, modelsDir, threads: 1, providers: ['cpu'] }));
  }
});

afterAll(async () => {
  await Promise.all([...detectors.values()].map((d) => d.dispose()));
  rmSync(modelsDir, { recursive: true, force: true });
  if (rows.length > 0) console.log([`face detection parity vs ${manifest.runtime}`, `${'case'.padEnd(24)}  faces  max px  max |score|  input`, ...rows].join('\n'));
});

describe('converted face detectors vs MediaPipe', () => {
  for (const c of manifest.cases) {
    const image = TEST_IMAGES.find((i) => i.id === c.image);
    const why = image ? unavailable(image) : `unknown test image ${c.image}`;
    const name = `${c.image}/${c.model}/${c.level}`;
    it.skipIf(why !== null)(`${name}${why ? ` (skipped: ${why})` : ''}`, async () => {
      if (!image) throw new Error(`unknown test image ${c.image}`);
      let frame = frames.get(image.id);
      if (!frame) frames.set(image.id, (frame = loadTestImage(image)));
      const full = await frame;
      const input = c.level === 'model' ? letterboxedRgba(full, FACE_MODELS[c.model].size) : full;
      expect([input.width, input.height]).toEqual([c.width, c.height]);
      const inputMatches = rgbaSha256(input) === c.inputSha256;
      // A square input is its own letterbox, so at the model level both sides are normalised to it.
      const ours: FaceDetection[] = await detectors.get(c.model)!.detect(input);
      expect(ours.length).toBe(c.faces.length);

      // Model-level coordinates are the letterbox's; a model pixel spans max(width, height) / size frame pixels.
      const scale = c.level === 'model' ? Math.max(full.width, full.height) / c.width : 1;
      const [pw, ph] = [c.width * scale, c.height * scale];
      let maxPx = 0;
      let maxScore = 0;
      for (const ref of c.faces) {
        // Each reference face against our face with the nearest box centre.
        const centre = (b: { xmin: number; xmax: number; ymin: number; ymax: number }) => [(b.xmin + b.xmax) / 2, (b.ymin + b.ymax) / 2];
        const [rx, ry] = centre(ref.box);
        const mine = ours.reduce((best, d) => {
          const [x, y] = centre(d.box);
          const [bx, by] = centre(best.box);
          return Math.hypot(x - rx, y - ry) < Math.hypot(bx - rx, by - ry) ? d : best;
        });
        const dx = [ref.box.xmin - mine.box.xmin, ref.box.xmax - mine.box.xmax, ...ref.keypoints.map((k, i) => k.x - mine.keypoints[i].x)];
        const dy = [ref.box.ymin - mine.box.ymin, ref.box.ymax - mine.box.ymax, ...ref.keypoints.map((k, i) => k.y - mine.keypoints[i].y)];
        maxPx = Math.max(maxPx, ...dx.map((d) => Math.abs(d) * pw), ...dy.map((d) => Math.abs(d) * ph));
        maxScore = Math.max(maxScore, Math.abs(ref.score - mine.score));
      }
      rows.push([name.padEnd(24), String(c.faces.length).padStart(5), maxPx.toFixed(3).padStart(6), maxScore.toExponential(2).padStart(11), inputMatches ? 'same' : 'DIFFERS'].join('  '));
      expect(maxPx).toBeLessThanOrEqual(MAX_PX);
      expect(maxScore).toBeLessThanOrEqual(MAX_SCORE);
    });
  }
});
