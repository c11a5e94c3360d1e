import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The user's cache folder for Backdrop, where the engine keeps what it measured of this machine:
 * BACKDROP_CACHE_DIR when set, else the platform's place for caches. Pure given its arguments.
 */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir(), platform: NodeJS.Platform = process.platform): string {
  if (env.BACKDROP_CACHE_DIR) return env.BACKDROP_CACHE_DIR;
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'Backdrop');
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'Backdrop', 'Cache');
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'backdrop');
}
