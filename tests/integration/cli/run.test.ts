import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateFfmpeg } from '../../../src/io/ffmpeg/locate';
import { FFPROBE, makeAstronautClip, patchMean, PROBE_MISSING, rawFrames } from '../astronaut-clip';
import { LocalRtmpServer, NGINX_MISSING, pull } from '../rtmp-server';
import { ROOT, runCli as runLauncher, type CliRun } from '../run-cli';

/**
 * `backdrop run` as a user runs it: the real launcher in a child process, a .y4m clip of a real person
 * as the camera, a .y4m file standing in for the virtual camera, a real recording with a generated tone
 * as the microphone.
 */

const exec = promisify(execFile);
const CLIP_FRAMES = 20; // 2 s at the clip's 10 fps
const GREEN = [0, 255, 0];
/** Studio backdrop in every frame of the astronaut zoom clip. */
const BACKDROP = { x: 495, y: 14 };
const TONE = 'lavfi:sine=frequency=440:sample_rate=48000';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const ffprobe = FFPROBE;
const MISSING = PROBE_MISSING;

function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return runLauncher(['run', ...args], env);
}

async function streamInfo(path: string): Promise<{ codec_type: string; duration: string; nb_read_frames: string }[]> {
  const { stdout } = await exec(ffprobe as string, ['-v', 'error', '-count_frames', '-show_entries', 'stream=codec_type,duration,nb_read_frames', '-of', 'json', path]);
  return JSON.parse(stdout).streams;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function ffmpegPidsWriting(path: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').some((a) => a.endsWith(path));
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe.skipIf(MISSING)(`backdrop run${MISSING ? ` (skipped: ${MISSING})` : ''}`, () => {
  let dir: string;
  let camera: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cli-run-'));
    camera = await makeAstronautClip(dir, 'camera.y4m', CLIP_FRAMES);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('plays a camera file in a loop into a virtual camera and a recording, and sums up as JSON', async () => {
    const vcam = join(dir, 'vcam.y4m');
    const record = join(dir, 'rec.mp4');
    const result = await runCli([
      '--camera', camera, '--background', '#00ff00', '--virtual-camera', vcam, '--record', record,
      '--microphone', TONE, '--duration', '6', '--threads', '1', '--quality', 'balanced', '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const summary = JSON.parse(lines[0]);
    for (const key of ['fpsIn', 'fpsOut', 'mattingHz', 'cpuCores', 'rssMB', 'dropped']) expect(typeof summary[key], key).toBe('number');
    expect(summary.latencyMs).toEqual({ p50: expect.any(Number), p95: expect.any(Number) });
    expect(summary.latencyMs.p95).toBeGreaterThanOrEqual(summary.latencyMs.p50);
    expect(summary.stagesMs.segment).toBeGreaterThan(0);
    expect(summary.provider).toBe('cpu');
    // Auto measures the machine and reports the setting it chose.
    expect(['performance', 'balanced', 'quality']).toContain(summary.quality);
    // The 2 s file looped: more frames came in than it holds.
    expect(summary.framesIn).toBeGreaterThan(CLIP_FRAMES);
    expect(summary.framesOut).toBeGreaterThan(0);
    expect(summary.dropped).toBe(summary.framesIn - summary.framesOut);
    expect(summary.cpuCores).toBeGreaterThan(0);
    expect(summary.engineError).toBeNull();
    expect(summary.outputs.map((o: { kind: string; error: string | null }) => [o.kind, o.error])).toEqual([
      ['virtual-camera', null],
      ['record', null],
    ]);

    // The virtual camera's last frame is the engine's: backdrop replaced.
    const frames = await rawFrames(vcam, 512, 512);
    expect(frames.length).toBeGreaterThan(0);
    const last = patchMean(frames.at(-1) as Uint8Array, 512, BACKDROP.x, BACKDROP.y, 4);
    for (let c = 0; c < 3; c++) expect(Math.abs(last[c] - GREEN[c]), `channel ${c}`).toBeLessThanOrEqual(30);

    const info = await streamInfo(record);
    const video = info.find((s) => s.codec_type === 'video');
    const audio = info.find((s) => s.codec_type === 'audio');
    expect(Number(video?.nb_read_frames)).toBeGreaterThan(0);
    expect(Math.abs(Number(audio?.duration) - Number(video?.duration))).toBeLessThanOrEqual(1 / 10);
    expect(existsSync(record.replace(/\.mp4$/, '.recording.mp4'))).toBe(false);
    expect(result.stderr).toMatch(/in \d+\.\d fps \| out \d+\.\d fps/);
  });

  it.skipIf(NGINX_MISSING)(
    `sends a clip of a person to a virtual camera, a recording with sound and a local RTMP server at once${NGINX_MISSING ? ` (skipped: ${NGINX_MISSING})` : ''}`,
    async () => {
      const rtmp = await LocalRtmpServer.start(dir, 'cli-key');
      try {
        // Started first: playing a stream nobody publishes yet waits for the publisher.
        const pulled = pull(`${rtmp.url()}/cli-key`, 10, 512, 512);
        const result = await runCli(
          ['--camera', camera, '--background', '#00ff00', '--virtual-camera', join(dir, 'all.y4m'), '--record', join(dir, 'all.mp4'),
            '--stream', rtmp.url(), '--microphone', TONE, '--duration', '10', '--threads', '1', '--json'],
          { BACKDROP_STREAM_KEY: 'cli-key' },
        );
        expect(result.code, result.stderr).toBe(0);
        const summary = JSON.parse(result.stdout);
        expect(summary.outputs.map((o: { kind: string; error: string | null; framesWritten: number }) => [o.kind, o.error, o.framesWritten > 0])).toEqual([
          ['virtual-camera', null, true],
          ['record', null, true],
          ['stream', null, true],
        ]);
        expect(result.stdout + result.stderr).not.toContain('cli-key');
        const fromServer = (await pulled).at(-1) as Uint8Array;
        const backdrop = patchMean(fromServer, 512, BACKDROP.x, BACKDROP.y, 4);
        for (let c = 0; c < 3; c++) expect(Math.abs(backdrop[c] - GREEN[c]), `RTMP backdrop channel ${c}`).toBeLessThanOrEqual(30);
        const info = await streamInfo(join(dir, 'all.mp4'));
        expect(info.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);
      } finally {
        await rtmp.close();
      }
    },
  );

  it('prints a readable summary without --json, with frames in and out and ms per stage', async () => {
    const result = await runCli(['--camera', camera, '--background', 'blur', '--duration', '5', '--threads', '1']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^ran \d+\.\d s: \d+ frames in \(\d+\.\d fps\), \d+ out \(\d+\.\d fps\), \d+ dropped, skipped \d+ %$/m);
    expect(result.stderr).toMatch(/^median per frame: segment \d+\.\d ms/m);
  });

  it('keeps the other outputs running when the microphone is missing, and says which one failed', async () => {
    const vcam = join(dir, 'nomic.y4m');
    const result = await runCli([
      '--camera', camera, '--virtual-camera', vcam, '--record', join(dir, 'nomic.mp4'),
      '--microphone', 'alsa:hw:97', '--duration', '4', '--threads', '1', '--json',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/record: Could not open the microphone "hw:97" \(alsa\)/);
    const summary = JSON.parse(result.stdout);
    const byKind = Object.fromEntries(summary.outputs.map((o: { kind: string }) => [o.kind, o]));
    expect(byKind.record.error).toMatch(/Could not open the microphone/);
    expect(byKind['virtual-camera'].error).toBeNull();
    expect(byKind['virtual-camera'].framesWritten).toBeGreaterThan(0);
    expect((await rawFrames(vcam, 512, 512)).length).toBe(byKind['virtual-camera'].framesWritten);
  });

  it('says the stream server is unreachable and keeps retrying while the rest runs', async () => {
    const port = await freePort();
    const result = await runCli(['--camera', camera, '--virtual-camera', join(dir, 'unreach.y4m'), '--stream', `rtmp://127.0.0.1:${port}/live/secret-key`, '--duration', '5', '--threads', '1']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`stream: Cannot reach rtmp://127.0.0.1:${port}/live/••••: it refused the connection. Reconnecting. (attempt 2 in`);
    expect(result.stderr).not.toContain('secret-key');
    expect(result.stderr).toMatch(/^virtual-camera .*: [1-9]\d* frames written/m);
  });

  it('refuses bad input with a specific message before starting', async () => {
    const cases: [string[], number, RegExp][] = [
      [['--camera', camera, '--stream', 'http://example.com/live'], 2, /--stream: http:\/\/ is not supported for streaming/],
      [['--camera', camera, '--stream', 'rtmp://example.com'], 2, /--stream: an RTMP URL names an application/],
      [['--camera', camera, '--record', join(dir, 'x.mov')], 2, /--record writes MP4/],
      [['--camera', camera, '--microphone', 'usb'], 2, /--microphone must be none, pulse:<source>/],
      [['--camera', join(dir, 'missing.y4m')], 1, /--camera .*missing\.y4m: no such file/],
      [['--camera', camera, '--virtual-camera', '/dev/video99'], 1, /--virtual-camera \/dev\/video99: .*is not a v4l2loopback device/],
    ];
    for (const [args, code, pattern] of cases) {
      const result = await runCli([...args, '--duration', '1']);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(code);
      expect(result.stderr).toMatch(pattern);
      expect(result.stderr).not.toMatch(/internal error|at .*\.ts:\d+/);
    }
  });

  it('a killed app leaves a playable recording holding every frame written before the kill', async () => {
    const record = join(dir, 'crash.mp4');
    const partial = join(dir, 'crash.recording.mp4');
    const child = spawn(process.execPath, [join(ROOT, 'bin/backdrop.js'), 'run', '--camera', camera, '--record', record, '--microphone', TONE, '--duration', '120', '--threads', '1'], {
      cwd: ROOT,
      stdio: 'ignore',
    });
    const exited = new Promise((r) => child.once('exit', r));
    let before = 0;
    while (before < 10) {
      await sleep(250);
      if (child.exitCode !== null) throw new Error('backdrop run ended before the test could kill it');
      if (!existsSync(partial)) continue;
      before = Number((await streamInfo(partial).catch(() => [])).find((s) => s.codec_type === 'video')?.nb_read_frames ?? 0);
    }
    child.kill('SIGKILL');
    await exited;
    // The encoder outlives the app by the moment it takes to read the end of its input.
    while (ffmpegPidsWriting(partial).length > 0) await sleep(50);
    const after = Number((await streamInfo(partial)).find((s) => s.codec_type === 'video')?.nb_read_frames);
    expect(after).toBeGreaterThanOrEqual(before);
    await exec(locateFfmpeg().path, ['-v', 'error', '-i', partial, '-f', 'null', '-']);
  });

  it('a killed recording encoder is said at once, with where the take is, the file plays, and the run fails', async () => {
    const record = join(dir, 'encoder-killed.mp4');
    const partial = join(dir, 'encoder-killed.recording.mp4');
    const child = spawn(process.execPath, [join(ROOT, 'bin/backdrop.js'), 'run', '--camera', camera, '--record', record, '--duration', '12', '--threads', '1'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    let encoder: number | undefined;
    let frames = 0;
    while (frames < 10 || encoder === undefined) {
      await sleep(250);
      if (child.exitCode !== null) throw new Error(`backdrop run ended early: ${stderr}`);
      if (!existsSync(partial)) continue;
      frames = Number((await streamInfo(partial).catch(() => [])).find((s) => s.codec_type === 'video')?.nb_read_frames ?? 0);
      encoder = ffmpegPidsWriting(partial)[0];
    }
    process.kill(encoder, 'SIGKILL');
    const told = new RegExp(`^record: The encoder \\(ffmpeg\\) was killed by SIGKILL; what was recorded until then is kept\\. \\(saved to ${record.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)$`, 'm');
    while (!told.test(stderr)) {
      if (child.exitCode !== null) throw new Error(`backdrop run ended without saying so: ${stderr}`);
      await sleep(100);
    }
    expect(await exited).toBe(1);
    await exec(locateFfmpeg().path, ['-v', 'error', '-i', record, '-f', 'null', '-']);
    expect(Number((await streamInfo(record)).find((s) => s.codec_type === 'video')?.nb_read_frames)).toBeGreaterThanOrEqual(frames);
  }, 60_000);

  it('Ctrl-C to the whole process group during a recording finalises it and says saved, with its path and length', async () => {
    const record = join(dir, 'interrupted.mp4');
    const partial = join(dir, 'interrupted.recording.mp4');
    const child = spawn(process.execPath, [join(ROOT, 'bin/backdrop.js'), 'run', '--camera', camera, '--record', record, '--duration', '120', '--threads', '1'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true, // its own group, as a terminal's foreground job
    });
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (c: string) => (stderr += c));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    let frames = 0;
    while (frames < 10) {
      await sleep(250);
      if (child.exitCode !== null) throw new Error(`backdrop run ended early: ${stderr}`);
      if (!existsSync(partial)) continue;
      frames = Number((await streamInfo(partial).catch(() => [])).find((s) => s.codec_type === 'video')?.nb_read_frames ?? 0);
    }
    process.kill(-(child.pid as number), 'SIGINT');
    const code = await exited;
    expect(stderr).not.toMatch(/FAILED: |exited with code 255/);
    expect(stderr).toMatch(new RegExp(`saved ${record.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(\\d+\\.\\d s\\)`));
    expect(code).toBe(0);
    expect(existsSync(record)).toBe(true);
    expect(existsSync(partial)).toBe(false);
  }, 120_000);

  it('computes nothing while the virtual camera, its only output, has no reader, and resumes when an application opens it', async () => {
    const vcam = join(dir, 'on-demand.y4m');
    const child = spawn(
      process.execPath,
      [join(ROOT, 'bin/backdrop.js'), 'run', '--camera', camera, '--background', '#00ff00', '--virtual-camera', vcam, '--duration', '12', '--threads', '1', '--json'],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const until = async (what: string, ok: () => boolean) => {
      while (!ok()) {
        if (child.exitCode !== null) throw new Error(`backdrop run ended before ${what}: ${stderr}`);
        await sleep(100);
      }
    };
    const idles = () => stderr.match(/virtual camera idle: no application has .*on-demand\.y4m open; nothing is computed until one does/g)?.length ?? 0;
    await until('going idle', () => idles() === 1);
    await sleep(2000);
    // A reader is any process holding the stand-in open, as a browser holds the device.
    const reader = spawn('sh', ['-c', 'exec 3<"$1"; sleep 4', 'sh', vcam], { stdio: 'ignore' });
    await until('resuming', () => stderr.includes('virtual camera: an application opened'));
    await new Promise((r) => reader.once('exit', r));
    await until('going idle again', () => idles() === 2);
    expect(await exited, stderr).toBe(0);

    const summary = JSON.parse(stdout) as { framesIn: number; framesOut: number; framesIdle: number };
    // The 10 fps clip: about 20 frames in the first idle stretch alone, about 40 while read.
    expect(summary.framesIdle).toBeGreaterThan(15);
    expect(summary.framesIn).toBeGreaterThan(15);
    expect(summary.framesOut).toBeGreaterThan(0);
    const frames = await rawFrames(vcam, 512, 512);
    // The slate while idle, the engine's frames (backdrop replaced by green) while read, the slate again.
    const green = frames.map((f) => GREEN.every((v, c) => Math.abs(patchMean(f, 512, BACKDROP.x, BACKDROP.y, 4)[c] - v) <= 30));
    expect(green.indexOf(true)).toBeGreaterThan(0);
    expect(green.at(-1)).toBe(false);
  }, 90_000);

  it('refuses a camera wider than the engine takes, up front, naming --size', async () => {
    const wide = join(dir, 'wide.y4m');
    await exec(locateFfmpeg().path, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=gray:s=3842x16:r=10', '-frames:v', '3', '-pix_fmt', 'yuv420p', wide]);
    const result = await runCli(['--camera', wide, '--duration', '2', '--threads', '1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/3842x16, larger than .*--size/);
  }, 60_000);

  it('refuses --record into a missing folder, or over an existing file without --force, before the run starts', async () => {
    const missing = await runCli(['--camera', camera, '--record', join(dir, 'no-such-folder', 'x.mp4'), '--duration', '30']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no-such-folder does not exist/);
    const existing = join(dir, 'already.mp4');
    writeFileSync(existing, 'keep me');
    const refused = await runCli(['--camera', camera, '--record', existing, '--duration', '30']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/already exists; pass --force/);
    expect(readFileSync(existing, 'utf8')).toBe('keep me');
  }, 60_000);
});
