import type { Box } from './detection';

/**
 * A kept person whose face track ended (they stepped out of the frame, bent down, turned away, or someone
 * passed in front) is remembered for a while by where their face was last and how large it was. A new
 * face that appears close to that place at about that size, before the memory runs out, is taken to be
 * them coming back and is kept again, instead of being a stranger the mode would drop (or, in 'only me',
 * handing the picture to whoever else is there). Position and size only: someone else stepping into the
 * very same place within the window is taken for them. Pure: state in, state out.
 */

export interface Absent {
  /** Where their face was when its track ended, normalised to the frame. */
  box: Box;
  /** What they were kept as: the main person ('main' mode), or a person picked ('pick' mode). */
  role: 'main' | 'picked';
  /** Frames since the track ended. */
  frames: number;
  /** Track ids from this one on began after they left: only those faces can be them. */
  firstNewId: number;
}

export interface RecallOptions {
  /** Frames an absent person is remembered for (3 s at 30 fps). */
  keepFrames: number;
  /** A returning face's centre lies within this many remembered face sizes of the remembered centre... */
  maxDistance: number;
  /** ...and its size differs from the remembered one by at most this factor. */
  maxScale: number;
}

export const RECALL_DEFAULTS: RecallOptions = { keepFrames: 90, maxDistance: 3, maxScale: 1.6 };

export interface NewFace {
  id: number;
  box: Box;
}

const centre = (b: Box) => ({ x: (b.xmin + b.xmax) / 2, y: (b.ymin + b.ymax) / 2 });
const size = (b: Box) => Math.max(1e-6, Math.sqrt((b.xmax - b.xmin) * (b.ymax - b.ymin)));

/** How far a new face lies from an absent one, in the absent face's sizes; Infinity where their sizes differ too much. */
function distance(a: Absent, face: NewFace, o: RecallOptions): number {
  if (face.id < a.firstNewId) return Infinity;
  const ratio = size(face.box) / size(a.box);
  if (ratio > o.maxScale || ratio < 1 / o.maxScale) return Infinity;
  const p = centre(a.box);
  const q = centre(face.box);
  const w = Math.max(1e-6, a.box.xmax - a.box.xmin);
  const h = Math.max(1e-6, a.box.ymax - a.box.ymin);
  return Math.hypot((p.x - q.x) / w, (p.y - q.y) / h);
}

/** One frame on: the absent remembered a frame longer, those past `keepFrames` forgotten. */
export function ageAbsent(absent: readonly Absent[], o: RecallOptions = RECALL_DEFAULTS): Absent[] {
  return absent.map((a) => ({ ...a, frames: a.frames + 1 })).filter((a) => a.frames <= o.keepFrames);
}

/**
 * Matches faces to the absent, nearest pairs first, each at most once; a face is a candidate for an absent
 * person only if its track began after they left. Returns the faces recognised (with the role they take
 * back) and the absent still unaccounted for.
 */
export function recall(
  absent: readonly Absent[],
  faces: readonly NewFace[],
  o: RecallOptions = RECALL_DEFAULTS,
): { returned: { id: number; role: Absent['role'] }[]; absent: Absent[] } {
  const pairs: { a: number; f: number; distance: number }[] = [];
  absent.forEach((a, ai) =>
    faces.forEach((f, fi) => {
      const d = distance(a, f, o);
      if (d <= o.maxDistance) pairs.push({ a: ai, f: fi, distance: d });
    }),
  );
  pairs.sort((p, q) => p.distance - q.distance || p.a - q.a || p.f - q.f);
  const usedAbsent = new Set<number>();
  const usedFaces = new Set<number>();
  const returned: { id: number; role: Absent['role'] }[] = [];
  for (const p of pairs) {
    if (usedAbsent.has(p.a) || usedFaces.has(p.f)) continue;
    usedAbsent.add(p.a);
    usedFaces.add(p.f);
    returned.push({ id: faces[p.f].id, role: absent[p.a].role });
  }
  return { returned, absent: absent.filter((_, i) => !usedAbsent.has(i)) };
}
