/**
 * Inputs the e2e tests need: the fake camera clips (the astronaut photo, and two people, each as 2 s of
 * 640x360 video) and the built renderer. Both are made only when missing or stale, so a re-run costs nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { locateFfmpeg } from '../../src/io/ffmpeg/locate';
import { ASTRONAUT, FAKE_CAMERA_Y4M, REPO, RENDERER_DIR, TWO_PEOPLE_CLIP, TWO_PEOPLE_Y4M } from './env';

function run(cmd: string, args: string[]): void {
  const result = spawnSync(cmd, args, { cwd: REPO, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`})`);
}

function makeFakeCamera(): void {
  if (existsSync(FAKE_CAMERA_Y4M)) return;
  if (!existsSync(ASTRONAUT)) throw new Error(`${ASTRONAUT} is missing: apt-get install python3-skimage`);
  mkdirSync(dirname(FAKE_CAMERA_Y4M), { recursive: true });
  // Scale the square photo to the frame width and keep the top 360 rows (head and shoulders); zoompan at
  // a constant zoom of 1 repeats it for 60 frames, so every frame is identical and pixels can be compared.
  run(locateFfmpeg().path, [
    '-y',
    '-loglevel',
    'error',
    '-i',
    ASTRONAUT,
    '-vf',
    'scale=640:640,crop=640:360:0:0,zoompan=z=1:d=60:s=640x360:fps=30,format=yuv420p',
    '-frames:v',
    '60',
    FAKE_CAMERA_Y4M,
  ]);
}

/** Frame 5 of the two-person clip, still, so face tracks and picks hold while the fake camera loops. */
function makeTwoPeopleCamera(): void {
  if (existsSync(TWO_PEOPLE_Y4M) || !existsSync(TWO_PEOPLE_CLIP)) return;
  mkdirSync(dirname(TWO_PEOPLE_Y4M), { recursive: true });
  run(locateFfmpeg().path, [
    '-y',
    '-loglevel',
    'error',
    '-i',
    TWO_PEOPLE_CLIP,
    '-vf',
    'select=eq(n\\,5),scale=640:360,loop=loop=59:size=1,fps=30,format=yuv420p',
    '-frames:v',
    '60',
    TWO_PEOPLE_Y4M,
  ]);
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function buildRenderer(): void {
  const index = join(RENDERER_DIR, 'index.html');
  // All of src: the Electron spec also runs the built main, preload and engine.
  const sources = newestMtime(join(REPO, 'src'));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  run('npx', ['electron-vite', 'build']);
}

export default function globalSetup(): void {
  makeFakeCamera();
  makeTwoPeopleCamera();
  buildRenderer();
}
