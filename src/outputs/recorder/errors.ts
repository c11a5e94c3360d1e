/** What went wrong with a recording, in words the user can act on. Pure: built from ffmpeg's stderr. */

export type RecorderErrorCode =
  | 'disk-full'
  | 'microphone-missing'
  | 'cannot-write'
  | 'encoder-failed'
  | 'encoder-crashed'
  | 'finalise-failed'
  | 'already-recording'
  | 'not-recording'
  | 'no-frames';

export class RecorderError extends Error {
  constructor(
    readonly code: RecorderErrorCode,
    message: string,
    /** ffmpeg's own words. */
    readonly detail: string = '',
    /** Where what was recorded before the failure is, when anything was. */
    readonly savedTo: string | null = null,
  ) {
    super(message);
    this.name = 'RecorderError';
  }
}

export interface FailureContext {
  /** ffmpeg's stderr, last lines. */
  lines: readonly string[];
  signal: NodeJS.Signals | null;
  /** The audio input's name as ffmpeg prints it, when there is one. */
  audioInput: string | null;
  audioLabel: string;
  output: string;
}

const DISK_FULL = /No space left on device|File too large|Disk quota exceeded|ENOSPC|EFBIG|EDQUOT/i;
const AUDIO_DEVICE_LINE = /^\[(pulse|alsa|dshow|avfoundation|oss|jack) @/;

function startsWithName(line: string, name: string): boolean {
  return line.startsWith(`${name}: `);
}

/** ffmpeg's exit -> the error to show. Disk space first: it also makes the muxer report I/O errors. */
export function classifyRecorderFailure(ctx: FailureContext): RecorderError {
  const detail = ctx.lines.join('\n');
  if (DISK_FULL.test(detail)) {
    return new RecorderError(
      'disk-full',
      `The disk is full (or the file reached the largest size this file system allows), so recording stopped. Free some space; what was recorded until then is kept.`,
      detail,
    );
  }
  if (ctx.audioInput !== null && ctx.lines.some((l) => AUDIO_DEVICE_LINE.test(l) || startsWithName(l, ctx.audioInput as string))) {
    const reason = ctx.lines.find((l) => startsWithName(l, ctx.audioInput as string))?.slice((ctx.audioInput as string).length + 2);
    return new RecorderError(
      'microphone-missing',
      `Could not open the ${ctx.audioLabel}${reason ? ` (${reason})` : ''}. Pick another microphone, or record without sound.`,
      detail,
    );
  }
  if (ctx.lines.some((l) => startsWithName(l, `file:${ctx.output}`) || startsWithName(l, ctx.output))) {
    const line = ctx.lines.find((l) => startsWithName(l, `file:${ctx.output}`) || startsWithName(l, ctx.output)) as string;
    return new RecorderError('cannot-write', `Cannot write the recording to ${ctx.output}: ${line.slice(line.indexOf(': ') + 2)}`, detail);
  }
  if (ctx.signal) {
    return new RecorderError('encoder-crashed', `The encoder (ffmpeg) was killed by ${ctx.signal}; what was recorded until then is kept.`, detail);
  }
  if (/Error (while opening|initializing) (encoder|output stream)|Unknown encoder/i.test(detail)) {
    return new RecorderError('encoder-failed', `The video encoder could not start: ${ctx.lines.at(-1) ?? 'no reason given'}`, detail);
  }
  return new RecorderError('encoder-crashed', `The encoder (ffmpeg) stopped: ${ctx.lines.at(-1) ?? 'no reason given'}`, detail);
}
