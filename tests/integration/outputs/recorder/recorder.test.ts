import { execFile, fork } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFromEngine } from '../../../../src/common/contract';
import type { RgbaImage } from '../../../../src/frame';
import { decodeImage } from '../../../../src/io/image';
import { locateFfmpeg } from '../../../../src/io/ffmpeg/locate';
import { ffmpegTrialRunner, probeH264Encoder } from '../../../../src/outputs/recorder/encoders';
import { RecorderError } from '../../../../src/outputs/recorder/errors';
import { Recorder } from '../../../../src/outputs/recorder/recorder';
import { ASTRONAUT, PROBE_MISSING } from '../../astronaut-clip';
import { expectFinalisedMp4, ffmpegNaming, streams } from '../mp4-files';

/**
 * The recorder against real ffmpeg: a clean stop gives a seekable MP4 with sound and picture of one
 * length; a killed encoder, a killed engine and a full disk leave a playable file holding what had
 * been written; a missing microphone says so. A generated tone stands in for the microphone.
 */

const run = promisify(execFile);
const FPS = 25;
const TONE = { kind: 'lavfi' as const, graph: 'sine=frequency=440:sample_rate=48000' };
const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const MISSING = PROBE_MISSING;

async function videoFrames(path: string): Promise<number> {
  const v = (await streams(path)).find((s) => s.codec_type === 'video');
  return Number(v?.nb_read_frames ?? 0);
}

/** "Plays": ffmpeg decodes every stream to the end and exits 0. */
async function decodesToEnd(path: string): Promise<void> {
  await run(locateFfmpeg().path, ['-v', 'error', '-i', path, '-f', 'null', '-']);
}

/** Feeds a slowly changing picture, as the engine would, until stopped. */
function feed(recorder: Recorder, base: RgbaImage): () => void {
  let n = 0;
  const timer = setInterval(() => {
    const frame = { width: base.width, height: base.height, data: new Uint8Array(base.data) };
    frame.data.fill(n++ % 256, 0, base.width * 4 * 8);
    recorder.offer(frame);
  }, 1000 / FPS);
  return () => clearInterval(timer);
}

async function framesAtLeast(recorder: Recorder, n: number): Promise<number> {
  while (recorder.stats.frames < n) {
    if (!recorder.running) throw new Error('the recording stopped early');
    await sleep(20);
  }
  return recorder.stats.frames;
}

describe.skipIf(MISSING)(`recorder${MISSING ? ` (skipped: ${MISSING})` : ''}`, () => {
  let dir: string;
  let picture: RgbaImage;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'recorder-'));
    const full = await decodeImage(ASTRONAUT);
    // A quarter of the photo keeps the encoder light on a shared machine.
    picture = { width: 256, height: 256, data: new Uint8Array(256 * 256 * 4) };
    for (let y = 0; y < 256; y++) picture.data.set(full.data.subarray((y * 2 * 512) * 4, (y * 2 * 512 + 256) * 4), y * 256 * 4);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a clean stop leaves a seekable MP4 whose sound and picture last as long as each other (within one frame)', async () => {
    const path = join(dir, 'clean.mp4');
    const recorder = Recorder.start({ path, width: 256, height: 256, fps: FPS, audio: TONE });
    const stop = feed(recorder, picture);
    await framesAtLeast(recorder, 2 * FPS);
    stop();
    const result = await recorder.stop();
    expect(await recorder.ended).toBeNull();
    expect(result.path).toBe(path);
    expect(existsSync(recorder.partialPath)).toBe(false);

    await expectFinalisedMp4(path, result.frames, FPS);
    // Seeking to the middle works without reading from the start.
    await run(locateFfmpeg().path, ['-v', 'error', '-ss', (result.durationSec / 2).toFixed(2), '-i', path, '-frames:v', '1', '-f', 'null', '-']);
    expect(recorder.stats.bytes).toBeGreaterThan(0);
  });

  it('SIGKILL to the encoder leaves a playable file holding every frame written before the kill', async () => {
    const path = join(dir, 'killed.mp4');
    const recorder = Recorder.start({ path, width: 256, height: 256, fps: FPS, audio: TONE });
    const stop = feed(recorder, picture);
    await framesAtLeast(recorder, FPS);
    // What is on disk just before the kill, read by ffprobe from the file being written.
    const written = await videoFrames(recorder.partialPath);
    expect(written).toBeGreaterThan(0);
    process.kill(ffmpegNaming(recorder.partialPath), 'SIGKILL');
    const error = await recorder.ended;
    stop();
    expect(error).toBeInstanceOf(RecorderError);
    expect(error?.code).toBe('encoder-crashed');
    expect(error?.message).toMatch(/killed by SIGKILL; what was recorded until then is kept/);
    expect(error?.savedTo).toBe(path);
    expect(await videoFrames(path)).toBeGreaterThanOrEqual(written);
    await decodesToEnd(path);
  });

  it('a full disk (a file-size limit) stops with a specific message and keeps a playable file', async () => {
    // ffmpeg under `ulimit -f`: writes past the limit fail with EFBIG, as on a full disk with ENOSPC.
    const limited = join(dir, 'ffmpeg-limited');
    writeFileSync(limited, `#!/bin/bash\nulimit -f 256\ntrap '' XFSZ\nexec ${JSON.stringify(locateFfmpeg().path)} "$@"\n`);
    chmodSync(limited, 0o755);
    const path = join(dir, 'full.mp4');
    const recorder = Recorder.start({ path, width: 256, height: 256, fps: FPS, audio: TONE, ffmpegPath: limited });
    let n = 0;
    // Noise does not compress: the limit is reached within a couple of seconds.
    const noise = setInterval(() => {
      const frame = { width: 256, height: 256, data: new Uint8Array(256 * 256 * 4) };
      for (let i = 0; i < frame.data.length; i++) frame.data[i] = (i * 2654435761 + n * 97) >>> 24;
      n++;
      recorder.offer(frame);
    }, 1000 / FPS);
    const error = await recorder.ended;
    clearInterval(noise);
    expect(error?.code).toBe('disk-full');
    expect(error?.message).toMatch(/^The disk is full .* what was recorded until then is kept\.$/);
    expect(error?.savedTo).toBe(path);
    expect(await videoFrames(path)).toBeGreaterThan(0);
    await run(locateFfmpeg().path, ['-v', 'quiet', '-i', path, '-f', 'null', '-']);
  });

  it('a missing microphone gives a specific message and leaves no file behind', async () => {
    const path = join(dir, 'nomic.mp4');
    const recorder = Recorder.start({ path, width: 256, height: 256, fps: FPS, audio: { kind: 'alsa', device: 'hw:97' } });
    const stop = feed(recorder, picture);
    const error = await recorder.ended;
    stop();
    expect(error?.code).toBe('microphone-missing');
    expect(error?.message).toMatch(/^Could not open the microphone "hw:97" \(alsa\)/);
    expect(error?.savedTo).toBeNull();
    expect(existsSync(path)).toBe(false);
  });

  it('an engine killed mid-recording leaves the slate running and a file holding every frame before', async () => {
    // In its own process, as in the app, so SIGKILL hits it mid-inference the way a crash would.
    const engine = fork(join(ROOT, 'tests/integration/engine-child.ts'), [join(ROOT, 'models')], { serialization: 'advanced', execArgv: ['--import', 'tsx'], stdio: 'ignore' });
    const engineGone = new Promise((r) => engine.once('exit', r));
    const path = join(dir, 'engine-killed.mp4');
    const recorder = Recorder.start({ path, width: 256, height: 256, fps: FPS, audio: TONE });
    let outputs = 0;
    engine.on('message', (data: unknown) => {
      const msg = parseFromEngine(data);
      if (msg.type !== 'output') return;
      outputs++;
      recorder.offer({ width: msg.width, height: msg.height, data: new Uint8Array(msg.pixels) });
    });
    engine.send({ type: 'start', config: { background: { kind: 'colour', rgb: [0, 200, 0] }, matting: 'off', quality: 'performance' } });
    let id = 0;
    const camera = setInterval(() => {
      if (!engine.connected) return;
      engine.send({ type: 'frame', id: id++, width: 256, height: 256, timestamp: performance.timeOrigin + performance.now(), pixels: new Uint8Array(picture.data).buffer });
    }, 1000 / FPS);
    while (outputs < 3) {
      if (engine.exitCode !== null) throw new Error('the engine process ended before producing frames');
      await sleep(20);
    }
    engine.kill('SIGKILL');
    await engineGone;
    clearInterval(camera);
    const before = recorder.stats.frames;
    // The recording goes on (with the slate) after the engine is gone.
    await framesAtLeast(recorder, before + FPS);
    const result = await recorder.stop();
    expect(await recorder.ended).toBeNull();
    expect(await videoFrames(path)).toBe(result.frames);
    expect(result.frames).toBeGreaterThanOrEqual(before + FPS);
    await decodesToEnd(path);
  });

  it('probes the H.264 encoders by trial and falls back to libx264 when no hardware one works', async () => {
    const result = await probeH264Encoder(ffmpegTrialRunner(locateFfmpeg().path));
    // Which one wins depends on the machine; every refused one must say why, and the winner must encode.
    for (const r of result.refused) expect(r.reason.length).toBeGreaterThan(0);
    expect(result.refused.map((r) => r.encoder)).not.toContain(result.encoder);
    const trial = await ffmpegTrialRunner(locateFfmpeg().path)(['-v', 'error', '-f', 'lavfi', '-i', 'color=s=64x64', '-frames:v', '2', '-c:v', result.encoder, '-f', 'null', '-']);
    expect(trial).toBeNull();
  });
});
