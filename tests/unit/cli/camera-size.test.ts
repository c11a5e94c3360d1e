import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CommandError } from '../../../src/cli/errors';
import { checkCameraSizeUpFront, frameSizeFor, sizeWithoutProbe } from '../../../src/cli/run/camera-size';

const dir = mkdtempSync(join(tmpdir(), 'camera-size-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function y4m(name: string, header: string): string {
  const path = join(dir, name);
  writeFileSync(path, `${header}\nFRAME\n`);
  return path;
}

function refusal(camera: string, width: number, height: number): string {
  try {
    frameSizeFor(camera, { width, height });
  } catch (error) {
    expect(error).toBeInstanceOf(CommandError);
    return (error as CommandError).message;
  }
  return 'taken';
}

describe('frameSizeFor', () => {
  it('takes sizes up to the engine limit, rounded down to even', () => {
    expect(frameSizeFor('cam', { width: 1280, height: 720 })).toEqual({ width: 1280, height: 720 });
    expect(frameSizeFor('cam', { width: 3840, height: 2160 })).toEqual({ width: 3840, height: 2160 });
    // An odd size one past the limit is scaled to the even size just below, which fits.
    expect(frameSizeFor('cam', { width: 3841, height: 2161 })).toEqual({ width: 3840, height: 2160 });
    expect(frameSizeFor('cam', { width: 641, height: 3 })).toEqual({ width: 640, height: 2 });
  });

  it('refuses a wider or taller camera, saying its size and naming --size', () => {
    expect(refusal('wide.y4m', 3842, 16)).toBe(
      '--camera wide.y4m is 3842x16, larger than the engine takes (3840x2160); ask for a smaller size with --size 1920x1080',
    );
    expect(refusal('/dev/video0', 1920, 2162)).toMatch(/^--camera \/dev\/video0 is 1920x2162, larger than .*--size/);
  });

  it('refuses a camera too small to encode', () => {
    expect(refusal('dot.y4m', 1, 1)).toBe('--camera dot.y4m is 1x1, too small');
    expect(refusal('line.y4m', 640, 1)).toBe('--camera line.y4m is 640x1, too small');
  });
});

describe('sizeWithoutProbe', () => {
  it('knows --size, and a y4m file from its header', async () => {
    const wide = y4m('wide.y4m', 'YUV4MPEG2 W3842 H16 F10:1 Ip A1:1 C420jpeg');
    expect(await sizeWithoutProbe({ kind: 'file', path: wide }, null)).toEqual({ width: 3842, height: 16 });
    expect(await sizeWithoutProbe({ kind: 'file', path: wide }, { width: 640, height: 360 })).toEqual({ width: 640, height: 360 });
    expect(await sizeWithoutProbe({ kind: 'device', path: '/dev/video0' }, { width: 1920, height: 1080 })).toEqual({ width: 1920, height: 1080 });
  });

  it('leaves to the probe what it cannot know at once', async () => {
    expect(await sizeWithoutProbe({ kind: 'device', path: '/dev/video0' }, null)).toBeNull();
    expect(await sizeWithoutProbe({ kind: 'file', path: join(dir, 'clip.mp4') }, null)).toBeNull();
    expect(await sizeWithoutProbe({ kind: 'file', path: join(dir, 'missing.y4m') }, null)).toBeNull();
    expect(await sizeWithoutProbe({ kind: 'file', path: y4m('odd.y4m', 'YUV4MPEG2 W0 H16') }, null)).toBeNull();
    expect(await sizeWithoutProbe({ kind: 'file', path: y4m('not.y4m', 'RIFF') }, null)).toBeNull();
  });
});

describe('checkCameraSizeUpFront', () => {
  it('refuses an oversized y4m camera from its header alone, and lets the rest through', async () => {
    const wide = y4m('wide2.y4m', 'YUV4MPEG2 W3842 H16 F10:1');
    await expect(checkCameraSizeUpFront({ kind: 'file', path: wide }, null)).rejects.toThrow(/3842x16, larger than .*--size/);
    await expect(checkCameraSizeUpFront({ kind: 'file', path: wide }, { width: 1920, height: 1080 })).resolves.toBeUndefined();
    await expect(checkCameraSizeUpFront({ kind: 'file', path: y4m('hd.y4m', 'YUV4MPEG2 W1280 H720') }, null)).resolves.toBeUndefined();
    await expect(checkCameraSizeUpFront({ kind: 'device', path: '/dev/video0' }, null)).resolves.toBeUndefined();
  });
});
