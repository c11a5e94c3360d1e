import { execFile } from 'node:child_process';

/**
 * H.264 encoders, hardware first. Being listed by `ffmpeg -encoders` proves nothing (Debian's ffmpeg
 * lists NVENC on machines without an NVIDIA card), so each one is tried with a short encode of the
 * same arguments the recording will use; the first that works is used, libx264 when none does.
 *
 * Every profile keeps the encoder's own delay near zero (no B-frames, no lookahead): a frame that sits
 * inside the encoder when the app is killed is lost, so low delay is what makes "the file holds every
 * frame handed over before the crash" true.
 *
 * On the CPU the encoder shares the machine with the engine, which takes most of two cores at 30 fps:
 * libx264 runs at 'ultrafast' on one thread, which costs about half what 'veryfast' does at the same
 * quality (CRF) for a tenth more bits, and holds 1080p30 within one thread's time (bench/x264.ts,
 * bench/README.md). More threads only spend more of the cores the engine needs.
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
  /** Recording: constant quality, on a CRF-like scale (lower is better, 18-28 sane) mapped to each encoder's own. */
  quality: number;
  /** Streaming: a constant bitrate instead, which is what ingest servers expect and what the uplink can carry. */
  bitrateKbps?: number;
  /** Linux VA-API render node. */
  vaapiDevice?: string;
}

export const DEFAULT_ENCODER_SETTINGS: EncoderSettings = { fps: 30, quality: 21, vaapiDevice: '/dev/dri/renderD128' };

/** CRF-like 18..28 -> the 0..100 "higher is better" scale VideoToolbox and Media Foundation use. */
function percentQuality(quality: number): string {
  return String(Math.max(1, Math.min(100, Math.round(100 - quality * 2))));
}

function rateControl(encoder: H264Encoder, settings: EncoderSettings): string[] {
  const kbps = settings.bitrateKbps;
  const q = String(settings.quality);
  if (kbps !== undefined) {
    const cbr = ['-b:v', `${kbps}k`, '-maxrate', `${kbps}k`, '-bufsize', `${kbps * 2}k`];
    switch (encoder) {
      case 'h264_nvenc':
        return ['-rc', 'cbr', ...cbr];
      case 'h264_vaapi':
        return ['-rc_mode', 'CBR', ...cbr];
      case 'h264_mf':
        return ['-rate_control', 'cbr', ...cbr];
      default:
        return cbr;
    }
  }
  switch (encoder) {
    case 'h264_nvenc':
      return ['-rc', 'vbr', '-cq', q, '-b:v', '0'];
    case 'h264_vaapi':
      return ['-qp', q];
    case 'h264_qsv':
      return ['-global_quality', q];
    case 'h264_videotoolbox':
      return ['-q:v', percentQuality(settings.quality)];
    case 'h264_mf':
      return ['-rate_control', 'quality', '-quality', percentQuality(settings.quality)];
    case 'libx264':
      return ['-crf', q];
  }
}

export function encoderProfile(encoder: H264Encoder, settings: EncoderSettings): EncoderProfile {
  // A keyframe every two seconds: bounds what a damaged fragment takes with it when a file is cut, and
  // is the interval streaming services ask for.
  const gop = ['-g', String(Math.max(1, Math.round(settings.fps * 2)))];
  const rc = rateControl(encoder, settings);
  switch (encoder) {
    case 'h264_nvenc':
      return { encoder, global: [], filters: [], output: ['-c:v', encoder, '-preset', 'p4', '-tune', 'll', ...rc, '-bf', '0', '-pix_fmt', 'yuv420p', ...gop] };
    case 'h264_vaapi':
      return {
        encoder,
        global: ['-vaapi_device', settings.vaapiDevice ?? '/dev/dri/renderD128'],
        filters: ['format=nv12', 'hwupload'],
        output: ['-c:v', encoder, ...rc, '-bf', '0', ...gop],
      };
    case 'h264_qsv':
      return { encoder, global: [], filters: [], output: ['-c:v', encoder, '-preset', 'veryfast', ...rc, '-async_depth', '1', '-bf', '0', '-pix_fmt', 'nv12', ...gop] };
    case 'h264_videotoolbox':
      return { encoder, global: [], filters: [], output: ['-c:v', encoder, '-realtime', '1', '-allow_sw', '0', ...rc, '-pix_fmt', 'yuv420p', ...gop] };
    case 'h264_mf':
      return { encoder, global: [], filters: [], output: ['-c:v', encoder, '-hw_encoding', '1', ...rc, '-pix_fmt', 'nv12', ...gop] };
    case 'libx264':
      return { encoder, global: [], filters: [], output: ['-c:v', encoder, '-preset', 'ultrafast', '-tune', 'zerolatency', '-threads', '1', ...rc, '-pix_fmt', 'yuv420p', ...gop] };
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
