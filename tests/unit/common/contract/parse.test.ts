import { describe, expect, it } from 'vitest';
import { ContractError, parseBackground, parseMicrophones, parseToEngine } from '../../../../src/common/contract';
import { shown } from '../../../../src/common/contract/parse';

describe('shown', () => {
  it('shows any value briefly, without throwing', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect([shown('set-x'), shown(3), shown(null), shown(undefined), shown(10n), shown([1]), shown(cycle), shown(Symbol('s'))]).toEqual([
      '"set-x"',
      '3',
      'null',
      'undefined',
      '10n',
      'a list',
      'an object',
      'a symbol',
    ]);
    expect(shown('x'.repeat(1000))).toBe(`"${'x'.repeat(64)}..."`);
  });
});

/** Found by the fuzzing (tests/unit/fuzz/): each threw a TypeError instead of a ContractError. */
describe('what a structured clone can carry is refused as a contract error', () => {
  it('a BigInt where a message type or background kind goes', () => {
    expect(() => parseToEngine({ type: 1n })).toThrow(new ContractError('unknown message type 1n'));
    expect(() => parseBackground({ kind: [0n] })).toThrow(new ContractError('unknown background kind a list'));
  });

  it("an array with an own 'constructor'", () => {
    const rgb = Object.defineProperty([1, 2, 3], 'constructor', { value: 5, enumerable: true });
    expect(parseBackground({ kind: 'colour', rgb })).toEqual({ kind: 'colour', rgb: [1, 2, 3] });
    const list = Object.defineProperty([{ spec: { kind: 'none' }, label: 'm' }], 'constructor', { value: 0, enumerable: true });
    expect(parseMicrophones(list)).toEqual([{ spec: { kind: 'none' }, label: 'm' }]);
  });
});
