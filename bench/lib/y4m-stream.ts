import { constants, openSync } from 'node:fs';
import { Socket } from 'node:net';
import type { RgbaImage } from '../../src/frame';

/**
 * A consumer of the virtual camera's .y4m stand-in when it is a FIFO, as an application holds a device:
 * it stays open across writers (a restarted engine's new ffmpeg starts a new stream with a new header,
 * and the frame the old one was writing when it died is cut short), and tells the engine's frames from
 * the "camera paused" slate by their luma.
 */

const HEADER = Buffer.from('YUV4MPEG2 ');
const FRAME = Buffer.from('FRAME');

/** One frame's luma plane (the rest of a 4:2:x frame is not needed to tell pictures apart). */
export interface Y4mFrame {
  width: number;
  height: number;
  luma: Uint8Array;
}

/** Cuts a byte stream of one or more concatenated (possibly truncated) y4m streams into frames. */
export class Y4mSplitter {
  private buffer: Buffer = Buffer.alloc(0);
  private size: { width: number; height: number; frameBytes: number } | null = null;

  push(chunk: Uint8Array): Y4mFrame[] {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    const frames: Y4mFrame[] = [];
    for (;;) {
      if (this.buffer.subarray(0, HEADER.length).equals(HEADER)) {
        const end = this.buffer.indexOf(0x0a);
        if (end < 0) break;
        this.size = parseHeader(this.buffer.subarray(0, end).toString('latin1'));
        this.buffer = this.buffer.subarray(end + 1);
        continue;
      }
      if (this.size && this.buffer.subarray(0, FRAME.length).equals(FRAME)) {
        const end = this.buffer.indexOf(0x0a);
        if (end < 0 || this.buffer.length < end + 1 + this.size.frameBytes) break;
        const payload = this.buffer.subarray(end + 1, end + 1 + this.size.frameBytes);
        // A frame cut short by its writer's death runs into the next writer's header.
        const cut = payload.indexOf(HEADER);
        if (cut >= 0) {
          this.buffer = this.buffer.subarray(end + 1 + cut);
          continue;
        }
        const { width, height } = this.size;
        frames.push({ width, height, luma: new Uint8Array(payload.subarray(0, width * height)) });
        this.buffer = this.buffer.subarray(end + 1 + this.size.frameBytes);
        continue;
      }
      // Out of step (a writer died mid-frame, or the start was missed): the next stream's header resyncs.
      const next = this.buffer.indexOf(HEADER, 1);
      if (next < 0) {
        this.buffer = this.buffer.subarray(Math.max(0, this.buffer.length - HEADER.length));
        break;
      }
      this.buffer = this.buffer.subarray(next);
    }
    return frames;
  }
}

function parseHeader(line: string): { width: number; height: number; frameBytes: number } {
  const field = (tag: string) => line.split(' ').find((f) => f.startsWith(tag))?.slice(1);
  const width = Number(field('W'));
  const height = Number(field('H'));
  const colour = field('C') ?? '420jpeg';
  const chroma = colour.startsWith('444') ? 2 : colour.startsWith('422') ? 1 : colour.startsWith('mono') ? 0 : 0.5;
  return { width, height, frameBytes: width * height * (1 + chroma) };
}

/** BT.601 limited-range luma, as ffmpeg writes an RGBA picture into a y4m. */
export function lumaOf(image: RgbaImage): Uint8Array {
  const out = new Uint8Array(image.width * image.height);
  for (let i = 0; i < out.length; i++) {
    const [r, g, b] = [image.data[i * 4], image.data[i * 4 + 1], image.data[i * 4 + 2]];
    out[i] = Math.round(16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255);
  }
  return out;
}

/** Mean absolute difference of two luma planes, over every 7th pixel. */
export function lumaDistance(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i += 7) {
    sum += Math.abs(a[i] - b[i]);
    n++;
  }
  return n ? sum / n : 0;
}

/** Opens the FIFO for reading and writing, so the open never waits for a writer and no writer's end is an end for it. */
export function readFifo(path: string, onFrame: (frame: Y4mFrame) => void): { close(): void } {
  const splitter = new Y4mSplitter();
  const socket = new Socket({ fd: openSync(path, constants.O_RDWR | constants.O_NONBLOCK), readable: true, writable: false });
  socket.on('data', (chunk: Buffer) => splitter.push(chunk).forEach(onFrame));
  return { close: () => socket.destroy() };
}
