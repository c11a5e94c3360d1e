import { describe, expect, it } from 'vitest';
import {
  decodeDetections,
  FACE_MODELS,
  intersectionOverUnion,
  removeLetterbox,
  ssdAnchors,
  weightedNonMaxSuppression,
  type AnchorOptions,
  type DecodeOptions,
  type FaceDetection,
} from '../../../../src/engine/faces/detection';
import { letterboxFor } from '../../../../src/engine/pixels/letterbox';

/** MediaPipe's face detection post-processing on inputs small enough to work out by hand. */

const anchorsOf = (a: Float32Array) => Array.from({ length: a.length / 4 }, (_, i) => Array.from(a.subarray(4 * i, 4 * i + 4)));
const closeAll = (actual: number[][], expected: number[][]) => {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(expected[i][j], 6)));
};

const TINY: AnchorOptions = {
  inputWidth: 4,
  inputHeight: 4,
  minScale: 0.2,
  maxScale: 0.6,
  anchorOffsetX: 0.5,
  anchorOffsetY: 0.5,
  strides: [2, 4],
  aspectRatios: [1],
  interpolatedScaleAspectRatio: 1,
  fixedAnchorSize: false,
};

describe('ssdAnchors', () => {
  it('lays a grid per stride with one anchor per scale and the interpolated one after it', () => {
    // Stride 2: a 2x2 grid, scale 0.2 and sqrt(0.2 * 0.6) = 0.34641. Stride 4 (the last layer): one cell,
    // scale 0.6 and sqrt(0.6 * 1) = 0.774597.
    const s = Math.sqrt(0.12);
    closeAll(anchorsOf(ssdAnchors(TINY)), [
      [0.25, 0.25, 0.2, 0.2],
      [0.25, 0.25, s, s],
      [0.75, 0.25, 0.2, 0.2],
      [0.75, 0.25, s, s],
      [0.25, 0.75, 0.2, 0.2],
      [0.25, 0.75, s, s],
      [0.75, 0.75, 0.2, 0.2],
      [0.75, 0.75, s, s],
      [0.5, 0.5, 0.6, 0.6],
      [0.5, 0.5, Math.sqrt(0.6), Math.sqrt(0.6)],
    ]);
  });

  it('merges layers of the same stride into one grid, every layer\'s anchors in each cell', () => {
    // Strides [2, 2] on a 2x2 input: one cell holding scale 0.2 (layer 0) then 0.4 (layer 1); aspect 4
    // makes each anchor twice as wide and half as tall.
    const o = { ...TINY, inputWidth: 2, inputHeight: 2, maxScale: 0.4, strides: [2, 2], aspectRatios: [4], interpolatedScaleAspectRatio: 0 };
    closeAll(anchorsOf(ssdAnchors(o)), [
      [0.5, 0.5, 0.4, 0.1],
      [0.5, 0.5, 0.8, 0.2],
    ]);
  });

  it('makes every anchor 1 x 1 with fixed_anchor_size', () => {
    closeAll(anchorsOf(ssdAnchors({ ...TINY, fixedAnchorSize: true })).slice(0, 2), [
      [0.25, 0.25, 1, 1],
      [0.25, 0.25, 1, 1],
    ]);
  });

  it('gives the face detectors their 896 and 2304 anchors in model order', () => {
    const short = anchorsOf(ssdAnchors(FACE_MODELS.short.anchors));
    expect(short).toHaveLength(896);
    // 16x16 cells of 2 anchors at stride 8, then 8x8 cells of 6 (three layers of stride 16).
    closeAll([short[0], short[1], short[2], short[511], short[512], short[895]], [
      [1 / 32, 1 / 32, 1, 1],
      [1 / 32, 1 / 32, 1, 1],
      [3 / 32, 1 / 32, 1, 1],
      [31 / 32, 31 / 32, 1, 1],
      [1 / 16, 1 / 16, 1, 1],
      [15 / 16, 15 / 16, 1, 1],
    ]);
    const full = anchorsOf(ssdAnchors(FACE_MODELS.full.anchors));
    expect(full).toHaveLength(2304);
    closeAll([full[0], full[48], full[2303]], [
      [1 / 96, 1 / 96, 1, 1],
      [1 / 96, 3 / 96, 1, 1],
      [95 / 96, 95 / 96, 1, 1],
    ]);
  });
});

describe('decodeDetections', () => {
  const o: DecodeOptions = {
    numCoords: 6,
    numKeypoints: 1,
    xScale: 10,
    yScale: 10,
    wScale: 10,
    hScale: 10,
    scoreClippingThresh: 100,
    minScoreThresh: 0.5,
    minSuppressionThreshold: 0.3,
  };

  it('decodes x, y, w, h and keypoints relative to the anchor, and scores by sigmoid of the clipped logit', () => {
    const anchors = Float32Array.of(0.5, 0.5, 1, 1, 0.25, 0.75, 1, 1, 0.5, 0.5, 2, 2);
    // Anchor 0: centre (0.5 + 0.1, 0.5 - 0.2), size 0.4 x 0.2, keypoint (0.5 + 0.3, 0.5 + 0.1), logit 0 -> 0.5 (kept: at the threshold).
    // Anchor 1: logit -1 -> 0.269, dropped. Anchor 2: logit 200 clipped to 100 -> 1; size doubled by the anchor.
    const boxes = Float32Array.of(1, -2, 4, 2, 3, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 2, -1, 0);
    const out = decodeDetections(boxes, Float32Array.of(0, -1, 200), anchors, o);
    expect(out).toHaveLength(2);
    const [a, b] = out;
    expect(a.score).toBe(0.5);
    expect(a.box.xmin).toBeCloseTo(0.4, 6);
    expect(a.box.ymin).toBeCloseTo(0.2, 6);
    expect(a.box.xmax).toBeCloseTo(0.8, 6);
    expect(a.box.ymax).toBeCloseTo(0.4, 6);
    expect(a.keypoints[0].x).toBeCloseTo(0.8, 6);
    expect(a.keypoints[0].y).toBeCloseTo(0.6, 6);
    expect(b.score).toBe(1);
    expect([b.box.xmin, b.box.ymin, b.box.xmax, b.box.ymax].map((v) => +v.toFixed(6))).toEqual([0.4, 0.3, 0.6, 0.7]);
    expect(b.keypoints[0].x).toBeCloseTo(0.3, 6);
  });

  it('drops a box of negative size, as MediaPipe does', () => {
    const out = decodeDetections(Float32Array.of(0, 0, -1, 1, 0, 0), Float32Array.of(5), Float32Array.of(0.5, 0.5, 1, 1), o);
    expect(out).toEqual([]);
  });

  it('names a tensor that does not fit the anchors', () => {
    expect(() => decodeDetections(new Float32Array(5), new Float32Array(1), Float32Array.of(0.5, 0.5, 1, 1), o)).toThrow(/1 anchors need 6 box values and 1 scores, got 5 and 1/);
  });
});

describe('intersectionOverUnion', () => {
  it('is the shared area over the joint area, and 0 for boxes that only touch', () => {
    expect(intersectionOverUnion({ xmin: 0, ymin: 0, xmax: 2, ymax: 2 }, { xmin: 1, ymin: 1, xmax: 3, ymax: 3 })).toBeCloseTo(1 / 7, 9);
    expect(intersectionOverUnion({ xmin: 0, ymin: 0, xmax: 1, ymax: 1 }, { xmin: 1, ymin: 0, xmax: 2, ymax: 1 })).toBe(0);
  });
});

describe('weightedNonMaxSuppression', () => {
  const face = (score: number, xmin: number, ymin: number, xmax: number, ymax: number, kx: number): FaceDetection => ({
    score,
    box: { xmin, ymin, xmax, ymax },
    keypoints: [{ x: kx, y: 1 }],
  });

  it('merges overlapping boxes into their score-weighted mean under the best score, best first', () => {
    // A (0.9) and B (0.6) overlap by 3.6 / 4.4 = 0.82 > 0.3; C (0.8) overlaps neither. Merged over total 1.5:
    // xmin (0 * 0.9 + 0.2 * 0.6) / 1.5 = 0.08, xmax (2 * 0.9 + 2.2 * 0.6) / 1.5 = 2.08, keypoint x (0.9 + 0.9) / 1.5 = 1.2.
    const out = weightedNonMaxSuppression([face(0.6, 0.2, 0, 2.2, 2, 1.5), face(0.9, 0, 0, 2, 2, 1), face(0.8, 5, 5, 6, 6, 5.5)], 0.3);
    expect(out).toHaveLength(2);
    expect(out[0].score).toBe(0.9);
    expect(out[0].box.xmin).toBeCloseTo(0.08, 9);
    expect(out[0].box.xmax).toBeCloseTo(2.08, 9);
    expect(out[0].box.ymin).toBeCloseTo(0, 9);
    expect(out[0].box.ymax).toBeCloseTo(2, 9);
    expect(out[0].keypoints[0].x).toBeCloseTo(1.2, 9);
    // Alone, C is its own weighted mean.
    expect(out[1].score).toBe(0.8);
    expect(Object.values(out[1].box).map((v) => +v.toFixed(9))).toEqual([5, 5, 6, 6]);
  });

  it('keeps boxes that overlap by no more than the threshold apart', () => {
    // IoU 1/7 = 0.14 <= 0.3.
    const out = weightedNonMaxSuppression([face(0.9, 0, 0, 2, 2, 1), face(0.7, 1, 1, 3, 3, 2)], 0.3);
    expect(out.map((d) => d.score)).toEqual([0.9, 0.7]);
  });
});

describe('removeLetterbox', () => {
  it('maps model coordinates back onto the frame the letterbox came from', () => {
    // 1280x720 into 128: the frame fills 128x72 from row 28. Model y 64/128 is frame row (64 - 28) / 72 = 0.5.
    const box = letterboxFor(1280, 720, 128);
    expect(box).toEqual({ size: 128, x: 0, y: 28, width: 128, height: 72 });
    const d = removeLetterbox({ score: 0.7, box: { xmin: 0.25, ymin: 28 / 128, xmax: 0.75, ymax: 0.5 }, keypoints: [{ x: 0.5, y: 100 / 128 }] }, box);
    expect(d.score).toBe(0.7);
    expect(d.box.xmin).toBeCloseTo(0.25, 9);
    expect(d.box.ymin).toBeCloseTo(0, 9);
    expect(d.box.ymax).toBeCloseTo(0.5, 9);
    expect(d.keypoints[0].y).toBeCloseTo(1, 9);
  });
});
