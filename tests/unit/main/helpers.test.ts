import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backgroundLabel, listBackgrounds } from '../../../src/main/backgrounds';
import { restartDelay, type RestartPolicy } from '../../../src/main/restart-policy';

describe('bundled backgrounds', () => {
  it('labels files for people', () => {
    expect(backgroundLabel('sunny-office_2.png')).toBe('Sunny office 2');
    expect(backgroundLabel('beach.JPG')).toBe('Beach');
  });

  it('lists images by name with absolute paths and skips everything else', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bg-'));
    try {
      for (const name of ['b-room.png', 'a-wall.jpg', 'notes.txt', '.hidden.png']) await writeFile(join(dir, name), '');
      await mkdir(join(dir, 'sub.png'), { recursive: true });
      const list = await listBackgrounds(dir);
      expect(list.map((e) => e.id)).toEqual(['image:a-wall.jpg', 'image:b-room.png']);
      expect(list[0]).toEqual({ id: 'image:a-wall.jpg', label: 'A wall', background: { kind: 'image', path: join(dir, 'a-wall.jpg') } });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('treats a missing folder as empty', async () => {
    expect(await listBackgrounds(join(tmpdir(), 'no-such-backgrounds-dir'))).toEqual([]);
  });
});

describe('engine restart policy', () => {
  const policy: RestartPolicy = { firstDelayMs: 100, maxDelayMs: 350, windowMs: 1000, maxCrashes: 4 };

  it('restarts at once after a first crash, then backs off up to the cap', () => {
    expect(restartDelay([0], 0, policy)).toBe(100);
    expect(restartDelay([0, 10], 10, policy)).toBe(200);
    expect(restartDelay([0, 10, 20], 20, policy)).toBe(350);
  });

  it('gives up after too many crashes inside the window', () => {
    expect(restartDelay([0, 10, 20, 30], 30, policy)).toBeNull();
  });

  it('forgets crashes older than the window', () => {
    expect(restartDelay([0, 10, 20, 2000], 2000, policy)).toBe(100);
  });
});
