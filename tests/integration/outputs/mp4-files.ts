import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { locateFfmpeg } from '../../../src/io/ffmpeg/locate';
import { FFPROBE } from '../astronaut-clip';

const run = promisify(execFile);

/** Top-level MP4 boxes in file order (64-bit sizes included). */
export function topLevelBoxes(path: string): string[] {
  const data = readFileSync(path);
  const boxes: string[] = [];
  for (let at = 0; at + 8 <= data.length; ) {
    let size = data.readUInt32BE(at);
    const type = data.toString('latin1', at + 4, at + 8);
    if (size === 1) size = Number(data.readBigUInt64BE(at + 8));
    boxes.push(type);
    if (size < 8) break;
    at += size;
  }
  return boxes;
}

/** The pid of the ffmpeg whose arguments name `path` (a test kills it the way a crash would). */
export function ffmpegNaming(path: string): number {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (cmdline.some((a) => a.includes('ffmpeg')) && cmdline.some((a) => a.includes(path))) return Number(pid);
    } catch {
      // The process ended while we looked.
    }
  }
  throw new Error(`no ffmpeg names ${path}`);
}

export interface StreamInfo {
  codec_type: string;
  codec_name: string;
  duration?: string;
  start_time?: string;
  nb_read_frames?: string;
}

/** ffprobe's streams of a file, with every frame counted. */
export async function streams(path: string): Promise<StreamInfo[]> {
  const { stdout } = await run(FFPROBE as string, ['-v', 'error', '-count_frames', '-show_entries', 'stream=codec_type,codec_name,duration,start_time,nb_read_frames', '-of', 'json', path]);
  return (JSON.parse(stdout) as { streams: StreamInfo[] }).streams;
}

/**
 * A finished take: a normal MP4 (the index before the media, no fragments, so players seek in at once)
 * holding `frames` H.264 frames and AAC sound of the same length and start, that decodes to the end.
 */
export async function expectFinalisedMp4(path: string, frames: number, fps: number): Promise<void> {
  const boxes = topLevelBoxes(path);
  expect(boxes.indexOf('moov')).toBeLessThan(boxes.indexOf('mdat'));
  expect(boxes).not.toContain('moof');
  const info = await streams(path);
  const video = info.find((s) => s.codec_type === 'video') as StreamInfo;
  const audio = info.find((s) => s.codec_type === 'audio') as StreamInfo;
  expect([video.codec_name, audio.codec_name]).toEqual(['h264', 'aac']);
  expect(Number(video.nb_read_frames)).toBe(frames);
  expect(Math.abs(Number(audio.duration) - Number(video.duration))).toBeLessThanOrEqual(1 / fps);
  expect(Math.abs(Number(audio.start_time) - Number(video.start_time))).toBeLessThanOrEqual(1 / fps);
  await run(locateFfmpeg().path, ['-v', 'error', '-i', path, '-f', 'null', '-']);
}
