import fc from 'fast-check';
import { expect } from 'vitest';

/**
 * Fuzzing of the parsers at process boundaries: whatever arrives, a parser either returns or throws its
 * own typed error. Anything else thrown (a TypeError from a getter, a RangeError from a huge allocation)
 * is a bug that a broken or hostile peer could trigger; so is a call that takes long enough to stall.
 */

/** Cases per parser, as issue 13 asks of CI. */
export const RUNS = 10_000;
/** One parse of a small message taking this long means a pathological path (a backtracking regex, a loop). */
const HANG_MS = 1000;

/** Keys a hostile peer would try (prototype pollution, thenables) beside the names the parsers look up. */
const KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'toJSON', 'then', 'type', 'kind', 'length'];
export const hostileKey = fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom(...KEYS));

/** Whatever a structured clone (MessagePort, Electron ipc) can deliver, buffers included. */
export const cloneable: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: fc.anything({ key: hostileKey, maxDepth: 3, maxKeys: 5, withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true, withUnicodeString: true }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((a) => a.buffer) },
);

/** Whatever JSON.parse can deliver (a settings file, a socket's text message). */
export const jsonish: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 3 });

const NUMBERS = [0, -0, 1, -1, 2, 0.5, 255, 256, 3840, 2160, 16384, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 + 2, 1e308, NaN, Infinity, -Infinity];

type Path = readonly (string | number)[];
const DELETE = Symbol('delete');

/** Every node of a sample: the root, each field and element, down to the leaves. */
function paths(x: unknown, at: Path = []): Path[] {
  if (typeof x !== 'object' || x === null || ArrayBuffer.isView(x) || x instanceof ArrayBuffer) return [at];
  return [at, ...Object.entries(x).flatMap(([k, v]) => paths(v, [...at, Array.isArray(x) ? Number(k) : k]))];
}

function valueAt(x: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<string | number, unknown>)[key] : undefined), x);
}

/** Another value for a node, of its own kind mostly: a number for a number, a buffer of another length for a buffer. */
function replacementFor(value: unknown, other: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  let own: fc.Arbitrary<unknown> = other;
  if (typeof value === 'number') own = fc.oneof(fc.constantFrom(...NUMBERS), fc.integer({ min: -2, max: 5000 }), fc.double());
  else if (typeof value === 'string') own = fc.oneof(fc.string({ maxLength: 12 }), fc.constant(''), fc.constant(value.repeat(3)));
  else if (typeof value === 'boolean' || value === null) own = fc.constantFrom(true, false, null, 0, 'true');
  else if (value instanceof ArrayBuffer) own = fc.nat(value.byteLength * 2 + 4).map((n) => new ArrayBuffer(n));
  else if (value instanceof Uint8Array || value instanceof Float32Array) {
    own = fc.tuple(fc.nat(value.length * 2 + 4), fc.boolean()).map(([n, swap]) => ((value instanceof Uint8Array) !== swap ? new Uint8Array(n) : new Float32Array(n)));
  }
  return fc.oneof({ weight: 3, arbitrary: own }, { weight: 2, arbitrary: other }, { weight: 1, arbitrary: fc.constant(DELETE) });
}

function mutated(sample: unknown, mutations: readonly { path: Path; value: unknown; key: string | null }[]): unknown {
  const box: Record<string, unknown> = { root: structuredClone(sample) };
  for (const { path, value, key } of mutations) {
    const full: Path = ['root', ...path];
    const parent = valueAt(box, full.slice(0, -1)) as Record<string | number, unknown> | undefined;
    if (typeof parent !== 'object' || parent === null) continue; // an earlier mutation replaced an ancestor
    const last = full[full.length - 1];
    const node = parent[last];
    try {
      if (key !== null && typeof node === 'object' && node !== null && value !== DELETE) {
        // defineProperty, so that '__proto__' becomes an own key as JSON.parse makes it.
        Object.defineProperty(node, key, { value, enumerable: true, writable: true, configurable: true });
      } else if (value === DELETE) {
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else delete parent[last];
      } else {
        parent[last] = value;
      }
    } catch {
      // An earlier mutation put an exotic value here (a boxed string, a typed array) that takes no such change.
    }
  }
  return box.root;
}

/**
 * Messages like `sample` with a few local faults: a field given another value (of its kind or any),
 * removed, or a stray key added; none at all now and then. Deep fields of a message are only reached
 * when the fields before them pass, which random values alone almost never do.
 */
export function near(sample: unknown, other: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const mutation = fc.constantFrom(...paths(sample)).chain((path) =>
    fc.record({
      path: fc.constant(path),
      value: replacementFor(valueAt(sample, path), other),
      key: fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: hostileKey }),
    }),
  );
  return fc.array(mutation, { maxLength: 3 }).map((mutations) => mutated(sample, mutations));
}

/** Near any of the samples, or anything at all. */
export function messages(samples: readonly unknown[], other: fc.Arbitrary<unknown> = cloneable): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 1, arbitrary: other }, ...samples.map((s) => ({ weight: 4, arbitrary: near(s, other) })));
}

type ErrorClass = abstract new (...args: never[]) => Error;

/** Every input parses or throws `typed` with a message; nothing else is thrown, and no call stalls. */
export function parsesOrRefuses<T>(arbitrary: fc.Arbitrary<T>, parse: (input: T) => unknown, typed: ErrorClass | readonly ErrorClass[], runs = RUNS): void {
  const allowed = Array.isArray(typed) ? typed : [typed];
  let slowest = 0;
  let refused = 0;
  let accepted = 0;
  fc.assert(
    fc.property(arbitrary, (input) => {
      const started = performance.now();
      try {
        parse(input);
        accepted++;
      } catch (error) {
        if (!allowed.some((k) => error instanceof k)) {
          throw new Error(`threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)} instead of ${allowed.map((k) => k.name).join(' or ')}`);
        }
        if (typeof (error as Error).message !== 'string' || (error as Error).message.length === 0) throw new Error('refused without a message');
        refused++;
      }
      slowest = Math.max(slowest, performance.now() - started);
    }),
    { numRuns: runs },
  );
  expect(slowest, 'slowest single parse, ms').toBeLessThan(HANG_MS);
  // A generator that only ever produced rubbish (or only valid input) would leave paths of the parser untried.
  expect(refused, 'some inputs must be refused').toBeGreaterThan(0);
  expect(accepted, 'some inputs must parse').toBeGreaterThan(0);
}
