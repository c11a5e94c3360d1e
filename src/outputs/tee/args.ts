import { QUIET } from '../../io/ffmpeg/args';
import { FRAGMENTED_MOVFLAGS, liveEncodeArgs, type LiveEncodeRequest } from '../recorder/args';
import { SILENCE, STREAM_AUDIO_KBPS, streamOutputArgs } from '../streamer/args';
import type { StreamTarget } from '../streamer/url';

/**
 * ffmpeg command lines for a recording and a stream that share one encode: one process converts and
 * encodes each frame once and the tee muxer writes it twice, into the recording's fragmented MP4 and as
 * FLV into a pipe; a second process, which only copies, publishes that FLV (see ./shared-encode.ts).
 */

/** ffmpeg numbers the tee's outputs ("slaves") in this order in what it prints. */
export const RECORDING_SLAVE = 0;
export const STREAM_SLAVE = 1;

/** The descriptor the stream's FLV leaves the shared encode on. */
const STREAM_PIPE = 'pipe:3';

export interface SharedEncodeRequest extends Omit<LiveEncodeRequest, 'audioKbps'> {
  /** The recording's fragmented file. */
  partial: string;
}

/**
 * A backslash before the characters the tee's list parser treats as its own (the separator, quotes,
 * escapes and the spaces it trims), so any file name reaches the muxer as it is.
 */
export function teeEscape(path: string): string {
  return path.replace(/[\\'|\s]/g, (c) => `\\${c}`);
}

function teeOutput(options: [string, string][], url: string): string {
  return `[${options.map(([k, v]) => `${k}=${v}`).join(':')}]${teeEscape(url)}`;
}

/**
 * Raw RGBA + microphone -> one H.264/AAC encode, with the stream's settings (constant bitrate, the
 * stream's sound: ingest servers set the limits, and the file gets what the viewers get), written twice.
 * Each output fails alone (onfail=ignore: the others go on, and ffmpeg says which one failed). With no
 * microphone the stream still gets silence, as a stream of its own would; the recording stays silent.
 */
export function sharedEncodeArgs(req: SharedEncodeRequest): string[] {
  const silent = req.audio.kind === 'none';
  const recording = teeOutput(
    [
      ['f', 'mp4'],
      // The same crash-safe fragmented MP4 the recorder writes alone (CRASH_SAFE_MP4), set per output.
      ['movflags', FRAGMENTED_MOVFLAGS],
      ['flush_packets', '1'],
      ...(silent ? [['select', 'v'] as [string, string]] : []),
      ['onfail', 'ignore'],
    ],
    `file:${req.partial}`,
  );
  // Flushed per packet too: the relay should get each frame as soon as it is encoded.
  const stream = teeOutput(
    [
      ['f', 'flv'],
      ['flvflags', 'no_duration_filesize'],
      ['flush_packets', '1'],
      ['onfail', 'ignore'],
    ],
    STREAM_PIPE,
  );
  return [
    ...liveEncodeArgs({ ...req, audio: silent ? SILENCE : req.audio, audioKbps: STREAM_AUDIO_KBPS }),
    // MP4 and FLV both carry the codecs' set-up in their headers; the tee muxer does not ask the
    // encoders for it the way a single MP4 or FLV output does.
    '-flags',
    '+global_header',
    '-f',
    'tee',
    `${recording}|${stream}`,
  ];
}

/**
 * The relay: the shared encode's FLV from stdin, copied (no decode, no encode) to the stream's URL. It
 * holds the connection, so it can end (a clean unpublish) or fail without the encode noticing. Half a
 * second of probing is plenty: both codecs' headers come first in the FLV.
 */
export function relayArgs(target: StreamTarget): string[] {
  return [...QUIET, '-f', 'flv', '-analyzeduration', '500000', '-i', 'pipe:0', '-map', '0', '-c', 'copy', ...streamOutputArgs(target)];
}
