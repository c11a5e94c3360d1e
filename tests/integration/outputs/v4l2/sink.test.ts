import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RgbaImage } from '../../../../src/frame';
import { decodeImage } from '../../../../src/io/image';
import { FrameSizeError } from '../../../../src/outputs/live-sink';
import { V4l2SinkError } from '../../../../src/outputs/v4l2/errors';
import { VirtualCamera } from '../../../../src/outputs/v4l2/sink';
import { pausedSlate } from '../../../../src/outputs/v4l2/slate';
import { ASTRONAUT, ASTRONAUT_MISSING, rawFrames } from '../../astronaut-clip';

/**
 * The virtual camera with its device swapped for a .y4m file: the same ffmpeg command line but for
 * the muxer, so what reaches the file is what a v4l2loopback device would get (4:2:2 at a steady rate).
 */

const FPS = 15;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < a.length; i += 4) {
    for (let c = 0; c < 3; c++) sum += Math.abs(a[i + c] - b[i + c]);
    n += 3;
  }
  return sum / n;
}

function mirrored(img: RgbaImage): Uint8Array {
  const out = new Uint8Array(img.data.length);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) out.set(img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4), (y * img.width + img.width - 1 - x) * 4);
  }
  return out;
}

/** Waits until the sink has sent at least n more frames than it had, so phases are counted in frames, not time. */
async function afterFrames(vcam: VirtualCamera, n: number): Promise<void> {
  const target = vcam.stats.written + n;
  while (vcam.stats.written < target) await sleep(10);
}

describe.skipIf(ASTRONAUT_MISSING)(`virtual camera into a .y4m stand-in${ASTRONAUT_MISSING ? ` (skipped: ${ASTRONAUT_MISSING})` : ''}`, () => {
  let dir: string;
  let person: RgbaImage;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vcam-'));
    person = await decodeImage(ASTRONAUT);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('sends the slate until the first frame, the frames unmirrored, the slate while paused, then frames again', async () => {
    const out = join(dir, 'cam.y4m');
    const vcam = VirtualCamera.start({ target: { kind: 'y4m', path: out }, width: person.width, height: person.height, fps: FPS });
    await afterFrames(vcam, 3);
    // The engine's frames arrive faster than the output rate: the clock keeps the newest and holds its rate.
    const feeder = setInterval(() => vcam.offer(person), 1000 / (FPS * 2));
    await afterFrames(vcam, 6);
    vcam.pause();
    await afterFrames(vcam, 6);
    vcam.resume();
    await afterFrames(vcam, 6);
    clearInterval(feeder);
    await vcam.stop();

    const header = readFileSync(out).subarray(0, 64).toString('latin1').split('\n')[0];
    expect(header).toMatch(new RegExp(`^YUV4MPEG2 W${person.width} H${person.height} F${FPS}:1 .*C422 `));

    const frames = await rawFrames(out, person.width, person.height);
    const slate = pausedSlate(person.width, person.height).data;
    const flipped = mirrored(person);
    const kinds = frames
      .map((f) => {
        const toPerson = meanAbsDiff(f, person.data);
        const toSlate = meanAbsDiff(f, slate);
        // 4:2:2 and limited range cost a few levels; anything near either picture is that picture.
        if (toPerson < 4) {
          expect(meanAbsDiff(f, flipped), 'the output must not be mirrored').toBeGreaterThan(20);
          return 'P';
        }
        if (toSlate < 4) return 'S';
        return `?(${toPerson.toFixed(1)}/${toSlate.toFixed(1)})`;
      })
      .join('');
    expect(kinds).toMatch(/^S+P+S+P+$/);
    expect(vcam.stats.written).toBe(frames.length);
  });

  it('refuses a frame of another size than the session was opened with', async () => {
    const vcam = VirtualCamera.start({ target: { kind: 'y4m', path: join(dir, 'size.y4m') }, width: 64, height: 48, fps: FPS });
    expect(() => vcam.offer(person)).toThrow(FrameSizeError);
    expect(() => vcam.offer(person)).toThrow('expected 64x48, got 512x512');
    await vcam.stop();
  });
});

describe('virtual camera device checks', () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'vcam-sys-'));
    const add = (n: number, name: string, loopback: boolean) => {
      const d = join(root, 'sys/class/video4linux', `video${n}`);
      mkdirSync(d, { recursive: true });
      writeFileSync(join(d, 'name'), `${name}\n`);
      if (loopback) writeFileSync(join(d, 'max_openers'), '10\n');
    };
    add(0, 'Integrated Camera', false);
    add(7, 'Backdrop', true);
    mkdirSync(join(root, 'dev'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('refuses to write to a real camera', () => {
    const roots = { sys: join(root, 'sys'), dev: join(root, 'dev') };
    const start = () => VirtualCamera.start({ target: { kind: 'device', path: join(root, 'dev/video0') }, width: 64, height: 48, fps: FPS, roots });
    expect(start).toThrow(V4l2SinkError);
    expect(start).toThrow(/is not a v4l2loopback device \(it is "Integrated Camera"\)/);
  });

  it("reports ffmpeg's failure to open the device as a typed, explained error", async () => {
    // sysfs lists video7 as a loopback device, but its node is missing: the module was just unloaded.
    const roots = { sys: join(root, 'sys'), dev: join(root, 'dev') };
    const vcam = VirtualCamera.start({ target: { kind: 'device', path: join(root, 'dev/video7') }, width: 64, height: 48, fps: FPS, roots });
    const error = await vcam.ended;
    expect(error).toBeInstanceOf(V4l2SinkError);
    expect(error?.code).toBe('no-device');
    expect(error?.message).toMatch(/video7 does not exist/);
  });
});
