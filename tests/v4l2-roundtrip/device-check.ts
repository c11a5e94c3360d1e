/**
 * The virtual camera against a real v4l2loopback device (run inside the guest by guest.sh): discovery
 * finds the device by its sysfs attributes, VirtualCamera writes the slate then a real photo, an
 * independent ffmpeg reads the device as a consumer would, and a second producer is refused while the
 * first is writing. The camera says idle while nobody reads it (its own ffmpeg does not count), read
 * while that ffmpeg does, and idle again after. Exits 0 and prints "roundtrip: PASS ..." on success.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readlinkSync } from 'node:fs';
import type { RgbaImage } from '../../src/frame';
import { decodeImage } from '../../src/io/image';
import { chooseLoopbackDevice, listLoopbackDevices, listVideoDevices } from '../../src/outputs/v4l2/discover';
import { VirtualCamera } from '../../src/outputs/v4l2/sink';
import { pausedSlate } from '../../src/outputs/v4l2/slate';

const ASTRONAUT = '/usr/lib/python3/dist-packages/skimage/data/astronaut.png';
const FPS = 10;
const READ_FRAMES = 40;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function fail(message: string): never {
  console.log(`roundtrip: FAIL ${message}`);
  process.exit(1);
}

/** What /proc shows open on video devices, to tell a watch that missed a reader from a reader /proc hides. */
function videoLinks(): string[] {
  const links: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (target.includes('video')) links.push(`${pid}:${target}`);
      }
    } catch {
      // Gone, or not ours to read.
    }
  }
  return links;
}

function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i += 4) for (let c = 0; c < 3; c++) sum += Math.abs(a[i + c] - b[i + c]);
  return sum / ((a.length / 4) * 3);
}

/** Frames read from the device by ffmpeg, or null while the device is not a camera yet (exclusive_caps). */
function read(device: string, frames: number, size: number): Promise<Uint8Array[] | null> {
  return new Promise((resolve) => {
    const child = spawn('ffmpeg', ['-v', 'error', '-f', 'v4l2', '-i', device, '-frames:v', String(frames), '-f', 'rawvideo', '-pix_fmt', 'rgba', 'pipe:1']);
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('close', (code) => {
      if (code !== 0) return resolve(null);
      const all = Buffer.concat(chunks);
      resolve(Array.from({ length: Math.floor(all.length / size) }, (_, i) => new Uint8Array(all.subarray(i * size, (i + 1) * size))));
    });
  });
}

async function main(): Promise<void> {
  const all = listVideoDevices();
  const loopbacks = listLoopbackDevices();
  if (loopbacks.length !== 1 || loopbacks[0].name !== 'Backdrop') fail(`expected one loopback device "Backdrop", found ${JSON.stringify(all)}`);
  const device = loopbacks[0].path;
  const photo: RgbaImage = await decodeImage(ASTRONAUT);
  const heard: { read: boolean; at: number }[] = [];
  const vcam = VirtualCamera.start({
    target: { kind: 'device', path: device },
    width: photo.width,
    height: photo.height,
    fps: FPS,
    onReaders: (read) => heard.push({ read, at: performance.now() }),
  });
  // A minute each: under TCG a look at /proc takes long, and the watch then looks less often.
  const settled = async (read: boolean) => {
    for (let i = 0; heard.at(-1)?.read !== read; i++) {
      if (i > 600) fail(`the camera never said ${read ? 'read' : 'idle'} (heard ${JSON.stringify(heard.map((h) => h.read))}; /proc links: ${videoLinks().join(', ')})`);
      await sleep(100);
    }
  };
  await settled(false);
  void vcam.ended.then((error) => error && fail(`the virtual camera stopped: ${error.code}: ${error.message}`));

  // Slate first: the device becomes readable once Backdrop writes, and shows the slate until a frame comes.
  let slateFrames: Uint8Array[] | null = null;
  while (!slateFrames) {
    slateFrames = await read(device, 2, photo.width * photo.height * 4);
    if (!slateFrames) await sleep(500);
  }
  const format = listLoopbackDevices()[0].producerFormat;
  if (!format?.startsWith(`YUYV:${photo.width}x${photo.height}`)) fail(`device format is ${format}, expected YUYV:${photo.width}x${photo.height}`);
  const second = chooseLoopbackDevice(listVideoDevices(), device);
  if (second.ok || second.reason !== 'busy') fail(`a second producer was not refused: ${JSON.stringify(second)}`);

  const feeder = setInterval(() => vcam.offer(photo), 1000 / FPS);
  const frames = (await read(device, READ_FRAMES, photo.width * photo.height * 4)) ?? fail('reading the device failed');

  // The short reads above may have been seen; a consumer that stays is seen from idle, and its leaving too.
  await settled(false);
  const consumer = spawn('ffmpeg', ['-v', 'error', '-f', 'v4l2', '-i', device, '-f', 'null', '-'], { stdio: 'ignore' });
  const opened = performance.now();
  await settled(true);
  const seenAfterMs = (heard.at(-1)?.at ?? 0) - opened;
  consumer.kill('SIGINT');
  await once(consumer, 'exit');
  await settled(false);
  clearInterval(feeder);
  await vcam.stop();

  const slate = pausedSlate(photo.width, photo.height).data;
  if (meanAbsDiff(slateFrames[0], slate) > 4) fail(`the first frame is not the slate (differs by ${meanAbsDiff(slateFrames[0], slate).toFixed(1)})`);
  const last = frames.at(-1) as Uint8Array;
  // YUYV is 4:2:2 in limited range: a few levels off the original, far from anything else.
  if (meanAbsDiff(last, photo.data) > 4) fail(`the last frame is not the photo (differs by ${meanAbsDiff(last, photo.data).toFixed(1)})`);
  console.log(`roundtrip: PASS ${device} "${loopbacks[0].name}" ${format}; slate, then the photo within ${meanAbsDiff(last, photo.data).toFixed(2)} levels; a second producer refused; a reader seen ${seenAfterMs.toFixed(0)} ms after it started, idle again once it left`);
}

await main();
