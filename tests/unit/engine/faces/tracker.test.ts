import { describe, expect, it } from 'vitest';
import type { FaceDetection } from '../../../../src/engine/faces/detection';
import { advanceTracks, EMPTY_TRACKER, trackBox, updateTracks } from '../../../../src/engine/faces/tracker';

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
