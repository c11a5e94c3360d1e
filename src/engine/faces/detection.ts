/**
 * MediaPipe's face detection post-processing, as its graphs define it
 * (mediapipe/modules/face_detection/face_detection_{short,full}_range_common.pbtxt): SSD anchors
 * (SsdAnchorsCalculator), box decoding (TensorsToDetectionsCalculator), weighted non-maximum suppression
 * (NonMaxSuppressionCalculator, WEIGHTED) and the removal of the letterbox the input was padded with.
 * Pure functions on plain numbers, so each step can be checked by hand.
 */
import type { Letterbox } from '../pixels/letterbox';

/** SsdAnchorsCalculatorOptions, the fields the face detectors set. */
export interface AnchorOptions {
  inputWidth: number;
  inputHeight: number;
  minScale: number;
  maxScale: number;
  anchorOffsetX: number;
  anchorOffsetY: number;
  strides: readonly number[];
  aspectRatios: readonly number[];
  /** Adds one anchor per cell of scale sqrt(scale * next scale) at this aspect ratio; 0 adds none. */
  interpolatedScaleAspectRatio: number;
  /** Every anchor 1 x 1, so the regressed size is the box size itself. */
  fixedAnchorSize: boolean;
}

/** TensorsToDetectionsCalculatorOptions and NonMaxSuppressionCalculatorOptions, the fields the face graphs set. */
export interface DecodeOptions {
  /** Values per anchor: 4 box values, then (x, y) per keypoint. */
  numCoords: number;
  numKeypoints: number;
  /** Raw values are divided by these (the model's input size) before scaling by the anchor. */
  xScale: number;
  yScale: number;
  wScale: number;
  hScale: number;
  /** Logits are clipped to +-this before the sigmoid. */
  scoreClippingThresh: number;
  minScoreThresh: number;
  /** Intersection over union above which a lower-scored box is merged into a higher one. */
  minSuppressionThreshold: number;
}

export interface FaceModelSpec {
  file: string;
  size: number;
  anchors: AnchorOptions;
  decode: DecodeOptions;
}

/** The SsdAnchorsCalculator defaults (ssd_anchors_calculator.proto) the graphs leave unset. */
const ANCHOR_DEFAULTS = { anchorOffsetX: 0.5, anchorOffsetY: 0.5, aspectRatios: [1], fixedAnchorSize: true } as const;

/** face_detection_short_range_common.pbtxt and face_detection_full_range_common.pbtxt. */
export const FACE_MODELS = {
  short: {
    file: 'face_detection_short_range.onnx',
    size: 128,
    anchors: { ...ANCHOR_DEFAULTS, inputWidth: 128, inputHeight: 128, minScale: 0.1484375, maxScale: 0.75, strides: [8, 16, 16, 16], interpolatedScaleAspectRatio: 1 },
    decode: { numCoords: 16, numKeypoints: 6, xScale: 128, yScale: 128, wScale: 128, hScale: 128, scoreClippingThresh: 100, minScoreThresh: 0.5, minSuppressionThreshold: 0.3 },
  },
  full: {
    file: 'face_detection_full_range.onnx',
    size: 192,
    anchors: { ...ANCHOR_DEFAULTS, inputWidth: 192, inputHeight: 192, minScale: 0.1484375, maxScale: 0.75, strides: [4], interpolatedScaleAspectRatio: 0 },
    decode: { numCoords: 16, numKeypoints: 6, xScale: 192, yScale: 192, wScale: 192, hScale: 192, scoreClippingThresh: 100, minScoreThresh: 0.6, minSuppressionThreshold: 0.3 },
  },
} as const satisfies Record<string, FaceModelSpec>;

export type FaceModel = keyof typeof FACE_MODELS;

/** A box in normalised coordinates (0..1 of the image's width and height). */
export interface Box {
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
}

export interface FaceDetection {
  box: Box;
  /** Sigmoid of the model's logit. */
  score: number;
  /** Eyes, nose tip, mouth, ear tragions, as MediaPipe orders them; normalised like the box. */
  keypoints: { x: number; y: number }[];
}

function anchorScale(minScale: number, maxScale: number, index: number, count: number): number {
  return count === 1 ? (minScale + maxScale) / 2 : minScale + ((maxScale - minScale) * index) / (count - 1);
}

/**
 * Anchor centres and sizes, [xCenter, yCenter, width, height] per anchor, in the order the model emits its
 * boxes: layers with the same stride share one grid, cell by cell (row-major), every anchor of a cell in turn.
 */
export function ssdAnchors(o: AnchorOptions): Float32Array {
  const out: number[] = [];
  let layer = 0;
  while (layer < o.strides.length) {
    const sizes: { w: number; h: number }[] = [];
    let last = layer;
    for (; last < o.strides.length && o.strides[last] === o.strides[layer]; last++) {
      const scale = anchorScale(o.minScale, o.maxScale, last, o.strides.length);
      for (const ratio of o.aspectRatios) sizes.push({ w: scale * Math.sqrt(ratio), h: scale / Math.sqrt(ratio) });
      if (o.interpolatedScaleAspectRatio > 0) {
        const next = last === o.strides.length - 1 ? 1 : anchorScale(o.minScale, o.maxScale, last + 1, o.strides.length);
        const s = Math.sqrt(scale * next);
        const r = Math.sqrt(o.interpolatedScaleAspectRatio);
        sizes.push({ w: s * r, h: s / r });
      }
    }
    const rows = Math.ceil(o.inputHeight / o.strides[layer]);
    const cols = Math.ceil(o.inputWidth / o.strides[layer]);
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < cols; x++) {
        for (const size of sizes) {
          out.push((x + o.anchorOffsetX) / cols, (y + o.anchorOffsetY) / rows, o.fixedAnchorSize ? 1 : size.w, o.fixedAnchorSize ? 1 : size.h);
        }
      }
    }
    layer = last;
  }
  return Float32Array.from(out);
}

/**
 * Scored detections from the raw model outputs (`boxes`: numCoords values per anchor, x/y/w/h first;
 * `logits`: one per anchor), keeping those scoring at least minScoreThresh and of non-negative size,
 * in anchor order.
 */
export function decodeDetections(boxes: Float32Array, logits: Float32Array, anchors: Float32Array, o: DecodeOptions): FaceDetection[] {
  const count = anchors.length / 4;
  if (logits.length !== count || boxes.length !== count * o.numCoords) {
    throw new RangeError(`${count} anchors need ${count * o.numCoords} box values and ${count} scores, got ${boxes.length} and ${logits.length}`);
  }
  const out: FaceDetection[] = [];
  for (let i = 0; i < count; i++) {
    const logit = Math.min(o.scoreClippingThresh, Math.max(-o.scoreClippingThresh, logits[i]));
    const score = 1 / (1 + Math.exp(-logit));
    if (score < o.minScoreThresh) continue;
    const [ax, ay, aw, ah] = [anchors[4 * i], anchors[4 * i + 1], anchors[4 * i + 2], anchors[4 * i + 3]];
    const b = i * o.numCoords;
    const xc = (boxes[b] / o.xScale) * aw + ax;
    const yc = (boxes[b + 1] / o.yScale) * ah + ay;
    const w = (boxes[b + 2] / o.wScale) * aw;
    const h = (boxes[b + 3] / o.hScale) * ah;
    // A negative size is a wrong prediction; MediaPipe drops it too.
    if (!(w >= 0 && h >= 0)) continue;
    const keypoints: { x: number; y: number }[] = [];
    for (let k = 0; k < o.numKeypoints; k++) {
      keypoints.push({ x: (boxes[b + 4 + 2 * k] / o.xScale) * aw + ax, y: (boxes[b + 5 + 2 * k] / o.yScale) * ah + ay });
    }
    out.push({ box: { xmin: xc - w / 2, ymin: yc - h / 2, xmax: xc + w / 2, ymax: yc + h / 2 }, score, keypoints });
  }
  return out;
}

export function boxArea(b: Box): number {
  return Math.max(0, b.xmax - b.xmin) * Math.max(0, b.ymax - b.ymin);
}

export function intersectionOverUnion(a: Box, b: Box): number {
  const w = Math.min(a.xmax, b.xmax) - Math.max(a.xmin, b.xmin);
  const h = Math.min(a.ymax, b.ymax) - Math.max(a.ymin, b.ymin);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  const union = boxArea(a) + boxArea(b) - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * MediaPipe's weighted non-maximum suppression: the best remaining detection takes every remaining one
 * overlapping it by more than `threshold` (itself included) and becomes their score-weighted mean box and
 * keypoints, keeping its own score. Best first.
 */
export function weightedNonMaxSuppression(detections: readonly FaceDetection[], threshold: number): FaceDetection[] {
  // A stable sort, so equal scores keep anchor order.
  let remaining = detections.map((d, i) => ({ d, i })).sort((a, b) => b.d.score - a.d.score || a.i - b.i);
  const out: FaceDetection[] = [];
  while (remaining.length > 0) {
    const best = remaining[0].d;
    const merged = remaining.filter((r) => intersectionOverUnion(r.d.box, best.box) > threshold);
    const rest = remaining.filter((r) => intersectionOverUnion(r.d.box, best.box) <= threshold);
    if (merged.length === 0) {
      // Only a box of no area fails to overlap itself; MediaPipe keeps it as it is and stops there.
      out.push(best);
      break;
    }
    const total = merged.reduce((s, r) => s + r.d.score, 0);
    const mean = (f: (d: FaceDetection) => number) => merged.reduce((s, r) => s + f(r.d) * r.d.score, 0) / total;
    out.push({
      score: best.score,
      box: { xmin: mean((d) => d.box.xmin), ymin: mean((d) => d.box.ymin), xmax: mean((d) => d.box.xmax), ymax: mean((d) => d.box.ymax) },
      keypoints: best.keypoints.map((_, k) => ({ x: mean((d) => d.keypoints[k].x), y: mean((d) => d.keypoints[k].y) })),
    });
    remaining = rest;
  }
  return out;
}

/** A detection in model-input coordinates mapped onto the frame (normalised to the frame's size). */
export function removeLetterbox(d: FaceDetection, l: Letterbox): FaceDetection {
  const fx = (x: number) => (x * l.size - l.x) / l.width;
  const fy = (y: number) => (y * l.size - l.y) / l.height;
  return {
    score: d.score,
    box: { xmin: fx(d.box.xmin), ymin: fy(d.box.ymin), xmax: fx(d.box.xmax), ymax: fy(d.box.ymax) },
    keypoints: d.keypoints.map((k) => ({ x: fx(k.x), y: fy(k.y) })),
  };
}
