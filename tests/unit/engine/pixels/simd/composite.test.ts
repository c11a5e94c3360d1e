import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { blurBackground, coverFit } from '../../../../../src/engine/backgrounds';
import { floatImage, rgbaImage } from '../../../../../src/frame';
import { decodePng } from '../../../../../src/engine/pixels/png';
import type { StretchedImage } from '../../../../../src/engine/pixels/resize';
import { runsOf } from '../../../../../src/engine/pixels/runs';
import { compositeKernel } from '../../../../../src/engine/pixels/simd/composite';
import { composite } from '../../../../../src/engine/stages/composite';
import { SHARED_DIR } from '../../../../../bench/lib/shared-data';

const kernel = compositeKernel();
const noSimd = kernel ? null : 'this runtime has no WebAssembly SIMD';

/** A word of the stretched picture: grey level v, opaque. */
const grey = (v: number) => v | (v << 8) | (v << 16) | -16777216;

describe.skipIf(noSimd)(`SIMD compositor over a stretched background${noSimd ? ` (skipped: ${noSimd})` : ''}`, () => {
  it('matches hand-computed pixels: background runs 4 at a time, a person pixel, a mixed pixel', () => {
    // One output row reading two stretched rows of grey 100 and 200, the second weighted 32/128:
    // (100 * 96 + 200 * 32 + 64) >> 7 = 125.
    const bg: StretchedImage = { width: 6, height: 1, rows: Int32Array.from([...Array(6).fill(grey(100)), ...Array(6).fill(grey(200))]), top: Int32Array.of(0), bottom: Int32Array.of(6), weight: Int32Array.of(32) };
    const frame = rgbaImage(6, 1, Uint8Array.from({ length: 24 }, (_, i) => [10, 20, 30, 255][i % 4]));
    const alpha = floatImage(6, 1, Float32Array.of(0, 0, 0, 0, 1, 0.5));
    const out = new Uint8Array(24);
    composite(frame, { alpha, foreground: null, runs: runsOf(alpha.data, 6, 1) }, bg, out, kernel);
    // Mixed: weight 128 of 256: (10 * 128 + 125 * 128 + 128) >> 8 = 68, then 73 and 78.
    expect([...out]).toEqual([...Array(4).fill([125, 125, 125, 255]).flat(), 10, 20, 30, 255, 68, 73, 78, 255]);
  });

  const GT01 = `${SHARED_DIR}/eval/alphamatting/image/GT01.png`;
  it.skipIf(!existsSync(GT01))('gives exactly the bytes of the TypeScript pass on a real photograph and its blur (GT01 at 1280x720)', () => {
    const frame = coverFit(decodePng(readFileSync(GT01)), 1280, 720);
    const gt = coverFit(decodePng(readFileSync(GT01.replace('/image/', '/alpha/'))), 1280, 720);
    const alpha = floatImage(1280, 720);
    for (let i = 0; i < alpha.data.length; i++) alpha.data[i] = gt.data[4 * i] / 255;
    const bg = blurBackground(0.5).renderStretched!(frame, alpha);
    // A foreground that is not the frame, with alpha bytes below 255 that the output must make opaque.
    const foreground = rgbaImage(1280, 720, frame.data.map((v, i) => (i % 4 === 3 ? 7 : 255 - v)));
    const matte = { alpha, foreground, runs: runsOf(alpha.data, 1280, 720) };
    const want = new Uint8Array(1280 * 720 * 4);
    const got = new Uint8Array(1280 * 720 * 4).fill(1);
    composite(frame, matte, bg, want, null);
    composite(frame, matte, bg, got, kernel);
    let differing = 0;
    for (let i = 0; i < want.length; i++) if (want[i] !== got[i]) differing++;
    expect(differing).toBe(0);
    // Every kind of run is there: the comparison covered person, background and mixed pixels.
    expect(new Set(matte.runs.kinds.subarray(0, matte.runs.ends.length))).toEqual(new Set([0, 1, 2]));
  });
});
