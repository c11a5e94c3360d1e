import { describe, expect, it } from 'vitest';
import type { FaceDetection } from '../../../../src/engine/faces/detection';
import { INITIAL_PEOPLE, peopleStep, personAt, selectPeople, togglePick } from '../../../../src/engine/faces/people';
import type { InstanceSplit } from '../../../../src/engine/pixels/instances';
import { floatImage } from '../../../../src/frame';

const det = (xmin: number, ymin: number, size: number, score = 0.9): FaceDetection => ({ box: { xmin, ymin, xmax: xmin + size, ymax: ymin + size }, score, keypoints: [] });

describe('selectPeople', () => {
  const split = (people: InstanceSplit['people']): InstanceSplit => ({ width: 1, height: 1, labels: new Uint16Array(1), people, rejected: [] });
  const two = split([
    { label: 1, faceId: 4, area: 10 },
    { label: 2, faceId: 5, area: 30 },
    { label: 3, faceId: null, area: 50 },
  ]);

  it("keeps everyone in 'all' mode and the main face's person in 'main' mode", () => {
    expect(selectPeople(two, 'all', null)).toEqual({ keep: new Set([1, 2, 3]), fallback: false });
    expect(selectPeople(two, 'main', 4)).toEqual({ keep: new Set([1]), fallback: false });
  });

  it('falls back to the largest faceless person when no face is on anyone, and says so', () => {
    const faceless = split([
      { label: 1, faceId: null, area: 5 },
      { label: 2, faceId: null, area: 9 },
    ]);
    expect(selectPeople(faceless, 'main', null)).toEqual({ keep: new Set([2]), fallback: true });
    expect(selectPeople(split([]), 'main', null)).toEqual({ keep: new Set(), fallback: false });
  });
});

describe('peopleStep', () => {
  it('ignores a face with no body for the main person, and keeps the person whose face it is', () => {
    // 8x6 mask: a person on the left (face at columns 1-2, body below), a face-only blob on the right (a
    // poster). The poster's face is larger, but makes no person, so the left face is the main person.
    const rows = ['.##...##', '.##...##', '.##.....', '####....', '####....', '####....'];
    const prob = floatImage(8, 6, Float32Array.from(rows.join(''), (c) => (c === '#' ? 1 : 0)));
    const faces = [det(1 / 8, 0, 2 / 8), det(5.5 / 8, 0, 2.5 / 8)];
    const { frame } = peopleStep(INITIAL_PEOPLE, prob, faces, 'main');
    expect(frame.split.rejected).toEqual([2]);
    expect(frame.mainFaceId).toBe(1);
    expect(frame.keep).toEqual(new Set([1]));
    expect(frame.fallback).toBe(false);
  });
});

describe("'pick' mode", () => {
  // 4x2 labels: person 1 (face 10) on the left half, person 2 (no face) on the right, background at (3, 0).
  const split: InstanceSplit = {
    width: 4,
    height: 2,
    labels: Uint16Array.of(1, 1, 2, 0, 1, 1, 2, 2),
    people: [
      { label: 1, faceId: 10, area: 4 },
      { label: 2, faceId: null, area: 3 },
    ],
    rejected: [],
  };

  it('finds the person under a point, and no one over background or off the frame', () => {
    expect(personAt(split, 0.1, 0.9)?.label).toBe(1);
    expect(personAt(split, 0.6, 0.2)?.label).toBe(2);
    expect(personAt(split, 0.9, 0.2)).toBeNull();
    expect(personAt(split, 1, 0.5)).toBeNull();
  });

  it('picks a person by their face on a click and drops them on the next; a faceless person cannot be picked', () => {
    const once = togglePick(new Set(), split, 0.1, 0.1);
    expect(once).toEqual(new Set([10]));
    expect(togglePick(once, split, 0.4, 0.6)).toEqual(new Set());
    expect(togglePick(once, split, 0.6, 0.6)).toBe(once);
  });

  it('keeps everyone until someone is picked, then only the picked', () => {
    expect(selectPeople(split, 'pick', null, new Set())).toEqual({ keep: new Set([1, 2]), fallback: false });
    expect(selectPeople(split, 'pick', null, new Set([10]))).toEqual({ keep: new Set([1]), fallback: false });
  });

  it('forgets a pick when its face is no longer tracked', () => {
    const prob = floatImage(4, 4, new Float32Array(16).fill(1));
    let { state } = peopleStep(INITIAL_PEOPLE, prob, [det(0.25, 0, 0.5)], 'pick');
    state = { ...state, picked: new Set([1]) };
    // Two detection rounds without the face: the track is dropped (maxMissed 1), and the pick with it.
    state = peopleStep(state, prob, [], 'pick').state;
    expect(state.picked).toEqual(new Set([1]));
    state = peopleStep(state, prob, [], 'pick').state;
    expect(state.picked).toEqual(new Set());
  });
});
