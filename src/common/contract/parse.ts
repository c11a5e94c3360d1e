/** Helpers every boundary's parsers share: what arrives from another process is checked, never trusted. */

export class ContractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContractError';
  }
}

/**
 * A value as an error message may show it. JSON.stringify would throw on a BigInt or a cycle (which a
 * structured clone can carry) and repeat a megabyte string whole.
 */
export function shown(x: unknown): string {
  if (typeof x === 'string') return JSON.stringify(x.length > 64 ? `${x.slice(0, 64)}...` : x);
  if (typeof x === 'number' || typeof x === 'boolean' || x === null || x === undefined) return String(x);
  if (typeof x === 'bigint') return `${x}n`;
  if (typeof x === 'object') return Array.isArray(x) ? 'a list' : 'an object';
  return `a ${typeof x}`;
}

export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export function finite(x: unknown, what: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new ContractError(`${what} must be a finite number`);
  return x;
}

export function int(x: unknown, what: string, min: number, max: number): number {
  const n = finite(x, what);
  if (!Number.isInteger(n) || n < min || n > max) throw new ContractError(`${what} must be an integer in [${min}, ${max}]`);
  return n;
}

export function oneOf<T extends string>(x: unknown, allowed: readonly T[], what: string): T {
  if (typeof x !== 'string' || !allowed.includes(x as T)) {
    throw new ContractError(`${what} must be one of ${allowed.join(', ')}`);
  }
  return x as T;
}

export function path(x: unknown, what: string): string {
  if (typeof x !== 'string' || x.length === 0 || x.length > 4096 || x.includes('\0')) {
    throw new ContractError(`${what} must be a non-empty path`);
  }
  return x;
}

export function nullableString(x: unknown, what: string): string | null {
  if (x !== null && typeof x !== 'string') throw new ContractError(`${what} must be a string or null`);
  return x;
}

export function count(x: unknown, what: string): number {
  return int(x, what, 0, Number.MAX_SAFE_INTEGER);
}
