/**
 * Judges what guest.sh read back from the loopback device: YUYV at the session's size, the "camera
 * paused" slate first, then the engine's output with the backdrop replaced by green, and a clean run.
 * Usage: node --import tsx check.ts <frames.rgba> <run.json> <sysfs format>
 */
import { readFileSync } from 'node:fs';
import { pausedSlate } from '../../src/sinks/v4l2/slate';

const SIZE = 512;
const BACKDROP = { x: 495, y: 14 };
const SUIT = { x: 150, y: 300 };

function patch(frame: Uint8Array, cx: number, cy: number): number[] {
  const sum = [0, 0, 0];
  let n = 0;
  for (let y = cy - 4; y <= cy + 4; y++)
    for (let x = cx - 4; x <= cx + 4; x++) {
      for (let c = 0; c < 3; c++) sum[c] += frame[(y * SIZE + x) * 4 + c];
      n++;
    }
  return sum.map((s) => s / n);
}

function fail(message: string): never {
  console.log(`roundtrip: FAIL ${message}`);
  process.exit(1);
}

const [framesPath, summaryPath, format] = process.argv.slice(2);
if (!format.startsWith(`YUYV:${SIZE}x${SIZE}`)) fail(`device format is ${format}, expected YUYV:${SIZE}x${SIZE}`);
const data = readFileSync(framesPath);
const frameBytes = SIZE * SIZE * 4;
const frames = Array.from({ length: Math.floor(data.length / frameBytes) }, (_, i) => new Uint8Array(data.subarray(i * frameBytes, (i + 1) * frameBytes)));
if (frames.length === 0) fail('no frames came out of the device');
const slate = pausedSlate(SIZE, SIZE).data;
const isSlate = (f: Uint8Array) => patch(f, 8, 8).every((v, c) => Math.abs(v - slate[c]) < 6);
const last = frames.at(-1) as Uint8Array;
const backdrop = patch(last, BACKDROP.x, BACKDROP.y);
const suit = patch(last, SUIT.x, SUIT.y);
if (!isSlate(frames[0])) fail(`the first frame is not the slate (corner ${patch(frames[0], 8, 8).map(Math.round)})`);
if (Math.abs(backdrop[0]) > 30 || Math.abs(backdrop[1] - 255) > 30 || Math.abs(backdrop[2]) > 30) fail(`backdrop is ${backdrop.map(Math.round)}, not green`);
if (suit[1] > 200 && suit[0] < 60) fail(`the suit turned green too (${suit.map(Math.round)})`);
const summary = JSON.parse(readFileSync(summaryPath, 'utf8')) as { framesOut: number; outputs: { kind: string; error: string | null; framesWritten: number }[] };
const vcam = summary.outputs.find((o) => o.kind === 'virtual-camera');
if (!vcam || vcam.error !== null || vcam.framesWritten === 0) fail(`virtual camera output: ${JSON.stringify(vcam)}`);
console.log(`roundtrip: PASS ${frames.length} frames read (${frames.filter(isSlate).length} slate), backdrop ${backdrop.map(Math.round)}, ${summary.framesOut} composited`);
