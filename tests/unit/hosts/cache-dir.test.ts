import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { userCacheDir } from '../../../src/hosts/cache-dir';

describe('userCacheDir', () => {
  it('follows BACKDROP_CACHE_DIR, then each platform\'s place for caches', () => {
    expect(userCacheDir({ BACKDROP_CACHE_DIR: '/x' }, '/home/u', 'linux')).toBe('/x');
    expect(userCacheDir({}, '/home/u', 'linux')).toBe(join('/home/u', '.cache', 'backdrop'));
    expect(userCacheDir({ XDG_CACHE_HOME: '/c' }, '/home/u', 'linux')).toBe(join('/c', 'backdrop'));
    expect(userCacheDir({}, '/Users/u', 'darwin')).toBe(join('/Users/u', 'Library', 'Caches', 'Backdrop'));
    expect(userCacheDir({ LOCALAPPDATA: 'C:/L' }, 'C:/U', 'win32')).toBe(join('C:/L', 'Backdrop', 'Cache'));
  });
});
