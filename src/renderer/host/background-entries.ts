import { ContractError, parseBackground, type BackgroundEntry } from '../../common/contract';

/** Validates a background list from main or the bridge; the contract has a parser per value, not per list. */
export function parseBackgroundEntries(x: unknown): BackgroundEntry[] {
  if (!Array.isArray(x)) throw new ContractError('background list must be an array');
  return x.map((e: unknown, i) => {
    const entry = e as Record<string, unknown> | null;
    if (typeof entry !== 'object' || entry === null) throw new ContractError(`background entry ${i} must be an object`);
    if (typeof entry.id !== 'string' || typeof entry.label !== 'string') {
      throw new ContractError(`background entry ${i} needs a string id and label`);
    }
    return { id: entry.id, label: entry.label, background: parseBackground(entry.background) };
  });
}
