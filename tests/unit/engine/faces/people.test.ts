import { describe, expect, it } from 'vitest';
import type { FaceDetection } from '../../../../src/engine/faces/detection';
import { INITIAL_PEOPLE, peopleStep, selectPeople } from '../../../../src/engine/faces/people';
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
