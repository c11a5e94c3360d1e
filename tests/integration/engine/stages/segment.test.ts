import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FRAME_WIDTH } from '../../../../src/common/contract';
import { rgbaImage, type FloatImage, type RgbaImage } from '../../../../src/frame';
import { ModelLoadError } from '../../../../src/engine/models/providers';
import { createSegmenter, FrameError, type Segmenter } from '../../../../src/engine/stages/segment';
import { loadTestImage, TEST_IMAGES, unavailable } from '../../../fixtures/segmentation/images';

/** The models `npm ci` built (scripts/build-models.ts), as the engine loads them. */
const MODELS_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../../models');

const astronaut = TEST_IMAGES.find((i) => i.id === 'astronaut')!;
const clips = TEST_IMAGES.filter((i) => i.frame !== undefined);

let general: Segmenter;
let landscape: Segmenter;

beforeAll(async () => {
  if (!existsSync(join(MODELS_DIR, 'selfie_segmentation.onnx'))) {
    throw new Error(`${MODELS_DIR} holds no models: run node scripts/postinstall.js (npm ci does)`);
  }
  general = await createSegmenter({ model: 'general', modelsDir: MODELS_DIR, threads: 1, providers: ['cpu'] });
  landscape = await createSegmenter({ model: 'landscape', modelsDir: MODELS_DIR, threads: 1, providers: ['cpu'] });
});

afterAll(async () => {
  await general?.dispose();
  await landscape?.dispose();
});

const mean = (m: FloatImage) => m.data.reduce((a, b) => a + b, 0) / m.data.length;
const at = (m: FloatImage, fx: number, fy: number) => m.data[Math.floor(fy * m.height) * m.width + Math.floor(fx * m.width)];

describe('segmenter on real images', () => {
  it.skipIf(unavailable(astronaut) !== null)(`finds the astronaut (512x512) and reports its provider${unavailable(astronaut) ? ` (skipped: ${unavailable(astronaut)})` : ''}`, async () => {
    const frame = await loadTestImage(astronaut);
    const mask = await general.segment(frame);
    expect(general.provider).toBe('cpu');
    expect(general.fallbacks).toEqual([]);
    expect([mask.width, mask.height]).toEqual([256, 256]);
    expect(mask.data.every((v) => v >= 0 && v <= 1)).toBe(true);
    // The astronaut's face (centre, upper half) is person; the flag at the top right is not.
    expect(at(mask, 0.45, 0.35)).toBeGreaterThan(0.95);
    expect(at(mask, 0.95, 0.05)).toBeLessThan(0.05);
    expect(mean(mask)).toBeGreaterThan(0.4);
    expect(mean(mask)).toBeLessThan(0.7);
  });

  for (const clip of clips) {
    const why = unavailable(clip);
    it.skipIf(why !== null)(`segments a 1280x720 frame of ${clip.id} (${clip.what}) with the landscape model${why ? ` (skipped: ${why})` : ''}`, async () => {
      const frame = await loadTestImage(clip);
      const mask = await landscape.segment(frame);
      expect([mask.width, mask.height]).toEqual([256, 144]);
      const person = mask.data.filter((v) => v >= 0.5).length / mask.data.length;
      // Every clip shows people who neither vanish nor fill the whole frame.
      expect(person).toBeGreaterThan(0.05);
      expect(person).toBeLessThan(0.8);
    });
  }
});

describe('segmenter mechanics', () => {
  const gradient = (w: number, h: number, shift: number): RgbaImage => {
    const img = rgbaImage(w, h);
    for (let i = 0; i < w * h; i++) img.data.set([(i + shift) % 256, (i * 7) % 256, (i * 13 + shift) % 256, 255], 4 * i);
    return img;
  };

  it('gives the same mask whether frames arrive one by one or overlapping', async () => {
    const a = gradient(320, 180, 0);
    const b = gradient(320, 180, 99);
    const [oneA, oneB] = [await landscape.segment(a), await landscape.segment(b)];
    const [twoA, twoB] = await Promise.all([landscape.segment(a), landscape.segment(b)]);
    expect(twoA.data).toEqual(oneA.data);
    expect(twoB.data).toEqual(oneB.data);
  });

  it('takes frames of any size, even tiny ones', async () => {
    const mask = await general.segment(gradient(3, 2, 0));
    expect([mask.width, mask.height]).toEqual([256, 256]);
  });

  it.each([
    ['pixels of the wrong length', { width: 4, height: 4, data: new Uint8Array(10) }, /needs 64 bytes, got 10/],
    ['a zero width', { width: 0, height: 4, data: new Uint8Array(0) }, /positive integers, got 0x4/],
    ['a fractional height', { width: 4, height: 2.5, data: new Uint8Array(40) }, /positive integers/],
    ['float pixels', { width: 1, height: 1, data: new Float32Array(4) }, /must be a Uint8Array of RGBA bytes, got Float32Array/],
    ['a frame over the size limit', { width: MAX_FRAME_WIDTH + 1, height: 1, data: new Uint8Array(0) }, /exceeds the/],
    ['no frame at all', null, /must be an RGBA image object/],
  ])('refuses %s with a FrameError and keeps working', async (_, frame, message) => {
    const error = await general.segment(frame as unknown as RgbaImage).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FrameError);
    expect((error as Error).message).toMatch(message);
    await expect(general.segment(gradient(8, 8, 1))).resolves.toMatchObject({ width: 256, height: 256 });
  });

  it('a models folder without the model is a ModelLoadError naming the file', async () => {
    const dir = join(MODELS_DIR, 'no-such-folder');
    await expect(createSegmenter({ model: 'general', modelsDir: dir })).rejects.toThrow(ModelLoadError);
    await expect(createSegmenter({ model: 'general', modelsDir: dir })).rejects.toThrow(join(dir, 'selfie_segmentation.onnx'));
  });
});
