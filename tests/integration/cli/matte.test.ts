import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage } from '../../../src/io/image';
import { ASTRONAUT, ASTRONAUT_MISSING, FFPROBE } from '../astronaut-clip';
import { runCli } from '../run-cli';
import { SHARED_DIR } from '../../../bench/lib/shared-data';

const EVAL = `${SHARED_DIR}/eval/alphamatting`;
const EVAL_MISSING = existsSync(`${EVAL}/image/GT01.png`) ? null : `${EVAL} is absent (the matting set lives in the shared data)`;
const MODEL_MISSING = existsSync('models/fba_light.onnx') ? null : 'models/fba_light.onnx is missing';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'backdrop-matte-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/**
 * A matte of GT01 checked against its benchmark trimap: the same size, and exact where the trimap is
 * known; returns the matte's and the ground truth's values (0-255) over the unknown pixels.
 */
async function unknownOf(output: string): Promise<{ alpha: number; truth: number }[]> {
  const [alpha, trimap, truth] = await Promise.all([decodeImage(output), decodeImage(`${EVAL}/trimap/GT01.png`), decodeImage(`${EVAL}/alpha/GT01.png`)]);
  expect([alpha.width, alpha.height]).toEqual([trimap.width, trimap.height]);
  const unknown: { alpha: number; truth: number }[] = [];
  for (let i = 0; i < trimap.width * trimap.height; i++) {
    const t = trimap.data[4 * i];
    const a = alpha.data[4 * i];
    if (t === 0) expect(a).toBe(0);
    else if (t === 255) expect(a).toBe(255);
    else unknown.push({ alpha: a, truth: truth.data[4 * i] });
  }
  return unknown;
}

describe.skipIf(MODEL_MISSING)('backdrop matte', () => {
  it.skipIf(EVAL_MISSING)('mats a real photo from its benchmark trimap, keeping the known regions exact', async () => {
    const output = join(dir, 'gt01.png');
    const run = await runCli(['matte', '--image', `${EVAL}/image/GT01.png`, '--trimap', `${EVAL}/trimap/GT01.png`, '-o', output, '--threads', '1']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/wrote .*gt01\.png \(800x\d+, light FBA at quality max from trimap/);
    const unknown = await unknownOf(output);
    // A matte, not a mask: a good share of the unknown band gets values between 0 and 1.
    expect(unknown.filter(({ alpha }) => alpha > 0 && alpha < 255).length / unknown.length).toBeGreaterThan(0.1);
  });

  it.skipIf(EVAL_MISSING)('at a live quality mats the crop at its pixel budget and still beats the trimap alone', async () => {
    const output = join(dir, 'gt01-balanced.png');
    const run = await runCli(['matte', '--image', `${EVAL}/image/GT01.png`, '--trimap', `${EVAL}/trimap/GT01.png`, '-o', output, '--quality', 'balanced', '--threads', '1']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/at quality balanced/);
    const unknown = await unknownOf(output);
    const sad = unknown.reduce((sum, { alpha, truth }) => sum + Math.abs(alpha - truth) / 255, 0);
    const sadHalf = unknown.reduce((sum, { truth }) => sum + Math.abs(0.5 - truth / 255), 0);
    // Matted at 320 x 192 and upsampled, it must still be far closer to the truth than "unknown = 0.5".
    expect(sad).toBeLessThan(0.5 * sadHalf);
  });

  it.skipIf(ASTRONAUT_MISSING)('mats a photo of a person from the engine\'s own trimap', async () => {
    const output = join(dir, 'astronaut.png');
    const run = await runCli(['matte', '--image', ASTRONAUT, '-o', output, '--threads', '1']);
    expect(run.code, run.stderr).toBe(0);
    const alpha = await decodeImage(output);
    const at = (x: number, y: number) => alpha.data[4 * (y * alpha.width + x)];
    expect(at(495, 14)).toBe(0); // studio backdrop
    expect(at(210, 120)).toBe(255); // face
  });

  it.skipIf(ASTRONAUT_MISSING ?? (FFPROBE ? null : 'ffprobe is not installed'))('writes a single-channel 8-bit grey PNG (pix_fmt gray), as its help says', async () => {
    const output = join(dir, 'grey.png');
    const run = await runCli(['matte', '--image', ASTRONAUT, '-o', output, '--threads', '1']);
    expect(run.code, run.stderr).toBe(0);
    const { stdout } = await promisify(execFile)(FFPROBE as string, ['-v', 'error', '-show_entries', 'stream=codec_name,pix_fmt', '-of', 'json', output]);
    expect(JSON.parse(stdout).streams[0]).toEqual({ codec_name: 'png', pix_fmt: 'gray' });
  });

  it('fails in one line, writing nothing, for a missing image or a non-PNG output', async () => {
    const missing = await runCli(['matte', '--image', join(dir, 'nope.png'), '-o', join(dir, 'never.png')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n').filter((l) => l.startsWith('backdrop:'))).toHaveLength(1);
    expect(missing.stderr).toMatch(/nope\.png/);
    const wrongOut = await runCli(['matte', '--image', ASTRONAUT, '-o', join(dir, 'alpha.jpg')]);
    expect(wrongOut.code).toBe(2);
    expect((await readdir(dir)).filter((f) => f.startsWith('never') || f.startsWith('alpha') || f.includes('partial'))).toEqual([]);
  });
});
