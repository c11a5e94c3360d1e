import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { OutputsStatus } from '../../../src/common/contract';
import { OutputReconciler } from '../../../src/outputs/reconciler';
import type { RgbaImage } from '../../../src/frame';
import { decodeImage } from '../../../src/io/image';
import { locateFfmpeg, locateFfprobe } from '../../../src/io/ffmpeg/locate';
import { pausedSlate } from '../../../src/outputs/v4l2/slate';
import { ASTRONAUT, ASTRONAUT_MISSING, rawFrames } from '../astronaut-clip';

/**
 * The engine process's outputs with real sinks: the virtual camera's device swapped for a .y4m file and
 * a real recording into a temp folder, fed as the engine feeds them (each composited frame, then none,
 * as when the camera is paused). Phases are counted in frames the sinks wrote, never in wall-clock time.
 */

const FPS = 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i += 4) for (let c = 0; c < 3; c++) sum += Math.abs(a[i + c] - b[i + c]);
  return sum / ((a.length / 4) * 3);
}

function mirrored(img: RgbaImage): Uint8Array {
  const out = new Uint8Array(img.data.length);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) out.set(img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4), (y * img.width + img.width - 1 - x) * 4);
  }
  return out;
}

const missing = ASTRONAUT_MISSING ?? (() => {
  try {
    locateFfmpeg();
    locateFfprobe();
    return null;
  } catch (error) {
    return (error as Error).message;
  }
})();

describe.skipIf(missing)(`engine-hosted outputs${missing ? ` (skipped: ${missing})` : ''}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'backdrop-engine-outputs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('feeds the virtual camera and a recording, shows the slate when frames stop, finalises the MP4, and a bad stream URL fails alone', async () => {
    const person = await decodeImage(ASTRONAUT);
    let status: OutputsStatus | null = null;
    const outputs = new OutputReconciler({ fps: FPS, ffmpegPath: () => locateFfmpeg().path, onStatus: (s) => (status = s), statusIntervalMs: 100 });
    const vcamFile = join(dir, 'vcam.y4m');
    const recording = join(dir, 'Backdrop test.mp4');

    await outputs.apply({
      type: 'outputs',
      virtualCamera: { device: vcamFile },
      recording: { path: recording, microphone: { kind: 'none' } },
      stream: { url: 'http://example.com/live', microphone: { kind: 'none' } },
    });
    // No frame yet, so no size: the sinks wait; the malformed stream URL fails at once with its reason.
    expect(outputs.status().virtualCamera.state).toBe('waiting-for-frames');
    expect(outputs.status().recording.state).toBe('waiting-for-frames');
    expect(outputs.status().stream).toMatchObject({ state: 'failed', error: expect.stringMatching(/http:\/\/ is not supported/) });

    const written = () => outputs.status().virtualCamera.written;
    while (written() < 25) {
      outputs.offer(person, 40);
      await sleep(1000 / FPS);
    }
    expect(outputs.status().recording.state).toBe('recording');
    const live = written();
    // The camera "pauses": no frames; after a second the clocks send the slate at the same rate.
    while (written() < live + 25) await sleep(50);
    expect(status).not.toBeNull();

    await outputs.close();
    const after = outputs.status();
    expect(after.virtualCamera.state).toBe('off');
    expect(after.recording).toMatchObject({ state: 'off', path: recording, error: null });
    expect(existsSync(recording)).toBe(true);

    const probe = JSON.parse(
      execFileSync(locateFfprobe().path, ['-v', 'error', '-count_frames', '-show_entries', 'stream=codec_name,width,height,nb_read_frames', '-of', 'json', recording], { encoding: 'utf8' }),
    ) as { streams: { codec_name: string; width: number; height: number; nb_read_frames: string }[] };
    expect(probe.streams[0]).toMatchObject({ codec_name: 'h264', width: person.width, height: person.height });
    expect(Number(probe.streams[0].nb_read_frames)).toBeGreaterThanOrEqual(25);

    const frames = await rawFrames(vcamFile, person.width, person.height);
    expect(frames.length).toBeGreaterThanOrEqual(50);
    const slate = pausedSlate(person.width, person.height).data;
    const liveFrame = frames[Math.floor(live / 2)];
    // The person arrives unmirrored, and the last frames are the paused slate at the same size.
    expect(meanAbsDiff(liveFrame, person.data)).toBeLessThan(8);
    expect(meanAbsDiff(liveFrame, mirrored(person))).toBeGreaterThan(20);
    expect(meanAbsDiff(frames[frames.length - 1], slate)).toBeLessThan(8);
  }, 60_000);

  it('starts a recording with the first frame offered after the ask (no slate first), and keeps no take that got no frame', async () => {
    const person = await decodeImage(ASTRONAUT);
    const size = { width: person.width, height: person.height };
    const outputs = new OutputReconciler({ fps: FPS, ffmpegPath: () => locateFfmpeg().path, onStatus: () => {}, size });
    const recording = join(dir, 'first frame.mp4');
    // As `backdrop run` asks: the first composited frame triggers the ask and is offered right after it.
    void outputs.apply({ virtualCamera: null, recording: { path: recording, microphone: { kind: 'none' } }, stream: null });
    outputs.offer(person, 40);
    for (let i = 0; i < 10; i++) {
      await sleep(1000 / FPS);
      outputs.offer(person, 40);
    }
    const finals = await outputs.close();
    expect(finals.recording).toMatchObject({ path: recording, error: null });
    const first = execFileSync(locateFfmpeg().path, ['-v', 'error', '-i', recording, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgba', '-'], { maxBuffer: 1 << 26 });
    const slate = pausedSlate(person.width, person.height).data;
    expect(meanAbsDiff(new Uint8Array(first), person.data)).toBeLessThan(8);
    expect(meanAbsDiff(new Uint8Array(first), slate)).toBeGreaterThan(20);

    const empty = join(dir, 'empty.mp4');
    const idle = new OutputReconciler({ fps: FPS, ffmpegPath: () => locateFfmpeg().path, onStatus: () => {}, size });
    await idle.apply({ virtualCamera: null, recording: { path: empty, microphone: { kind: 'none' } }, stream: null });
    await sleep(500);
    const none = await idle.close();
    expect(none.recording?.error).toMatch(/Nothing was recorded/);
    expect(existsSync(empty)).toBe(false);
  }, 60_000);

  it('says the virtual camera is idle while no process has it open, and needs frames again once one does', async () => {
    const person = await decodeImage(ASTRONAUT);
    const size = { width: person.width, height: person.height };
    // A /proc of its own, where a reader is one link: the real one also holds this test's other processes.
    const proc = join(dir, 'proc');
    const vcamFile = join(dir, 'on-demand.y4m');
    const heard: string[] = [];
    const outputs = new OutputReconciler({
      fps: FPS,
      ffmpegPath: () => locateFfmpeg().path,
      onStatus: (s) => heard.at(-1) !== s.virtualCamera.state && heard.push(s.virtualCamera.state),
      size,
      procRoot: proc,
      readerPollMs: 20,
    });
    mkdirSync(proc);
    await outputs.apply({ virtualCamera: { device: vcamFile }, recording: null, stream: null });
    await vi.waitFor(() => expect(outputs.status().virtualCamera.state).toBe('idle'));
    expect(outputs.needsFrames()).toBe(false);

    const reader = join(proc, '4242', 'fd');
    mkdirSync(reader, { recursive: true });
    symlinkSync(join(realpathSync(dir), 'on-demand.y4m'), join(reader, '5'));
    await vi.waitFor(() => expect(outputs.status().virtualCamera.state).toBe('on'));
    expect(outputs.needsFrames()).toBe(true);
    unlinkSync(join(reader, '5'));
    await vi.waitFor(() => expect(outputs.status().virtualCamera.state).toBe('idle'));

    // A recording needs every frame, read or not.
    void outputs.apply({ virtualCamera: { device: vcamFile }, recording: { path: join(dir, 'on-demand.mp4'), microphone: { kind: 'none' } }, stream: null });
    expect(outputs.needsFrames()).toBe(true);
    outputs.offer(person, 40);
    await outputs.close();
    // 'on' first only when the first look ends after the start is announced.
    expect(heard.slice(heard.indexOf('idle'))).toEqual(['idle', 'on', 'idle', 'off']);
    expect(outputs.needsFrames()).toBe(false);
  }, 60_000);
});
