import { describe, expect, it } from 'vitest';
import { ThumbnailError, ffmpegReason, thumbnailArgs } from '../../../src/main/thumbnails';

describe('thumbnail command line', () => {
  it('scales a picture to cover 160x90 and writes one PNG, never a numbered sequence', () => {
    expect(thumbnailArgs('/in/a%d.png', '/out/t.png', 'image')).toEqual([
      '-hide_banner', '-loglevel', 'error', '-nostdin', '-y',
      '-i', '/in/a%d.png',
      '-map', '0:v:0', '-an', '-sn', '-dn',
      '-vf', 'scale=160:90:force_original_aspect_ratio=increase,crop=160:90',
      '-frames:v', '1', '-f', 'image2', '-update', '1', '-c:v', 'png',
      '/out/t.png',
    ]);
  });

  it('picks a typical frame of a video rather than its first', () => {
    const args = thumbnailArgs('/in/clip.mp4', '/out/t.png', 'video', { width: 64, height: 36 });
    expect(args[args.indexOf('-vf') + 1]).toBe('thumbnail=n=30,scale=64:36:force_original_aspect_ratio=increase,crop=64:36');
  });

  it('refuses relative paths, which ffmpeg could read as options', () => {
    expect(() => thumbnailArgs('-i.png', '/out/t.png', 'image')).toThrow(ThumbnailError);
    expect(() => thumbnailArgs('/in/a.png', 'out.png', 'image')).toThrow(/must be absolute/);
  });
});

describe("ffmpeg's reason", () => {
  it('keeps the first distinct complaints without the decoder addresses', () => {
    const stderr = [
      '[png @ 0x55a1ad8c2600] chunk too big',
      '[png @ 0x55a1ad8d3d80] chunk too big',
      'Error while decoding stream #0:0: Invalid data found when processing input',
      'Error marking filters as finished',
      '',
    ].join('\n');
    expect(ffmpegReason(stderr)).toBe('chunk too big; Error while decoding stream #0:0: Invalid data found when processing input');
    expect(ffmpegReason('\n')).toBe('');
  });
});
