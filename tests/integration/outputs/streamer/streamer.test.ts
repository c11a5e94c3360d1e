import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RgbaImage } from '../../../../src/frame';
import { Session } from '../../../../src/engine/session';
import { decodeImage } from '../../../../src/io/image';
import { Recorder } from '../../../../src/outputs/recorder/recorder';
import { Streamer, type StreamStatus } from '../../../../src/outputs/streamer/streamer';
import { parseStreamTarget, type StreamTarget } from '../../../../src/outputs/streamer/url';
import { ASTRONAUT, ASTRONAUT_MISSING, patchMean } from '../../astronaut-clip';
import { freePort, LocalRtmpServer, NGINX_MISSING, pull } from '../../rtmp-server';

/**
 * The streamer against real servers started here on loopback: nginx with Debian's RTMP module (see
 * rtmp-server.ts) and an ffmpeg SRT listener. What is published is the engine's own output; what is
 * pulled back must show it.
 */

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const FPS = 15;
const GOOD_KEY = 'good-key-123';
const GREEN = [0, 255, 0] as const;
/** Studio backdrop and spacesuit in the astronaut photo (512x512). */
const BACKDROP = { x: 495, y: 14 };
const SUIT = { x: 150, y: 300 };
const FAST_RETRY = { baseMs: 200, maxMs: 1000, jitter: 0 };

function expectNear(actual: number[], expected: readonly number[], tolerance: number, what: string): void {
  for (let c = 0; c < 3; c++) expect(Math.abs(actual[c] - expected[c]), `${what}, channel ${c}: ${actual[c]} vs ${expected[c]}`).toBeLessThanOrEqual(tolerance);
}

/** The pulled picture is the engine's: backdrop replaced by green, the suit kept. */
function expectEngineOutput(frame: Uint8Array, output: RgbaImage): void {
  expectNear(patchMean(frame, output.width, BACKDROP.x, BACKDROP.y, 4), GREEN, 30, 'backdrop');
  expectNear(patchMean(frame, output.width, SUIT.x, SUIT.y, 4), patchMean(output.data, output.width, SUIT.x, SUIT.y, 4), 30, 'suit');
}

function statusLog(): { log: StreamStatus[]; until(pred: (s: StreamStatus) => boolean): Promise<StreamStatus>; onStatus(s: StreamStatus): void } {
  const log: StreamStatus[] = [];
  const waiters: { pred: (s: StreamStatus) => boolean; resolve: (s: StreamStatus) => void }[] = [];
  return {
    log,
    onStatus(s) {
      log.push(s);
      for (const w of [...waiters]) if (w.pred(s)) (waiters.splice(waiters.indexOf(w), 1), w.resolve(s));
    },
    until(pred) {
      return new Promise((resolve) => waiters.push({ pred, resolve }));
    },
  };
}

/** The engine's 512x512 output with no microphone (the streamer sends silence), retrying fast enough for a test. */
function startStreamer(target: StreamTarget, status: { onStatus(s: StreamStatus): void }): Streamer {
  return Streamer.start({ target, width: 512, height: 512, fps: FPS, audio: { kind: 'none' }, backoff: FAST_RETRY, onStatus: status.onStatus });
}

function feedEvery(frame: RgbaImage, ...sinks: { offer(f: RgbaImage): void }[]): () => void {
  const timer = setInterval(() => sinks.forEach((s) => s.offer(frame)), 1000 / FPS);
  return () => clearInterval(timer);
}

const MISSING = ASTRONAUT_MISSING ?? NGINX_MISSING;

describe.skipIf(MISSING)(`streaming to local servers${MISSING ? ` (skipped: ${MISSING})` : ''}`, () => {
  let dir: string;
  let output: RgbaImage;
  let nginx: LocalRtmpServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'streamer-'));
    const session = await Session.create({
      modelsDir: join(ROOT, 'models'),
      config: { background: { kind: 'colour', rgb: GREEN }, matting: 'off', quality: 'balanced' },
      loadImage: decodeImage,
      threads: 1,
    });
    output = (await session.render(await decodeImage(ASTRONAUT))).image;
    await session.close();
    // The engine really replaced the backdrop and kept the person, or the checks below would prove nothing.
    expectNear(patchMean(output.data, output.width, BACKDROP.x, BACKDROP.y, 4), GREEN, 2, 'engine backdrop');
    expect(patchMean(output.data, output.width, SUIT.x, SUIT.y, 4)[1]).toBeLessThan(200);
    nginx = await LocalRtmpServer.start(dir, GOOD_KEY);
  });

  afterAll(async () => {
    await nginx?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes over RTMP, comes back after the server is killed and restarted, and leaves a parallel recording untouched', async () => {
    const status = statusLog();
    const url = nginx.url();
    const streamer = startStreamer(parseStreamTarget(url, GOOD_KEY), status);
    const recorder = Recorder.start({ path: join(dir, 'parallel.mp4'), width: 512, height: 512, fps: FPS, audio: { kind: 'none' } });
    const stopFeeding = feedEvery(output, streamer, recorder);
    try {
      await status.until((s) => s.state === 'live');
      for (const frame of await pull(`${url}/${GOOD_KEY}`, 3, 512, 512)) expectEngineOutput(frame, output);

      const recordedBeforeKill = recorder.stats.frames;
      await nginx.kill();
      const dropped = await status.until((s) => s.state === 'reconnecting');
      expect(dropped.state === 'reconnecting' && dropped.error.code).toMatch(/disconnected|unreachable/);
      expect(dropped.state === 'reconnecting' && dropped.error.message).not.toContain(GOOD_KEY);

      await nginx.restart();
      await status.until((s) => s.state === 'live');
      expect(streamer.stats.reconnects).toBeGreaterThanOrEqual(1);
      for (const frame of await pull(`${url}/${GOOD_KEY}`, 3, 512, 512)) expectEngineOutput(frame, output);

      expect(recorder.running).toBe(true);
      const recording = await recorder.stop();
      expect(await recorder.ended).toBeNull();
      expect(recording.frames).toBeGreaterThan(recordedBeforeKill);
    } finally {
      stopFeeding();
      await streamer.stop();
    }
    expect(status.log.at(-1)).toEqual({ state: 'stopped' });
    // Frames sent over both connections are counted, the finished one included.
    expect(streamer.stats.written).toBeGreaterThan(0);
  });

  it('stops with a specific message, and no retry, when the server refuses the key', async () => {
    const status = statusLog();
    const streamer = startStreamer(parseStreamTarget(nginx.url(), 'wrong-key'), status);
    const stopFeeding = feedEvery(output, streamer);
    const failed = await status.until((s) => s.state === 'failed' || s.state === 'reconnecting');
    stopFeeding();
    await streamer.stop();
    expect(failed.state).toBe('failed');
    expect(failed.state === 'failed' && failed.error.code).toBe('rejected');
    expect(failed.state === 'failed' && failed.error.message).toMatch(/stream key is probably wrong/);
    expect(failed.state === 'failed' && failed.error.message).not.toContain('wrong-key');
    expect(streamer.stats.reconnects).toBe(0);
  });

  it('keeps retrying, and says so, while the server is unreachable', async () => {
    const status = statusLog();
    const streamer = startStreamer(parseStreamTarget(`rtmp://127.0.0.1:${await freePort()}/live`, GOOD_KEY), status);
    const first = await status.until((s) => s.state === 'reconnecting');
    const second = await status.until((s) => s.state === 'reconnecting');
    await streamer.stop();
    expect(first.state === 'reconnecting' && first.error.code).toBe('unreachable');
    expect(first.state === 'reconnecting' && first.error.message).toMatch(/it refused the connection\. Reconnecting\.$/);
    expect(second.state === 'reconnecting' && [second.attempt, second.inMs]).toEqual([3, 400]);
  });

  it('publishes over SRT to an ffmpeg listener', async () => {
    const port = await freePort();
    // A listener gets the stream from its very first frame: the slate, repeated while the connection is
    // set up (no engine frame had reached the encoder yet). Three seconds in, it is the engine's output.
    const pulled = pull(`srt://127.0.0.1:${port}?mode=listener`, 3 * FPS, 512, 512);
    const status = statusLog();
    // The listener may not be up yet: the streamer's own retries cover that.
    const streamer = startStreamer(parseStreamTarget(`srt://127.0.0.1:${port}`), status);
    const stopFeeding = feedEvery(output, streamer);
    try {
      for (const frame of (await pulled).slice(-3)) expectEngineOutput(frame, output);
      expect(status.log.some((s) => s.state === 'live')).toBe(true);
    } finally {
      stopFeeding();
      await streamer.stop();
    }
  });
});
