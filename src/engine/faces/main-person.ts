/**
 * "Only me": the main person is the one with the largest face, held over time. Someone else becomes the
 * main person only after their face has been clearly larger (by `margin`) for `holdFrames` frames in a
 * row, so a person passing close to the camera for a second does not take over. Pure: state in, state out.
 */

export interface MainPersonState {
  id: number | null;
  /** The face currently larger than the main one, and for how many frames in a row it has been. */
  challenger: number | null;
  challengerFrames: number;
}

export interface MainPersonOptions {
  /** A challenger's face area must exceed the main face's by this factor. */
  margin: number;
  holdFrames: number;
}

export const MAIN_PERSON_DEFAULTS: MainPersonOptions = { margin: 1.25, holdFrames: 45 };

export const NO_MAIN_PERSON: MainPersonState = { id: null, challenger: null, challengerFrames: 0 };

export interface Candidate {
  id: number;
  /** Face area, any unit shared by all candidates. */
  area: number;
}

export function chooseMainPerson(state: MainPersonState, candidates: readonly Candidate[], o: MainPersonOptions = MAIN_PERSON_DEFAULTS): MainPersonState {
  if (candidates.length === 0) return NO_MAIN_PERSON;
  const largest = candidates.reduce((a, b) => (b.area > a.area || (b.area === a.area && b.id < a.id) ? b : a));
  const main = candidates.find((c) => c.id === state.id);
  // The main person left (or there was none): the largest face takes over at once.
  if (!main) return { id: largest.id, challenger: null, challengerFrames: 0 };
  if (largest.id === main.id || largest.area <= main.area * o.margin) return { id: main.id, challenger: null, challengerFrames: 0 };
  const frames = state.challenger === largest.id ? state.challengerFrames + 1 : 1;
  if (frames >= o.holdFrames) return { id: largest.id, challenger: null, challengerFrames: 0 };
  return { id: main.id, challenger: largest.id, challengerFrames: frames };
}
