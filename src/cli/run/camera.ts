import { statSync } from 'node:fs';
import type { RgbaImage } from '../../frame';
import { MediaProbeError, probe } from '../../io/probe';
import { RAW_RGBA_OUTPUT, rateArg, type Rate, type Size } from '../../io/ffmpeg/args';
import { FfmpegError } from '../../io/ffmpeg/progress';
import { FfmpegChild } from '../../io/ffmpeg/supervisor';
import { CommandError } from '../errors';

/**
 * The camera of a headless run: a V4L2 device, or a video file standing in for one. A file plays at
 * its own frame rate (ffmpeg's -re), as a camera delivers frames whether or not anyone keeps up, and
 * loops when the run is longer than the file.
 */

export type CameraSpec = { kind: 'device'; path: string } | { kind: 'file'; path: string };

export interface CameraFormat extends Size {
  rate: Rate;
  /** Length of a file camera; null for a device. */
  durationSec: number | null;
  /** A file that states no frame rate plays at the one ffmpeg assumes (see MediaInfo.rateGuessed). */
  rateGuessed?: boolean;
}

function isCharDevice(path: string): boolean {
  try {
    return statSync(path).isCharacterDevice();
  } catch {
    return false;
  }
}

/** A node under /dev (or any character device) is a camera device; anything else is a file. */
export function cameraSpecFor(arg: string, charDevice: (path: string) => boolean = isCharDevice): CameraSpec {
  return arg.startsWith('/dev/') || charDevice(arg) ? { kind: 'device', path: arg } : { kind: 'file', path: arg };
}

export const DEVICE_DEFAULT: CameraFormat = { width: 1280, height: 720, rate: { num: 30, den: 1 }, durationSec: null };

export interface CameraArgsRequest {
  spec: CameraSpec;
  format: CameraFormat;
  /** Restart a file at its end. */
  loop: boolean;
}

/** Decoding the camera to raw RGBA on stdout, paced like a live camera. */
export function cameraArgs(req: CameraArgsRequest): string[] {
  const { spec, format } = req;
  const size = `${format.width}x${format.height}`;
  const input =
    spec.kind === 'device'
      ? ['-f', 'v4l2', '-framerate', rateArg(format.rate), '-video_size', size, '-i', spec.path]
      : ['-re', ...(req.loop ? ['-stream_loop', '-1'] : []), '-i', `file:${spec.path}`];
  return [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    ...input,
    '-map',
    '0:v:0',
    // A device may grant another size than asked for; scaling pins every frame's byte count.
    '-vf',
    `scale=${format.width}:${format.height}`,
    ...RAW_RGBA_OUTPUT,
  ];
}

/** The size and rate frames will have: the file's own (or --size), a device's from --size or 720p30. */
export async function cameraFormat(spec: CameraSpec, size: Size | null, rate: Rate | null): Promise<CameraFormat> {
  if (spec.kind === 'device') return { ...DEVICE_DEFAULT, ...(size ?? {}), ...(rate ? { rate } : {}) };
  try {
    const info = await probe(spec.path);
    if (info.isImage) throw new CommandError(`--camera ${spec.path} is a still image; give a video file (.y4m, .mp4, ...) or a camera device`);
    const chosen = size ?? { width: info.width, height: info.height };
    return {
      width: chosen.width,
      height: chosen.height,
      rate: rate ?? info.rate,
      durationSec: info.durationSec,
      ...(rate === null && info.rateGuessed ? { rateGuessed: true } : {}),
    };
  } catch (error) {
    if (error instanceof MediaProbeError) throw new CommandError(`--camera ${spec.path}: ${error.reason}`);
    throw error;
  }
}

export class CameraError extends Error {
  constructor(
    readonly camera: string,
    readonly reason: string,
  ) {
    super(`camera ${camera}: ${reason}`);
    this.name = 'CameraError';
  }
}

/** Frames from the camera until it ends, fails (CameraError) or the signal aborts. Each frame is fresh. */
export async function* cameraFrames(ffmpegPath: string, req: CameraArgsRequest, signal: AbortSignal): AsyncGenerator<RgbaImage> {
  const { width, height } = req.format;
  const child = FfmpegChild.start({ ffmpegPath, args: cameraArgs(req), outputFrameBytes: width * height * 4, signal });
  try {
    for await (const data of child.frames()) yield { width, height, data };
  } catch (error) {
    if (signal.aborted) return;
    if (error instanceof FfmpegError) throw new CameraError(req.spec.path, error.detail);
    throw error;
  }
}
