import type { PeopleMode } from '../../common/contract';
import { floatImage, type FloatImage, type RgbaImage } from '../../frame';
import { keepPeople, splitInstances, type InstanceSplit, type PersonInstance } from '../pixels/instances';
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
  /** 'pick' mode: the face ids picked so far. A person is picked by their face, the one identity that lasts. */
  picked: ReadonlySet<number>;
}

export const INITIAL_PEOPLE: PeopleState = { tracker: EMPTY_TRACKER, main: NO_MAIN_PERSON, picked: new Set() };

/** The person under a point (normalised to the frame), or null over background. */
export function personAt(split: InstanceSplit, x: number, y: number): PersonInstance | null {
  if (!(x >= 0 && x < 1 && y >= 0 && y < 1)) return null;
  const label = split.labels[Math.floor(y * split.height) * split.width + Math.floor(x * split.width)];
  return split.people.find((p) => p.label === label) ?? null;
}

/**
 * A click in 'pick' mode: picks the person under the point, or drops them if already picked. A person with
 * no face cannot be picked (nothing would know them again in the next frame), so it changes nothing.
 */
export function togglePick(picked: ReadonlySet<number>, split: InstanceSplit, x: number, y: number): ReadonlySet<number> {
  const faceId = personAt(split, x, y)?.faceId ?? null;
  if (faceId === null) return picked;
  const next = new Set(picked);
  if (!next.delete(faceId)) next.add(faceId);
  return next;
}

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
 * behind, face covered) it keeps the largest person and says so. 'pick' keeps the picked people, and
 * everyone until someone is picked.
 */
export function selectPeople(
  split: InstanceSplit,
  mode: PeopleMode,
  mainFaceId: number | null,
  picked: ReadonlySet<number> = new Set(),
): { keep: Set<number>; fallback: boolean } {
  if (mode === 'all' || (mode === 'pick' && picked.size === 0)) return { keep: new Set(split.people.map((p) => p.label)), fallback: false };
  if (mode === 'pick') return { keep: new Set(split.people.filter((p) => p.faceId !== null && picked.has(p.faceId)).map((p) => p.label)), fallback: false };
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
  // A picked face whose track ended is forgotten: a new track is a new person to pick.
  const live = new Set(tracker.tracks.map((t) => t.id));
  const picked = new Set([...state.picked].filter((id) => live.has(id)));
  const { keep, fallback } = selectPeople(split, mode, main.id, picked);
  return { state: { tracker, main, picked }, frame: { split, keep, mainFaceId: mode === 'main' ? main.id : null, fallback } };
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

/** Keeps its own tracks, main person and picks; the detector stays its owner's to release. */
export interface PeopleStage {
  process(frame: RgbaImage, prob: FloatImage): Promise<PeopleResult>;
  /** 'pick' mode: toggles the person under the point (normalised to the frame) in the last frame processed. */
  pickAt(x: number, y: number): void;
}

export function createPeopleStage(opts: PeopleStageOptions): PeopleStage {
  const every = opts.every ?? 3;
  if (!Number.isInteger(every) || every < 1) throw new RangeError(`the face detector must run every 1 or more whole frames, got ${every}`);
  let state = INITIAL_PEOPLE;
  let last: InstanceSplit | null = null;
  let index = 0;
  return {
    pickAt(x, y) {
      if (last) state = { ...state, picked: togglePick(state.picked, last, x, y) };
    },
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
      last = step.frame.split;
      const kept = opts.mode === 'all' ? prob : keepPeople(prob, step.frame.split, step.frame.keep, floatImage(prob.width, prob.height));
      return { ...step.frame, prob: kept, detectMs, splitMs: performance.now() - t0 };
    },
  };
}
