import { describe, expect, it } from 'vitest';
import { rgbaImage } from '../../../../src/frame';
import { encodeFbaInput, type FbaInput } from '../../../../src/engine/matting/fba-encoding';
import type { Trimap } from '../../../../src/engine/pixels/trimap';

function image(seed: number) {
  const img = rgbaImage(13, 9);
  for (let i = 0; i < img.data.length; i++) img.data[i] = (i * seed * 31 + 7) & 255;
  return img;
}

function trimap(split: number): Trimap {
  const data = new Uint8Array(13 * 9);
  for (let y = 0; y < 9; y++) for (let x = 0; x < 13; x++) data[y * 13 + x] = x < split ? 0 : x < split + 3 ? 128 : 255;
  return { width: 13, height: 9, data };
}

const planes = (e: FbaInput) => [e.image, e.trimap2, e.image_n, e.trimap6].map((p) => Array.from(p));

describe('encodeFbaInput into a reused input', () => {
  it('with the same trimap, keeps its trimap channels and gives what a fresh encoding gives', () => {
    const reused = encodeFbaInput(image(1), trimap(4));
    const again = encodeFbaInput(image(2), trimap(4), reused);
    expect(again).toBe(reused);
    expect(planes(again)).toEqual(planes(encodeFbaInput(image(2), trimap(4))));
  });

  it('with another trimap, makes the trimap channels anew', () => {
    const reused = encodeFbaInput(image(1), trimap(4));
    const before = Array.from(reused.trimap6);
    const next = encodeFbaInput(image(2), trimap(6), reused);
    expect(Array.from(next.trimap6)).not.toEqual(before);
    expect(planes(next)).toEqual(planes(encodeFbaInput(image(2), trimap(6))));
  });
});
