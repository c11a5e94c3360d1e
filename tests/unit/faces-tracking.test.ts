import { describe, expect, it } from 'vitest';
import type { FaceDetection } from '../../src/engine/faces/detection';
import { chooseMainPerson, NO_MAIN_PERSON, type MainPersonState } from '../../src/engine/faces/main-person';
import { INITIAL_PEOPLE, peopleStep, selectPeople } from '../../src/engine/faces/people';
import { advanceTracks, EMPTY_TRACKER, trackBox, updateTracks } from '../../src/engine/faces/tracker';
import { floatImage } from '../../src/frame';
import type { InstanceSplit } from '../../src/engine/pixels/instances';

const det = (xmin: number, ymin: number, size: number, score = 0.9): FaceDetection => ({ box: { xmin, ymin, xmax: xmin + size, ymax: ymin + size }, score, keypoints: [] });
const rounded = (b: object) => Object.values(b).map((v: number) => +v.toFixed(9));

describe('face tracker', () => {
  it('numbers new faces in detection order and starts them still', () => {
    const s = updateTracks(EMPTY_TRACKER, [det(0.1, 0.1, 0.1), det(0.6, 0.1, 0.1)]);
    expect(s.nextId).toBe(3);
    expect(s.tracks.map((t) => [t.id, t.vx, t.vy, t.age])).toEqual([
      [1, 0, 0, 0],
      [2, 0, 0, 0],
    ]);
  });

  it('keeps the id of a face that moved, and carries it on at its speed between detections', () => {
    // Detected at x 0.10, then 3 frames later at 0.13: 0.01 per frame. Two frames on, the box is at 0.15.
    let s = updateTracks(EMPTY_TRACKER, [det(0.1, 0.1, 0.1)]);
    s = advanceTracks(advanceTracks(s));
    s = updateTracks(s, [det(0.13, 0.1, 0.1)]);
    expect(s.tracks.map((t) => t.id)).toEqual([1]);
    expect(s.tracks[0].vx).toBeCloseTo(0.01, 9);
    s = advanceTracks(advanceTracks(s));
    expect(rounded(trackBox(s.tracks[0]))).toEqual([0.15, 0.1, 0.25, 0.2]);
  });

  it('stops predicting after maxPredictFrames, so a lost face does not drift away', () => {
    const s = { nextId: 2, tracks: [{ id: 1, detected: det(0.1, 0.1, 0.1).box, score: 0.9, vx: 0.01, vy: 0, age: 50, missed: 0 }] };
    expect(rounded(trackBox(s.tracks[0], { maxDistance: 1, maxMissed: 1, maxPredictFrames: 4 }))).toEqual([0.14, 0.1, 0.24, 0.2]);
  });

  it('starts a new track for a face too far from any, keeps a missed track one round, then drops it', () => {
    // 0.25 apart with faces 0.1 wide: 2.5 face sizes, beyond maxDistance 1.
    let s = updateTracks(EMPTY_TRACKER, [det(0.1, 0.1, 0.1)]);
    s = updateTracks(s, [det(0.35, 0.1, 0.1)]);
    expect(s.tracks.map((t) => [t.id, t.missed])).toEqual([
      [1, 1],
      [2, 0],
    ]);
    s = updateTracks(s, [det(0.35, 0.1, 0.1)]);
    expect(s.tracks.map((t) => t.id)).toEqual([2]);
  });

  it('matches each face to the nearest track when two move together', () => {
    let s = updateTracks(EMPTY_TRACKER, [det(0.2, 0.1, 0.1), det(0.6, 0.1, 0.1)]);
    // Listed in the other order; each still goes to the nearer track.
    s = updateTracks(s, [det(0.55, 0.1, 0.1), det(0.25, 0.1, 0.1)]);
    expect(s.tracks.map((t) => [t.id, +t.detected.xmin.toFixed(9)])).toEqual([
      [1, 0.25],
      [2, 0.55],
    ]);
  });
});

describe('chooseMainPerson', () => {
  const o = { margin: 1.25, holdFrames: 3 };
  const run = (frames: { id: number; area: number }[][], start: MainPersonState = NO_MAIN_PERSON) =>
    frames.reduce<MainPersonState[]>((acc, c) => [...acc, chooseMainPerson(acc.at(-1) ?? start, c, o)], []).map((s) => s.id);

  it('has no main person without faces, and takes the largest face at once when there is none', () => {
    expect(chooseMainPerson(NO_MAIN_PERSON, [], o)).toEqual(NO_MAIN_PERSON);
    expect(run([[{ id: 1, area: 4 }, { id: 2, area: 9 }]])).toEqual([2]);
  });

  it('hands over only after a clearly larger face has held for holdFrames frames in a row', () => {
    const me = { id: 1, area: 10 };
    const passer = { id: 2, area: 13 };
    // 13 > 10 * 1.25: the passer challenges; third frame in a row, it takes over.
    expect(run([[me], [me, passer], [me, passer], [me, passer]])).toEqual([1, 1, 1, 2]);
    // Interrupted after two frames, the count starts again.
    expect(run([[me], [me, passer], [me, passer], [me], [me, passer], [me, passer]])).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('never hands over to a face less than margin larger', () => {
    expect(run(Array(10).fill([{ id: 1, area: 10 }, { id: 2, area: 12 }]), { id: 1, challenger: null, challengerFrames: 0 })).toEqual(Array(10).fill(1));
  });

  it('gives the largest remaining face the place of a main person who left', () => {
    expect(run([[{ id: 1, area: 10 }], [{ id: 2, area: 3 }, { id: 3, area: 5 }]])).toEqual([1, 3]);
  });
});

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
