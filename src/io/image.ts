import type { RgbaImage } from '../frame';
import { VideoDecodeError, VideoWriter, openVideo } from './video';
import { greyPngArgs } from './ffmpeg/args';
import { locateFfmpeg } from './ffmpeg/locate';
import { FfmpegChild } from './ffmpeg/supervisor';

/** Larger pictures are refused before ffmpeg is asked for gigabytes of RGBA. */
export const MAX_IMAGE_PIXELS = 64_000_000;

export class ImageDecodeError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`cannot decode image ${path}: ${reason}`);
    this.name = 'ImageDecodeError';
  }
}

/** Any picture ffmpeg reads (PNG, JPEG, WebP, ...) as RGBA; of a video, its first frame. */
export async function decodeImage(path: string): Promise<RgbaImage> {
  try {
    const reader = await openVideo(path, { maxFrames: 1 });
    const { width, height } = reader.video;
    if (width * height > MAX_IMAGE_PIXELS) {
      throw new ImageDecodeError(path, `${width}x${height} is larger than ${MAX_IMAGE_PIXELS / 1e6} megapixels`);
    }
    for await (const frame of reader.frames()) return frame;
    throw new ImageDecodeError(path, 'it holds no picture');
  } catch (error) {
    if (error instanceof VideoDecodeError) throw new ImageDecodeError(path, error.reason);
    throw error;
  }
}

/** Writes an RGBA PNG, alpha kept. */
export async function encodePng(image: RgbaImage, path: string): Promise<void> {
  const writer = VideoWriter.open({
    path,
    format: 'png',
    video: { width: image.width, height: image.height, rate: { num: 1, den: 1 } },
    alpha: true,
  });
  await writer.write(image);
  await writer.finish();
}

/** One byte a pixel, 0 black to 255 white. */
export interface GreyImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Writes a single-channel 8-bit grey PNG (pix_fmt gray), as mattes are stored. */
export async function encodeGreyPng(image: GreyImage, path: string): Promise<void> {
  if (image.data.length !== image.width * image.height) throw new RangeError(`a ${image.width}x${image.height} grey image needs ${image.width * image.height} bytes, got ${image.data.length}`);
  const child = FfmpegChild.start({ ffmpegPath: locateFfmpeg().path, args: greyPngArgs(image, path), input: true });
  await child.write(image.data);
  await child.finish();
}
