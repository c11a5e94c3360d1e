import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openLoopingVideo } from '../../../../src/io/video-loop';
import { render } from '../../../../src/cli/render';
import { parseRenderArgs } from '../../../../src/cli/args';
import { ASTRONAUT_MISSING, makeAstronautClip, patchMean, rawFrames } from '../../astronaut-clip';
import { locateFfmpeg } from '../../../../src/io/ffmpeg/locate';

const dir = mkdtempSync(join(tmpdir(), 'backdrop-video-bg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A 10-frame, 10 fps clip whose red channel is 20 * frame index, so the frame shown can be read back. */
function makeClip(): string {
  const path = join(dir, 'ramp.mp4');
  execFileSync(locateFfmpeg().path, [
    '-y', '-hide_banner', '-loglevel', 'error', '-f', 'lavfi',
    '-i', 'color=black:s=64x32:r=10:d=1', '-vf', 'geq=r=20*N:g=0:b=0',
    '-c:v', 'libx264', '-qp', '0', '-pix_fmt', 'yuv444p', path,
  ]);
  return path;
}

const red = (img: { data: Uint8Array }) => img.data[0];

describe('looping background video', () => {
  it('advances through the frames and comes back to the start', async () => {
    const source = await openLoopingVideo(makeClip());
    const shown: number[] = [Math.round(red(source.current()) / 20)];
    // Sampled until the loop has visibly wrapped: a frame index lower than one already seen after it.
    const wrapped = () => shown.some((v, i) => i > 0 && v < shown[i - 1]);
    for (let i = 0; i < 400 && !wrapped(); i++) {
      await new Promise((r) => setTimeout(r, 20));
      const v = Math.round(red(source.current()) / 20);
      if (v !== shown[shown.length - 1]) shown.push(v);
    }
    expect(shown[0]).toBe(0);
    expect(new Set(shown).size).toBeGreaterThanOrEqual(3);
    expect(wrapped()).toBe(true);
    await source.close();
  });

  it('refuses a file that is not a video, before anything replaces the current background', async () => {
    const bogus = join(dir, 'not-a-video.mp4');
    writeFileSync(bogus, 'hello');
    await expect(openLoopingVideo(bogus)).rejects.toThrow(/not-a-video\.mp4/);
  });
});

describe.skipIf(ASTRONAUT_MISSING)('offline render over a video background', () => {
  it('steps the background one frame per output frame', async () => {
    const clip = await makeAstronautClip(dir, 'person.y4m', 4);
    const output = join(dir, 'over-video.y4m');
    const parsed = parseRenderArgs(['-i', clip, '-o', output, '-b', makeClip(), '--threads', '1']);
    if (parsed.command !== 'render') throw new Error('expected a render command');
    expect(parsed.options.background.kind).toBe('video');
    const sink = { write: () => true, isTTY: false };
    await render(parsed.options, sink as never, new AbortController().signal);
    const frames = await rawFrames(output, 512, 512);
    expect(frames).toHaveLength(4);
    // Top-right corner is background: its red follows the ramp video, 20 levels per frame at 10 fps.
    const reds = frames.map((f) => patchMean(f, 512, 490, 20, 6)[0]);
    for (let i = 1; i < reds.length; i++) expect(reds[i] - reds[i - 1]).toBeGreaterThan(10);
  });
});
