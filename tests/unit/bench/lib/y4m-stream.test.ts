import { describe, expect, it } from 'vitest';
import { lumaDistance, lumaOf, Y4mSplitter } from '../../../../bench/lib/y4m-stream';

const header = (w: number, h: number) => Buffer.from(`YUV4MPEG2 W${w} H${h} F30:1 Ip A1:1 C422p XYSCSS=422P\n`);
/** A 4x2 4:2:2 frame: 8 luma bytes of `y`, then 8 chroma bytes. */
const frame = (y: number) => Buffer.concat([Buffer.from('FRAME\n'), Buffer.alloc(8, y), Buffer.alloc(8, 128)]);

describe('Y4mSplitter', () => {
  it('cuts frames out of chunks split anywhere', () => {
    const bytes = Buffer.concat([header(4, 2), frame(10), frame(20), frame(30)]);
    const splitter = new Y4mSplitter();
    const lumas: number[] = [];
    for (let i = 0; i < bytes.length; i += 5) splitter.push(bytes.subarray(i, i + 5)).forEach((f) => lumas.push(f.luma[0]));
    expect(lumas).toEqual([10, 20, 30]);
  });

  it("resyncs on the next writer's header after a frame cut short, and takes its new size", () => {
    const cut = frame(40).subarray(0, 9);
    const next = Buffer.concat([header(2, 2), Buffer.from('FRAME\n'), Buffer.alloc(4, 50), Buffer.alloc(4, 128)]);
    const frames = new Y4mSplitter().push(Buffer.concat([header(4, 2), frame(10), cut, next]));
    expect(frames.map((f) => [f.width, f.height, f.luma[0], f.luma.length])).toEqual([
      [4, 2, 10, 8],
      [2, 2, 50, 4],
    ]);
  });
});

describe('luma', () => {
  it('is limited-range BT.601, and far between green and dark grey', () => {
    const image = { width: 2, height: 1, data: Uint8Array.from([0, 255, 0, 255, 30, 34, 38, 255]) };
    expect(Array.from(lumaOf(image))).toEqual([145, 45]);
    expect(lumaDistance(Uint8Array.from([145, 0, 0, 0, 0, 0, 0, 45]), Uint8Array.from([45, 0, 0, 0, 0, 0, 0, 45]))).toBe(50);
  });
});
