import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RgbaImage } from '../../../src/frame';
import { decodeImage } from '../../../src/io/image';
import { SHARED_DIR } from '../../../bench/lib/shared-data';
import { runCli } from '../run-cli';

/**
 * `backdrop render --people` on two real people at a webcam (openh264's CiscoVT2people): with 'all' both
 * stay; with 'main' the one with the larger face (on the right) stays and the other becomes background.
 * A person's region is the pixels on their side of the divide (45 % of the width) that 'all' keeps.
 */

const CLIP = `${SHARED_DIR}/clips/openh264-vt2people-1280x720.mp4`;
const MISSING = existsSync(CLIP) ? null : `${CLIP} is absent (real clips live in the shared data)`;
const DIVIDE = 0.45;
const MODELS = resolve('models');

let dir: string;
let renders = 0;
const render = async (people: string, ...more: string[]): Promise<RgbaImage> => {
  const output = join(dir, `${people}-${renders++}.png`);
  const run = await runCli(['render', '-i', CLIP, '-o', output, '-b', 'transparent', '--size', '640x360', '--frames', '1', '--threads', '1', '--people', people, ...more]);
  expect(run.code, run.stderr).toBe(0);
  return decodeImage(output);
};

/** Mean alpha (0..1) of `image` over the pixels of one side where `reference` is at least half opaque. */
function sideAlpha(image: RgbaImage, reference: RgbaImage, side: 'left' | 'right'): number {
  const cut = Math.round(DIVIDE * image.width);
  let sum = 0;
  let count = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = side === 'left' ? 0 : cut; x < (side === 'left' ? cut : image.width); x++) {
      const a = 4 * (y * image.width + x) + 3;
      if (reference.data[a] < 128) continue;
      sum += image.data[a] / 255;
      count++;
    }
  }
  return sum / count;
}

describe.skipIf(MISSING)(`backdrop render --people on two people${MISSING ? ` (skipped: ${MISSING})` : ''}`, () => {
  let all: RgbaImage;
  let main: RgbaImage;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'backdrop-people-'));
    [all, main] = [await render('all'), await render('main')];
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("'all' keeps both people", () => {
    expect(sideAlpha(all, all, 'left')).toBeGreaterThan(0.9);
    expect(sideAlpha(all, all, 'right')).toBeGreaterThan(0.9);
  });

  it("'main' keeps the person with the larger face and drops the other below 0.02 mean alpha", () => {
    expect(sideAlpha(main, all, 'right')).toBeGreaterThan(0.9);
    expect(sideAlpha(main, all, 'left')).toBeLessThan(0.02);
  });

  it("'main' with --face-model full does the same, and it is that model that runs", async () => {
    const full = await render('main', '--face-model', 'full');
    expect(sideAlpha(full, all, 'right')).toBeGreaterThan(0.9);
    expect(sideAlpha(full, all, 'left')).toBeLessThan(0.02);
    // Without the full-range model in the models folder, 'main' can tell nobody apart: both stay.
    const models = join(dir, 'models-without-full-range');
    await mkdir(models);
    for (const f of await readdir(MODELS)) if (f !== 'face_detection_full_range.onnx') await symlink(join(MODELS, f), join(models, f));
    const missing = await render('main', '--face-model', 'full', '--models', models);
    expect(sideAlpha(missing, all, 'left')).toBeGreaterThan(0.9);
  });
});
