import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { posix, win32 } from 'node:path';

export type FfmpegSource = 'FFMPEG_PATH' | 'ffmpeg-static' | 'PATH';
export type FfprobeSource = 'FFPROBE_PATH' | 'next-to-ffmpeg' | 'PATH';

export interface Located<S extends string> {
  path: string;
  source: S;
}

type Env = Record<string, string | undefined>;

/** The outside world the resolver looks at, injected so the order and the error text are testable. */
export interface LocateDeps {
  env: Env;
  platform: NodeJS.Platform;
  isExecutable(path: string): boolean;
  /** What the ffmpeg-static package reports, or null when it is not installed or has no build for this platform. */
  staticPath(): string | null;
}

export class FfmpegNotFoundError extends Error {
  constructor(
    readonly tool: 'ffmpeg' | 'ffprobe',
    /** One line per place looked at, saying why it did not qualify. */
    readonly tried: string[],
  ) {
    super(`${tool} not found; looked at: ${tried.join('; ')}`);
    this.name = 'FfmpegNotFoundError';
  }
}

function exeName(tool: string, platform: NodeJS.Platform): string {
  return platform === 'win32' ? `${tool}.exe` : tool;
}

function pathsFor(platform: NodeJS.Platform): typeof posix {
  return platform === 'win32' ? win32 : posix;
}

function onPath(tool: string, deps: LocateDeps): string | null {
  const paths = pathsFor(deps.platform);
  const dirs = (deps.env.PATH ?? '').split(paths.delimiter).filter((d) => d.length > 0);
  for (const dir of dirs) {
    const candidate = paths.join(dir, exeName(tool, deps.platform));
    if (deps.isExecutable(candidate)) return candidate;
  }
  return null;
}

/** FFMPEG_PATH, then ffmpeg-static's binary, then `ffmpeg` on PATH. */
export function resolveFfmpeg(deps: LocateDeps): Located<FfmpegSource> {
  const tried: string[] = [];
  const fromEnv = deps.env.FFMPEG_PATH;
  if (fromEnv) {
    if (deps.isExecutable(fromEnv)) return { path: fromEnv, source: 'FFMPEG_PATH' };
    tried.push(`FFMPEG_PATH=${fromEnv} is not an executable file`);
  } else {
    tried.push('FFMPEG_PATH is not set');
  }
  const fromStatic = deps.staticPath();
  if (fromStatic && deps.isExecutable(fromStatic)) return { path: fromStatic, source: 'ffmpeg-static' };
  // ffmpeg-static is optional and its binary download may have failed or been skipped (--ignore-scripts).
  tried.push(fromStatic ? `ffmpeg-static's binary ${fromStatic} is missing (its download failed or was skipped)` : 'ffmpeg-static is not installed');
  const fromPath = onPath('ffmpeg', deps);
  if (fromPath) return { path: fromPath, source: 'PATH' };
  tried.push('no ffmpeg on PATH');
  throw new FfmpegNotFoundError('ffmpeg', tried);
}

/**
 * FFPROBE_PATH, then an ffprobe beside the ffmpeg in use (a system or hand-unpacked build ships both),
 * then PATH. ffmpeg-static ships no ffprobe, so callers should treat its absence as normal.
 */
export function resolveFfprobe(deps: LocateDeps, ffmpegPath: string | null): Located<FfprobeSource> {
  const tried: string[] = [];
  const fromEnv = deps.env.FFPROBE_PATH;
  if (fromEnv) {
    if (deps.isExecutable(fromEnv)) return { path: fromEnv, source: 'FFPROBE_PATH' };
    tried.push(`FFPROBE_PATH=${fromEnv} is not an executable file`);
  } else {
    tried.push('FFPROBE_PATH is not set');
  }
  if (ffmpegPath) {
    const paths = pathsFor(deps.platform);
    const beside = paths.join(paths.dirname(ffmpegPath), exeName('ffprobe', deps.platform));
    if (deps.isExecutable(beside)) return { path: beside, source: 'next-to-ffmpeg' };
    tried.push(`no ${beside}`);
  }
  const fromPath = onPath('ffprobe', deps);
  if (fromPath) return { path: fromPath, source: 'PATH' };
  tried.push('no ffprobe on PATH');
  throw new FfmpegNotFoundError('ffprobe', tried);
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function ffmpegStaticPath(): string | null {
  try {
    const value: unknown = createRequire(import.meta.url)('ffmpeg-static');
    return typeof value === 'string' ? value : null;
  } catch {
    return null;
  }
}

function systemDeps(env: Env): LocateDeps {
  return { env, platform: process.platform, isExecutable: isExecutableFile, staticPath: ffmpegStaticPath };
}

export function locateFfmpeg(env: Env = process.env): Located<FfmpegSource> {
  return resolveFfmpeg(systemDeps(env));
}

export function locateFfprobe(env: Env = process.env): Located<FfprobeSource> {
  const deps = systemDeps(env);
  let ffmpeg: string | null = null;
  try {
    ffmpeg = resolveFfmpeg(deps).path;
  } catch (error) {
    if (!(error instanceof FfmpegNotFoundError)) throw error;
  }
  return resolveFfprobe(deps, ffmpeg);
}
