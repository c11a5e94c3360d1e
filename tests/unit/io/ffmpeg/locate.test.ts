import { describe, expect, it } from 'vitest';
import { FfmpegNotFoundError, resolveFfmpeg, resolveFfprobe, type LocateDeps } from '../../../../src/io/ffmpeg/locate';

function deps(over: { env?: Record<string, string>; executables?: string[]; staticPath?: string | null; platform?: NodeJS.Platform }): LocateDeps {
  const executables = new Set(over.executables ?? []);
  return {
    env: over.env ?? {},
    platform: over.platform ?? 'linux',
    isExecutable: (p) => executables.has(p),
    staticPath: () => over.staticPath ?? null,
  };
}

describe('resolveFfmpeg', () => {
  it('prefers FFMPEG_PATH over ffmpeg-static and PATH', () => {
    const d = deps({ env: { FFMPEG_PATH: '/opt/ff', PATH: '/usr/bin' }, executables: ['/opt/ff', '/nm/ffmpeg', '/usr/bin/ffmpeg'], staticPath: '/nm/ffmpeg' });
    expect(resolveFfmpeg(d)).toEqual({ path: '/opt/ff', source: 'FFMPEG_PATH' });
  });

  it('takes ffmpeg-static when FFMPEG_PATH is unset', () => {
    const d = deps({ env: { PATH: '/usr/bin' }, executables: ['/nm/ffmpeg', '/usr/bin/ffmpeg'], staticPath: '/nm/ffmpeg' });
    expect(resolveFfmpeg(d)).toEqual({ path: '/nm/ffmpeg', source: 'ffmpeg-static' });
  });

  it('falls back to the first PATH entry holding ffmpeg when the static binary was never downloaded', () => {
    const d = deps({ env: { PATH: '/a:/b:/c' }, executables: ['/b/ffmpeg', '/c/ffmpeg'], staticPath: '/nm/ffmpeg' });
    expect(resolveFfmpeg(d)).toEqual({ path: '/b/ffmpeg', source: 'PATH' });
  });

  it('skips a FFMPEG_PATH that is not executable', () => {
    const d = deps({ env: { FFMPEG_PATH: '/nope', PATH: '/usr/bin' }, executables: ['/usr/bin/ffmpeg'] });
    expect(resolveFfmpeg(d).source).toBe('PATH');
  });

  it('splits PATH on ; and looks for ffmpeg.exe on Windows', () => {
    const d = deps({ env: { PATH: 'C:\\tools;C:\\ff' }, executables: ['C:\\ff\\ffmpeg.exe'], platform: 'win32' });
    expect(resolveFfmpeg(d).path).toBe('C:\\ff\\ffmpeg.exe');
  });

  it('names all three places, and why each failed, when none has ffmpeg', () => {
    const d = deps({ env: { FFMPEG_PATH: '/opt/ff', PATH: '/usr/bin' }, staticPath: '/nm/ffmpeg' });
    let error: unknown;
    try {
      resolveFfmpeg(d);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FfmpegNotFoundError);
    const message = (error as Error).message;
    expect(message).toContain('FFMPEG_PATH=/opt/ff is not an executable file');
    expect(message).toContain("ffmpeg-static's binary /nm/ffmpeg is missing");
    expect(message).toContain('no ffmpeg on PATH');
    expect((error as FfmpegNotFoundError).tried).toHaveLength(3);
  });

  it('says when FFMPEG_PATH is unset and ffmpeg-static is not installed', () => {
    expect(() => resolveFfmpeg(deps({}))).toThrow('ffmpeg not found; looked at: FFMPEG_PATH is not set; ffmpeg-static is not installed; no ffmpeg on PATH');
  });
});

describe('resolveFfprobe', () => {
  it('prefers FFPROBE_PATH', () => {
    const d = deps({ env: { FFPROBE_PATH: '/x/probe' }, executables: ['/x/probe', '/usr/bin/ffprobe'] });
    expect(resolveFfprobe(d, '/usr/bin/ffmpeg')).toEqual({ path: '/x/probe', source: 'FFPROBE_PATH' });
  });

  it('takes the ffprobe beside the ffmpeg in use before PATH', () => {
    const d = deps({ env: { PATH: '/usr/bin' }, executables: ['/opt/ff/ffprobe', '/usr/bin/ffprobe'] });
    expect(resolveFfprobe(d, '/opt/ff/ffmpeg')).toEqual({ path: '/opt/ff/ffprobe', source: 'next-to-ffmpeg' });
  });

  it('falls back to PATH, and fails naming every place', () => {
    const d = deps({ env: { PATH: '/usr/bin' }, executables: ['/usr/bin/ffprobe'] });
    expect(resolveFfprobe(d, '/nm/ffmpeg')).toEqual({ path: '/usr/bin/ffprobe', source: 'PATH' });
    expect(() => resolveFfprobe(deps({ env: { PATH: '/usr/bin' } }), '/nm/ffmpeg')).toThrow(
      'ffprobe not found; looked at: FFPROBE_PATH is not set; no /nm/ffprobe; no ffprobe on PATH',
    );
  });
});
