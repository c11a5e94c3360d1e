import { extname } from 'node:path';
import { QUIET, rawRgbaInput, type Rate } from '../../io/ffmpeg/args';

/**
 * ffmpeg command lines for the virtual camera. The device gets YUYV (packed 4:2:2): the one format
 * Chrome, Firefox, Zoom and OBS all read from a loopback device; I420 showed nothing or shifted colours
 * in browsers. Tests swap the device for a .y4m file, which cannot hold packed YUYV, so it gets the same
 * samples as planar 4:2:2.
 */

export type VirtualCameraTarget = { kind: 'device'; path: string } | { kind: 'y4m'; path: string };

/** `--virtual-camera` takes a device node or, for tests and demos, a .y4m file standing in for one. */
export function targetFor(arg: string): VirtualCameraTarget {
  return extname(arg).toLowerCase() === '.y4m' ? { kind: 'y4m', path: arg } : { kind: 'device', path: arg };
}

export interface VirtualCameraArgs {
  target: VirtualCameraTarget;
  width: number;
  height: number;
  rate: Rate;
}

/** Even width and height: Meet reports "camera muted by system" for an odd width, and 4:2:2 halves it. */
export function evenSize(width: number, height: number): { width: number; height: number } {
  return { width: width - (width % 2), height: height - (height % 2) };
}

export function virtualCameraArgs(req: VirtualCameraArgs): string[] {
  const even = evenSize(req.width, req.height);
  if (even.width < 2 || even.height < 2) throw new RangeError(`virtual camera frames must be at least 2x2, got ${req.width}x${req.height}`);
  // Cropping (not padding) keeps every pixel real; one column or row of an odd frame is lost.
  const crop = even.width !== req.width || even.height !== req.height ? ['-vf', `crop=${even.width}:${even.height}:0:0`] : [];
  const output =
    req.target.kind === 'device'
      ? ['-pix_fmt', 'yuyv422', '-f', 'v4l2', req.target.path]
      : ['-pix_fmt', 'yuv422p', '-f', 'yuv4mpegpipe', '-y', `file:${req.target.path}`];
  return [
    ...QUIET,
    ...rawRgbaInput({ width: req.width, height: req.height, rate: req.rate }),
    ...crop,
    ...output,
  ];
}
