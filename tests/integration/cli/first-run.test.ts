import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../../../src/io/probe';
import { runCli } from '../run-cli';

/**
 * What a new user meets on a machine like this one (no GPU, no camera): the CLI as they run it, with a
 * generated y4m clip so nothing here depends on shared data.
 */

/** A grey 4:2:0 y4m of `frames` frames; `rate` is the header's F tag ('0:0' for none). */
function y4m(width: number, height: number, frames: number, rate: string): Buffer {
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F${rate} Ip A1:1 C420jpeg\n`);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), Buffer.alloc((width * height * 3) / 2, 128)]);
  return Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]);
}

const hasCameras = existsSync('/dev') && readdirSync('/dev').some((name) => /^video\d+$/.test(name));

describe('the command line on a machine without a GPU or a camera', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'backdrop-first-run-'));
    await writeFile(join(dir, 'rated.y4m'), y4m(64, 48, 12, '10:1'));
    await writeFile(join(dir, 'unrated.y4m'), y4m(64, 48, 4, '0:0'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('render --duration stops after that many seconds of the input', async () => {
    const output = join(dir, 'short.y4m');
    const run = await runCli(['render', '--input', join(dir, 'rated.y4m'), '--output', output, '--duration', '0.5', '--matting', 'off', '--threads', '1']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('rendered 5 frames (64x48)');
    expect(await probe(output)).toMatchObject({ frames: 5, rate: { num: 10, den: 1 } });
  });

  it('says which rate it takes for a y4m without one (F0:0)', async () => {
    const output = join(dir, 'unrated-out.y4m');
    const run = await runCli(['render', '--input', join(dir, 'unrated.y4m'), '--output', output, '--matting', 'off', '--threads', '1']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`backdrop: warning: ${join(dir, 'unrated.y4m')} gives no frame rate (its y4m header says F0:0 or nothing); taking 25 fps\n`);
    expect(await probe(output)).toMatchObject({ frames: 4, rate: { num: 25, den: 1 } });
  });

  it('keeps native libraries quiet: no onnxruntime errors, no Vulkan warnings, no stray colour codes', async () => {
    const run = await runCli(['render', '--input', join(dir, 'rated.y4m'), '--output', join(dir, 'quiet.y4m'), '--frames', '1', '--threads', '1']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/\[E:onnxruntime|\[W:onnxruntime|vkCreateInstance|VK_ERROR|dawn/);
    expect(run.stderr).not.toContain('\x1b[');
    // One plain line on the providers instead: what runs, and why the others did not.
    const lines = run.stderr.split('\n').filter((line) => line.startsWith('provider: '));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^provider: cpu \(.*CUDA.*: libraries not installed.*\)$/);
  });

  it('says which provider runs in a live run too, once', async () => {
    const run = await runCli(['run', '--camera', join(dir, 'rated.y4m'), '--duration', '0.5', '--matting', 'off', '--threads', '1']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr.split('\n').filter((line) => line.startsWith('provider: '))).toEqual([expect.stringMatching(/^provider: cpu \(.*libraries not installed.*\)$/)]);
    expect(run.stderr).not.toMatch(/\[E:onnxruntime|vkCreateInstance/);
  });

  it('fails on a missing camera device before loading any model, naming backdrop cameras', async () => {
    const started = performance.now();
    const run = await runCli(['run', '--camera', '/dev/video-backdrop-missing', '--duration', '1']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('backdrop: --camera /dev/video-backdrop-missing: no such device; list the cameras with: backdrop cameras\n');
    // Loading the models alone takes seconds on this machine; the check comes before them.
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('warns when a y4m camera gives no frame rate, naming --fps', async () => {
    const run = await runCli(['run', '--camera', join(dir, 'unrated.y4m'), '--duration', '0.5', '--matting', 'off', '--threads', '1']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('gives no frame rate (its y4m header says F0:0 or nothing); taking 25 fps, --fps sets another\n');
  });

  it.skipIf(hasCameras)('backdrop cameras says clearly that there are none, and fails', async () => {
    const run = await runCli(['cameras']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^No cameras found \(no \/dev\/video\* devices\)\.\n.*backdrop run --camera clip\.mp4\n$/);
  });
});
