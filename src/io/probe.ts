import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { promisify } from 'node:util';
import { bannerArgs, probeArgs, type Rate } from './ffmpeg/args';
import { FfmpegNotFoundError, locateFfmpeg, locateFfprobe } from './ffmpeg/locate';
import { readY4mHeader, Y4M_DEFAULT_RATE, Y4mHeaderError } from './y4m';

const run = promisify(execFile);

export interface MediaInfo {
  /** Size of a decoded frame, after the rotation ffmpeg applies on decode. */
  width: number;
  height: number;
  rate: Rate;
  /** Exact when the container counts its frames, estimated from the duration otherwise, null when unknown. */
  frames: number | null;
  durationSec: number | null;
  hasAlpha: boolean;
  /** A single still picture (PNG, JPEG, ...) rather than a video. */
  isImage: boolean;
  codec: string;
  /** ffmpeg's name for the container ('mov,mp4,m4a,3gp,3g2,mj2', 'png_pipe', 'image2', ...). */
  container: string;
  /** A decoder to force when ffmpeg's default would lose the alpha plane. */
  alphaDecoder: string | null;
  /** The file states no frame rate (a y4m header's F0:0) and `rate` is the one the decoder assumes. */
  rateGuessed?: boolean;
}

export class MediaProbeError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`cannot read ${path}: ${reason}`);
    this.name = 'MediaProbeError';
  }
}

/** Frame rates above this are timebase artefacts (1000/1 in WebM from browsers), not real rates. */
const MAX_PLAUSIBLE_FPS = 240;
const FALLBACK_RATE: Rate = { num: 30, den: 1 };
const ALPHA_PIX_FMT = /^(yuva|rgba|bgra|argb|abgr|ya|gbrap|pal8)/;

function parseRate(text: unknown): Rate | null {
  if (typeof text !== 'string') return null;
  const m = /^(\d+)(?:\/(\d+))?$/.exec(text.trim());
  if (!m) return null;
  const num = Number(m[1]);
  const den = m[2] === undefined ? 1 : Number(m[2]);
  if (num <= 0 || den <= 0 || num / den > MAX_PLAUSIBLE_FPS) return null;
  return { num, den };
}

function decimalRate(fps: number): Rate | null {
  if (!(fps > 0) || fps > MAX_PLAUSIBLE_FPS) return null;
  // ffmpeg prints 29.97 for 30000/1001; keep the exact NTSC rates exact.
  for (const base of [24, 30, 60]) if (Math.abs(fps - (base * 1000) / 1001) < 0.01) return { num: base * 1000, den: 1001 };
  return Number.isInteger(fps) ? { num: fps, den: 1 } : { num: Math.round(fps * 1000), den: 1000 };
}

function positive(x: unknown): number | null {
  const n = typeof x === 'string' ? Number(x) : typeof x === 'number' ? x : NaN;
  return Number.isFinite(n) && n > 0 ? n : null;
}

function isStillContainer(formatName: string): boolean {
  return formatName === 'image2' || formatName.endsWith('_pipe');
}

/** A quarter turn swaps the decoded frame's width and height. */
function isQuarterTurn(degrees: number): boolean {
  return Math.abs(Math.round(degrees / 90)) % 2 === 1;
}

function alphaDecoderFor(codec: string, alphaMode: boolean): string | null {
  if (!alphaMode) return null;
  if (codec === 'vp9') return 'libvpx-vp9';
  if (codec === 'vp8') return 'libvpx';
  return null;
}

function frameCount(isImage: boolean, counted: number | null, durationSec: number | null, rate: Rate): number | null {
  if (isImage) return 1;
  if (counted !== null) return Math.round(counted);
  return durationSec !== null ? Math.round((durationSec * rate.num) / rate.den) : null;
}

/** ffprobe's JSON (see probeArgs) -> MediaInfo; throws an Error whose message says what is missing. */
export function parseFfprobeJson(json: unknown): MediaInfo {
  const root = (json ?? {}) as { streams?: Record<string, unknown>[]; format?: Record<string, unknown> };
  const stream = root.streams?.[0];
  if (!stream) throw new Error('it has no video stream');
  const width = positive(stream.width);
  const height = positive(stream.height);
  if (width === null || height === null) throw new Error('its video stream could not be decoded (no frame size)');
  const formatName = typeof root.format?.format_name === 'string' ? root.format.format_name : '';
  const codec = typeof stream.codec_name === 'string' ? stream.codec_name : 'unknown';
  const sideData = Array.isArray(stream.side_data_list) ? (stream.side_data_list as Record<string, unknown>[]) : [];
  const rotation = sideData.map((d) => Number(d.rotation)).find((r) => Number.isFinite(r)) ?? 0;
  const alphaMode = (stream.tags as Record<string, unknown> | undefined)?.alpha_mode === '1';
  const pixFmt = typeof stream.pix_fmt === 'string' ? stream.pix_fmt : '';
  const rate = parseRate(stream.avg_frame_rate) ?? parseRate(stream.r_frame_rate) ?? FALLBACK_RATE;
  const durationSec = positive(stream.duration) ?? positive(root.format?.duration);
  const isImage = isStillContainer(formatName);
  const swap = isQuarterTurn(rotation);
  return {
    width: swap ? height : width,
    height: swap ? width : height,
    rate,
    frames: frameCount(isImage, positive(stream.nb_frames), durationSec, rate),
    durationSec: isImage ? null : durationSec,
    hasAlpha: alphaMode || ALPHA_PIX_FMT.test(pixFmt),
    isImage,
    codec,
    container: formatName,
    alphaDecoder: alphaDecoderFor(codec, alphaMode),
  };
}

/**
 * The description `ffmpeg -i <file>` prints, for when no ffprobe exists (ffmpeg-static ships none):
 *   Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'clip.mp4':
 *     Duration: 00:00:10.00, start: 0.000000, bitrate: 1851 kb/s
 *     Stream #0:0[0x1](und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(tv, bt709, progressive), 1280x720 [SAR 1:1 DAR 16:9], 1848 kb/s, 30 fps, 30 tbr, 15360 tbn (default)
 */
export function parseFfmpegBanner(text: string): MediaInfo {
  const input = /^Input #0, (.+), from '/m.exec(text);
  const streamLine = /^\s*Stream #0:\d+.*?: Video: (.*)$/m.exec(text);
  if (!input || !streamLine) throw new Error('it has no video stream');
  // Parenthesised and bracketed groups hold commas of their own; drop them before splitting the fields.
  const fields = streamLine[1]
    .replace(/\([^)]*\)/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .split(',')
    .map((f) => f.trim());
  const size = fields.map((f) => /^(\d+)x(\d+)$/.exec(f)).find((m) => m !== null);
  if (!size) throw new Error('its video stream could not be decoded (no frame size)');
  const fpsField = fields.find((f) => / fps$/.test(f)) ?? fields.find((f) => / tbr$/.test(f));
  const rate = (fpsField ? decimalRate(parseFloat(fpsField)) : null) ?? FALLBACK_RATE;
  const d = /Duration: (\d+):(\d+):(\d+(?:\.\d+)?)/.exec(text);
  const durationSec = d ? Number(d[1]) * 3600 + Number(d[2]) * 60 + Number(d[3]) : null;
  const rotation = /displaymatrix: rotation of (-?\d+(?:\.\d+)?) degrees/.exec(text);
  const codec = fields[0].split(' ')[0];
  const pixFmt = fields[1] ?? '';
  const alphaMode = /^\s*alpha_mode\s*:\s*1\s*$/m.test(text);
  const isImage = isStillContainer(input[1]);
  const swap = rotation !== null && isQuarterTurn(Number(rotation[1]));
  const width = Number(size[1]);
  const height = Number(size[2]);
  return {
    width: swap ? height : width,
    height: swap ? width : height,
    rate,
    frames: frameCount(isImage, null, isImage ? null : durationSec, rate),
    durationSec: isImage ? null : durationSec,
    hasAlpha: alphaMode || ALPHA_PIX_FMT.test(pixFmt),
    isImage,
    codec,
    container: input[1],
    alphaDecoder: alphaDecoderFor(codec, alphaMode),
  };
}

/** ffmpeg names the input in its messages ("file:x.mp4: Invalid data ..."); the caller names it already. */
export function stripInputName(line: string, path: string): string {
  for (const prefix of [`file:${path}: `, `${path}: `]) if (line.startsWith(prefix)) return line.slice(prefix.length);
  return line;
}

function lastLine(text: string): string | null {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  return lines.at(-1) ?? null;
}

async function probeWithFfprobe(ffprobe: string, path: string): Promise<MediaInfo> {
  let stdout: string;
  try {
    ({ stdout } = await run(ffprobe, probeArgs(path), { maxBuffer: 1 << 20 }));
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new MediaProbeError(path, stripInputName(lastLine(stderr) ?? `ffprobe failed: ${(error as Error).message}`, path));
  }
  try {
    return parseFfprobeJson(JSON.parse(stdout));
  } catch (error) {
    throw new MediaProbeError(path, (error as Error).message);
  }
}

async function probeWithFfmpeg(ffmpeg: string, path: string): Promise<MediaInfo> {
  // With no output named, ffmpeg always exits 1 after describing the input; the description is what we want.
  const stderr = await run(ffmpeg, bannerArgs(path), { maxBuffer: 1 << 20 }).then(
    (r) => r.stderr,
    (error: { stderr?: string }) => error.stderr ?? '',
  );
  try {
    return parseFfmpegBanner(stderr);
  } catch (error) {
    const said = lastLine(stderr);
    const reason = said && !/^At least one output file must be specified/.test(said) ? stripInputName(said, path) : (error as Error).message;
    throw new MediaProbeError(path, reason);
  }
}

/** Describes the first video stream of a file or image. ffprobe when there is one, ffmpeg's banner otherwise. */
export async function probe(path: string): Promise<MediaInfo> {
  try {
    await access(path, constants.R_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new MediaProbeError(path, code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message);
  }
  let ffprobe: string | null = null;
  try {
    ffprobe = locateFfprobe().path;
  } catch (error) {
    if (!(error instanceof FfmpegNotFoundError)) throw error;
  }
  const info = await (ffprobe ? probeWithFfprobe(ffprobe, path) : probeWithFfmpeg(locateFfmpeg().path, path));
  return info.container === 'yuv4mpegpipe' ? withY4mRate(path, info) : info;
}

/** ffmpeg reports a y4m without a rate as 25 fps, indistinguishable from one that says so; the header tells. */
async function withY4mRate(path: string, info: MediaInfo): Promise<MediaInfo> {
  try {
    if ((await readY4mHeader(path)).rate !== null) return info;
  } catch (error) {
    // ffmpeg read the file; a header this parser finds odd is no reason to refuse it.
    if (error instanceof Y4mHeaderError) return info;
    throw error;
  }
  return { ...info, rate: Y4M_DEFAULT_RATE, rateGuessed: true };
}
