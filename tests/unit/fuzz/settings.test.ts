import fc from 'fast-check';
import { describe, it } from 'vitest';
import { ContractError, DEFAULT_SETTINGS } from '../../../src/common/contract';
import { parseSettingsFile } from '../../../src/main/settings';
import { jsonish, messages, parsesOrRefuses } from './support';

/** The settings file as a user, another version of Backdrop or a crash mid-write may leave it. */
const files = fc.oneof(
  { weight: 6, arbitrary: messages([DEFAULT_SETTINGS, { ...DEFAULT_SETTINGS, people: 'main', cameraId: 'cam' }], jsonish).map((s) => JSON.stringify(s, null, 2) ?? '') },
  // Cut short, as a write interrupted by a crash leaves it.
  { weight: 2, arbitrary: fc.tuple(fc.constant(JSON.stringify(DEFAULT_SETTINGS, null, 2)), fc.nat()).map(([text, cut]) => text.slice(0, cut % text.length)) },
  { weight: 1, arbitrary: fc.string() },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString('latin1')) },
);

describe('fuzzing the settings file parser', () => {
  it('reads settings or throws ContractError, whatever the file holds', () => {
    parsesOrRefuses(files, parseSettingsFile, ContractError);
  });
});
