import { open } from 'node:fs/promises';
import type { Rate } from './ffmpeg/args';

/**
 * The YUV4MPEG2 stream header, read by Backdrop itself because ffprobe hides what matters here: a file
 * whose header has no frame rate (F0:0, or no F at all) is reported as 25 fps, exactly like one that says
 * F25:1, and the user is never told that the rate was a guess.
 *
 *   YUV4MPEG2 W1280 H720 F30000:1001 Ip A1:1 C420jpeg XYSCSS=420JPEG\n
 */

export const Y4M_MAGIC = 'YUV4MPEG2';
/** ffmpeg's own limit on the header line; a longer "header" is not a y4m stream. */
export const Y4M_MAX_HEADER_BYTES = 256;
/** What ffmpeg's y4m demuxer takes when the header gives no rate; the decoder then times frames by it. */
export const Y4M_DEFAULT_RATE: Rate = { num: 25, den: 1 };

export interface Y4mHeader {
  width: number;
  height: number;
  /** Null when the header gives none (no F, or F0:0 / Fn:0). */
  rate: Rate | null;
}

export class Y4mHeaderError extends Error {
  constructor(readonly reason: string) {
    super(`not a valid y4m header: ${reason}`);
    this.name = 'Y4mHeaderError';
  }
}

const MAX_DIMENSION = 1 << 16;

function dimension(value: string, what: string): number {
  if (!/^\d{1,6}$/.test(value) || Number(value) < 1 || Number(value) > MAX_DIMENSION) {
    throw new Y4mHeaderError(`${what} must be a whole number in [1, ${MAX_DIMENSION}], got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

function ratio(value: string, what: string): { num: number; den: number } {
  const m = /^(\d{1,10}):(\d{1,10})$/.exec(value);
  if (!m) throw new Y4mHeaderError(`${what} must be <num>:<den>, got ${JSON.stringify(value)}`);
  return { num: Number(m[1]), den: Number(m[2]) };
}

/** Parses the header line at the start of `bytes` (the line's end must be among them). */
export function parseY4mHeader(bytes: Uint8Array): Y4mHeader {
  const end = bytes.subarray(0, Y4M_MAX_HEADER_BYTES + 1).indexOf(0x0a);
  if (end < 0) throw new Y4mHeaderError(`no end of line in the first ${Y4M_MAX_HEADER_BYTES} bytes`);
  const [magic, ...params] = new TextDecoder('latin1').decode(bytes.subarray(0, end)).split(' ');
  if (magic !== Y4M_MAGIC) throw new Y4mHeaderError(`it does not start with ${Y4M_MAGIC}`);
  let width: number | null = null;
  let height: number | null = null;
  let rate: Rate | null = null;
  for (const param of params) {
    // Tags are single letters with the value glued on; X tags are free-form comments.
    const value = param.slice(1);
    switch (param[0]) {
      case 'W':
        width = dimension(value, 'W (width)');
        break;
      case 'H':
        height = dimension(value, 'H (height)');
        break;
      case 'F': {
        const r = ratio(value, 'F (frame rate)');
        rate = r.num > 0 && r.den > 0 ? r : null;
        break;
      }
      default:
        break;
    }
  }
  if (width === null || height === null) throw new Y4mHeaderError('it gives no W (width) or no H (height)');
  return { width, height, rate };
}

/** The header of a y4m file on disk. */
export async function readY4mHeader(path: string): Promise<Y4mHeader> {
  const file = await open(path, 'r');
  try {
    const buffer = new Uint8Array(Y4M_MAX_HEADER_BYTES + 1);
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
    return parseY4mHeader(buffer.subarray(0, bytesRead));
  } finally {
    await file.close();
  }
}
