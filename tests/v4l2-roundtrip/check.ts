/**
 * Judges what guest.sh read back from the loopback device: YUYV at the session's size, the "camera
 * paused" slate while the run was idle, then, once a reader stayed, the engine's output (backdrop
 * replaced by green, the person kept) within a few frames; a run that went idle, resumed for the
 * reader and went idle again, and ended cleanly with the virtual camera fed.
 * Usage: node --import tsx check.ts <first.rgba> <read.rgba> <run.json> <run.err> <sysfs format>
 */
import { readFileSync } from 'node:fs';
import { pausedSlate } from '../../src/outputs/v4l2/slate';

const SIZE = 256;
const FRAME_BYTES = SIZE * SIZE * 4;
/** The camera clip's rate, which the virtual camera keeps. */
const FPS = 10;
/** How many frames a new reader may see before the engine's: its open seen by the next look, then one camera frame through the engine. */
const MAX_RESUME_FRAMES = 10;
/** The astronaut photo scaled to 256: studio backdrop top right, spacesuit lower left. */
const BACKDROP = { x: 247, y: 7 };
const SUIT = { x: 75, y: 150 };

function patch(frame: Uint8Array, cx: number, cy: number): number[] {
  const sum = [0, 0, 0];
  let n = 0;
  for (let y = cy - 3; y <= cy + 3; y++)
    for (let x = cx - 3; x <= cx + 3; x++) {
      for (let c = 0; c < 3; c++) sum[c] += frame[(y * SIZE + x) * 4 + c];
      n++;
    }
  return sum.map((s) => Math.round(s / n));
}

function fail(message: string): never {
  console.log(`roundtrip: FAIL ${message}`);
  process.exit(1);
}

function frames(path: string): Uint8Array[] {
  const data = readFileSync(path);
  if (data.length === 0 || data.length % FRAME_BYTES !== 0) fail(`${path} holds ${data.length} bytes, not whole ${SIZE}x${SIZE} frames`);
  return Array.from({ length: data.length / FRAME_BYTES }, (_, i) => new Uint8Array(data.subarray(i * FRAME_BYTES, (i + 1) * FRAME_BYTES)));
}

const isGreen = (frame: Uint8Array) => {
  const [r, g, b] = patch(frame, BACKDROP.x, BACKDROP.y);
  return r <= 40 && g >= 215 && b <= 40;
};

const [firstPath, readPath, summaryPath, errPath, format] = process.argv.slice(2);
if (!format.startsWith(`YUYV:${SIZE}x${SIZE}`)) fail(`device format is ${format}, expected YUYV:${SIZE}x${SIZE}`);
const [first] = frames(firstPath);
const read = frames(readPath);
const slate = pausedSlate(SIZE, SIZE).data;
const corner = patch(first, 8, 8);
if (corner.some((v, c) => Math.abs(v - slate[c]) > 6)) fail(`the first frame is not the slate (corner ${corner})`);

const resumedAt = read.findIndex(isGreen);
if (resumedAt < 0) fail(`none of the ${read.length} frames the reader got has the green backdrop (last ${patch(read.at(-1) as Uint8Array, BACKDROP.x, BACKDROP.y)})`);
if (resumedAt > MAX_RESUME_FRAMES) fail(`the reader got ${resumedAt} frames before the engine's, more than ${MAX_RESUME_FRAMES}`);
const last = read.at(-1) as Uint8Array;
const suit = patch(last, SUIT.x, SUIT.y);
if (!isGreen(last)) fail(`the backdrop of the reader's last frame is ${patch(last, BACKDROP.x, BACKDROP.y)}, not green`);
if (suit[1] > 200 && suit[0] < 60) fail(`the suit turned green too (${suit})`);

const said = readFileSync(errPath, 'utf8')
  .split('\n')
  .filter((l) => l.startsWith('virtual camera'))
  .map((l) => (l.startsWith('virtual camera idle') ? 'idle' : 'read'));
const story = said.filter((s, i) => i === 0 || s !== said[i - 1]).join(' ');
if (!/^idle read( idle read)* idle$/.test(story)) fail(`the run said "${story}", not idle, read, idle`);

const summary = JSON.parse(readFileSync(summaryPath, 'utf8')) as {
  framesOut: number;
  framesIdle: number;
  outputs: { kind: string; error: string | null; framesWritten: number }[];
};
const vcam = summary.outputs.find((o) => o.kind === 'virtual-camera');
if (!vcam || vcam.error !== null || vcam.framesWritten === 0) fail(`virtual camera output: ${JSON.stringify(vcam)}`);
if (summary.framesIdle === 0) fail('no camera frame was skipped while nobody read the device');
console.log(
  `roundtrip: PASS slate while idle; a reader got the engine's frames from frame ${resumedAt} (${((resumedAt * 1000) / FPS).toFixed(0)} ms at ${FPS} fps), backdrop ${patch(last, BACKDROP.x, BACKDROP.y)} and suit ${suit}; ` +
    `${summary.framesOut} frames composited, ${summary.framesIdle} camera frames not computed while idle, ${vcam.framesWritten} written to the device`,
);
