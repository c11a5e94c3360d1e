import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rgbaImage } from '../../../src/frame';
import { MATTING_AREA } from '../../../src/engine/stages/plan';
import { createSegmenter, type Segmenter } from '../../../src/engine/stages/segment';
import { keyFrame } from '../../../bench/lib/chroma-key';
import { franckFrames, FRANCK_GARBAGE, garbageMask } from '../../../bench/lib/franck';
import { SHARED_DIR } from '../../../bench/peers/ort';
import { composite, cutEdges, engineSample, FRAME, placement } from '../../../scripts/engine-training-samples';

/** The sample maker on a real keyed person and the real segmenter (skipped without ../shared). */
const missing = existsSync(join(SHARED_DIR, 'clips')) ? null : `${SHARED_DIR}/clips is missing`;

describe.skipIf(missing !== null)(`an engine-made training sample${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let segmenter: Segmenter | null = null;
  afterAll(async () => segmenter?.dispose());

  it('cuts the picture and its truth with one geometry, and its trimap is the engine’s', async () => {
    const [frame] = await franckFrames(1);
    const key = keyFrame(frame, { garbage: garbageMask(frame.width, frame.height, FRANCK_GARBAGE) });
    const grey = rgbaImage(FRAME.width, FRAME.height, new Uint8Array(FRAME.width * FRAME.height * 4).fill(90));
    const at = placement(frame.width, frame.height, cutEdges(key.alpha), 0.9, 0);
    const truth = composite(key, at, grey);
    segmenter = await createSegmenter({ model: 'landscape', modelsDir: 'models', threads: 1, providers: ['cpu'] });
    const sample = await engineSample(truth.clean, truth, 'balanced', segmenter);
    expect(sample).not.toBeNull();
    const { width, height: stacked } = sample!;
    const height = stacked / 4;
    expect(Number.isInteger(height)).toBe(true);
    // The crop is scaled to Balanced's pixel budget.
    expect(width * height).toBeLessThanOrEqual(MATTING_AREA.balanced! * 1.02);
    expect(width * height).toBeGreaterThan(MATTING_AREA.balanced! * 0.9);
    const n = width * height;
    const at4 = (block: number, p: number, c: number) => sample!.data[(block * n + p) * 4 + c];
    let maxDiff = 0;
    let partial = 0;
    let partialInBand = 0;
    const fg: number[] = [];
    const bg: number[] = [];
    for (let p = 0; p < n; p++) {
      // Without noise the engine's input is the clean composite: the same cut, so the same pixels.
      for (let c = 0; c < 3; c++) maxDiff = Math.max(maxDiff, Math.abs(at4(0, p, c) - at4(1, p, c)));
      const trimap = at4(0, p, 3);
      const alpha = at4(1, p, 3) / 255;
      if (alpha > 0.05 && alpha < 0.95) {
        partial++;
        if (trimap !== 0 && trimap !== 255) partialInBand++;
      }
      if (trimap === 255) fg.push(alpha);
      if (trimap === 0) bg.push(alpha);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(maxDiff).toBe(0);
    expect(partial).toBeGreaterThan(500);
    // The engine's band holds most of the true soft edge; its sure regions are (almost all) right.
    expect(partialInBand / partial).toBeGreaterThan(0.7);
    expect(mean(fg)).toBeGreaterThan(0.98);
    expect(mean(bg)).toBeLessThan(0.02);
    // The background block is the grey the person was put over.
    expect(at4(3, 0, 0)).toBe(90);
  }, 120_000);
});
