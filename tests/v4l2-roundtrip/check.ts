/**
 * Judges what guest.sh read back from the loopback device: YUYV at the session's size, the "camera
 * paused" slate first, then the engine's output (backdrop replaced by green, the person kept), and a
 * run that ended cleanly with the virtual camera fed.
 * Usage: node --import tsx check.ts <first.rgba> <last.rgba> <run.json> <sysfs format>
 */
import { readFileSync } from 'node:fs';
import { pausedSlate } from '../../src/outputs/v4l2/slate';

const SIZE = 256;
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

function frame(path: string): Uint8Array {
  const data = readFileSync(path);
  if (data.length !== SIZE * SIZE * 4) fail(`${path} holds ${data.length} bytes, not one ${SIZE}x${SIZE} frame`);
  return new Uint8Array(data);
}

const [firstPath, lastPath, summaryPath, format] = process.argv.slice(2);
if (!format.startsWith(`YUYV:${SIZE}x${SIZE}`)) fail(`device format is ${format}, expected YUYV:${SIZE}x${SIZE}`);
const first = frame(firstPath);
const last = frame(lastPath);
const slate = pausedSlate(SIZE, SIZE).data;
const corner = patch(first, 8, 8);
if (corner.some((v, c) => Math.abs(v - slate[c]) > 6)) fail(`the first frame is not the slate (corner ${corner})`);
const backdrop = patch(last, BACKDROP.x, BACKDROP.y);
const suit = patch(last, SUIT.x, SUIT.y);
if (backdrop[0] > 40 || backdrop[1] < 215 || backdrop[2] > 40) fail(`the backdrop is ${backdrop}, not green`);
if (suit[1] > 200 && suit[0] < 60) fail(`the suit turned green too (${suit})`);
const summary = JSON.parse(readFileSync(summaryPath, 'utf8')) as { framesOut: number; outputs: { kind: string; error: string | null; framesWritten: number }[] };
const vcam = summary.outputs.find((o) => o.kind === 'virtual-camera');
if (!vcam || vcam.error !== null || vcam.framesWritten === 0) fail(`virtual camera output: ${JSON.stringify(vcam)}`);
console.log(`roundtrip: PASS slate first, then backdrop ${backdrop} and suit ${suit}; ${summary.framesOut} frames composited, ${vcam.framesWritten} written to the device`);
