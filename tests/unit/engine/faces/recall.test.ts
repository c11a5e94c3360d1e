import { describe, expect, it } from 'vitest';
import type { FaceDetection } from '../../../../src/engine/faces/detection';
import { INITIAL_PEOPLE, peopleStep, personUnder, type PeopleState } from '../../../../src/engine/faces/people';
import { ageAbsent, recall, type Absent } from '../../../../src/engine/faces/recall';
import type { PeopleMode } from '../../../../src/common/contract';
import { floatImage } from '../../../../src/frame';

const box = (xmin: number, ymin: number, size: number) => ({ xmin, ymin, xmax: xmin + size, ymax: ymin + size });
const det = (xmin: number, ymin: number, size: number): FaceDetection => ({ box: box(xmin, ymin, size), score: 0.9, keypoints: [] });
const absent = (xmin: number, size: number, role: Absent['role'] = 'main', firstNewId = 3): Absent => ({ box: box(xmin, 0.1, size), role, frames: 0, firstNewId });

describe('recall', () => {
  it('takes a new face near where an absent person was, at about their size, for them', () => {
    // 0.2 wide, last seen at x 0.1; back at x 0.4: 1.5 face sizes away, inside maxDistance 3.
    const out = recall([absent(0.1, 0.2)], [{ id: 3, box: box(0.4, 0.1, 0.22) }]);
    expect(out.returned).toEqual([{ id: 3, role: 'main' }]);
    expect(out.absent).toEqual([]);
  });

  it('does not take a face too far away, of another size, or one that was there before they left', () => {
    const a = absent(0.1, 0.1);
    expect(recall([a], [{ id: 3, box: box(0.6, 0.1, 0.1) }]).returned, '5 face sizes away').toEqual([]);
    expect(recall([a], [{ id: 3, box: box(0.1, 0.1, 0.2) }]).returned, 'twice the size').toEqual([]);
    expect(recall([a], [{ id: 2, box: box(0.1, 0.1, 0.1) }]).returned, 'tracked since before').toEqual([]);
    expect(recall([a], []).absent).toEqual([a]);
  });

  it('pairs several absent people with several new faces nearest first, each once', () => {
    const left = absent(0.1, 0.1, 'picked');
    const right = absent(0.5, 0.1, 'picked');
    const out = recall(
      [left, right],
      [
        { id: 7, box: box(0.45, 0.1, 0.1) },
        { id: 8, box: box(0.15, 0.1, 0.1) },
        { id: 9, box: box(0.12, 0.1, 0.1) },
      ],
    );
    expect(out.returned).toEqual([
      { id: 9, role: 'picked' },
      { id: 7, role: 'picked' },
    ]);
  });

  it('forgets the absent after keepFrames', () => {
    const o = { keepFrames: 2, maxDistance: 3, maxScale: 1.6 };
    let list = [absent(0.1, 0.1)];
    list = ageAbsent(list, o);
    list = ageAbsent(list, o);
    expect(list.map((a) => a.frames)).toEqual([2]);
    expect(ageAbsent(list, o)).toEqual([]);
  });
});

/**
 * Synthetic tracks through the people step, a detection every frame. A 16x16 mask: me on the left
 * (columns 1-6, face 3/16 wide at column 2) and someone else on the right (columns 10-13, face 2/16 wide,
 * smaller, so I am the main person). Frame by frame, each of us is in the picture or not, and with a face
 * the detector finds or turned away.
 */
type Presence = 'here' | 'turned' | 'gone';
const ME = { columns: [1, 6], face: det(2 / 16, 0, 3 / 16) };
const OTHER = { columns: [10, 13], face: det(10 / 16, 0, 2 / 16) };

function frame(me: Presence, other: Presence) {
  const prob = floatImage(16, 16);
  const detections: FaceDetection[] = [];
  for (const [who, presence] of [
    [ME, me],
    [OTHER, other],
  ] as const) {
    if (presence === 'gone') continue;
    for (let y = 0; y < 16; y++) for (let x = who.columns[0]; x <= who.columns[1]; x++) prob.data[y * 16 + x] = 1;
    if (presence === 'here') detections.push(who.face);
  }
  return { prob, detections };
}

/** The side each kept label lies on: 'me', 'other', in the order found. */
function keptSides(f: ReturnType<typeof peopleStep>['frame']): string[] {
  const sides = new Set<string>();
  for (let i = 0; i < f.split.labels.length; i++) {
    if (f.keep.has(f.split.labels[i]) && f.split.labels[i] !== 0) sides.add(i % 16 < 8 ? 'me' : 'other');
  }
  return [...sides].sort();
}

function run(mode: PeopleMode, script: [Presence, Presence, number][], start: PeopleState = INITIAL_PEOPLE, keepFrames = 90) {
  let state = start;
  const kept: string[][] = [];
  for (const [me, other, frames] of script) {
    for (let i = 0; i < frames; i++) {
      const { prob, detections } = frame(me, other);
      const step = peopleStep(state, prob, detections, mode, { keepFrames, maxDistance: 3, maxScale: 1.6 });
      state = step.state;
      kept.push(keptSides(step.frame));
    }
  }
  return { state, kept };
}

describe('a kept person who leaves and comes back', () => {
  it("'only me': nobody takes over while I am briefly gone, and I am kept again the moment I am back", () => {
    const { kept } = run('main', [
      ['here', 'here', 5],
      ['gone', 'here', 20],
      ['here', 'here', 5],
    ]);
    expect(kept.slice(0, 5).every((k) => k.join() === 'me')).toBe(true);
    // Gone: my track is dropped after two rounds without my face; the other person is never kept.
    expect(kept.slice(5, 25)).toEqual(Array(20).fill([]));
    // Back with a new track, at the same place and size: kept from the first frame, not after the 45-frame hold.
    expect(kept.slice(25)).toEqual(Array(5).fill(['me']));
  });

  it("'only me': after the memory runs out, the largest face there takes over", () => {
    const { kept } = run(
      'main',
      [
        ['here', 'here', 3],
        ['gone', 'here', 12],
      ],
      INITIAL_PEOPLE,
      5,
    );
    expect(kept.at(-1)).toEqual(['other']);
  });

  it("'only me': turned away, I stay (my faceless body stands in) and the other person does not", () => {
    const { kept } = run('main', [
      ['here', 'here', 3],
      ['turned', 'here', 10],
    ]);
    expect(kept.slice(3).every((k) => k.join() === 'me')).toBe(true);
  });

  it("'pick': the picked person stays picked across a short absence; the other stays dropped throughout", () => {
    // Picked after the first frame: track 1 is me.
    const first = run('pick', [['here', 'here', 1]]);
    const { state, kept } = run(
      'pick',
      [
        ['here', 'here', 3],
        ['gone', 'here', 15],
        ['here', 'here', 3],
      ],
      { ...first.state, picked: new Set([1]) },
    );
    expect(kept.every((k) => !k.includes('other'))).toBe(true);
    expect(kept.slice(-3)).toEqual(Array(3).fill(['me']));
    expect(state.picked.size).toBe(1);
    expect(state.picked.has(1)).toBe(false);
  });

  it("'pick': once the memory has run out, picks are over and everyone stays again", () => {
    const first = run('pick', [['here', 'here', 1]]);
    const { kept } = run(
      'pick',
      [
        ['here', 'here', 2],
        ['gone', 'here', 12],
        ['here', 'here', 1],
      ],
      { ...first.state, picked: new Set([1]) },
      5,
    );
    expect(kept.at(-1)).toEqual(['me', 'other']);
  });

  it("'pick': a face already picked is not taken for someone absent, who stays remembered", () => {
    // I (picked, gone) was remembered where the other person's face now is, and they are picked too.
    const { prob, detections } = frame('gone', 'here');
    const first = peopleStep(INITIAL_PEOPLE, prob, detections, 'pick');
    const away: Absent = { box: OTHER.face.box, role: 'picked', frames: 0, firstNewId: 1 };
    const { state } = peopleStep({ ...first.state, picked: new Set([1]), absent: [away] }, prob, detections, 'pick');
    expect(state.picked).toEqual(new Set([1]));
    expect(state.absent).toEqual([{ ...away, frames: 1 }]);
  });
});

describe('personUnder', () => {
  it('finds the faceless person covering a box, and nobody where they cover too little of it', () => {
    const { prob } = frame('turned', 'gone');
    const split = peopleStep(INITIAL_PEOPLE, prob, [], 'all').frame.split;
    expect(personUnder(split, ME.face.box)?.faceId).toBeNull();
    expect(personUnder(split, box(8 / 16, 0, 2 / 16))).toBeNull();
    expect(personUnder(split, box(1.2, 0, 0.1))).toBeNull();
  });
});
