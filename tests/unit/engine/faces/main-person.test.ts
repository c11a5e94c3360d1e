import { describe, expect, it } from 'vitest';
import { chooseMainPerson, NO_MAIN_PERSON, type MainPersonState } from '../../../../src/engine/faces/main-person';

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
