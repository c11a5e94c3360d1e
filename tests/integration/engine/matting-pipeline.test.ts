import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Session } from '../../../src/engine/session';
import { decodeImage } from '../../../src/io/image';
import { loadTestImage, TEST_IMAGES, unavailable } from '../../fixtures/segmentation/images';

/**
 * The whole matting pipeline (segmentation, trimap, FBA on the crop, guided upsample merged into the
 * segmentation) on a real frame with two people in it: one crop must hold both, and both must come out
 * as person, while the room between and around them stays background.
 */
const TWO_PEOPLE = TEST_IMAGES.find((t) => t.id === 'vt2people')!;
const MODEL = 'models/fba_light.onnx';
const skip = !existsSync(MODEL) ? `no model at ${MODEL}` : unavailable(TWO_PEOPLE);

/** Centre column of each of the two widest runs of a row where alpha > 0.5. */
function personColumns(alpha: Float32Array, width: number, y: number): number[] {
  const runs: { start: number; end: number }[] = [];
  let start = -1;
  for (let x = 0; x <= width; x++) {
    const inside = x < width && alpha[y * width + x] > 0.5;
    if (inside && start < 0) start = x;
    if (!inside && start >= 0) {
      runs.push({ start, end: x });
      start = -1;
    }
  }
  return runs
    .sort((a, b) => b.end - b.start - (a.end - a.start))
    .slice(0, 2)
    .map((r) => Math.round((r.start + r.end) / 2))
    .sort((a, b) => a - b);
}

describe.skipIf(skip !== null)('matting pipeline on a real frame with two people', () => {
  if (skip) console.log(`skipped: ${skip}`);

  it('mats both people in one pass and keeps the room background', async () => {
    const frame = await loadTestImage(TWO_PEOPLE);
    const open = (matting: 'off' | 'light') =>
      Session.create({ modelsDir: 'models', config: { background: { kind: 'colour', rgb: [0, 255, 0] }, matting, quality: 'balanced' }, loadImage: decodeImage, providers: ['cpu'] });
    const seg = await open('off');
    const fba = await open('light');
    try {
      expect(fba.mattingIssue).toBeNull();
      const reference = (await seg.matte(frame)).alpha.data;
      const matte = await fba.matte(frame);
      const a = matte.alpha.data;
      const { width, height } = frame;
      // Two people side by side in the segmentation, at mid-height.
      const y = Math.round(height * 0.6);
      const columns = personColumns(reference, width, y);
      expect(columns).toHaveLength(2);
      for (const x of columns) expect(a[y * width + x]).toBe(1);
      // Matting changed the edges (the band), not the picture: where the segmentation is sure, it agrees.
      let sure = 0;
      let agree = 0;
      for (let i = 0; i < a.length; i++) {
        if (reference[i] > 0.02 && reference[i] < 0.98) continue;
        sure++;
        if (Math.abs(a[i] - reference[i]) < 0.5) agree++;
      }
      expect(agree / sure).toBeGreaterThan(0.99);
      // The network's foreground colours were used somewhere in the band.
      expect(matte.foreground).not.toBeNull();
      let changed = 0;
      for (let i = 0; i < a.length; i++) if (a[i] > 0 && a[i] < 1 && matte.foreground!.data[4 * i] !== frame.data[4 * i]) changed++;
      expect(changed).toBeGreaterThan(100);
      // The engine reuses its planes from frame to frame; a matte handed out is the caller's to keep.
      const kept = Float32Array.from(a);
      const mirrored = new Uint8Array(frame.data.length);
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++) mirrored.set(frame.data.subarray(4 * (y * width + x), 4 * (y * width + x) + 4), 4 * (y * width + width - 1 - x));
      const next = await fba.matte({ width, height, data: mirrored });
      const differing = (x: Float32Array, y: Float32Array) => x.reduce((n, v, i) => n + (v === y[i] ? 0 : 1), 0);
      expect(differing(next.alpha.data, kept)).toBeGreaterThan(1000);
      expect(differing(matte.alpha.data, kept)).toBe(0);
    } finally {
      await seg.close();
      await fba.close();
    }
  });
});
