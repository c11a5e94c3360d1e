import { describe, expect, it } from 'vitest';
import { partialPathFor, recordingBaseName, recordingPaths, videosFolder, xdgVideosDir } from '../../../../src/outputs/recorder/paths';

const linux = { platform: 'linux' as const, home: '/home/ada', env: {}, userDirs: null };

describe('videosFolder', () => {
  it('follows XDG_VIDEOS_DIR on Linux, with $HOME expanded', () => {
    const userDirs = '# comment\nXDG_DESKTOP_DIR="$HOME/Desktop"\nXDG_VIDEOS_DIR="$HOME/Vidéos"\n';
    expect(videosFolder({ ...linux, userDirs })).toBe('/home/ada/Vidéos');
    expect(xdgVideosDir('XDG_VIDEOS_DIR="/data/clips"', '/home/ada')).toBe('/data/clips');
  });

  it('falls back to ~/Videos when XDG does not say or points at $HOME (disabled)', () => {
    expect(videosFolder(linux)).toBe('/home/ada/Videos');
    expect(videosFolder({ ...linux, userDirs: 'XDG_VIDEOS_DIR="$HOME/"' })).toBe('/home/ada/Videos');
    expect(videosFolder({ ...linux, userDirs: 'XDG_VIDEOS_DIR="relative"' })).toBe('/home/ada/Videos');
  });

  it('uses ~/Movies on macOS and %USERPROFILE%\\Videos on Windows', () => {
    expect(videosFolder({ ...linux, platform: 'darwin', home: '/Users/ada' })).toBe('/Users/ada/Movies');
    expect(videosFolder({ platform: 'win32', home: 'C:\\Users\\ada', env: { USERPROFILE: 'D:\\Profiles\\ada' }, userDirs: null })).toBe('D:\\Profiles\\ada\\Videos');
  });
});

describe('recording names', () => {
  const when = new Date(2025, 2, 7, 14, 5, 9); // local time, months from 0

  it('names a recording by its local start time, zero-padded', () => {
    expect(recordingBaseName(when)).toBe('Backdrop 2025-03-07 14-05-09');
    expect(partialPathFor('/v/Backdrop 2025-03-07 14-05-09.mp4')).toBe('/v/Backdrop 2025-03-07 14-05-09.recording.mp4');
  });

  it('never reuses a name that exists, finished or still recording', () => {
    const taken = new Set(['/v/Backdrop 2025-03-07 14-05-09.mp4', '/v/Backdrop 2025-03-07 14-05-09 (2).recording.mp4']);
    expect(recordingPaths('/v', when, (p) => taken.has(p), 'linux')).toEqual({
      final: '/v/Backdrop 2025-03-07 14-05-09 (3).mp4',
      partial: '/v/Backdrop 2025-03-07 14-05-09 (3).recording.mp4',
    });
    expect(recordingPaths('C:\\v', when, () => false, 'win32').final).toBe('C:\\v\\Backdrop 2025-03-07 14-05-09.mp4');
  });
});
