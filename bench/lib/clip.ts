import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RgbaImage } from '../../src/frame';
import { cropResizeRgba, type SourceRect } from '../../src/engine/pixels/resize';
import { openVideo } from '../../src/io/video';
import { SHARED_DIR } from '../peers/ort';

/** Real clips of people, read in place from ../shared/clips (see its README). All are 1280x720 at 30 fps. */
export const CLIPS_DIR = join(SHARED_DIR, 'clips');
export const CLIP_FPS = 30;

export class ClipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClipError';
  }
}

export function clipPath(name: string): string {
  const path = join(CLIPS_DIR, `${name}-1280x720.mp4`);
  if (!existsSync(path)) throw new ClipError(`clip ${name} not found at ${path} (is ../shared mounted?)`);
  return path;
}

export interface ClipRequest {
  /** Frames to skip from the start. */
  start?: number;
  frames: number;
  /** Output size; the (cropped) picture is stretched to it bilinearly. */
  size?: { width: number; height: number };
  /** Part of the 1280x720 picture to keep before scaling. */
  crop?: SourceRect;
}

/**
 * Decodes frames of a clip through ffmpeg (src/io/video.ts) into memory, so that playing them later costs
 * no decoding. Cropping and scaling use the engine's bilinear resampler, the same on every machine.
 */
export async function readClip(name: string, req: ClipRequest): Promise<RgbaImage[]> {
  const start = req.start ?? 0;
  const reader = await openVideo(clipPath(name), { maxFrames: start + req.frames });
  const out: RgbaImage[] = [];
  let index = 0;
  for await (const frame of reader.frames()) {
    if (index++ < start) continue;
    const rect = req.crop ?? { x: 0, y: 0, width: frame.width, height: frame.height };
    const size = req.size ?? { width: rect.width, height: rect.height };
    const same = rect.x === 0 && rect.y === 0 && rect.width === frame.width && rect.height === frame.height;
    out.push(same && size.width === frame.width && size.height === frame.height ? frame : cropResizeRgba(frame, rect, size.width, size.height));
  }
  if (out.length < req.frames) throw new ClipError(`clip ${name} holds ${out.length + start} frames, asked for ${start + req.frames}`);
  return out;
}

export function parseSize(text: string): { width: number; height: number } {
  const m = /^(\d+)x(\d+)$/.exec(text);
  if (!m) throw new ClipError(`size must look like 1280x720, got ${JSON.stringify(text)}`);
  return { width: Number(m[1]), height: Number(m[2]) };
}
