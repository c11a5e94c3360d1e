import { readdirSync, readFileSync } from 'node:fs';

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
