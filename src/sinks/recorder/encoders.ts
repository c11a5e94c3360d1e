import { execFile } from 'node:child_process';

/**
 * H.264 encoders, hardware first. Being listed by `ffmpeg -encoders` proves nothing (Debian's ffmpeg
 * lists NVENC on machines without an NVIDIA card), so each one is tried with a short encode of the
 * same arguments the recording will use; the first that works is used, libx264 when none does.
 *
 * Every profile keeps the encoder's own delay near zero (no B-frames, no lookahead): a frame that sits
 * inside the encoder when the app is killed is lost, so low delay is what makes "the file holds every
 * frame handed over before the crash" true.
 */

export type H264Encoder = 'h264_nvenc' | 'h264_vaapi' | 'h264_qsv' | 'h264_videotoolbox' | 'h264_mf' | 'libx264';

export const HARDWARE_ORDER: readonly H264Encoder[] = ['h264_nvenc', 'h264_vaapi', 'h264_qsv', 'h264_videotoolbox', 'h264_mf'];

export interface EncoderProfile {
  encoder: H264Encoder;
  /** Options ffmpeg needs before any input (the hardware device). */
  global: string[];
  /** Filters appended after the colour conversion (upload to the device's memory). */
  filters: string[];
  output: string[];
}

export interface EncoderSettings {
  fps: number;
  /** Target quality on each encoder's own scale is derived from one number: lower is better, 18-28 sane. */
  quality: number;
  /** Linux VA-API render node. */
  vaapiDevice?: string;
}

export const DEFAULT_ENCODER_SETTINGS: EncoderSettings = { fps: 30, quality: 21, vaapiDevice: '/dev/dri/renderD128' };

export function encoderProfile(encoder: H264Encoder, settings: EncoderSettings): EncoderProfile {
  // A keyframe every two seconds bounds what a damaged fragment can take with it when the file is cut.
  const gop = ['-g', String(Math.max(1, Math.round(settings.fps * 2)))];
  const q = String(settings.quality);
  switch (encoder) {
    case 'h264_nvenc':
      return { encoder, global: [], filters: [], output: ['-c:v', encoder, '-preset', 'p4', '-tune', 'll', '-rc', 'vbr', '-cq', q, '-b:v', '0', '-bf', '0', '-pix_fmt', 'yuv420p', ...gop] };
    case 'h264_vaapi':
      return {
        encoder,
        global: ['-vaapi_device', settings.vaapiDevice ?? '/dev/dri/renderD128'],
        filters: ['format=nv12', 'hwupload'],
        output: ['-c:v', encoder, '-qp', q, '-bf', '0', ...gop],
      };
    case 'h264_qsv':
      return { encoder, global: [], filters: [], output: ['-c:v', encoder, '-preset', 'veryfast', '-global_quality', q, '-async_depth', '1', '-bf', '0', '-pix_fmt', 'nv12', ...gop] };
    case 'h264_videotoolbox':
      return { encoder, global: [], filters: [], output: ['-c:v', encoder, '-realtime', '1', '-allow_sw', '0', '-q:v', String(Math.round(100 - settings.quality * 2)), '-pix_fmt', 'yuv420p', ...gop] };
    case 'h264_mf':
      return { encoder, global: [], filters: [], output: ['-c:v', encoder, '-hw_encoding', '1', '-rate_control', 'quality', '-quality', String(Math.round(100 - settings.quality * 2)), '-pix_fmt', 'nv12', ...gop] };
    case 'libx264':
      return { encoder, global: [], filters: [], output: ['-c:v', encoder, '-preset', 'veryfast', '-tune', 'zerolatency', '-crf', q, '-pix_fmt', 'yuv420p', ...gop] };
  }
}

/** Five frames of a small picture through the encoder's full recording profile, to nowhere. */
export function trialEncodeArgs(profile: EncoderProfile): string[] {
  return [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    ...profile.global,
    '-f',
    'lavfi',
    '-i',
    'color=c=black:s=256x144:r=30',
    '-frames:v',
    '5',
    ...(profile.filters.length ? ['-vf', profile.filters.join(',')] : []),
    ...profile.output,
    '-f',
    'null',
    '-',
  ];
}

export interface ProbeResult {
  encoder: H264Encoder;
  /** Why each encoder tried before it was refused, for diagnostics. */
  refused: { encoder: H264Encoder; reason: string }[];
}

/** Runs one trial; resolves with null on success or ffmpeg's reason on failure. */
export type TrialRunner = (args: string[]) => Promise<string | null>;

/** The first encoder whose trial succeeds, hardware first; libx264 when every trial fails. */
export async function probeH264Encoder(
  run: TrialRunner,
  settings: EncoderSettings = DEFAULT_ENCODER_SETTINGS,
  candidates: readonly H264Encoder[] = HARDWARE_ORDER,
): Promise<ProbeResult> {
  const refused: ProbeResult['refused'] = [];
  for (const encoder of candidates) {
    const reason = await run(trialEncodeArgs(encoderProfile(encoder, settings)));
    if (reason === null) return { encoder, refused };
    refused.push({ encoder, reason });
  }
  return { encoder: 'libx264', refused };
}

/** A trial through the real ffmpeg, bounded in time: a wedged driver must not hold up recording. */
export function ffmpegTrialRunner(ffmpegPath: string, timeoutMs = 5000): TrialRunner {
  return (args) =>
    new Promise((resolve) => {
      execFile(ffmpegPath, args, { timeout: timeoutMs, windowsHide: true }, (error, _stdout, stderr) => {
        if (!error) return resolve(null);
        const lines = String(stderr).split('\n').map((l) => l.trim()).filter(Boolean);
        resolve(lines.at(-1) ?? (error.killed ? `no answer within ${timeoutMs} ms` : error.message));
      });
    });
}
