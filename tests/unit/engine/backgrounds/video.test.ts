import { describe, expect, it } from 'vitest';
import { videoBackground } from '../../../../src/engine/backgrounds/video';
import { dueFrame, loopDecodeSize } from '../../../../src/io/video-loop';
import type { RgbaImage, VideoSource } from '../../../../src/frame';

describe('dueFrame', () => {
  it('counts frames on the clock and wraps at the loop length', () => {
    expect(dueFrame(0, 30, 10)).toBe(0);
    expect(dueFrame(1000, 30, null)).toBe(30);
    expect(dueFrame(1000, 30, 25)).toBe(5);
    expect(dueFrame(-5, 30, 10)).toBe(0);
  });
});

describe('loopDecodeSize', () => {
  it('keeps small videos and scales big ones to the limit with even sides', () => {
    expect(loopDecodeSize(640, 360)).toEqual({ width: 640, height: 360 });
    expect(loopDecodeSize(1920, 1080, 1280)).toEqual({ width: 1280, height: 720 });
    expect(loopDecodeSize(1001, 501, 1001)).toEqual({ width: 1002, height: 502 });
  });
});

function solid(width: number, height: number, v: number): RgbaImage {
  return { width, height, data: new Uint8Array(width * height * 4).fill(v) };
}

describe('videoBackground', () => {
  it('shows the source picture at the frame size and holds it while the source has nothing new', () => {
    let picture = solid(4, 2, 10);
    const source: VideoSource = { current: () => picture, close: async () => {} };
    const bg = videoBackground(source);
    const frame = solid(2, 1, 0);
    const alpha = { width: 2, height: 1, data: new Float32Array(2) };
    const a = bg.render(frame, alpha)!;
    expect([a.width, a.height]).toEqual([2, 1]);
    expect(a.data[0]).toBe(10);
    expect(bg.render(frame, alpha)).toBe(a); // nothing new: the same fitted picture
    picture = solid(4, 2, 99);
    expect(bg.render(frame, alpha)!.data[0]).toBe(99);
  });
});
