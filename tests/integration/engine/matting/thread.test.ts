import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { describe, expect, it, vi } from 'vitest';
import { EngineFailure } from '../../../../src/common/failure';
import { Session } from '../../../../src/engine/session';
import { createMatter } from '../../../../src/engine/matting/matter';
import { createThreadedMatter } from '../../../../src/engine/matting/thread';
import { makeTrimap } from '../../../../src/engine/pixels/trimap';
import { resizeRgba } from '../../../../src/engine/pixels/resize';
import { decodeImage } from '../../../../src/io/image';

const MODEL = 'models/fba_light.onnx';
const ASTRONAUT = '/usr/lib/python3/dist-packages/skimage/data/astronaut.png';
const missing = !existsSync(MODEL) || !existsSync(ASTRONAUT);

/** A soft disc as the person probability, 96x96, so the trimap has all three regions. */
function discTrimap() {
  const n = 96;
  const data = new Float32Array(n * n);
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) data[y * n + x] = Math.hypot(x - 48, y - 40) < 30 ? 1 : 0;
  return makeTrimap({ width: n, height: n, data });
}

describe.skipIf(missing)('matting on its own thread', () => {
  it('gives exactly what the in-thread matter gives', async () => {
    const image = resizeRgba(await decodeImage(ASTRONAUT), 96, 96);
    const trimap = discTrimap();
    const local = await createMatter({ modelPath: MODEL, threads: 1, providers: ['cpu'] });
    const threaded = await createThreadedMatter({ modelPath: MODEL, threads: 1, providers: ['cpu'] });
    try {
      expect(threaded.provider).toBe('cpu');
      const [a, b] = await Promise.all([local.matte(image, trimap), threaded.matte(image, trimap)]);
      expect(Array.from(b.alpha.data)).toEqual(Array.from(a.alpha.data));
      expect(Array.from(b.foreground.data)).toEqual(Array.from(a.foreground.data));
    } finally {
      await local.dispose();
      await threaded.dispose();
    }
  });

  it('disposed with a matte in flight, finishes the matte first and ends the thread without terminating it', async () => {
    const image = resizeRgba(await decodeImage(ASTRONAUT), 96, 96);
    const threaded = await createThreadedMatter({ modelPath: MODEL, threads: 1, providers: ['cpu'] });
    const terminate = vi.spyOn(Worker.prototype, 'terminate');
    try {
      const order: string[] = [];
      const matte = threaded.matte(image, discTrimap()).then((m) => (order.push('matte'), m));
      const disposed = threaded.dispose().then(() => order.push('disposed'));
      expect(threaded.dispose()).toBe(threaded.dispose());
      const { alpha } = await matte;
      await disposed;
      expect(order).toEqual(['matte', 'disposed']);
      expect(alpha.data.some((a) => a > 0 && a < 1)).toBe(true);
      expect(terminate).not.toHaveBeenCalled();
      await expect(threaded.matte(image, discTrimap())).rejects.toThrow('matting thread exited');
    } finally {
      terminate.mockRestore();
    }
  });

  it('reports a model that cannot load as a typed failure', async () => {
    const error = await createThreadedMatter({ modelPath: 'models/no-such-model.onnx', providers: ['cpu'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineFailure);
    expect((error as EngineFailure).code).toBe('model-load-failed');
    expect((error as EngineFailure).message).toContain('no-such-model.onnx');
  });

  it('live session: frames keep compositing while mattes arrive from the matting thread', async () => {
    const photo = resizeRgba(await decodeImage(ASTRONAUT), 320, 180);
    const session = await Session.create({
      modelsDir: 'models',
      config: { background: { kind: 'colour', rgb: [0, 255, 0] }, matting: 'light', quality: 'performance' },
      loadImage: decodeImage,
      live: true,
      threads: 1,
      mattingThreads: 1,
      providers: ['cpu'],
    });
    try {
      // Live, matting loads beside the first frames: wait for it, to test the matting thread itself.
      expect(await session.mattingLoaded).toBeNull();
      expect(session.mattingIssue).toBeNull();
      let outputs = 0;
      await new Promise<void>((resolve, reject) => {
        const push = (id: number) =>
          session.push(
            { id, timestamp: performance.timeOrigin + performance.now(), image: { ...photo, data: photo.data.slice() } },
            {
              output: () => {
                outputs++;
                if (outputs >= 30) resolve();
                else push(id + 1);
              },
              error: reject,
            },
          );
        push(0);
      });
      const stats = session.liveStats();
      expect(stats.matting).toBe('light');
      expect(stats.stagesMs.matte).toBeGreaterThan(0);
      expect(stats.mattingHz).toBeGreaterThan(0);
    } finally {
      await session.close();
    }
  });
});
