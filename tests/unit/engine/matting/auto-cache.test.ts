import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { autoCacheKeyString, readAutoCache, writeAutoCache, type AutoCacheKey } from '../../../../src/engine/matting/auto-cache';

const key: AutoCacheKey = { model: 'abc', cpu: 'Some CPU', cores: 2, provider: 'cpu', threads: 1 };
const dirs: string[] = [];
const temp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'auto-cache-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('Auto cache', () => {
  it('gives back what was stored for the same machine, model, provider and threads only', () => {
    const dir = temp();
    expect(readAutoCache(dir, key)).toBeNull();
    expect(writeAutoCache(dir, key, { performance: 20, balanced: 31, quality: 55 })).toBe(true);
    expect(readAutoCache(dir, key)).toEqual({ performance: 20, balanced: 31, quality: 55 });
    expect(readAutoCache(dir, { ...key, model: 'retrained' })).toBeNull();
    expect(readAutoCache(dir, { ...key, threads: 2 })).toBeNull();
    expect(readAutoCache(dir, { ...key, provider: 'cuda' })).toBeNull();
  });

  it('replaces an entry, keeps the others, and keeps the newest 32', () => {
    const dir = temp();
    writeAutoCache(dir, key, { performance: 20 }, 1);
    writeAutoCache(dir, { ...key, model: 'other' }, { performance: 9 }, 2);
    writeAutoCache(dir, key, { performance: 25 }, 3);
    expect(readAutoCache(dir, key)).toEqual({ performance: 25 });
    expect(readAutoCache(dir, { ...key, model: 'other' })).toEqual({ performance: 9 });
    for (let i = 0; i < 40; i++) writeAutoCache(dir, { ...key, model: `m${i}` }, { performance: i + 1 }, 10 + i);
    const file = JSON.parse(readFileSync(join(dir, 'auto-quality.json'), 'utf8')) as { entries: unknown[] };
    expect(file.entries).toHaveLength(32);
    expect(readAutoCache(dir, { ...key, model: 'm39' })).toEqual({ performance: 40 });
    expect(readAutoCache(dir, key)).toBeNull();
  });

  it('treats a broken file or nonsense figures as nothing cached, and an unwritable folder as a miss', () => {
    const dir = temp();
    writeFileSync(join(dir, 'auto-quality.json'), '{not json');
    expect(readAutoCache(dir, key)).toBeNull();
    writeFileSync(join(dir, 'auto-quality.json'), JSON.stringify({ entries: [{ key: autoCacheKeyString(key), ms: { performance: -1 }, at: 1 }] }));
    expect(readAutoCache(dir, key)).toBeNull();
    writeFileSync(join(dir, 'file'), '');
    expect(writeAutoCache(join(dir, 'file', 'below'), key, { performance: 1 })).toBe(false);
  });
});
