import type { RgbaImage } from '../frame';
import { decodeArgs, encodeArgs, frameLimit, type EncodeFormat, type RawVideo, type Size } from './ffmpeg/args';
import { locateFfmpeg } from './ffmpeg/locate';
import { FfmpegError, type FfmpegProgress } from './ffmpeg/progress';
import { FfmpegChild } from './ffmpeg/supervisor';
import { MediaProbeError, probe, stripInputName, type MediaInfo } from './probe';

export class VideoDecodeError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`cannot decode ${path}: ${reason}`);
    this.name = 'VideoDecodeError';
  }
}

export class VideoEncodeError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`cannot write ${path}: ${reason}`);
    this.name = 'VideoEncodeError';
  }
}

export interface OpenVideoOptions {
  /** Scale frames to this size instead of the file's own. */
  size?: Size;
  maxFrames?: number;
  /** Stop after this many seconds of the file (at `rate`, or the file's own). */
  durationSec?: number;
  /** Start again at the end, for ever. */
  loop?: boolean;
  /** Resample to this rate instead of the file's own (a background stepped in time with another video). */
  rate?: RawVideo['rate'];
  signal?: AbortSignal;
  onProgress?(progress: FfmpegProgress): void;
}

export interface VideoReader {
  info: MediaInfo;
  /** What every yielded frame measures. */
  video: RawVideo;
  /** The most frames `frames()` yields, from maxFrames and durationSec; null when only the file's end stops it. */
  maxFrames: number | null;
  /** Decodes from the start; each frame is fresh. Failing mid-way throws VideoDecodeError. */
  frames(): AsyncGenerator<RgbaImage>;
}

/** Opens any file ffmpeg reads (video, y4m, still image) as RGBA frames at a constant rate. */
export async function openVideo(path: string, options: OpenVideoOptions = {}): Promise<VideoReader> {
  let info: MediaInfo;
  try {
    info = await probe(path);
  } catch (error) {
    if (error instanceof MediaProbeError) throw new VideoDecodeError(path, error.reason);
    throw error;
  }
  const size = options.size ?? { width: info.width, height: info.height };
  const video: RawVideo = { ...size, rate: options.rate ?? info.rate };
  const maxFrames = info.isImage ? 1 : frameLimit(options.maxFrames ?? null, options.durationSec ?? null, video.rate);
  const ffmpegPath = locateFfmpeg().path;
  // The explicit size and rate fix each frame's byte count and keep frame timing in step with the encoder.
  const args = decodeArgs({
    input: path,
    size,
    rate: info.isImage ? undefined : video.rate,
    maxFrames: maxFrames ?? undefined,
    decoder: info.alphaDecoder ?? undefined,
    image2: info.container === 'image2',
    loop: options.loop,
  });
  async function* frames(): AsyncGenerator<RgbaImage> {
    const child = FfmpegChild.start({
      ffmpegPath,
      args,
      outputFrameBytes: size.width * size.height * 4,
      signal: options.signal,
      onProgress: options.onProgress,
    });
    try {
      for await (const data of child.frames()) yield { width: size.width, height: size.height, data };
    } catch (error) {
      if (error instanceof FfmpegError) throw new VideoDecodeError(path, stripInputName(error.detail, path));
      throw error;
    }
  }
  return { info, video, maxFrames, frames };
}

export interface VideoWriterOptions {
  path: string;
  format: EncodeFormat;
  video: RawVideo;
  alpha: boolean;
  signal?: AbortSignal;
  onProgress?(progress: FfmpegProgress): void;
}

/** Encodes RGBA frames to a file through ffmpeg, waiting for it whenever it falls behind. */
export class VideoWriter {
  private constructor(
    private readonly options: VideoWriterOptions,
    private readonly child: FfmpegChild,
  ) {}

  static open(options: VideoWriterOptions): VideoWriter {
    const args = encodeArgs({ output: options.path, format: options.format, input: options.video, alpha: options.alpha });
    const child = FfmpegChild.start({
      ffmpegPath: locateFfmpeg().path,
      args,
      input: true,
      signal: options.signal,
      onProgress: options.onProgress,
    });
    return new VideoWriter(options, child);
  }

  async write(image: RgbaImage): Promise<void> {
    const { width, height } = this.options.video;
    if (image.width !== width || image.height !== height || image.data.length !== width * height * 4) {
      throw new VideoEncodeError(this.options.path, `frame is ${image.width}x${image.height}, the file is ${width}x${height}`);
    }
    await this.guard(() => this.child.write(image.data));
  }

  /** Ends the stream and waits for ffmpeg to finalise the file. */
  async finish(): Promise<void> {
    await this.guard(() => this.child.finish());
  }

  /** Stops at once; the file is left unfinished for the caller to remove. */
  async abort(): Promise<void> {
    this.child.kill();
    await this.child.exited();
  }

  private async guard(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (error instanceof FfmpegError) throw new VideoEncodeError(this.options.path, stripInputName(error.detail, this.options.path));
      throw error;
    }
  }
}
