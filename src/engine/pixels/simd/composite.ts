import type { Runs } from '../../../frame';
import type { StretchedImage } from '../resize';
import { WASM_BASE64 } from './composite.wasm';
import { instantiate, SharedMemory, simdModuleOf } from './memory';

/**
 * The compositor's pass over a stretched background (the blur's small picture, stretched row by row), as a
 * WebAssembly SIMD kernel (assembly/composite.ts): four pixels per instruction in person and background
 * runs, per pixel in mixed runs. The composite stage's TypeScript pass is the reference it is held to
 * (tests/unit/engine/pixels/simd/composite.test.ts) and bench/pixels.ts compares the two.
 */
export interface StretchedComposite {
  readonly name: string;
  /** out = fg * alpha + background * (1 - alpha), by runs, opaque; all planes width x height words. */
  stretched(alpha: Float32Array, fg: Int32Array, bg: StretchedImage, out: Int32Array, runs: Runs, width: number, height: number): void;
}

type StretchedExport = (
  width: number, height: number, fg: number, alpha: number, rows: number, top: number, bottom: number, weight: number,
  first: number, count: number, ends: number, kinds: number, out: number,
) => void;

/**
 * The planes are copied in and the output out whole, each one contiguous copy: at 1080p that is a few
 * milliseconds of memcpy against the per-pixel loop it replaces (bench/pixels.ts).
 */
export class WasmComposite implements StretchedComposite {
  readonly name = 'WebAssembly SIMD';
  private readonly memory = new SharedMemory();
  private readonly run: StretchedExport;

  constructor(module: WebAssembly.Module) {
    this.run = instantiate(module, this.memory).stretched as StretchedExport;
  }

  stretched(alpha: Float32Array, fg: Int32Array, bg: StretchedImage, out: Int32Array, runs: Runs, width: number, height: number): void {
    const n = width * height;
    const m = this.memory;
    const at = m.layout([
      ['fg', 4 * n],
      ['alpha', 4 * n],
      ['out', 4 * n],
      ['rows', 4 * bg.rows.length],
      ['top', 4 * height],
      ['bottom', 4 * height],
      ['weight', 4 * height],
      ['first', 4 * height],
      ['count', 4 * height],
      ['ends', 4 * runs.ends.length],
      ['kinds', runs.kinds.length],
    ]);
    const { i32, f32, u8 } = m;
    i32.set(fg.subarray(0, n), at.fg >> 2);
    f32.set(alpha.subarray(0, n), at.alpha >> 2);
    i32.set(bg.rows, at.rows >> 2);
    i32.set(bg.top, at.top >> 2);
    i32.set(bg.bottom, at.bottom >> 2);
    i32.set(bg.weight, at.weight >> 2);
    i32.set(runs.first, at.first >> 2);
    i32.set(runs.count, at.count >> 2);
    i32.set(runs.ends, at.ends >> 2);
    u8.set(runs.kinds, at.kinds);
    this.run(width, height, at.fg, at.alpha, at.rows, at.top, at.bottom, at.weight, at.first, at.count, at.ends, at.kinds, at.out);
    out.set(i32.subarray(at.out >> 2, (at.out >> 2) + n));
  }
}

let shared: StretchedComposite | null | undefined;

/** The SIMD compositor, or null where this runtime has no WebAssembly SIMD (the stage's own loop runs then). */
export function compositeKernel(): StretchedComposite | null {
  if (shared === undefined) {
    const module = simdModuleOf(WASM_BASE64);
    shared = module ? new WasmComposite(module) : null;
  }
  return shared;
}
