import { extname } from 'node:path';

/**
 * Pure builders of ffmpeg command lines. Every process this app starts gets its arguments from here, so
 * each one is a tested array of strings rather than a string pasted together at the call site.
 */

export interface Size {
  width: number;
  height: number;
}

/** A frame rate kept as ffmpeg's rational (30000/1001 stays exact instead of becoming 29.97). */
export interface Rate {
  num: number;
  den: number;
}

/** Raw RGBA frames as the engine produces them. */
export interface RawVideo extends Size {
  rate: Rate;
}

export type EncodeFormat = 'y4m' | 'mp4' | 'webm' | 'png' | 'jpeg';

export interface DecodeRequest {
  input: string;
  /** Scale every frame to this size; it also pins a frame's byte size whatever the stream does mid-way. */
  size?: Size;
  /** Resample to this constant rate, so the encoder's rate matches the frames it gets. */
  rate?: Rate;
  maxFrames?: number;
  /** Decoder forced before -i: ffmpeg's native VP9 decoder drops the alpha plane, libvpx-vp9 keeps it. */
  decoder?: string;
  /**
   * The input was probed as ffmpeg's image2 demuxer, which reads `%d` in a name as a frame-number
   * pattern; this makes it take the name literally. Other demuxers reject the option.
   */
  image2?: boolean;
  /** Play the input again from the start at its end, for ever (a background video). */
  loop?: boolean;
}

/**
 * The most frames to decode from a frame count and a length in seconds, either or both; a length shorter
 * than one frame still gives that frame. Null when neither limits the decode.
 */
export function frameLimit(maxFrames: number | null, seconds: number | null, rate: Rate): number | null {
  const bySeconds = seconds === null ? null : Math.max(1, Math.round((seconds * rate.num) / rate.den));
  if (maxFrames === null) return bySeconds;
  return bySeconds === null ? maxFrames : Math.min(maxFrames, bySeconds);
}

export interface EncodeRequest {
  output: string;
  format: EncodeFormat;
  input: RawVideo;
  /** Keep the alpha channel; only formats for which `carriesAlpha` is true can. */
  alpha: boolean;
}

/**
 * `-loglevel error` keeps stderr to real problems; `-stats` still prints the `frame= fps= time=` lines the
 * progress parser reads. `-nostdin` stops ffmpeg treating stdin as a keyboard (stdin may carry frames).
 */
export const QUIET: readonly string[] = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-stats'];

/** The `file:` protocol stops ffmpeg reading a colon in a file name as a protocol (`a:b.mp4`). */
function fileUrl(path: string): string {
  return `file:${path}`;
}

export function rateArg(rate: Rate): string {
  return rate.den === 1 ? `${rate.num}` : `${rate.num}/${rate.den}`;
}

/** The picture alone (no sound, no subtitles) as raw RGBA frames on stdout: the output half of every decoder. */
export const RAW_RGBA_OUTPUT: readonly string[] = ['-an', '-sn', '-f', 'rawvideo', '-pix_fmt', 'rgba', 'pipe:1'];

/** Any input ffmpeg can read, first video stream only, as raw RGBA frames on stdout. */
export function decodeArgs(req: DecodeRequest): string[] {
  const filters: string[] = [];
  if (req.rate) filters.push(`fps=${rateArg(req.rate)}`);
  if (req.size) filters.push(`scale=${req.size.width}:${req.size.height}`);
  return [
    ...QUIET,
    ...(req.image2 ? ['-pattern_type', 'none'] : []),
    ...(req.loop ? ['-stream_loop', '-1'] : []),
    ...(req.decoder ? ['-c:v', req.decoder] : []),
    '-i',
    fileUrl(req.input),
    '-map',
    '0:v:0',
    ...(filters.length > 0 ? ['-vf', filters.join(',')] : []),
    ...(req.maxFrames !== undefined ? ['-frames:v', String(req.maxFrames)] : []),
    ...RAW_RGBA_OUTPUT,
  ];
}

/** Raw RGBA frames arriving on stdin; the input half of every encoder and, later, of live sinks. */
export function rawRgbaInput(video: RawVideo): string[] {
  return [
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgba',
    '-video_size',
    `${video.width}x${video.height}`,
    '-framerate',
    rateArg(video.rate),
    '-i',
    'pipe:0',
  ];
}

/**
 * RGB to BT.709 limited-range YUV, tagged as such, so players and ffmpeg's own decoder convert back
 * with the same matrix (untagged, decoders guess BT.601 and reds shift visibly).
 */
const BT709 = ['-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'tv'];
const TO_BT709 = 'scale=out_color_matrix=bt709:out_range=tv';

/** libx264 refuses odd sizes in 4:2:0; pad with one row or column rather than fail. */
function evenSize(size: Size): string | null {
  return size.width % 2 === 0 && size.height % 2 === 0 ? null : 'pad=ceil(iw/2)*2:ceil(ih/2)*2';
}

const ALPHA_FORMATS: readonly EncodeFormat[] = ['webm', 'png'];

export function carriesAlpha(format: EncodeFormat): boolean {
  return ALPHA_FORMATS.includes(format);
}

const EXTENSIONS: Record<string, EncodeFormat> = {
  '.y4m': 'y4m',
  '.mp4': 'mp4',
  '.m4v': 'mp4',
  '.webm': 'webm',
  '.png': 'png',
  '.jpg': 'jpeg',
  '.jpeg': 'jpeg',
};

/** The format an output path asks for by its extension, or null for one this app does not write. */
export function formatForPath(path: string): EncodeFormat | null {
  return EXTENSIONS[extname(path).toLowerCase()] ?? null;
}

export function isStillFormat(format: EncodeFormat): boolean {
  return format === 'png' || format === 'jpeg';
}

function outputOptions(format: EncodeFormat, alpha: boolean, size: Size): string[] {
  switch (format) {
    case 'y4m':
      return ['-pix_fmt', 'yuv420p', '-f', 'yuv4mpegpipe'];
    case 'mp4': {
      const pad = evenSize(size);
      return [
        '-vf',
        pad ? `${TO_BT709},${pad}` : TO_BT709,
        '-c:v',
        'libx264',
        '-preset',
        'medium',
        '-crf',
        '18',
        '-pix_fmt',
        'yuv420p',
        ...BT709,
        // The index at the front lets players start before the whole file has arrived.
        '-movflags',
        '+faststart',
        '-f',
        'mp4',
      ];
    }
    case 'webm':
      return [
        '-vf',
        TO_BT709,
        '-c:v',
        'libvpx-vp9',
        '-pix_fmt',
        alpha ? 'yuva420p' : 'yuv420p',
        // Constant quality: -b:v 0 makes -crf the only rate control.
        '-crf',
        '30',
        '-b:v',
        '0',
        '-row-mt',
        '1',
        '-deadline',
        'good',
        '-cpu-used',
        '4',
        ...BT709,
        '-f',
        'webm',
      ];
    case 'png':
      return ['-frames:v', '1', '-c:v', 'png', '-pix_fmt', alpha ? 'rgba' : 'rgb24', '-f', 'image2', '-update', '1'];
    case 'jpeg':
      return ['-frames:v', '1', '-c:v', 'mjpeg', '-q:v', '2', '-pix_fmt', 'yuvj444p', '-f', 'image2', '-update', '1'];
  }
}

/**
 * Raw RGBA from stdin to a file. The format is always named explicitly, so the output path may carry
 * any extension (the CLI writes to a temporary name and renames it on success).
 */
export function encodeArgs(req: EncodeRequest): string[] {
  if (req.alpha && !carriesAlpha(req.format)) throw new RangeError(`${req.format} cannot carry an alpha channel`);
  return ['-y', ...QUIET, ...rawRgbaInput(req.input), ...outputOptions(req.format, req.alpha, req.input), fileUrl(req.output)];
}

/** ffprobe's description of the first video stream and the container, as JSON on stdout. */
export function probeArgs(input: string): string[] {
  return [
    '-v',
    'error',
    // Only the image2 demuxer knows this option and ffprobe ignores it elsewhere (ffmpeg does not).
    '-pattern_type',
    'none',
    '-select_streams',
    'v:0',
    '-show_entries',
    'stream=codec_name,width,height,pix_fmt,r_frame_rate,avg_frame_rate,nb_frames,duration:stream_side_data=rotation:stream_tags=alpha_mode:format=format_name,duration',
    '-of',
    'json',
    fileUrl(input),
  ];
}

/** ffmpeg with an input and no output prints the input's description and exits; probing when ffprobe is absent. */
export function bannerArgs(input: string): string[] {
  return ['-hide_banner', '-nostdin', '-i', fileUrl(input)];
}

/** One 8-bit grey picture (one byte a pixel) on stdin -> a single-channel grey PNG (a matte). */
export function greyPngArgs(size: Size, output: string): string[] {
  return [
    '-y',
    ...QUIET,
    '-f', 'rawvideo', '-pix_fmt', 'gray', '-s', `${size.width}x${size.height}`, '-i', 'pipe:0',
    '-frames:v', '1', '-c:v', 'png', '-pix_fmt', 'gray', '-f', 'image2', '-update', '1',
    fileUrl(output),
  ];
}
