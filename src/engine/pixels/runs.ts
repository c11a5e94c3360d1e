import type { Runs } from '../../frame';
import { assertDimensions, assertLength, PixelError } from './errors';

/**
 * Row runs of a full-resolution matte: each row is cut into runs of known background, known person, and
 * mixed pixels. Most of a webcam frame is known one way or the other, so the stages after segmentation
 * do per-pixel work only on the mixed runs (the edge band) and move whole runs of known pixels with
 * word copies. Rows may share one run list (rows that read the same low-resolution rows do).
 */
export const RUN_BACKGROUND = 0;
export const RUN_PERSON = 1;
export const RUN_MIXED = 2;
export type RunKind = typeof RUN_BACKGROUND | typeof RUN_PERSON | typeof RUN_MIXED;

/**
 * Alpha below this is background and above 1 - this is the person for every 8-bit consumer: the
 * compositor's 1/256 weights and an 8-bit alpha channel both round it to the end value.
 */
export const KNOWN_EPS = 1 / 512;


/** Kind of an alpha value: the ends within KNOWN_EPS are known, the rest mixed. */
export function kindOf(alpha: number): RunKind {
  return alpha < KNOWN_EPS ? RUN_BACKGROUND : alpha > 1 - KNOWN_EPS ? RUN_PERSON : RUN_MIXED;
}

/** Builds Runs row by row; adjacent runs of one kind merge. */
export class RunsBuilder {
  private ends: Int32Array;
  private kinds: Uint8Array;
  private size = 0;
  private readonly first: Int32Array;
  private readonly count: Int32Array;
  private rowStart = 0;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    assertDimensions(width, height, 'runs');
    this.first = new Int32Array(height);
    this.count = new Int32Array(height);
    this.ends = new Int32Array(Math.max(16, height * 4));
    this.kinds = new Uint8Array(this.ends.length);
  }

  /** Adds a run of `kind` ending (exclusive) at `end` to the row being built. */
  push(end: number, kind: RunKind): void {
    if (this.size > this.rowStart && this.kinds[this.size - 1] === kind) {
      this.ends[this.size - 1] = end;
      return;
    }
    if (this.size === this.ends.length) {
      const ends = new Int32Array(this.size * 2);
      const kinds = new Uint8Array(this.size * 2);
      ends.set(this.ends);
      kinds.set(this.kinds);
      this.ends = ends;
      this.kinds = kinds;
    }
    this.ends[this.size] = end;
    this.kinds[this.size] = kind;
    this.size++;
  }

  /** Closes row y with the runs pushed since the last row. */
  endRow(y: number): void {
    const n = this.size - this.rowStart;
    if (n === 0 || this.ends[this.size - 1] !== this.width) throw new PixelError(`runs of row ${y} do not cover the row's ${this.width} pixels`);
    this.first[y] = this.rowStart;
    this.count[y] = n;
    this.rowStart = this.size;
  }

  /** Row y gets the same runs as row `from` (already ended). */
  shareRow(y: number, from: number): void {
    this.first[y] = this.first[from];
    this.count[y] = this.count[from];
  }

  /** Pushes the runs of a per-pixel kind row, kinds[0 .. width). */
  pushKinds(kinds: Uint8Array): void {
    let kind = kinds[0];
    const width = this.width;
    for (let x = 1; x < width; x++) {
      const k = kinds[x];
      if (k !== kind) {
        this.push(x, kind as RunKind);
        kind = k;
      }
    }
    this.push(width, kind as RunKind);
  }

  build(): Runs {
    return { width: this.width, height: this.height, first: this.first, count: this.count, ends: this.ends.subarray(0, this.size), kinds: this.kinds.subarray(0, this.size) };
  }
}

/** Runs of an image whose every pixel is of one kind. */
export function uniformRuns(width: number, height: number, kind: RunKind): Runs {
  const builder = new RunsBuilder(width, height);
  builder.push(width, kind);
  builder.endRow(0);
  for (let y = 1; y < height; y++) builder.shareRow(y, 0);
  return builder.build();
}

/** The runs of an alpha plane, pixel by pixel; alpha within KNOWN_EPS of 0 or 1 counts as known. */
export function runsOf(alpha: Float32Array, width: number, height: number): Runs {
  assertLength(alpha, width * height, 'alpha for runs');
  const builder = new RunsBuilder(width, height);
  const row = new Uint8Array(width);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) row[x] = kindOf(alpha[y * width + x]);
    builder.pushKinds(row);
    builder.endRow(y);
  }
  return builder.build();
}

/** Checks that runs describe a width x height image and tile every row. */
export function assertRuns(runs: Runs, width: number, height: number): void {
  if (runs.width !== width || runs.height !== height) throw new PixelError(`runs are ${runs.width}x${runs.height}, image ${width}x${height}`);
  for (let y = 0; y < height; y++) {
    const c = runs.count[y];
    const f = runs.first[y];
    if (c < 1 || f < 0 || f + c > runs.ends.length || runs.ends[f + c - 1] !== width) throw new PixelError(`runs of row ${y} do not cover the row`);
    for (let k = f + 1; k < f + c; k++) if (runs.ends[k] <= runs.ends[k - 1]) throw new PixelError(`runs of row ${y} are out of order`);
  }
}
