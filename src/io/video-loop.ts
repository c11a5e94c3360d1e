import type { RgbaImage, VideoSource } from '../frame';
import type { Rate } from './ffmpeg/args';
import { openVideo, type VideoReader } from './video';

/** Background videos are decoded no larger than this: they sit behind the person, often blurred by depth. */
const MAX_SIDE = 1280;
/** After a decoding error mid-way, wait this long before starting the loop again (the last frame holds). */
const RETRY_MS = 1000;

/** The size to decode at: the video's own, scaled down to MAX_SIDE on its long side, even dimensions. */
export function loopDecodeSize(width: number, height: number, maxSide = MAX_SIDE): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  const even = (v: number) => Math.max(2, 2 * Math.round((v * scale) / 2));
  return { width: even(width), height: even(height) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Plays a video file in a loop (ffmpeg's -stream_loop, so the loop has no seam), paced to its own frame
 * rate: the decoder is read only when the next frame is due, so ffmpeg waits on the pipe instead of
 * racing ahead, and a decoder that falls behind leaves the last frame showing. Resolves once the first
 * frame is decoded, so a file that cannot be played fails here, before it replaces anything.
 */
export async function openLoopingVideo(path: string, now: () => number = () => performance.now()): Promise<VideoSource> {
  const { info } = await openVideo(path);
  const stop = new AbortController();
  const reader: VideoReader = await openVideo(path, { size: loopDecodeSize(info.width, info.height), loop: true, signal: stop.signal });
  const fps = reader.video.rate.num / reader.video.rate.den;
  let latest: RgbaImage | null = null;
  let firstFrame!: (frame: RgbaImage) => void;
  let firstError!: (error: unknown) => void;
  const first = new Promise<RgbaImage>((resolve, reject) => {
    firstFrame = resolve;
    firstError = reject;
  });

  const play = async () => {
    while (!stop.signal.aborted) {
      const start = now();
      let index = 0;
      try {
        for await (const frame of reader.frames()) {
          if (stop.signal.aborted) return;
          index++;
          // More than a second behind (a stalled decoder caught up): skip ahead instead of fast-forwarding.
          if (dueFrame(now() - start, fps, null) > index + fps) continue;
          if (!latest) firstFrame(frame);
          latest = frame;
          const wait = start + (index * 1000) / fps - now();
          if (wait > 0) await sleep(wait);
        }
        if (!latest) throw new Error(`${path} holds no video frames`);
      } catch (error) {
        if (!latest) {
          firstError(error);
          return;
        }
        await sleep(RETRY_MS);
      }
    }
  };
  void play();
  await first;
  return {
    current: () => latest as RgbaImage,
    async close() {
      stop.abort();
    },
  };
}

/**
 * Offline: a looping background that moves on one frame per output frame, resampled to the output's
 * rate, so a rendered file shows the background video at its own speed whatever the render speed.
 */
export async function openSteppedVideo(path: string, rate: Rate): Promise<VideoSource> {
  const { info } = await openVideo(path);
  const stop = new AbortController();
  const reader = await openVideo(path, { size: loopDecodeSize(info.width, info.height), loop: true, rate, signal: stop.signal });
  const frames = reader.frames();
  const pull = async (): Promise<RgbaImage> => {
    const next = await frames.next();
    if (next.done) throw new Error(`${path} holds no video frames`);
    return next.value;
  };
  let latest = await pull();
  let started = false;
  return {
    current: () => latest,
    async advance() {
      // The first output frame shows the first background frame.
      if (started) latest = await pull();
      started = true;
    },
    async close() {
      stop.abort();
      await frames.return(undefined);
    },
  };
}

/**
 * Which frame of a looping video is due `elapsedMs` after it started, at `fps`, for a video of
 * `frameCount` frames (unknown: null, no wrap). Pure; the pacing of the looping decoder rests on it.
 */
export function dueFrame(elapsedMs: number, fps: number, frameCount: number | null): number {
  const index = Math.floor((Math.max(0, elapsedMs) * fps) / 1000);
  return frameCount && frameCount > 0 ? index % frameCount : index;
}
