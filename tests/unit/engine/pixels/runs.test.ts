import { describe, expect, it } from 'vitest';
import { floatImage, rgbaImage, type Runs } from '../../../../src/frame';
import { PixelError } from '../../../../src/engine/pixels/errors';
import { resizeFloat } from '../../../../src/engine/pixels/resize';
import {
  assertRuns,
  KNOWN_EPS,
  kindOf,
  RUN_BACKGROUND,
  RUN_MIXED,
  RUN_PERSON,
  runsOf,
  RunsBuilder,
  uniformRuns,
} from '../../../../src/engine/pixels/runs';
import { composite } from '../../../../src/engine/stages/composite';
import { upsampleMask } from '../../../../src/engine/stages/upsample';

/** Writes row y's per-pixel kinds into `out` (width long). */
function expandRow(runs: Runs, y: number, out: Uint8Array): void {
  let start = 0;
  const f = runs.first[y];
  for (let k = f; k < f + runs.count[y]; k++) {
    out.fill(runs.kinds[k], start, runs.ends[k]);
    start = runs.ends[k];
  }
}

function rowOf(runs: Runs, y: number): [number, number][] {
  const out: [number, number][] = [];
  for (let k = runs.first[y]; k < runs.first[y] + runs.count[y]; k++) out.push([runs.ends[k], runs.kinds[k]]);
  return out;
}

function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('runs', () => {
  it('classifies alpha by KNOWN_EPS: the ends are known, the rest mixed', () => {
    expect([0, KNOWN_EPS / 2, KNOWN_EPS, 0.5, 1 - KNOWN_EPS, 1 - KNOWN_EPS / 2, 1].map(kindOf)).toEqual([
      RUN_BACKGROUND,
      RUN_BACKGROUND,
      RUN_MIXED,
      RUN_MIXED,
      RUN_MIXED,
      RUN_PERSON,
      RUN_PERSON,
    ]);
  });

  it('merges neighbouring runs of one kind, shares rows, and expands back to per-pixel kinds', () => {
    const b = new RunsBuilder(6, 3);
    b.push(1, RUN_BACKGROUND);
    b.push(2, RUN_BACKGROUND);
    b.push(4, RUN_MIXED);
    b.push(6, RUN_PERSON);
    b.endRow(0);
    b.pushKinds(Uint8Array.from([1, 1, 1, 2, 2, 0]));
    b.endRow(1);
    b.shareRow(2, 0);
    const runs = b.build();
    expect(rowOf(runs, 0)).toEqual([
      [2, RUN_BACKGROUND],
      [4, RUN_MIXED],
      [6, RUN_PERSON],
    ]);
    expect(rowOf(runs, 1)).toEqual([
      [3, RUN_PERSON],
      [5, RUN_MIXED],
      [6, RUN_BACKGROUND],
    ]);
    expect(rowOf(runs, 2)).toEqual(rowOf(runs, 0));
    const kinds = new Uint8Array(6);
    expandRow(runs, 1, kinds);
    expect(Array.from(kinds)).toEqual([1, 1, 1, 2, 2, 0]);
    expect(() => assertRuns(runs, 6, 3)).not.toThrow();
  });

  it('refuses a row that does not reach the end, and runs of another size', () => {
    const b = new RunsBuilder(4, 1);
    b.push(3, RUN_PERSON);
    expect(() => b.endRow(0)).toThrow(PixelError);
    expect(() => assertRuns(uniformRuns(4, 2, RUN_PERSON), 4, 3)).toThrow(/4x2, image 4x3/);
  });

  it('runsOf a plane: one run per stretch of a kind', () => {
    const alpha = Float32Array.from([0, 0, 0.5, 1, 1, 0.001, 1, 1, 0.3, 0]);
    const runs = runsOf(alpha, 5, 2);
    expect(rowOf(runs, 0)).toEqual([
      [2, RUN_BACKGROUND],
      [3, RUN_MIXED],
      [5, RUN_PERSON],
    ]);
    expect(rowOf(runs, 1)).toEqual([
      [1, RUN_BACKGROUND],
      [3, RUN_PERSON],
      [4, RUN_MIXED],
      [5, RUN_BACKGROUND],
    ]);
  });
});

describe('upsampleMask by runs', () => {
  it('equals the plain bilinear resize: to float rounding in mixed runs, within KNOWN_EPS (snapped to 0 or 1) in known ones', () => {
    const rand = lcg(3);
    // A soft blob: known far inside and far outside, mixed on a ring.
    const prob = floatImage(16, 9);
    for (let y = 0; y < 9; y++)
      for (let x = 0; x < 16; x++) {
        const r = Math.hypot((x - 8) / 5, (y - 4) / 3);
        prob.data[y * 16 + x] = r < 0.6 ? 1 : r > 1.2 ? 0 : Math.min(1, Math.max(0, 1.2 - r + 0.05 * rand()));
      }
    const plain = resizeFloat(prob, 80, 45);
    const fast = upsampleMask(prob, 80, 45);
    let known = 0;
    for (let y = 0; y < 45; y++) {
      const kinds = new Uint8Array(80);
      expandRow(fast.runs, y, kinds);
      for (let x = 0; x < 80; x++) {
        const i = y * 80 + x;
        if (kinds[x] === RUN_MIXED) expect(fast.alpha.data[i]).toBeCloseTo(plain.data[i], 6);
        else {
          known++;
          expect(fast.alpha.data[i]).toBe(kinds[x] === RUN_PERSON ? 1 : 0);
          expect(Math.abs(plain.data[i] - fast.alpha.data[i])).toBeLessThan(KNOWN_EPS);
        }
      }
    }
    expect(known).toBeGreaterThan(1000);
  });
});

describe('composite by runs', () => {
  it('gives byte for byte what the per-pixel blend gives, over a background and transparent', () => {
    const rand = lcg(11);
    const w = 23;
    const h = 7;
    const alpha = floatImage(w, h);
    for (let i = 0; i < w * h; i++) {
      const r = rand();
      alpha.data[i] = r < 0.3 ? 0 : r < 0.6 ? 1 : r < 0.7 ? KNOWN_EPS / 3 : r < 0.8 ? 1 - KNOWN_EPS / 3 : rand();
    }
    const bytes = () => Uint8Array.from({ length: w * h * 4 }, () => Math.floor(rand() * 256));
    const frame = rgbaImage(w, h, bytes());
    const foreground = rgbaImage(w, h, bytes());
    const background = rgbaImage(w, h, bytes());
    const runs = runsOf(alpha.data, w, h);
    for (const bg of [background, null]) {
      const perPixel = new Uint8Array(w * h * 4);
      const byRuns = new Uint8Array(w * h * 4);
      composite(frame, { alpha, foreground }, bg, perPixel);
      composite(frame, { alpha, foreground, runs }, bg, byRuns);
      expect(Array.from(byRuns)).toEqual(Array.from(perPixel));
    }
  });
});
