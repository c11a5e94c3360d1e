import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { floatImage, rgbaImage, type RgbaImage } from '../../../../../src/frame';
import { applyGuided, fitGuided } from '../../../../../src/engine/pixels/guided';
import { decodePng } from '../../../../../src/engine/pixels/png';
import { axisTaps, resizeFloat, resizeRgba } from '../../../../../src/engine/pixels/resize';
import { runsOf } from '../../../../../src/engine/pixels/runs';
import {
  BAND_MIXED,
  BAND_OVERRULED,
  bandKernel,
  COEF,
  jsBand,
  simdModule,
  WasmBand,
  type BandKernel,
  type BandRow,
} from '../../../../../src/engine/pixels/simd/guided-band';
import { makeTrimap, TRIMAP_UNKNOWN } from '../../../../../src/engine/pixels/trimap';
import { rgbaWords } from '../../../../../src/engine/pixels/words';
import { SHARED_DIR } from '../../../../../bench/lib/shared-data';

const module = simdModule();
const kernels: BandKernel[] = [jsBand, ...(module ? [new WasmBand(module)] : [])];

/**
 * One frame row of 3 pixels over a 2x2 low-res fit whose four taps all hold the same coefficients, so
 * every bilinear weight set gives them back: alpha = 0.5 * R / 255 + 0.1, F = I + (10, -300, 0).
 */
function handRow(limit: number): { row: BandRow; frame: Uint8Array; alpha: Float32Array; foreground: Uint8Array } {
  const frame = new Uint8Array([100, 50, 7, 255, 255, 0, 0, 255, 0, 9, 9, 255]);
  const alpha = new Float32Array([0.2, 0.2, 0.2]);
  const foreground = frame.slice();
  const coef = new Float32Array(4 * COEF);
  for (let t = 0; t < 4; t++) coef.set([0.5, 0, 0, 0.1, 10, -300, 0], t * COEF);
  const row: BandRow = {
    width: 3,
    frame,
    frameWords: rgbaWords(frame),
    alpha,
    foreground,
    foregroundWords: rgbaWords(foreground),
    coef,
    tx: axisTaps(2, 3),
    r0: 0,
    r1: 2,
    wy: 0.25,
    weight: 0.5,
    limit,
  };
  return { row, frame, alpha, foreground };
}

describe.each(kernels.map((k) => [k.name, k] as const))('guided band kernel: %s', (_name, kernel) => {
  it('computes alpha = a . I + b, merges it with the base by the weight, and F = I + (F - I) clamped', () => {
    const { row, alpha, foreground } = handRow(Infinity);
    // Pixels 0..2 all near: edges [0, 3] (segment e = 1).
    const kinds = kernel.row(row, 0, new Int32Array([0, 3]), 2, 0);
    // Pixel 0: 0.5 * 100 / 255 + 0.1 = 0.29608; 0.2 + 0.5 * (0.29608 - 0.2) = 0.24804.
    expect(alpha[0]).toBeCloseTo(0.24804, 5);
    // Pixel 1: 0.5 + 0.1 = 0.6 -> 0.4; pixel 2: 0.1 -> 0.15.
    expect(alpha[1]).toBeCloseTo(0.4, 5);
    expect(alpha[2]).toBeCloseTo(0.15, 5);
    expect([...kinds.subarray(0, 3)]).toEqual([BAND_MIXED, BAND_MIXED, BAND_MIXED]);
    // F: 100 + 10 = 110, 50 - 300 clamps to 0, 7 + 0 = 7; 255 + 10 clamps to 255; alpha bytes untouched.
    expect([...foreground.subarray(0, 8)]).toEqual([110, 0, 7, 255, 255, 0, 0, 255]);
  });

  it('keeps the base where the matte differs from it by more than the limit', () => {
    const { row, alpha, foreground, frame } = handRow(0.15);
    const kinds = kernel.row(row, 0, new Int32Array([0, 3]), 2, 0);
    // Pixel 1's matte (0.6) is 0.4 from the base: overruled; pixels 0 (0.096) and 2 (0.1) are not.
    expect(kinds[1]).toBe(BAND_OVERRULED);
    expect(alpha[1]).toBe(Math.fround(0.2));
    expect([...foreground.subarray(4, 8)]).toEqual([...frame.subarray(4, 8)]);
    expect(kinds[0]).toBe(BAND_MIXED);
  });

  it('touches only the near segments, packing their kinds in order', () => {
    const { row, alpha } = handRow(Infinity);
    // Pixel 0 away, 1 near, 2 away: edges [1, 2, 3] (e = 1 is [1, 2); e = 2 closes the crop).
    const kinds = kernel.row(row, 0, new Int32Array([1, 2, 3]), 3, 0);
    expect(alpha[0]).toBe(Math.fround(0.2));
    expect(alpha[1]).toBeCloseTo(0.4, 5);
    expect(alpha[2]).toBe(Math.fround(0.2));
    expect(kinds[0]).toBe(BAND_MIXED);
  });
});

const GT01 = `${SHARED_DIR}/eval/alphamatting/image/GT01.png`;
const missing = !module ? 'this runtime has no WebAssembly SIMD' : !existsSync(GT01) ? `${GT01} is absent` : null;

function realCase(): { frame: RgbaImage; fit: ReturnType<typeof fitGuided>; seg: ReturnType<typeof floatImage> } {
  const image = decodePng(readFileSync(GT01));
  const gt = decodePng(readFileSync(GT01.replace('/image/', '/alpha/')));
  const frame = resizeRgba(image, 800, 600);
  const alphaFull = floatImage(image.width, image.height);
  for (let i = 0; i < alphaFull.data.length; i++) alphaFull.data[i] = gt.data[4 * i] / 255;
  const alpha = resizeFloat(alphaFull, 800, 600);
  const low = { image: resizeRgba(frame, 200, 150), alpha: resizeFloat(alpha, 200, 150) };
  const trimap = makeTrimap(low.alpha, { bandFraction: 0.01 });
  const band = trimap.data.map((v) => (v === TRIMAP_UNKNOWN ? 1 : 0));
  // A foreground that differs from the image, so F's correction is exercised too.
  const fgLow = rgbaImage(200, 150, low.image.data.map((v, i) => (i % 4 === 3 ? v : 255 - v)));
  return { frame, fit: fitGuided({ guide: low.image, alpha: low.alpha, foreground: fgLow, band }, { radius: 1, eps: 1e-4 }), seg: resizeFloat(alpha, 200, 150) };
}

describe.skipIf(missing)(`guided band kernels agree on a real photograph (GT01)${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('WebAssembly SIMD matches the TypeScript reference: alpha within float32 rounding, F within one level, the same runs', () => {
    const { frame, fit, seg } = realCase();
    const base = () => {
      const alpha = resizeFloat(seg, 800, 600);
      return { alpha, foreground: rgbaImage(800, 600, frame.data.slice()), runs: runsOf(alpha.data, 800, 600) };
    };
    const results = [jsBand, new WasmBand(module!)].map((kernel) => {
      const b = base();
      const runs = applyGuided(fit, frame, { x0: 40, y0: 30, x1: 760, y1: 570 }, b, { overrule: 0.5, weight: 0.5 }, kernel);
      return { ...b, runs };
    });
    const [ref, simd] = results;
    let worstAlpha = 0;
    let worstF = 0;
    let changed = 0;
    const untouched = base();
    for (let i = 0; i < ref.alpha.data.length; i++) {
      worstAlpha = Math.max(worstAlpha, Math.abs(ref.alpha.data[i] - simd.alpha.data[i]));
      if (ref.alpha.data[i] !== untouched.alpha.data[i]) changed++;
    }
    for (let i = 0; i < ref.foreground.data.length; i++) worstF = Math.max(worstF, Math.abs(ref.foreground.data[i] - simd.foreground.data[i]));
    // The band is real work: thousands of pixels changed.
    expect(changed).toBeGreaterThan(5000);
    expect(worstAlpha).toBeLessThan(1e-5);
    expect(worstF).toBeLessThanOrEqual(1);
    expect(simd.runs).toEqual(ref.runs);
  });

  it('the engine uses the SIMD kernel where the runtime has it', () => {
    expect(bandKernel().name).toBe('WebAssembly SIMD');
  });
});
