import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePng } from '../../../src/engine/pixels/png';
import { decodeImage, encodePng, ImageDecodeError } from '../../../src/io/image';
import { parseFfmpegBanner, parseFfprobeJson, probe } from '../../../src/io/probe';
import { openVideo, VideoDecodeError, VideoEncodeError, VideoWriter } from '../../../src/io/video';
import { bannerArgs, decodeArgs, probeArgs } from '../../../src/io/ffmpeg/args';
import { locateFfmpeg, locateFfprobe } from '../../../src/io/ffmpeg/locate';
import { FfmpegError } from '../../../src/io/ffmpeg/progress';
import { FfmpegChild } from '../../../src/io/ffmpeg/supervisor';
import { ASTRONAUT, ASTRONAUT_MISSING, CLIP_FPS, makeAstronautClip, patchMean, rawFrames } from '../astronaut-clip';

const run = promisify(execFile);
const CLIP_FRAMES = 8;

function meanAbsDiff(a: Uint8Array, b: Uint8Array, channels: number[]): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < a.length; i += 4) {
    for (const c of channels) sum += Math.abs(a[i + c] - b[i + c]);
    n += channels.length;
  }
  return sum / n;
}

describe.skipIf(ASTRONAUT_MISSING)(`ffmpeg media I/O on the astronaut photo${ASTRONAUT_MISSING ? ` (skipped: ${ASTRONAUT_MISSING})` : ''}`, () => {
  let dir: string;
  let clip: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'backdrop-io-'));
    clip = await makeAstronautClip(dir, 'astronaut.y4m', CLIP_FRAMES);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('decodes a PNG to exactly the pixels an independent PNG decoder reads', async () => {
    const viaFfmpeg = await decodeImage(ASTRONAUT);
    const reference = decodePng(await readFile(ASTRONAUT));
    expect([viaFfmpeg.width, viaFfmpeg.height]).toEqual([512, 512]);
    expect(Buffer.from(viaFfmpeg.data).equals(Buffer.from(reference.data))).toBe(true);
  });

  it('writes an RGBA PNG losslessly, alpha kept, to a name ffmpeg would otherwise read as a pattern', async () => {
    const data = new Uint8Array(5 * 3 * 4).map((_, i) => (i * 37 + 11) % 256);
    const path = join(dir, 'odd:name 100%d.png');
    await encodePng({ width: 5, height: 3, data }, path);
    const reference = decodePng(await readFile(path));
    expect([reference.width, reference.height]).toEqual([5, 3]);
    expect([...reference.data]).toEqual([...data]);
    expect([...(await decodeImage(path)).data]).toEqual([...data]);
  });

  it('names the file and the reason when an image cannot be decoded', async () => {
    await expect(decodeImage(join(dir, 'absent.png'))).rejects.toThrow(`cannot decode image ${join(dir, 'absent.png')}: no such file`);
    const text = join(dir, 'notes.png');
    await writeFile(text, 'this is not a picture\n');
    const error = await decodeImage(text).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageDecodeError);
    expect((error as ImageDecodeError).path).toBe(text);
    expect((error as Error).message).toBe(`cannot decode image ${text}: its video stream could not be decoded (no frame size)`);
    const fakeVideo = join(dir, 'notes.mp4');
    await writeFile(fakeVideo, 'this is not a video either\n');
    await expect(decodeImage(fakeVideo)).rejects.toThrow(`cannot decode image ${fakeVideo}: Invalid data found when processing input`);
  });

  it('probes the clip the same way through ffprobe and through ffmpeg alone', async () => {
    const info = await probe(clip);
    expect(info).toMatchObject({ width: 512, height: 512, rate: { num: CLIP_FPS, den: 1 }, frames: CLIP_FRAMES, isImage: false, hasAlpha: false });
    const viaFfmpeg = await run(locateFfmpeg().path, bannerArgs(clip)).catch((e: { stderr: string }) => e);
    const banner = parseFfmpegBanner(viaFfmpeg.stderr);
    expect(banner).toMatchObject({ width: 512, height: 512, rate: info.rate, frames: info.frames, isImage: false });
    const still = parseFfprobeJson(JSON.parse((await run(locateFfprobe().path, probeArgs(ASTRONAUT))).stdout));
    expect(still).toMatchObject({ width: 512, height: 512, isImage: true, frames: 1 });
  });

  it('reads every frame of the clip at its size, matching a plain ffmpeg decode', async () => {
    const reader = await openVideo(clip);
    const frames = [];
    for await (const frame of reader.frames()) frames.push(frame);
    const reference = await rawFrames(clip, 512, 512);
    expect(frames).toHaveLength(CLIP_FRAMES);
    expect(frames.every((f) => f.width === 512 && f.height === 512)).toBe(true);
    frames.forEach((f, i) => expect(Buffer.from(f.data).equals(Buffer.from(reference[i]))).toBe(true));
  });

  it('scales and limits frames on request', async () => {
    const reader = await openVideo(clip, { size: { width: 160, height: 90 }, maxFrames: 3 });
    const frames = [];
    for await (const frame of reader.frames()) frames.push(frame);
    expect(frames.map((f) => [f.width, f.height, f.data.length])).toEqual(Array(3).fill([160, 90, 160 * 90 * 4]));
  });

  it('round-trips colours through mp4 within compression error (BT.709 both ways)', async () => {
    const astronaut = await decodeImage(ASTRONAUT);
    const path = join(dir, 'roundtrip.mp4');
    const writer = VideoWriter.open({ path, format: 'mp4', video: { width: 512, height: 512, rate: { num: 10, den: 1 } }, alpha: false });
    for (let i = 0; i < 3; i++) await writer.write({ ...astronaut, data: astronaut.data.slice() });
    await writer.finish();
    const back = await rawFrames(path, 512, 512);
    expect(back).toHaveLength(3);
    // 4:2:0 chroma subsampling alone costs about 2 levels on this photo; a wrong matrix costs over 5.
    expect(meanAbsDiff(back[0], astronaut.data, [0, 1, 2])).toBeLessThan(3);
  });

  it('keeps alpha through VP9 WebM', async () => {
    const width = 64;
    const height = 32;
    const data = new Uint8Array(width * height * 4);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) data.set([200, 40, 90, x < width / 2 ? 255 : 0], (y * width + x) * 4);
    }
    const path = join(dir, 'alpha.webm');
    const writer = VideoWriter.open({ path, format: 'webm', video: { width, height, rate: { num: 30, den: 1 } }, alpha: true });
    await writer.write({ width, height, data });
    await writer.write({ width, height, data: data.slice() });
    await writer.finish();
    const reader = await openVideo(path);
    expect(reader.info).toMatchObject({ hasAlpha: true, alphaDecoder: 'libvpx-vp9' });
    const frames = [];
    for await (const frame of reader.frames()) frames.push(frame);
    expect(frames).toHaveLength(2);
    expect(patchMean(frames[0].data, width, 8, 16, 4)).toEqual([expect.closeTo(200, -1), expect.closeTo(40, -1), expect.closeTo(90, -1), 255]);
    expect(patchMean(frames[0].data, width, 56, 16, 4)[3]).toBeLessThan(3);
  });

  it('reports a corrupt video with ffmpeg’s own reason', async () => {
    const fake = join(dir, 'fake.mp4');
    await writeFile(fake, 'not a video');
    const error = await openVideo(fake).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VideoDecodeError);
    expect((error as Error).message).toBe(`cannot decode ${fake}: Invalid data found when processing input`);
  });

  it('refuses a frame of the wrong size and reports an unwritable destination', async () => {
    const video = { width: 4, height: 4, rate: { num: 1, den: 1 } };
    const writer = VideoWriter.open({ path: join(dir, 'ok.y4m'), format: 'y4m', video, alpha: false });
    await expect(writer.write({ width: 2, height: 2, data: new Uint8Array(16) })).rejects.toThrow('frame is 2x2, the file is 4x4');
    await writer.abort();
    const nowhere = VideoWriter.open({ path: join(dir, 'no/such/folder/o.y4m'), format: 'y4m', video, alpha: false });
    const error = await nowhere.write({ width: 4, height: 4, data: new Uint8Array(64) }).then(() => nowhere.finish()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VideoEncodeError);
    expect((error as Error).message).toContain('No such file or directory');
  });
});

describe.skipIf(ASTRONAUT_MISSING)(`FfmpegChild supervision${ASTRONAUT_MISSING ? ` (skipped: ${ASTRONAUT_MISSING})` : ''}`, () => {
  let dir: string;
  let clip: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'backdrop-child-'));
    clip = await makeAstronautClip(dir, 'astronaut.y4m', CLIP_FRAMES);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reports progress parsed from stderr', async () => {
    const progress: number[] = [];
    const child = FfmpegChild.start({
      ffmpegPath: locateFfmpeg().path,
      args: decodeArgs({ input: clip }),
      outputFrameBytes: 512 * 512 * 4,
      onProgress: (p) => progress.push(p.frame),
    });
    let n = 0;
    for await (const _frame of child.frames()) n++;
    expect(n).toBe(CLIP_FRAMES);
    expect(progress.at(-1)).toBe(CLIP_FRAMES);
  });

  it('kills ffmpeg on abort and says so', async () => {
    const controller = new AbortController();
    const child = FfmpegChild.start({
      ffmpegPath: locateFfmpeg().path,
      args: decodeArgs({ input: clip }),
      outputFrameBytes: 512 * 512 * 4,
      signal: controller.signal,
    });
    const frames = child.frames();
    expect((await frames.next()).done).toBe(false);
    // Eight 1 MB frames do not fit in a pipe, so ffmpeg is still running, blocked on stdout.
    controller.abort();
    await expect(frames.next()).rejects.toThrow('ffmpeg was stopped before it finished');
    expect(child.running).toBe(false);
  });

  it('kills ffmpeg when the reader stops early', async () => {
    const child = FfmpegChild.start({ ffmpegPath: locateFfmpeg().path, args: decodeArgs({ input: clip }), outputFrameBytes: 512 * 512 * 4 });
    for await (const _frame of child.frames()) break;
    const error = await child.exited();
    expect(error?.signal).toBe('SIGKILL');
  });

  it('drops frames offered while the pipe is full instead of waiting (live sinks)', async () => {
    // -re makes ffmpeg read its input at 1 frame per second, like a slow device.
    const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-re', '-f', 'rawvideo', '-pix_fmt', 'rgba', '-video_size', '320x240', '-framerate', '1', '-i', 'pipe:0', '-f', 'null', '-'];
    const child = FfmpegChild.start({ ffmpegPath: locateFfmpeg().path, args, input: true });
    const taken = Array.from({ length: 10 }, () => child.offer(new Uint8Array(320 * 240 * 4))).filter(Boolean).length;
    expect(taken).toBe(1);
    expect(child.dropped).toBe(9);
    child.kill();
    expect((await child.exited())?.message).toBe('ffmpeg was stopped before it finished');
  });

  it('finishes cleanly and reports a non-zero exit with ffmpeg’s reason', async () => {
    const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgba', '-video_size', '63x33', '-framerate', '1', '-i', 'pipe:0', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-f', 'mp4', join(dir, 'odd.mp4')];
    const child = FfmpegChild.start({ ffmpegPath: locateFfmpeg().path, args, input: true });
    const error = await child.write(new Uint8Array(63 * 33 * 4)).then(() => child.finish()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FfmpegError);
    expect((error as FfmpegError).exitCode).not.toBe(0);
    expect((error as Error).message).toContain('width not divisible by 2');
  });

  it('says when ffmpeg cannot be started at all', async () => {
    const child = FfmpegChild.start({ ffmpegPath: join(dir, 'no-ffmpeg-here'), args: [], input: true });
    await expect(child.finish()).rejects.toThrow(`could not run ${join(dir, 'no-ffmpeg-here')}: spawn ${join(dir, 'no-ffmpeg-here')} ENOENT`);
  });
});
