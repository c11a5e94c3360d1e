import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAX_FRAME_HEIGHT, MAX_FRAME_WIDTH } from '../common/contract';
import { EngineFailure } from '../common/failure';
import { Session } from '../engine/session';
import { median } from '../engine/stats';
import { decodeImage } from '../io/image';
import { openSteppedVideo } from '../io/video-loop';
import { VideoDecodeError, VideoEncodeError, VideoWriter, openVideo, type VideoReader } from '../io/video';
import { isStillFormat } from '../io/ffmpeg/args';
import { FfmpegNotFoundError } from '../io/ffmpeg/locate';
import type { RenderOptions } from './args';
import { CommandError, Interrupted } from './errors';
import { guessedRateNote } from './notes';
import { checkOutputFile } from './output-file';
import { ProgressReporter, type ProgressStream, type RenderSummary } from './progress';

export const DEFAULT_MODELS_DIR = fileURLToPath(new URL('../../models', import.meta.url));

/** A hidden name in the output's own folder, so the final rename stays on one filesystem and is atomic. */
export function partialPath(output: string): string {
  return join(dirname(output), `.${basename(output)}.partial-${process.pid}-${randomBytes(3).toString('hex')}`);
}


async function openInput(options: RenderOptions, signal: AbortSignal): Promise<VideoReader> {
  const reader = await openVideo(options.input, {
    size: options.size ?? undefined,
    maxFrames: options.maxFrames ?? undefined,
    durationSec: options.durationSec ?? undefined,
    signal,
  });
  const { width, height } = reader.video;
  if (width > MAX_FRAME_WIDTH || height > MAX_FRAME_HEIGHT) {
    throw new CommandError(`${options.input} is ${width}x${height}, larger than ${MAX_FRAME_WIDTH}x${MAX_FRAME_HEIGHT}; scale it with --size`);
  }
  if (width < 2 || height < 2) throw new CommandError(`${options.input} is ${width}x${height}, too small to render`);
  if (isStillFormat(options.format) && !reader.info.isImage && reader.maxFrames !== 1) {
    throw new CommandError(`${options.output} is an image but ${options.input} is a video; write .mp4, .webm or .y4m, or pass --frames 1`);
  }
  return reader;
}

/**
 * Says when the input ended well before the frame count its header promised (a truncated or damaged
 * file); a count that is only estimated from the duration may be off by a frame or two, which is allowed.
 */
export function inputEndedEarly(decoded: number, expected: number | null): string | null {
  if (expected === null || !Number.isFinite(expected)) return null;
  const slack = Math.max(2, Math.ceil(expected * 0.02));
  return decoded + slack < expected ? `input ended after ${decoded} of ${expected} frames` : null;
}

/**
 * Decodes the input with ffmpeg, runs every frame through the engine, and encodes the result to a
 * temporary file that is renamed over the output only once ffmpeg has finalised it; on any failure the
 * temporary file is removed, so no partial output is ever left.
 */
export async function render(options: RenderOptions, stderr: ProgressStream, signal: AbortSignal): Promise<RenderSummary> {
  try {
    return await renderUnguarded(options, stderr, signal);
  } catch (error) {
    if (signal.aborted) throw new Interrupted();
    if (error instanceof EngineFailure || error instanceof VideoDecodeError || error instanceof FfmpegNotFoundError) {
      throw new CommandError(error.message);
    }
    // ffmpeg names the temporary file it was writing; the user knows the output's own name.
    if (error instanceof VideoEncodeError) throw new CommandError(`cannot write ${options.output}: ${error.reason}`);
    throw error;
  }
}

async function renderUnguarded(options: RenderOptions, stderr: ProgressStream, signal: AbortSignal): Promise<RenderSummary> {
  await checkOutputFile(options.output, options.force);
  const reader = await openInput(options, signal);
  if (reader.info.rateGuessed) stderr.write(`backdrop: warning: ${guessedRateNote(options.input, reader.video.rate)}\n`);
  const session = await Session.create({
    modelsDir: options.modelsDir ?? DEFAULT_MODELS_DIR,
    config: { background: options.background, matting: options.matting, quality: options.quality, people: options.people, faceModel: options.faceModel },
    loadImage: decodeImage,
    loadVideo: (path) => openSteppedVideo(path, reader.video.rate),
    threads: options.threads ?? undefined,
  });
  stderr.write(`provider: ${session.providerNote}\n`);
  if (session.mattingIssue) stderr.write(`backdrop: warning: segmentation only: ${session.mattingIssue}\n`);
  const temp = partialPath(options.output);
  const frames = reader.frames();
  const total = reader.maxFrames !== null ? Math.min(reader.maxFrames, reader.info.frames ?? Infinity) : reader.info.frames;
  const progress = new ProgressReporter(stderr, total);
  let writer: VideoWriter | null = null;
  try {
    writer = VideoWriter.open({
      path: temp,
      format: options.format,
      video: reader.video,
      alpha: options.background.kind === 'transparent',
      signal,
    });
    const decodeWaits: number[] = [];
    const encodeWaits: number[] = [];
    const started = performance.now();
    for (;;) {
      const t0 = performance.now();
      const next = await frames.next();
      if (next.done) break;
      decodeWaits.push(performance.now() - t0);
      const { image } = await session.render(next.value);
      const t1 = performance.now();
      await writer.write(image);
      encodeWaits.push(performance.now() - t1);
      progress.frame();
    }
    progress.end();
    if (decodeWaits.length === 0) throw new CommandError(`cannot decode ${options.input}: it holds no video frames`);
    const short = inputEndedEarly(decodeWaits.length, total ?? null);
    if (short) throw new CommandError(`${options.input}: ${short}; nothing written (re-encode or re-download the input, or pass --frames ${decodeWaits.length} to keep what is there)`);
    await writer.finish();
    await rename(temp, options.output);
    const summary = session.summary();
    return {
      frames: decodeWaits.length,
      width: reader.video.width,
      height: reader.video.height,
      seconds: (performance.now() - started) / 1000,
      output: options.output,
      stagesMs: summary.stagesMs,
      decodeWaitMs: median(decodeWaits),
      encodeWaitMs: median(encodeWaits),
      provider: summary.provider,
    };
  } catch (error) {
    progress.end();
    await writer?.abort();
    await rm(temp, { force: true });
    throw error;
  } finally {
    // Stops the decoder if the loop left early.
    await frames.return(undefined);
    await session.close();
  }
}
