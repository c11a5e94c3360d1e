import { describe, expect, it } from 'vitest';
import {
  bannerArgs,
  carriesAlpha,
  decodeArgs,
  encodeArgs,
  formatForPath,
  frameLimit,
  isStillFormat,
  probeArgs,
  rateArg,
  type RawVideo,
} from '../../../../src/io/ffmpeg/args';

const QUIET = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-stats'];
const RAW_TAIL = ['-an', '-sn', '-f', 'rawvideo', '-pix_fmt', 'rgba', 'pipe:1'];
const HD: RawVideo = { width: 1280, height: 720, rate: { num: 30, den: 1 } };
const RAW_IN = ['-f', 'rawvideo', '-pix_fmt', 'rgba', '-video_size', '1280x720', '-framerate', '30', '-i', 'pipe:0'];
const BT709 = ['-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'tv'];

describe('rateArg', () => {
  it('writes whole rates bare and keeps NTSC rates exact', () => {
    expect(rateArg({ num: 25, den: 1 })).toBe('25');
    expect(rateArg({ num: 30000, den: 1001 })).toBe('30000/1001');
  });
});

describe('frameLimit', () => {
  const ntsc = { num: 30000, den: 1001 };
  it('turns seconds into frames at the rate, the smaller limit winning', () => {
    expect(frameLimit(null, null, ntsc)).toBeNull();
    expect(frameLimit(7, null, ntsc)).toBe(7);
    expect(frameLimit(null, 2, ntsc)).toBe(60);
    expect(frameLimit(10, 2, ntsc)).toBe(10);
    expect(frameLimit(100, 2, { num: 25, den: 1 })).toBe(50);
  });

  it('keeps at least one frame for a length shorter than a frame', () => {
    expect(frameLimit(null, 0.001, { num: 10, den: 1 })).toBe(1);
  });
});

describe('decodeArgs', () => {
  it('decodes the first video stream to raw RGBA on stdout', () => {
    expect(decodeArgs({ input: 'clip.mp4' })).toEqual([...QUIET, '-i', 'file:clip.mp4', '-map', '0:v:0', ...RAW_TAIL]);
  });

  it('resamples the rate, then scales, and stops after maxFrames', () => {
    expect(decodeArgs({ input: '/a b/c.y4m', size: { width: 640, height: 360 }, rate: { num: 30000, den: 1001 }, maxFrames: 12 })).toEqual([
      ...QUIET,
      '-i',
      'file:/a b/c.y4m',
      '-map',
      '0:v:0',
      '-vf',
      'fps=30000/1001,scale=640:360',
      '-frames:v',
      '12',
      ...RAW_TAIL,
    ]);
  });

  it('puts a forced decoder and the literal-name option before -i, where ffmpeg applies them to the input', () => {
    expect(decodeArgs({ input: 'a.webm', decoder: 'libvpx-vp9' })).toEqual([...QUIET, '-c:v', 'libvpx-vp9', '-i', 'file:a.webm', '-map', '0:v:0', ...RAW_TAIL]);
    expect(decodeArgs({ input: '50%.png', image2: true })).toEqual([...QUIET, '-pattern_type', 'none', '-i', 'file:50%.png', '-map', '0:v:0', ...RAW_TAIL]);
  });

  it('loops an input for ever with -stream_loop before -i', () => {
    expect(decodeArgs({ input: 'bg.mp4', loop: true })).toEqual([...QUIET, '-stream_loop', '-1', '-i', 'file:bg.mp4', '-map', '0:v:0', ...RAW_TAIL]);
  });
});

describe('encodeArgs', () => {
  it('y4m: 4:2:0 into a YUV4MPEG2 stream', () => {
    expect(encodeArgs({ output: 'o.y4m', format: 'y4m', input: HD, alpha: false })).toEqual([
      '-y',
      ...QUIET,
      ...RAW_IN,
      '-pix_fmt',
      'yuv420p',
      '-f',
      'yuv4mpegpipe',
      'file:o.y4m',
    ]);
  });

  it('mp4: H.264 4:2:0 with BT.709 conversion and tags, index at the front', () => {
    expect(encodeArgs({ output: '.o.mp4.partial', format: 'mp4', input: HD, alpha: false })).toEqual([
      '-y',
      ...QUIET,
      ...RAW_IN,
      '-vf',
      'scale=out_color_matrix=bt709:out_range=tv',
      '-c:v',
      'libx264',
      '-preset',
      'medium',
      '-crf',
      '18',
      '-pix_fmt',
      'yuv420p',
      ...BT709,
      '-movflags',
      '+faststart',
      '-f',
      'mp4',
      'file:.o.mp4.partial',
    ]);
  });

  it('mp4: pads an odd size to even, since libx264 refuses odd 4:2:0', () => {
    const args = encodeArgs({ output: 'o.mp4', format: 'mp4', input: { width: 63, height: 33, rate: { num: 30, den: 1 } }, alpha: false });
    expect(args).toContain('63x33');
    expect(args[args.indexOf('-vf') + 1]).toBe('scale=out_color_matrix=bt709:out_range=tv,pad=ceil(iw/2)*2:ceil(ih/2)*2');
  });

  it('webm: VP9 with an alpha plane only when asked', () => {
    const tail = ['-crf', '30', '-b:v', '0', '-row-mt', '1', '-deadline', 'good', '-cpu-used', '4', ...BT709, '-f', 'webm', 'file:o.webm'];
    const head = ['-y', ...QUIET, ...RAW_IN, '-vf', 'scale=out_color_matrix=bt709:out_range=tv', '-c:v', 'libvpx-vp9', '-pix_fmt'];
    expect(encodeArgs({ output: 'o.webm', format: 'webm', input: HD, alpha: true })).toEqual([...head, 'yuva420p', ...tail]);
    expect(encodeArgs({ output: 'o.webm', format: 'webm', input: HD, alpha: false })).toEqual([...head, 'yuv420p', ...tail]);
  });

  it('png: one frame, RGBA or RGB, the name taken literally', () => {
    const png = (alpha: boolean) => encodeArgs({ output: 'o.png', format: 'png', input: HD, alpha });
    const head = ['-y', ...QUIET, ...RAW_IN, '-frames:v', '1', '-c:v', 'png', '-pix_fmt'];
    expect(png(true)).toEqual([...head, 'rgba', '-f', 'image2', '-update', '1', 'file:o.png']);
    expect(png(false)).toEqual([...head, 'rgb24', '-f', 'image2', '-update', '1', 'file:o.png']);
  });

  it('jpeg: one full-range 4:4:4 frame', () => {
    expect(encodeArgs({ output: 'o.jpg', format: 'jpeg', input: HD, alpha: false })).toEqual([
      '-y',
      ...QUIET,
      ...RAW_IN,
      '-frames:v',
      '1',
      '-c:v',
      'mjpeg',
      '-q:v',
      '2',
      '-pix_fmt',
      'yuvj444p',
      '-f',
      'image2',
      '-update',
      '1',
      'file:o.jpg',
    ]);
  });

  it('refuses alpha for formats that cannot hold it', () => {
    expect(() => encodeArgs({ output: 'o.mp4', format: 'mp4', input: HD, alpha: true })).toThrow('mp4 cannot carry an alpha channel');
    expect(carriesAlpha('png')).toBe(true);
    expect(carriesAlpha('webm')).toBe(true);
    expect(carriesAlpha('y4m')).toBe(false);
    expect(carriesAlpha('jpeg')).toBe(false);
  });
});

describe('formatForPath', () => {
  it('maps extensions, case-insensitively, and rejects the rest', () => {
    expect(formatForPath('out/x.Y4M')).toBe('y4m');
    expect(formatForPath('x.mp4')).toBe('mp4');
    expect(formatForPath('x.m4v')).toBe('mp4');
    expect(formatForPath('x.webm')).toBe('webm');
    expect(formatForPath('x.PNG')).toBe('png');
    expect(formatForPath('x.jpeg')).toBe('jpeg');
    expect(formatForPath('x.avi')).toBeNull();
    expect(formatForPath('dir.mp4/noext')).toBeNull();
  });

  it('knows which formats are stills', () => {
    expect(isStillFormat('png')).toBe(true);
    expect(isStillFormat('jpeg')).toBe(true);
    expect(isStillFormat('mp4')).toBe(false);
  });
});

describe('probe arguments', () => {
  it('asks ffprobe for the first video stream as JSON', () => {
    expect(probeArgs('a:b.mp4')).toEqual([
      '-v',
      'error',
      '-pattern_type',
      'none',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=codec_name,width,height,pix_fmt,r_frame_rate,avg_frame_rate,nb_frames,duration:stream_side_data=rotation:stream_tags=alpha_mode:format=format_name,duration',
      '-of',
      'json',
      'file:a:b.mp4',
    ]);
  });

  it('asks ffmpeg to describe an input', () => {
    expect(bannerArgs('x.png')).toEqual(['-hide_banner', '-nostdin', '-i', 'file:x.png']);
  });
});
