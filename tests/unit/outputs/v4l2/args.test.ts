import { describe, expect, it } from 'vitest';
import { evenSize, targetFor, virtualCameraArgs } from '../../../../src/outputs/v4l2/args';

const base = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-stats'];
const input = (w: number, h: number) => ['-f', 'rawvideo', '-pix_fmt', 'rgba', '-video_size', `${w}x${h}`, '-framerate', '30', '-i', 'pipe:0'];

describe('virtualCameraArgs', () => {
  it('writes YUYV to a device', () => {
    expect(virtualCameraArgs({ target: { kind: 'device', path: '/dev/video10' }, width: 1280, height: 720, rate: { num: 30, den: 1 } })).toEqual([
      ...base,
      ...input(1280, 720),
      '-pix_fmt',
      'yuyv422',
      '-f',
      'v4l2',
      '/dev/video10',
    ]);
  });

  it('writes the same 4:2:2 samples, planar, to a .y4m stand-in', () => {
    expect(virtualCameraArgs({ target: targetFor('/tmp/cam.Y4M'), width: 640, height: 360, rate: { num: 30, den: 1 } }).slice(-6)).toEqual([
      '-pix_fmt',
      'yuv422p',
      '-f',
      'yuv4mpegpipe',
      '-y',
      'file:/tmp/cam.Y4M',
    ]);
  });

  it('crops an odd frame to even width and height', () => {
    expect(evenSize(641, 361)).toEqual({ width: 640, height: 360 });
    const args = virtualCameraArgs({ target: { kind: 'device', path: '/dev/video1' }, width: 641, height: 360, rate: { num: 30, den: 1 } });
    expect(args).toContain('crop=640:360:0:0');
    expect(() => virtualCameraArgs({ target: { kind: 'device', path: '/dev/video1' }, width: 1, height: 360, rate: { num: 30, den: 1 } })).toThrow(/at least 2x2/);
  });

  it('tells a device from a file by the .y4m extension', () => {
    expect(targetFor('/dev/video10')).toEqual({ kind: 'device', path: '/dev/video10' });
    expect(targetFor('out.y4m')).toEqual({ kind: 'y4m', path: 'out.y4m' });
  });
});
