import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rgbaImage } from '../../../../src/frame';
import { encodeFbaInput } from '../../../../src/engine/matting/fba-encoding';

/**
 * The TypeScript FBA encoding against the Python reference (training/fba/encoding.py), on the fixtures
 * tests/fixtures/fba-encoding/make_fixtures.py wrote from real photo crops.
 */
const dir = fileURLToPath(new URL('../../../fixtures/fba-encoding/', import.meta.url));

interface Case {
  name: string;
  width: number;
  height: number;
  paddedWidth: number;
  paddedHeight: number;
}

const cases = JSON.parse(readFileSync(`${dir}manifest.json`, 'utf8')) as Case[];

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('FBA input encoding matches the Python reference', () => {
  it('has fixtures to check', () => {
    expect(cases.length).toBeGreaterThanOrEqual(3);
  });

  for (const c of cases) {
    it(`${c.name}: all four arrays within 1e-4`, () => {
      const rgb = readFileSync(`${dir}${c.name}.rgb`);
      const image = rgbaImage(c.width, c.height);
      for (let i = 0; i < c.width * c.height; i++) {
        image.data.set(rgb.subarray(3 * i, 3 * i + 3), 4 * i);
        image.data[4 * i + 3] = 255;
      }
      const trimap = { width: c.width, height: c.height, data: new Uint8Array(readFileSync(`${dir}${c.name}.trimap`)) };
      const raw = readFileSync(`${dir}${c.name}.expected`);
      const expected = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));

      const enc = encodeFbaInput(image, trimap);

      expect([enc.width, enc.height]).toEqual([c.paddedWidth, c.paddedHeight]);
      const n = enc.width * enc.height;
      expect(expected.length).toBe(14 * n);
      let offset = 0;
      for (const [key, channels] of [['image', 3], ['trimap2', 2], ['image_n', 3], ['trimap6', 6]] as const) {
        const want = expected.subarray(offset, offset + channels * n);
        offset += channels * n;
        expect(enc[key].length, key).toBe(want.length);
        expect(maxAbsDiff(enc[key], want), key).toBeLessThan(1e-4);
      }
    });
  }
});
