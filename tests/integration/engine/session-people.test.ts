import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PeopleMode } from '../../../src/common/contract';
import type { RgbaImage } from '../../../src/frame';
import { decodeImage } from '../../../src/io/image';
import { Session } from '../../../src/engine/session';
import { loadTestImage, TEST_IMAGES, unavailable } from '../../fixtures/segmentation/images';

/** The session's 'people' stage on two real people, and what it does when the face detector cannot load. */

const MODELS = resolve('models');
const image = TEST_IMAGES.find((i) => i.id === 'vt2people')!;
const why = unavailable(image);
let frame: RgbaImage;
let noFaces: string;

beforeAll(async () => {
  if (why) return;
  frame = await loadTestImage(image);
  // A models folder with the segmentation models and no face detector.
  noFaces = mkdtempSync(join(tmpdir(), 'backdrop-no-faces-'));
  for (const f of ['selfie_segmentation.onnx', 'selfie_segmentation_landscape.onnx']) symlinkSync(join(MODELS, f), join(noFaces, f));
});
afterAll(() => {
  if (noFaces) rmSync(noFaces, { recursive: true, force: true });
});

async function render(people: PeopleMode, modelsDir: string): Promise<{ image: RgbaImage; notice: string | undefined; stages: string[] }> {
  const session = await Session.create({
    modelsDir,
    config: { background: { kind: 'transparent' }, matting: 'off', quality: 'balanced', people },
    loadImage: decodeImage,
    threads: 1,
    providers: ['cpu'],
  });
  try {
    const { image, stagesMs } = await session.render(frame);
    return { image, notice: session.liveStats().notice, stages: Object.keys(stagesMs) };
  } finally {
    await session.close();
  }
}

/**
 * Mean alpha (0..1) over the smaller-faced person: the left 40 % of the picture (the other's hands and bag
 * reach 45 %) where `reference` is at least half opaque.
 */
function leftAlpha(img: RgbaImage, reference: RgbaImage): number {
  let sum = 0;
  let count = 0;
  const cut = Math.round(0.4 * img.width);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < cut; x++) {
      const a = 4 * (y * img.width + x) + 3;
      if (reference.data[a] < 128) continue;
      sum += img.data[a] / 255;
      count++;
    }
  }
  return sum / count;
}

describe.skipIf(why !== null)(`the session's people stage${why ? ` (skipped: ${why})` : ''}`, () => {
  it("'main' drops the smaller-faced person and times its stage; 'all' makes no 'people' figure", async () => {
    const all = await render('all', MODELS);
    const main = await render('main', MODELS);
    expect(all.stages).not.toContain('people');
    expect(main.stages).toContain('people');
    expect(leftAlpha(all.image, all.image)).toBeGreaterThan(0.9);
    expect(leftAlpha(main.image, all.image)).toBeLessThan(0.02);
    expect(main.notice).toBeUndefined();
  });

  it('switches between everyone and the main person from one frame to the next', async () => {
    const session = await Session.create({
      modelsDir: MODELS,
      config: { background: { kind: 'transparent' }, matting: 'off', quality: 'balanced' },
      loadImage: decodeImage,
      threads: 1,
      providers: ['cpu'],
    });
    try {
      const all = (await session.render(frame)).image;
      session.setPeople('main');
      const main = (await session.render(frame)).image;
      session.setPeople('all');
      const again = (await session.render(frame)).image;
      expect(leftAlpha(main, all)).toBeLessThan(0.02);
      expect(again.data).toEqual(all.data);
    } finally {
      await session.close();
    }
  });

  it("'pick' keeps everyone until a click picks a person, then only them; a second click drops the pick", async () => {
    const session = await Session.create({
      modelsDir: MODELS,
      config: { background: { kind: 'transparent' }, matting: 'off', quality: 'balanced', people: 'pick' },
      loadImage: decodeImage,
      threads: 1,
      providers: ['cpu'],
    });
    try {
      const before = (await session.render(frame)).image;
      expect(leftAlpha(before, before)).toBeGreaterThan(0.9);
      // The right person's face (MediaPipe finds it at x 0.60-0.79, y 0.29-0.62).
      session.pickPerson(0.7, 0.45);
      const picked = (await session.render(frame)).image;
      expect(leftAlpha(picked, before)).toBeLessThan(0.02);
      session.pickPerson(0.7, 0.45);
      expect(leftAlpha((await session.render(frame)).image, before)).toBeGreaterThan(0.9);
    } finally {
      await session.close();
    }
  });

  /** A session keeping the main person, with the full-range face detector from `modelsDir`. */
  const mainWithFullRange = (modelsDir: string) =>
    Session.create({
      modelsDir,
      config: { background: { kind: 'transparent' }, matting: 'off', quality: 'balanced', people: 'main', faceModel: 'full' },
      loadImage: decodeImage,
      threads: 1,
      providers: ['cpu'],
    });

  it("'main' with the full-range face detector drops the smaller-faced person too, and a switch of model takes the next frame", async () => {
    const all = await render('all', MODELS);
    const session = await mainWithFullRange(MODELS);
    try {
      expect(leftAlpha((await session.render(frame)).image, all.image)).toBeLessThan(0.02);
      session.setFaceModel('short');
      expect(leftAlpha((await session.render(frame)).image, all.image)).toBeLessThan(0.02);
      expect(session.liveStats().notice).toBeUndefined();
    } finally {
      await session.close();
    }
  });

  it('a face model that cannot load keeps everyone and names its file; switching to one that loads brings the people stage back', async () => {
    // The short-range model only: 'full' is missing.
    const shortOnly = mkdtempSync(join(tmpdir(), 'backdrop-short-faces-'));
    for (const f of ['selfie_segmentation.onnx', 'selfie_segmentation_landscape.onnx', 'face_detection_short_range.onnx']) symlinkSync(join(MODELS, f), join(shortOnly, f));
    const all = await render('all', MODELS);
    const session = await mainWithFullRange(shortOnly);
    try {
      expect((await session.render(frame)).image.data).toEqual(all.image.data);
      expect(session.liveStats().notice).toMatch(/^everyone stays: the face detector could not be loaded: .*face_detection_full_range\.onnx/);
      session.setFaceModel('short');
      expect(leftAlpha((await session.render(frame)).image, all.image)).toBeLessThan(0.02);
      expect(session.liveStats().notice).toBeUndefined();
    } finally {
      await session.close();
      rmSync(shortOnly, { recursive: true, force: true });
    }
  });

  it('keeps everyone when the face detector cannot load, and says why', async () => {
    const all = await render('all', noFaces);
    const main = await render('main', noFaces);
    expect(main.image.data).toEqual(all.image.data);
    expect(main.notice).toMatch(/^everyone stays: the face detector could not be loaded: cannot load model .*face_detection_short_range\.onnx/);
  });
});
