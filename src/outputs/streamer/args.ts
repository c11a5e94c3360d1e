import { liveEncodeArgs, type LiveEncodeRequest } from '../recorder/args';
import type { AudioSource } from '../recorder/audio';
import type { EncoderProfile } from '../recorder/encoders';
import type { StreamTarget } from './url';

export interface StreamRequest extends Omit<LiveEncodeRequest, 'audioKbps'> {
  target: StreamTarget;
  /** Built with a constant bitrate (EncoderSettings.bitrateKbps). */
  encoder: EncoderProfile;
}

/** Ingest servers (YouTube, Twitch) refuse or flag a stream without sound, so "no microphone" sends silence. */
export const SILENCE: AudioSource = { kind: 'lavfi', graph: 'anullsrc=channel_layout=stereo:sample_rate=48000' };

/** The stream's sound: what ingest services recommend for AAC. */
export const STREAM_AUDIO_KBPS = 128;

/** How the encoded stream leaves: FLV over RTMP(S), MPEG-TS over SRT, to the URL (which holds the key). */
export function streamOutputArgs(target: StreamTarget): string[] {
  const muxer =
    target.muxer === 'flv'
      ? // A live FLV has no end to seek to, so there is no duration or size to patch in at the end.
        ['-f', 'flv', '-flvflags', 'no_duration_filesize']
      : ['-f', 'mpegts'];
  // A server that stops reading (a pulled cable, not a closed socket) fails the stream after 10 s instead
  // of blocking until TCP gives up minutes later.
  const timeout = ['-rw_timeout', '10000000'];
  return [...muxer, ...timeout, target.url];
}

/** Raw RGBA + microphone -> H.264/AAC in FLV over RTMP(S), or in MPEG-TS over SRT. */
export function streamArgs(req: StreamRequest): string[] {
  const audio = req.audio.kind === 'none' ? SILENCE : req.audio;
  return [...liveEncodeArgs({ ...req, audio, audioKbps: STREAM_AUDIO_KBPS }), ...streamOutputArgs(req.target)];
}
