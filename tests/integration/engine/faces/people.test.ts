import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FloatImage, RgbaImage } from '../../../../src/frame';
import type { FaceDetection } from '../../../../src/engine/faces/detection';
import { createFaceDetector, type FaceDetector } from '../../../../src/engine/faces/detector';
import { INITIAL_PEOPLE, peopleStep } from '../../../../src/engine/faces/people';
import { floatImage } from '../../../../src/frame';
import { keepPeople } from '../../../../src/engine/pixels/instances';
import { createSegmenter, type Segmenter } from '../../../../src/engine/stages/segment';
import { loadTestImage, TEST_IMAGES, unavailable } from '../../../fixtures/segmentation/images';

/**
 * Two real people at a webcam (openh264's CiscoVT2people, frame 5): the landscape segmenter's mask split by
 * the short-range detector's faces, in each mode.
 */

const MODELS_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../../models');
const image = TEST_IMAGES.find((i) => i.id === 'vt2people')!;
const why = unavailable(image);

let segmenter: Segmenter;
let detector: FaceDetector;
let frame: RgbaImage;
let prob: FloatImage;
let faces: FaceDetection[];

beforeAll(async () => {
  if (why) return;
  if (!existsSync(join(MODELS_DIR, 'face_detection_short_range.onnx'))) {
    throw new Error(`${MODELS_DIR} holds no face model: run node scripts/postinstall.js (npm ci does)`);
  }
  segmenter = await createSegmenter({ model: 'landscape', modelsDir: MODELS_DIR, threads: 1, providers: ['cpu'] });
  detector = await createFaceDetector({ model: 'short', modelsDir: MODELS_DIR, threads: 1, providers: ['cpu'] });
  frame = await loadTestImage(image);
  prob = await segmenter.segment(frame);
  faces = await detector.detect(frame);
});

afterAll(async () => {
  await segmenter?.dispose();
  await detector?.dispose();
});

/** Mean of `plane` over the pixels whose label is `label`. */
function meanOver(plane: Float32Array, labels: Uint16Array, label: number): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === label && prob.data[i] >= 0.5) {
      sum += plane[i];
      count++;
    }
  }
  return sum / count;
}

describe.skipIf(why !== null)(`two people at a webcam${why ? ` (skipped: ${why})` : ''}`, () => {
  it("'all' finds two people, each under their own face, and keeps both", () => {
    expect(faces).toHaveLength(2);
    const { frame: f } = peopleStep(INITIAL_PEOPLE, prob, faces, 'all');
    expect(f.split.people.map((p) => p.faceId)).toEqual([1, 2]);
    expect(f.keep).toEqual(new Set([1, 2]));
    // Each face's centre, in mask pixels, lies in its own person.
    for (const [i, d] of faces.entries()) {
      const x = Math.floor(((d.box.xmin + d.box.xmax) / 2) * prob.width);
      const y = Math.floor(((d.box.ymin + d.box.ymax) / 2) * prob.height);
      expect(f.split.labels[y * prob.width + x]).toBe(i + 1);
    }
    // Both are people of substance, split about evenly (the two sit side by side at similar distances).
    const [a, b] = f.split.people.map((p) => p.area);
    expect(Math.min(a, b) / Math.max(a, b)).toBeGreaterThan(0.4);
  });

  it("'main' keeps the person with the larger face and drops the other to zero", () => {
    const { frame: f } = peopleStep(INITIAL_PEOPLE, prob, faces, 'main');
    const area = (d: FaceDetection) => (d.box.xmax - d.box.xmin) * (d.box.ymax - d.box.ymin);
    const larger = area(faces[0]) > area(faces[1]) ? 1 : 2;
    expect(f.mainFaceId).toBe(larger);
    expect(f.fallback).toBe(false);
    const kept = keepPeople(prob, f.split, f.keep, floatImage(prob.width, prob.height));
    const dropped = larger === 1 ? 2 : 1;
    expect(meanOver(kept.data, f.split.labels, dropped)).toBe(0);
    expect(meanOver(kept.data, f.split.labels, larger)).toBeGreaterThan(0.8);
  });

  it("'main' with no face found keeps the largest person and says so", () => {
    const { frame: f } = peopleStep(INITIAL_PEOPLE, prob, [], 'main');
    expect(f.fallback).toBe(true);
    expect(f.keep.size).toBe(1);
  });
});
