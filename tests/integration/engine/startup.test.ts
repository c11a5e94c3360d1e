import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resizeRgba } from '../../../src/engine/pixels/resize';
import { Session } from '../../../src/engine/session';
import { decodeImage } from '../../../src/io/image';

const ASTRONAUT = '/usr/lib/python3/dist-packages/skimage/data/astronaut.png';

describe.skipIf(!existsSync(ASTRONAUT) || !existsSync('models/fba_light.onnx'))('a live session starts before matting is ready', () => {
  it('composites with segmentation only while matting loads, then mats; Auto reads its cached figures at the next start', async () => {
    const photo = resizeRgba(await decodeImage(ASTRONAUT), 320, 180);
    const cacheDir = mkdtempSync(join(tmpdir(), 'backdrop-startup-'));
    const open = () =>
      Session.create({
        modelsDir: 'models',
        config: { background: { kind: 'colour', rgb: [0, 255, 0] }, matting: 'light', quality: 'auto' },
        loadImage: decodeImage,
        live: true,
        threads: 1,
        mattingThreads: 1,
        providers: ['cpu'],
        cacheDir,
      });
    try {
      const first = await open();
      const early = first.liveStats();
      // Auto measures three sizes on the matting thread: well after the segmenter is in.
      expect(early.startup?.warming).toBe(true);
      expect(early.matting).toBe('off');
      expect(early.startup?.segmenterMs).toBeGreaterThan(0);
      const out = await new Promise<number>((resolve, reject) =>
        first.push({ id: 0, timestamp: performance.timeOrigin + performance.now(), image: { ...photo, data: photo.data.slice() } }, { output: (f) => resolve(f.id), error: reject }),
      );
      expect(out).toBe(0);
      expect(first.liveStats().startup?.firstFrameMs).toBeGreaterThan(0);
      expect(await first.mattingLoaded).toBeNull();
      const loaded = first.liveStats();
      expect(loaded.matting).toBe('light');
      expect(loaded.startup).toMatchObject({ warming: false, autoCached: false });
      expect(loaded.startup?.autoMs).toBeGreaterThan(0);
      await first.close();

      const second = await open();
      expect(await second.mattingLoaded).toBeNull();
      expect(second.liveStats().startup?.autoCached).toBe(true);
      expect(second.liveStats().quality).toBe(loaded.quality);
      await second.close();
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  }, 60_000);
});
