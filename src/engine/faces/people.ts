import type { PeopleMode } from '../../common/contract';
import { floatImage, type FloatImage, type RgbaImage } from '../../frame';
import { keepPeople, splitInstances, type InstanceSplit } from '../pixels/instances';
import type { FaceDetection } from './detection';
import type { FaceDetector } from './detector';
import { chooseMainPerson, NO_MAIN_PERSON, type MainPersonState } from './main-person';
import { advanceTracks, EMPTY_TRACKER, trackBox, updateTracks, type TrackerState } from './tracker';

/**
 * Who stays in the picture, frame by frame: face tracks seed person instances in the segmenter's mask
 * (pixels/instances.ts), the main person is chosen with hysteresis (main-person.ts), and the mode says
 * which instances are kept. `peopleStep` is the pure step; `createPeopleStage` runs the detector every
 * few frames around it.
 */

export interface PeopleState {
  tracker: TrackerState;
  main: MainPersonState;
}

export const INITIAL_PEOPLE: PeopleState = { tracker: EMPTY_TRACKER, main: NO_MAIN_PERSON };

export interface PeopleFrame {
  split: InstanceSplit;
  /** Labels of `split` that stay in the picture. */
  keep: Set<number>;
  /** The main person's face id ('main' mode), or null. */
  mainFaceId: number | null;
  /** True when 'main' mode found no face on any person and kept the largest person instead. */
  fallback: boolean;
}

/**
 * The labels a mode keeps. 'main' keeps the main face's person; with no face on anyone (seen from
 * behind, face covered) it keeps the largest person and says so.
 */
export function selectPeople(split: InstanceSplit, mode: PeopleMode, mainFaceId: number | null): { keep: Set<number>; fallback: boolean } {
  if (mode === 'all') return { keep: new Set(split.people.map((p) => p.label)), fallback: false };
  const main = split.people.find((p) => p.faceId !== null && p.faceId === mainFaceId);
  if (main) return { keep: new Set([main.label]), fallback: false };
  const largest = split.people.filter((p) => p.faceId === null).sort((a, b) => b.area - a.area)[0];
  return largest ? { keep: new Set([largest.label]), fallback: true } : { keep: new Set(), fallback: false };
}

/** One frame: `detections` when the detector ran on it, null in between. */
export function peopleStep(
  state: PeopleState,
  prob: FloatImage,
  detections: readonly FaceDetection[] | null,
  mode: PeopleMode,
): { state: PeopleState; frame: PeopleFrame } {
  const tracker = detections ? updateTracks(state.tracker, detections) : advanceTracks(state.tracker);
  const boxes = new Map(tracker.tracks.map((t) => [t.id, trackBox(t)]));
  const split = splitInstances(prob, [...boxes].map(([id, box]) => ({ id, box })));
  // Only faces that made a person may be the main person: a face on a poster never is.
  const candidates = split.people.flatMap((p) => {
    const box = p.faceId === null ? undefined : boxes.get(p.faceId);
    return box && p.faceId !== null ? [{ id: p.faceId, area: (box.xmax - box.xmin) * (box.ymax - box.ymin) }] : [];
  });
  const main = chooseMainPerson(state.main, candidates);
  const { keep, fallback } = selectPeople(split, mode, main.id);
  return { state: { tracker, main }, frame: { split, keep, mainFaceId: mode === 'main' ? main.id : null, fallback } };
}

export interface PeopleStageOptions {
  detector: FaceDetector;
  mode: PeopleMode;
  /** The detector runs on every `every`-th frame, starting with the first. */
  every?: number;
}

export interface PeopleResult extends PeopleFrame {
  /** The person probability of the kept people only (the input itself in 'all' mode). */
  prob: FloatImage;
  /** Whether the detector ran on this frame, and its milliseconds. */
  detectMs: number | null;
  /** Milliseconds of the split and selection. */
  splitMs: number;
}

/** Keeps its own tracks and main person; the detector stays its owner's to release. */
export interface PeopleStage {
  process(frame: RgbaImage, prob: FloatImage): Promise<PeopleResult>;
}

export function createPeopleStage(opts: PeopleStageOptions): PeopleStage {
  const every = opts.every ?? 3;
  if (!Number.isInteger(every) || every < 1) throw new RangeError(`the face detector must run every 1 or more whole frames, got ${every}`);
  let state = INITIAL_PEOPLE;
  let index = 0;
  return {
    async process(frame, prob) {
      let detections: FaceDetection[] | null = null;
      let detectMs: number | null = null;
      if (index++ % every === 0) {
        const t0 = performance.now();
        detections = await opts.detector.detect(frame);
        detectMs = performance.now() - t0;
      }
      const t0 = performance.now();
      const step = peopleStep(state, prob, detections, opts.mode);
      state = step.state;
      const kept = opts.mode === 'all' ? prob : keepPeople(prob, step.frame.split, step.frame.keep, floatImage(prob.width, prob.height));
      return { ...step.frame, prob: kept, detectMs, splitMs: performance.now() - t0 };
    },
  };
}
