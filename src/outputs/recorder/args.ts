import { QUIET, rateArg, rawRgbaInput, type Rate } from '../../io/ffmpeg/args';
import { audioInputArgs, type AudioSource } from './audio';
import type { EncoderProfile } from './encoders';

/**
 * ffmpeg command lines for recording: one while recording (raw RGBA on stdin + the microphone ->
 * fragmented MP4), one to finalise (stream copy into a normal MP4 with its index at the front).
 */

/** RGB -> BT.709 limited range, tagged, the same conversion `backdrop render` writes (see ffmpeg/args). */
const TO_BT709 = 'scale=out_color_matrix=bt709:out_range=tv';
const BT709_TAGS = ['-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'tv'];

/**
 * Fragmented MP4, one fragment per frame, each written through at once: whatever ffmpeg has muxed is
 * on disk and playable if ffmpeg or the app is killed. An empty moov up front holds no sample table to
 * fix up at the end, which is exactly what a killed process cannot do.
 */
export const FRAGMENTED_MOVFLAGS = '+frag_keyframe+empty_moov+default_base_moof+frag_every_frame';
export const CRASH_SAFE_MP4 = ['-f', 'mp4', '-movflags', FRAGMENTED_MOVFLAGS, '-flush_packets', '1'];

export interface LiveEncodeRequest {
  width: number;
  height: number;
  rate: Rate;
  audio: AudioSource;
  /** How much later the sound should play than it was heard: the engine's latency. */
  audioDelayMs: number;
  encoder: EncoderProfile;
  audioKbps: number;
}

/**
 * Raw RGBA on stdin plus the microphone, encoded to H.264 + AAC: everything before the muxer, shared
 * by the recorder and the streamer.
 */
export function liveEncodeArgs(req: LiveEncodeRequest): string[] {
  if (req.width % 2 || req.height % 2) throw new RangeError(`H.264 4:2:0 needs even frame sizes, got ${req.width}x${req.height}`);
  const hasAudio = req.audio.kind !== 'none';
  return [
    ...QUIET,
    ...req.encoder.global,
    // Frames are stamped with the time ffmpeg reads them, like the microphone's samples, so sound and
    // picture share one clock; a tick the sink had to drop leaves a gap that the constant-rate output
    // fills with the previous frame instead of pulling later frames (and the picture) early.
    '-use_wallclock_as_timestamps',
    '1',
    ...rawRgbaInput({ width: req.width, height: req.height, rate: req.rate }),
    ...audioInputArgs(req.audio, req.audioDelayMs),
    '-map',
    '0:v:0',
    ...(hasAudio ? ['-map', '1:a:0'] : []),
    '-vf',
    [TO_BT709, ...req.encoder.filters].join(','),
    '-fps_mode:v',
    'cfr',
    '-r',
    rateArg(req.rate),
    ...req.encoder.output,
    ...BT709_TAGS,
    // Keeps the sound on its timestamps: pads a late start with silence and absorbs the device's clock drift.
    ...(hasAudio ? ['-af', 'aresample=async=1:first_pts=0', '-c:a', 'aac', '-b:a', `${req.audioKbps}k`, '-ar', '48000'] : []),
    // The output ends when the picture does (stdin closed), not when the microphone would.
    ...(hasAudio ? ['-shortest'] : []),
  ];
}

export interface RecordRequest extends Omit<LiveEncodeRequest, 'audioKbps'> {
  /** The fragmented file written while recording. */
  partial: string;
}

export function recordArgs(req: RecordRequest): string[] {
  return [...liveEncodeArgs({ ...req, audioKbps: 160 }), ...CRASH_SAFE_MP4, '-y', `file:${req.partial}`];
}

/**
 * Fragmented -> normal MP4 by stream copy (no re-encode): one sample table, index at the front, so
 * players seek at once. `durationSec`, when given, trims the tail so no stream outlasts the picture.
 */
export function finaliseArgs(partial: string, output: string, durationSec?: number): string[] {
  return [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    '-i',
    `file:${partial}`,
    '-map',
    '0',
    '-c',
    'copy',
    ...(durationSec !== undefined ? ['-t', durationSec.toFixed(3)] : []),
    '-movflags',
    '+faststart',
    '-f',
    'mp4',
    '-y',
    `file:${output}`,
  ];
}
