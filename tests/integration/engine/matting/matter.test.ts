import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { floatImage, type FloatImage, type RgbaImage } from '../../../../src/frame';
import { decodePng } from '../../../../src/engine/pixels/png';
import { createMatter, type Matter } from '../../../../src/engine/matting/matter';
import { TRIMAP_BACKGROUND, TRIMAP_FOREGROUND, TRIMAP_UNKNOWN, trimapFromImage, type Trimap } from '../../../../src/engine/pixels/trimap';
import { SHARED_DIR } from '../../../../bench/lib/shared-data';

/**
 * The matting stage with the real ONNX model on a real photograph: alphamatting.com's GT01 and its
 * benchmark trimap, read from /work/shared/eval. BACKDROP_FBA_MODEL points it at another model (then the
 * quality check, which only the trained model can pass, is skipped).
 */
const DEFAULT_MODEL = 'models/fba_light.onnx';
const MODEL = process.env.BACKDROP_FBA_MODEL ?? DEFAULT_MODEL;
const EVAL = `${SHARED_DIR}/eval/alphamatting`;
const skip = !existsSync(MODEL)
  ? `no model at ${MODEL} (export the trained one, or set BACKDROP_FBA_MODEL)`
  : !existsSync(`${EVAL}/image/GT01.png`)
    ? `${EVAL} is absent`
    : null;

function load(): { image: RgbaImage; trimap: Trimap; gt: FloatImage } {
  const image = decodePng(readFileSync(`${EVAL}/image/GT01.png`));
  const alpha = decodePng(readFileSync(`${EVAL}/alpha/GT01.png`));
  const gt = floatImage(image.width, image.height);
  for (let i = 0; i < gt.data.length; i++) gt.data[i] = alpha.data[4 * i] / 255;
  return { image, trimap: trimapFromImage(decodePng(readFileSync(`${EVAL}/trimap/GT01.png`))), gt };
}

function knownViolations(image: RgbaImage, trimap: Trimap, alpha: FloatImage, fg: RgbaImage): number {
  let bad = 0;
  for (let i = 0; i < alpha.data.length; i++) {
    const a = alpha.data[i];
    if (!(a >= 0 && a <= 1)) bad++;
    if (trimap.data[i] === TRIMAP_BACKGROUND && a !== 0) bad++;
    if (trimap.data[i] === TRIMAP_FOREGROUND) {
      if (a !== 1) bad++;
      for (let c = 0; c < 3; c++) if (fg.data[4 * i + c] !== image.data[4 * i + c]) bad++;
    }
  }
  return bad;
}

describe.skipIf(skip)(`FBA matter on GT01${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let matter: Matter;
  beforeAll(async () => {
    matter = await createMatter({ modelPath: MODEL, threads: 1, providers: ['cpu'] });
  });
  afterAll(async () => {
    await matter?.dispose();
  });

  it('mattes the whole picture: alpha in [0, 1], known pixels exact, F is the image on the foreground', async () => {
    const { image, trimap } = load();
    const { alpha, foreground } = await matter.matte(image, trimap);
    expect([alpha.width, alpha.height, foreground.width, foreground.height]).toEqual([800, 497, 800, 497]);
    expect(knownViolations(image, trimap, alpha, foreground)).toBe(0);
  });

  it('mattes a crop round a small unknown region (odd size, padded to 8) and puts it back in place', async () => {
    const { image, trimap: bench, gt } = load();
    // Unknown only inside a 101x77 box of the benchmark's band; elsewhere the ground truth, rounded.
    const data = new Uint8Array(bench.data.length);
    for (let y = 0; y < image.height; y++)
      for (let x = 0; x < image.width; x++) {
        const i = y * image.width + x;
        const inBox = x >= 300 && x < 401 && y >= 60 && y < 137;
        data[i] = inBox && bench.data[i] === TRIMAP_UNKNOWN ? TRIMAP_UNKNOWN : gt.data[i] >= 0.5 ? TRIMAP_FOREGROUND : TRIMAP_BACKGROUND;
      }
    const trimap = { width: image.width, height: image.height, data };
    expect(data.includes(TRIMAP_UNKNOWN)).toBe(true);
    const { alpha, foreground } = await matter.matte(image, trimap);
    expect(knownViolations(image, trimap, alpha, foreground)).toBe(0);
  });

  it('returns a zero alpha for an all-background trimap', async () => {
    const { image } = load();
    const trimap = { width: image.width, height: image.height, data: new Uint8Array(image.width * image.height) };
    const { alpha } = await matter.matte(image, trimap);
    expect(alpha.data.every((v) => v === 0)).toBe(true);
  });

  it.skipIf(MODEL !== DEFAULT_MODEL)('beats the trimap-with-0.5 baseline in the unknown band (SAD)', async () => {
    const { image, trimap, gt } = load();
    const { alpha } = await matter.matte(image, trimap);
    let sad = 0;
    let baseline = 0;
    for (let i = 0; i < gt.data.length; i++) {
      if (trimap.data[i] !== TRIMAP_UNKNOWN) continue;
      sad += Math.abs(alpha.data[i] - gt.data[i]);
      baseline += Math.abs(0.5 - gt.data[i]);
    }
    expect(sad).toBeLessThan(baseline);
  });
});
