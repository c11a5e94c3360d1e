import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OutputsStatus, StreamRunStatus } from '../../../../src/common/contract';
import type { RgbaImage } from '../../../../src/frame';
import { decodeImage } from '../../../../src/io/image';
import { locateFfmpeg } from '../../../../src/io/ffmpeg/locate';
import { OutputReconciler, type WantedOutputs } from '../../../../src/outputs/reconciler';
import { ASTRONAUT, patchMean, PROBE_MISSING } from '../../astronaut-clip';
import { LocalRtmpServer, NGINX_MISSING, pull } from '../../rtmp-server';
import { expectFinalisedMp4, ffmpegNaming, streams } from '../mp4-files';

/**
 * A recording and a stream started together through the reconciler, as `backdrop run --record --stream`
 * and the app start them: real ffmpeg, nginx's RTMP module on loopback. Every ffmpeg the outputs start
 * goes through a wrapper that logs its arguments, so the test counts the encodes. Phases are counted in
 * frames and statuses, never in wall-clock time.
 */

const run = promisify(execFile);
const FPS = 15;
const SIZE = 256;
const KEY = 'tee-key-42';
const TONE = { kind: 'lavfi' as const, graph: 'sine=frequency=440:sample_rate=48000' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MISSING = PROBE_MISSING ?? NGINX_MISSING;

describe.skipIf(MISSING)(`a recording and a stream sharing one encode${MISSING ? ` (skipped: ${MISSING})` : ''}`, () => {
  let dir: string;
  let nginx: LocalRtmpServer;
  let picture: RgbaImage;
  let ffmpegLog: string;
  let ffmpegPath: string;
  /** Closed after each test, so one that fails leaves no stream publishing under the next one's key. */
  const open = new Set<OutputReconciler>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tee-'));
    const full = await decodeImage(ASTRONAUT);
    // A quarter of the photo keeps the encoder light on a shared machine.
    picture = { width: SIZE, height: SIZE, data: new Uint8Array(SIZE * SIZE * 4) };
    for (let y = 0; y < SIZE; y++) picture.data.set(full.data.subarray(y * 2 * 512 * 4, (y * 2 * 512 + SIZE) * 4), y * SIZE * 4);
    ffmpegLog = join(dir, 'ffmpeg.log');
    ffmpegPath = join(dir, 'ffmpeg-logged');
    // One line per ffmpeg started, its arguments separated by US (0x1f).
    writeFileSync(ffmpegPath, `#!/bin/bash\n{ printf '%s\\x1f' "$@"; printf '\\n'; } >> ${JSON.stringify(ffmpegLog)}\nexec ${JSON.stringify(locateFfmpeg().path)} "$@"\n`);
    chmodSync(ffmpegPath, 0o755);
    nginx = await LocalRtmpServer.start(dir, KEY);
  });

  afterEach(async () => {
    for (const reconciler of open) await reconciler.close();
    open.clear();
  });

  afterAll(async () => {
    await nginx?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The ffmpegs started since the log was cleared, each as its argument list. */
  function started(): string[][] {
    if (!existsSync(ffmpegLog)) return [];
    return readFileSync(ffmpegLog, 'utf8')
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => l.split('\x1f').slice(0, -1));
  }
  const encoders = () => started().filter((args) => args.includes('-c:v'));
  const relays = () => started().filter((args) => args.includes('copy') && args.includes('pipe:0'));

  /** A reconciler fed the picture at the output rate, with every stream status it reported kept in order. */
  function outputs(ffmpeg = ffmpegPath): { reconciler: OutputReconciler; statuses: StreamRunStatus[]; stopFeeding(): void } {
    writeFileSync(ffmpegLog, '');
    const statuses: StreamRunStatus[] = [];
    const reconciler = new OutputReconciler({
      fps: FPS,
      ffmpegPath: () => ffmpeg,
      size: { width: SIZE, height: SIZE },
      onStatus: (s: OutputsStatus) => {
        if (statuses.at(-1)?.state !== s.stream.state) statuses.push(s.stream);
      },
      statusIntervalMs: 100,
    });
    open.add(reconciler);
    let n = 0;
    const timer = setInterval(() => {
      // A slowly changing picture, as a camera's would be: a new frame object each time.
      const frame = { ...picture, data: new Uint8Array(picture.data) };
      frame.data.fill(n++ % 256, 0, SIZE * 4 * 4);
      reconciler.offer(frame, 30);
    }, 1000 / FPS);
    return { reconciler, statuses, stopFeeding: () => clearInterval(timer) };
  }

  /** Waits for a state; the test's own timeout bounds it. */
  async function until(test: () => boolean): Promise<void> {
    while (!test()) await sleep(50);
  }

  const want = (path: string | null, stream: boolean): WantedOutputs => ({
    virtualCamera: null,
    recording: path ? { path, microphone: TONE } : null,
    stream: stream ? { url: `${nginx.url()}/${KEY}`, microphone: TONE } : null,
  });

  /** The pulled picture is the one fed: the photo's colours at two places (the top rows carry a counter). */
  function expectPicture(frame: Uint8Array): void {
    for (const [x, y] of [
      [64, 128],
      [200, 200],
    ]) {
      const got = patchMean(frame, SIZE, x, y, 4);
      const fed = patchMean(picture.data, SIZE, x, y, 4);
      for (let c = 0; c < 3; c++) expect(Math.abs(got[c] - fed[c]), `(${x}, ${y}) channel ${c}`).toBeLessThanOrEqual(30);
    }
  }

  it('encodes once for both, publishes, and stopping the stream leaves the recording running to a whole file', async () => {
    const path = join(dir, 'together.mp4');
    const pulled = pull(`${nginx.url()}/${KEY}`, 5, SIZE, SIZE);
    const { reconciler, statuses, stopFeeding } = outputs();
    try {
      await reconciler.apply(want(path, true));
      await until(() => reconciler.status().stream.state === 'live');
      for (const frame of await pulled) expectPicture(frame);
      // One ffmpeg converts and encodes; the other only copies its FLV to the server, and alone knows the key.
      expect(encoders()).toHaveLength(1);
      expect(encoders()[0].join(' ')).not.toContain(KEY);
      expect(relays()).toHaveLength(1);
      expect(relays()[0].at(-1)).toBe(`${nginx.url()}/${KEY}`);

      await reconciler.apply(want(path, false));
      expect(reconciler.status().stream.state).toBe('off');
      expect(reconciler.status().recording.state).toBe('recording');
      const atStreamStop = reconciler.status().recording;
      await until(() => reconciler.status().recording.bytes > atStreamStop.bytes + 20_000);
      expect(reconciler.status().recording.state).toBe('recording');
    } finally {
      stopFeeding();
    }
    const finals = await reconciler.close();
    expect(finals.recording).toMatchObject({ path, error: null });
    expect(finals.stream).toMatchObject({ error: null, reconnects: 0 });
    expect(finals.stream?.written).toBeGreaterThan(0);
    expect(statuses.map((s) => s.state)).toEqual(['connecting', 'live', 'off']);
    // Still the one encode: the recording went on in it after the stream left.
    expect(encoders()).toHaveLength(1);
    const frames = finals.recording?.frames ?? 0;
    expect(frames).toBeGreaterThanOrEqual(2 * FPS);
    await expectFinalisedMp4(path, frames, FPS);
  });

  it('stopping the recording finalises it and the stream goes on after one short reconnect, encoding on its own', async () => {
    const path = join(dir, 'recording-first.mp4');
    const { reconciler, statuses, stopFeeding } = outputs();
    try {
      await reconciler.apply(want(path, true));
      await until(() => reconciler.status().stream.state === 'live');
      await until(() => reconciler.status().recording.bytes > 20_000);
      await reconciler.apply(want(null, true));
      expect(reconciler.status().recording.state).toBe('off');
      // Played from the stream's next keyframe, whichever connection carries it by then.
      const pulledAfter = pull(`${nginx.url()}/${KEY}`, 5, SIZE, SIZE);
      await until(() => reconciler.status().stream.state === 'live' && reconciler.status().stream.reconnects === 1);
      for (const frame of await pulledAfter) expectPicture(frame);
      expect(encoders()).toHaveLength(2);
      expect(encoders()[1].at(-1)).toBe(`${nginx.url()}/${KEY}`);
    } finally {
      stopFeeding();
    }
    const finals = await reconciler.close();
    expect(finals.recording).toMatchObject({ path, error: null });
    expect(finals.stream).toMatchObject({ error: null, reconnects: 1 });
    expect(statuses.map((s) => s.state)).toEqual(['connecting', 'live', 'connecting', 'live', 'off']);
    await expectFinalisedMp4(path, finals.recording?.frames ?? -1, FPS);
  });

  it('the server going away mid-run: the stream reconnects on an encoder of its own, the recording runs on and finalises', async () => {
    const path = join(dir, 'server-gone.mp4');
    const { reconciler, statuses, stopFeeding } = outputs();
    try {
      await reconciler.apply(want(path, true));
      await until(() => reconciler.status().stream.state === 'live');
      const bytesBefore = reconciler.status().recording.bytes;
      await nginx.kill();
      await until(() => reconciler.status().stream.state === 'reconnecting');
      const dropped = reconciler.status().stream;
      expect(dropped.error).toMatch(/dropped|Cannot reach/);
      expect(dropped.error).not.toContain(KEY);
      expect(dropped.target).toBe(`${nginx.url()}/••••`);
      await until(() => reconciler.status().recording.bytes > bytesBefore + 20_000);
      expect(reconciler.status().recording).toMatchObject({ state: 'recording', error: null });

      await nginx.restart();
      await until(() => reconciler.status().stream.state === 'live');
      // Each reconnect attempt encodes on its own (one per attempt while the server was down); the
      // recording's encode is untouched.
      const [first, ...later] = encoders();
      expect(first.includes('tee')).toBe(true);
      expect(later.length).toBeGreaterThanOrEqual(1);
      for (const args of later) expect(args.at(-1)).toBe(`${nginx.url()}/${KEY}`);
    } finally {
      stopFeeding();
    }
    const finals = await reconciler.close();
    expect(finals.recording).toMatchObject({ path, error: null });
    expect(finals.stream?.reconnects).toBeGreaterThanOrEqual(1);
    expect(statuses.map((s) => s.state).slice(0, 3)).toEqual(['connecting', 'live', 'reconnecting']);
    await expectFinalisedMp4(path, finals.recording?.frames ?? -1, FPS);
  });

  it('a refused key fails the stream alone, with the key kept out of the message; the recording runs on in the one encode', async () => {
    const path = join(dir, 'refused.mp4');
    const { reconciler, stopFeeding } = outputs();
    try {
      await reconciler.apply({ ...want(path, false), stream: { url: `${nginx.url()}/wrong-key-7`, microphone: TONE } });
      await until(() => reconciler.status().stream.state === 'failed');
      expect(reconciler.status().stream.error).toMatch(/stream key is probably wrong/);
      expect(reconciler.status().stream.error).not.toContain('wrong-key-7');
      const bytes = reconciler.status().recording.bytes;
      await until(() => reconciler.status().recording.bytes > bytes + 20_000);
      expect(reconciler.status().recording).toMatchObject({ state: 'recording', error: null });
      expect(encoders()).toHaveLength(1);
    } finally {
      stopFeeding();
    }
    const finals = await reconciler.close();
    expect(finals.recording).toMatchObject({ path, error: null });
    await expectFinalisedMp4(path, finals.recording?.frames ?? -1, FPS);
  });

  it('a full disk ends the recording alone: the stream stays live on the same encode', async () => {
    // The logging ffmpeg under `ulimit -f`: writes past 256 kB fail with EFBIG, as on a full disk with ENOSPC.
    const limited = join(dir, 'ffmpeg-limited');
    writeFileSync(limited, `#!/bin/bash\nulimit -f 256\ntrap '' XFSZ\nexec ${JSON.stringify(ffmpegPath)} "$@"\n`);
    chmodSync(limited, 0o755);
    const path = join(dir, 'disk-full.mp4');
    const { reconciler, statuses, stopFeeding } = outputs(limited);
    try {
      await reconciler.apply(want(path, true));
      await until(() => reconciler.status().recording.state === 'failed');
      expect(reconciler.status().recording).toMatchObject({ savedTo: path, error: expect.stringMatching(/^The disk is full/) });
      const pulled = pull(`${nginx.url()}/${KEY}`, 5, SIZE, SIZE);
      for (const frame of await pulled) expectPicture(frame);
      expect(reconciler.status().stream).toMatchObject({ state: 'live', reconnects: 0, error: null });
      expect(encoders()).toHaveLength(1);
    } finally {
      stopFeeding();
    }
    const finals = await reconciler.close();
    expect(finals.stream).toMatchObject({ error: null, reconnects: 0 });
    expect(statuses.map((s) => s.state)).toEqual(['connecting', 'live', 'off']);
    expect(Number((await streams(path)).find((s) => s.codec_type === 'video')?.nb_read_frames)).toBeGreaterThan(0);
  });

  it('SIGKILL to the shared encoder leaves a playable take holding every frame written before, and the stream reconnects', async () => {
    const path = join(dir, 'killed.mp4');
    const partial = join(dir, 'killed.recording.mp4');
    const { reconciler, stopFeeding } = outputs();
    try {
      await reconciler.apply(want(path, true));
      await until(() => reconciler.status().stream.state === 'live' && reconciler.status().recording.bytes > 20_000);
      // What is on disk just before the kill, read by ffprobe from the file being written.
      const written = Number((await streams(partial)).find((s) => s.codec_type === 'video')?.nb_read_frames);
      expect(written).toBeGreaterThan(0);
      process.kill(ffmpegNaming(partial), 'SIGKILL');
      await until(() => reconciler.status().recording.state === 'failed' && reconciler.status().stream.state === 'reconnecting');
      expect(reconciler.status().recording).toMatchObject({ savedTo: path, error: expect.stringMatching(/killed by SIGKILL; what was recorded until then is kept/) });
      expect(Number((await streams(path)).find((s) => s.codec_type === 'video')?.nb_read_frames)).toBeGreaterThanOrEqual(written);
      await run(locateFfmpeg().path, ['-v', 'error', '-i', path, '-f', 'null', '-']);
      await until(() => reconciler.status().stream.state === 'live');
    } finally {
      stopFeeding();
    }
    expect((await reconciler.close()).stream?.reconnects).toBe(1);
  });
});
