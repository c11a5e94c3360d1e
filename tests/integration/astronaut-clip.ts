/** Test material: the astronaut photo (a real person) and a short clip made from it with ffmpeg. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { locateFfmpeg, locateFfprobe } from '../../src/io/ffmpeg/locate';

export const ASTRONAUT = '/usr/lib/python3/dist-packages/skimage/data/astronaut.png';
export const ASTRONAUT_MISSING = existsSync(ASTRONAUT) ? null : `${ASTRONAUT} is missing (Debian package python3-skimage)`;
export const CLIP_FPS = 10;

function findFfprobe(): string | null {
  try {
    return locateFfprobe().path;
  } catch {
    return null;
  }
}

/** ffprobe, which the output tests read their files back with; null where none is installed. */
export const FFPROBE = findFfprobe();
/** Why the tests that need the astronaut photo and ffprobe must skip, or null when they can run. */
export const PROBE_MISSING = ASTRONAUT_MISSING ?? (FFPROBE ? null : 'ffprobe is not installed');

const run = promisify(execFile);

/** A camera slowly moving in on the astronaut: `frames` frames of 512x512 at 10 fps. */
export async function makeAstronautClip(dir: string, name: string, frames: number): Promise<string> {
  const path = join(dir, name);
  const zoom = `zoompan=z='1+0.02*on':x='iw/2-iw/zoom/2':y='ih/2-ih/zoom/2':d=${frames}:s=512x512:fps=${CLIP_FPS}`;
  const codec = name.endsWith('.mp4') ? ['-c:v', 'libx264', '-crf', '16'] : [];
  await run(locateFfmpeg().path, ['-y', '-loglevel', 'error', '-i', ASTRONAUT, '-vf', zoom, '-frames:v', String(frames), ...codec, '-pix_fmt', 'yuv420p', path]);
  return path;
}

/** The frames of a file as RGBA (optionally scaled, or only the first few), decoded by ffmpeg independently of the code under test. */
export async function rawFrames(path: string, width: number, height: number, options: { scale?: boolean; frames?: number } = {}): Promise<Uint8Array[]> {
  const args = [
    '-loglevel',
    'error',
    '-i',
    path,
    ...(options.scale ? ['-vf', `scale=${width}:${height}`] : []),
    ...(options.frames ? ['-frames:v', String(options.frames)] : []),
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgba',
    'pipe:1',
  ];
  const { stdout } = await run(locateFfmpeg().path, args, {
    encoding: 'buffer',
    maxBuffer: 1 << 30,
  });
  const size = width * height * 4;
  if (stdout.length % size !== 0) throw new Error(`${path}: ${stdout.length} bytes is not a whole number of ${width}x${height} frames`);
  return Array.from({ length: stdout.length / size }, (_, i) => new Uint8Array(stdout.subarray(i * size, (i + 1) * size)));
}

/** Mean of each channel over a square patch centred on (cx, cy). */
export function patchMean(data: Uint8Array, width: number, cx: number, cy: number, radius: number): [number, number, number, number] {
  const sum = [0, 0, 0, 0];
  let n = 0;
  for (let y = cy - radius; y <= cy + radius; y++) {
    for (let x = cx - radius; x <= cx + radius; x++) {
      for (let c = 0; c < 4; c++) sum[c] += data[(y * width + x) * 4 + c];
      n++;
    }
  }
  return sum.map((s) => s / n) as [number, number, number, number];
}
