import { posix, win32 } from 'node:path';

/**
 * Where recordings go and what they are called. Pure: the platform, home folder, environment and the
 * contents of ~/.config/user-dirs.dirs come in as values (Electron's app.getPath('videos') can replace
 * all of it in the app), so every rule is tested without touching the disk.
 */

export interface FolderContext {
  platform: NodeJS.Platform;
  home: string;
  env: Record<string, string | undefined>;
  /** The text of $XDG_CONFIG_HOME/user-dirs.dirs (or ~/.config/user-dirs.dirs), or null when absent. */
  userDirs: string | null;
}

/** `XDG_VIDEOS_DIR="$HOME/Videos"` -> the folder; null when the file does not say. */
export function xdgVideosDir(userDirs: string, home: string): string | null {
  for (const line of userDirs.split('\n')) {
    const m = /^\s*XDG_VIDEOS_DIR\s*=\s*"(.*)"\s*$/.exec(line);
    if (!m) continue;
    const value = m[1].replace(/^\$HOME(?=\/|$)/, home);
    // xdg-user-dirs sets a folder to $HOME itself to mean "disabled"; recordings should not land there.
    if (!posix.isAbsolute(value) || posix.relative(home, value) === '') return null;
    return value;
  }
  return null;
}

/** The user's videos folder: XDG on Linux, ~/Movies on macOS, %USERPROFILE%\Videos on Windows. */
export function videosFolder(ctx: FolderContext): string {
  switch (ctx.platform) {
    case 'darwin':
      return posix.join(ctx.home, 'Movies');
    case 'win32':
      return win32.join(ctx.env.USERPROFILE ?? ctx.home, 'Videos');
    default:
      return (ctx.userDirs !== null ? xdgVideosDir(ctx.userDirs, ctx.home) : null) ?? posix.join(ctx.home, 'Videos');
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "Backdrop 2025-03-07 14-05-09": local time, sorts by date, no characters any file system refuses. */
export function recordingBaseName(now: Date): string {
  const date = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  const time = `${pad(now.getHours())}-${pad(now.getMinutes())}-${pad(now.getSeconds())}`;
  return `Backdrop ${date} ${time}`;
}

export interface RecordingPaths {
  /** The seekable MP4 a clean stop leaves. */
  final: string;
  /**
   * The fragmented MP4 written while recording. It plays on its own, so a crash leaves a usable file
   * under a name that says what happened.
   */
  partial: string;
}

export function partialPathFor(final: string): string {
  return final.replace(/\.mp4$/i, '') + '.recording.mp4';
}

/**
 * Paths for a recording started at `now` in `folder`; a second recording in the same second gets
 * " (2)", " (3)", ... rather than overwriting the first.
 */
export function recordingPaths(folder: string, now: Date, exists: (path: string) => boolean, platform: NodeJS.Platform = process.platform): RecordingPaths {
  const join = platform === 'win32' ? win32.join : posix.join;
  const base = recordingBaseName(now);
  for (let n = 1; ; n++) {
    const final = join(folder, `${base}${n === 1 ? '' : ` (${n})`}.mp4`);
    const partial = partialPathFor(final);
    if (!exists(final) && !exists(partial)) return { final, partial };
  }
}
