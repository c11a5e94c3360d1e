import type { PeopleMode } from '../../common/contract';
import { floatImage, type FloatImage, type RgbaImage } from '../../frame';
import { keepPeople, splitInstances, type InstanceSplit, type PersonInstance } from '../pixels/instances';
import type { Box, FaceDetection } from './detection';
import type { FaceDetector } from './detector';
import { chooseMainPerson, NO_MAIN_PERSON, type MainPersonState } from './main-person';
import { ageAbsent, recall, RECALL_DEFAULTS, type Absent, type RecallOptions } from './recall';
import { advanceTracks, EMPTY_TRACKER, trackBox, updateTracks, type TrackerState } from './tracker';

/**
 * Who stays in the picture, frame by frame: face tracks seed person instances in the segmenter's mask
 * (pixels/instances.ts), the main person is chosen with hysteresis (main-person.ts), kept people whose
 * face was lost are remembered for a while (recall.ts), and the mode says which instances are kept.
 * `peopleStep` is the pure step; `createPeopleStage` runs the detector every few frames around it.
 */

export interface PeopleState {
  tracker: TrackerState;
  main: MainPersonState;
  /** 'pick' mode: the face ids picked so far. A person is picked by their face, the one identity that lasts. */
  picked: ReadonlySet<number>;
  /** Kept people whose face track ended, remembered for a while in case they come back. */
  absent: readonly Absent[];
}

export const INITIAL_PEOPLE: PeopleState = { tracker: EMPTY_TRACKER, main: NO_MAIN_PERSON, picked: new Set(), absent: [] };

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

/** Share of a remembered face box a faceless person must cover to stand in for the person who was there. */
const STAND_IN_COVER = 0.25;

/**
 * The faceless person covering most of a box (where a kept person's face was lost: they may still be
 * there, turned away), or null where none covers a quarter of it.
 */
export function personUnder(split: InstanceSplit, box: Box): PersonInstance | null {
  const x0 = Math.max(0, Math.floor(box.xmin * split.width));
  const x1 = Math.min(split.width, Math.ceil(box.xmax * split.width));
  const y0 = Math.max(0, Math.floor(box.ymin * split.height));
  const y1 = Math.min(split.height, Math.ceil(box.ymax * split.height));
  if (x1 <= x0 || y1 <= y0) return null;
  const counts = new Map<number, number>();
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const label = split.labels[y * split.width + x];
      if (label !== 0) counts.set(label, (counts.get(label) ?? 0) + 1);
    }
  }
  let best: PersonInstance | null = null;
  let bestCount = STAND_IN_COVER * (x1 - x0) * (y1 - y0);
  for (const p of split.people) {
    const count = counts.get(p.label) ?? 0;
    if (p.faceId === null && count >= bestCount) {
      best = p;
      bestCount = count;
    }
  }
  return best;
}

function standIns(split: InstanceSplit, absent: readonly Absent[]): number[] {
  return absent.flatMap((a) => personUnder(split, a.box)?.label ?? []);
}

export interface PeopleFrame {
  split: InstanceSplit;
  /** Labels of `split` that stay in the picture. */
  keep: Set<number>;
  /** The main person's face id ('main' mode), or null (also while the main person is away). */
  mainFaceId: number | null;
  /** True when 'main' mode found no face on any person and kept the largest person instead. */
  fallback: boolean;
}

/**
 * The labels a mode keeps. 'main' keeps the main face's person; with no face on anyone (seen from
 * behind, face covered) it keeps the largest person and says so. 'pick' keeps the picked people, and
 * everyone until someone is picked. While a kept person's face is lost (`absent`), a faceless person
 * where their face was stands in for them, and nobody else takes their place.
 */
export function selectPeople(
  split: InstanceSplit,
  mode: PeopleMode,
  mainFaceId: number | null,
  picked: ReadonlySet<number> = new Set(),
  absent: readonly Absent[] = [],
): { keep: Set<number>; fallback: boolean } {
  const away = absent.filter((a) => a.role === (mode === 'main' ? 'main' : 'picked'));
  if (mode === 'all' || (mode === 'pick' && picked.size === 0 && away.length === 0)) return { keep: new Set(split.people.map((p) => p.label)), fallback: false };
  if (mode === 'pick') {
    const chosen = split.people.filter((p) => p.faceId !== null && picked.has(p.faceId)).map((p) => p.label);
    return { keep: new Set([...chosen, ...standIns(split, away)]), fallback: false };
  }
  const main = split.people.find((p) => p.faceId !== null && p.faceId === mainFaceId);
  if (main) return { keep: new Set([main.label]), fallback: false };
  if (away.length > 0) return { keep: new Set(standIns(split, away)), fallback: false };
  const largest = split.people.filter((p) => p.faceId === null).sort((a, b) => b.area - a.area)[0];
  return largest ? { keep: new Set([largest.label]), fallback: true } : { keep: new Set(), fallback: false };
}

/** One frame: `detections` when the detector ran on it, null in between. */
export function peopleStep(
  state: PeopleState,
  prob: FloatImage,
  detections: readonly FaceDetection[] | null,
  mode: PeopleMode,
  recallOptions: RecallOptions = RECALL_DEFAULTS,
): { state: PeopleState; frame: PeopleFrame } {
  const tracker = detections ? updateTracks(state.tracker, detections) : advanceTracks(state.tracker);
  const boxes = new Map(tracker.tracks.map((t) => [t.id, trackBox(t)]));
  const split = splitInstances(prob, [...boxes].map(([id, box]) => ({ id, box })));
  // Only faces that made a person may be the main person, or a kept person back: a face on a poster never is.
  const candidates = split.people.flatMap((p) => {
    const box = p.faceId === null ? undefined : boxes.get(p.faceId);
    return box && p.faceId !== null ? [{ id: p.faceId, box, area: (box.xmax - box.xmin) * (box.ymax - box.ymin) }] : [];
  });
  // A kept person whose face track ended is remembered where it ended, and a new face there is them back.
  const live = new Set(tracker.tracks.map((t) => t.id));
  const lost = state.tracker.tracks.flatMap((t): Absent[] => {
    if (live.has(t.id)) return [];
    const role = mode === 'main' && t.id === state.main.id ? 'main' : mode === 'pick' && state.picked.has(t.id) ? 'picked' : null;
    return role ? [{ box: trackBox(t), role, frames: 0, firstNewId: state.tracker.nextId }] : [];
  });
  const strangers = candidates.filter((c) => !state.picked.has(c.id) && c.id !== state.main.id);
  const { returned, absent } = recall([...ageAbsent(state.absent, recallOptions), ...lost], strangers, recallOptions);
  const picked = new Set([...state.picked].filter((id) => live.has(id)));
  let main = state.main;
  for (const r of returned) {
    if (r.role === 'main') main = { id: r.id, challenger: null, challengerFrames: 0 };
    else picked.add(r.id);
  }
  // While the main person is away, or still tracked but with no body under their face for a moment,
  // nobody else takes over: they may be back in a moment.
  const mainAway = absent.some((a) => a.role === 'main');
  const mainHidden = main.id !== null && live.has(main.id) && !candidates.some((c) => c.id === main.id);
  if (!mainAway && !mainHidden) main = chooseMainPerson(main, candidates);
  const { keep, fallback } = selectPeople(split, mode, main.id, picked, absent);
  return {
    state: { tracker, main, picked, absent },
    frame: { split, keep, mainFaceId: mode === 'main' && !mainAway ? main.id : null, fallback },
  };
}

export interface PeopleStageOptions {
  detector: FaceDetector;
  mode: PeopleMode;
  /** The detector runs on every `every`-th frame, starting with the first. */
  every?: number;
  recall?: RecallOptions;
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
      const step = peopleStep(state, prob, detections, opts.mode, opts.recall);
      state = step.state;
      last = step.frame.split;
      const kept = opts.mode === 'all' ? prob : keepPeople(prob, step.frame.split, step.frame.keep, floatImage(prob.width, prob.height));
      return { ...step.frame, prob: kept, detectMs, splitMs: performance.now() - t0 };
    },
  };
}
