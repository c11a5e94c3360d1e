import type { Box, FaceDetection } from './detection';

/**
 * Face boxes between detections. The detector runs every few frames; in between, each face moves on at
 * the speed it moved between its last two detections, so a person walking keeps their box (and their
 * instance) on them. On a detection frame, detections are matched to tracks by how far their centres
 * lie apart in face sizes; a track keeps its id for as long as it keeps being matched. Pure: the state
 * goes in and comes out.
 */

export interface Track {
  id: number;
  /** The box of the last detection matched to this track. */
  detected: Box;
  score: number;
  /** Normalised units per frame. */
  vx: number;
  vy: number;
  /** Frames since `detected`. */
  age: number;
  /** Detection rounds in a row that found no match for it. */
  missed: number;
}

export interface TrackerState {
  nextId: number;
  tracks: readonly Track[];
}

export interface TrackerOptions {
  /** Centres further apart than this many face sizes do not match. */
  maxDistance: number;
  /** A track unmatched in more detection rounds than this is dropped. */
  maxMissed: number;
  /** Prediction stops after this many frames, so a lost face does not drift off. */
  maxPredictFrames: number;
}

export const TRACKER_DEFAULTS: TrackerOptions = { maxDistance: 1, maxMissed: 1, maxPredictFrames: 15 };

export const EMPTY_TRACKER: TrackerState = { nextId: 1, tracks: [] };

function shift(b: Box, dx: number, dy: number): Box {
  return { xmin: b.xmin + dx, ymin: b.ymin + dy, xmax: b.xmax + dx, ymax: b.ymax + dy };
}

const centre = (b: Box) => ({ x: (b.xmin + b.xmax) / 2, y: (b.ymin + b.ymax) / 2 });

/** Where a track's face is now. */
export function trackBox(t: Track, o: TrackerOptions = TRACKER_DEFAULTS): Box {
  const frames = Math.min(t.age, o.maxPredictFrames);
  return shift(t.detected, t.vx * frames, t.vy * frames);
}

/** One frame later, with no detection. */
export function advanceTracks(state: TrackerState): TrackerState {
  return { ...state, tracks: state.tracks.map((t) => ({ ...t, age: t.age + 1 })) };
}

/** Distance between a track's predicted box and a detection, in the track's face sizes. */
function distance(t: Track, d: FaceDetection, o: TrackerOptions): number {
  const box = trackBox(t, o);
  const a = centre(box);
  const b = centre(d.box);
  const w = Math.max(1e-6, box.xmax - box.xmin);
  const h = Math.max(1e-6, box.ymax - box.ymin);
  return Math.hypot((a.x - b.x) / w, (a.y - b.y) / h);
}

/** A detection frame, counted as one frame after the last: match, update, start and drop tracks. */
export function updateTracks(state: TrackerState, detections: readonly FaceDetection[], o: TrackerOptions = TRACKER_DEFAULTS): TrackerState {
  const aged = advanceTracks(state).tracks;
  const pairs: { t: number; d: number; distance: number }[] = [];
  aged.forEach((t, ti) =>
    detections.forEach((d, di) => {
      const dist = distance(t, d, o);
      if (dist <= o.maxDistance) pairs.push({ t: ti, d: di, distance: dist });
    }),
  );
  // Greedy, nearest pairs first: with a handful of faces this is the optimal matching in practice.
  pairs.sort((a, b) => a.distance - b.distance || a.t - b.t || a.d - b.d);
  const trackFor = new Map<number, number>();
  const usedTracks = new Set<number>();
  for (const p of pairs) {
    if (usedTracks.has(p.t) || trackFor.has(p.d)) continue;
    usedTracks.add(p.t);
    trackFor.set(p.d, p.t);
  }
  const tracks: Track[] = [];
  aged.forEach((t, ti) => {
    if (usedTracks.has(ti)) return;
    if (t.missed + 1 <= o.maxMissed) tracks.push({ ...t, missed: t.missed + 1 });
  });
  let nextId = state.nextId;
  detections.forEach((d, di) => {
    const ti = trackFor.get(di);
    if (ti === undefined) {
      tracks.push({ id: nextId++, detected: d.box, score: d.score, vx: 0, vy: 0, age: 0, missed: 0 });
      return;
    }
    const t = aged[ti];
    const from = centre(t.detected);
    const to = centre(d.box);
    tracks.push({ id: t.id, detected: d.box, score: d.score, vx: (to.x - from.x) / t.age, vy: (to.y - from.y) / t.age, age: 0, missed: 0 });
  });
  tracks.sort((a, b) => a.id - b.id);
  return { nextId, tracks };
}
