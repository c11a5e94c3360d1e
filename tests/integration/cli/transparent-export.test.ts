import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateFfmpeg } from '../../../src/io/ffmpeg/locate';
import { ASTRONAUT_MISSING, makeAstronautClip, patchMean } from '../astronaut-clip';

/**
 * Transparent export end to end: `backdrop render --background transparent` on a clip of a real person
 * writes a VP9 WebM whose alpha plane holds the matte, so an editor can put the person over anything.
 */

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const exec = promisify(execFile);
const BACKDROP = { x: 495, y: 14 };
const SUIT = { x: 150, y: 300 };

describe.skipIf(ASTRONAUT_MISSING)(`transparent video export${ASTRONAUT_MISSING ? ` (skipped: ${ASTRONAUT_MISSING})` : ''}`, () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'transparent-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a WebM whose alpha is clear over the backdrop and opaque over the person', async () => {
    const clip = await makeAstronautClip(dir, 'clip.y4m', 4);
    const out = join(dir, 'cutout.webm');
    await exec(process.execPath, [join(ROOT, 'bin/backdrop.js'), 'render', '-i', clip, '-o', out, '-b', 'transparent', '--threads', '1'], { cwd: ROOT });
    // ffmpeg's native VP9 decoder drops the alpha plane; libvpx-vp9 keeps it.
    const { stdout } = await exec(locateFfmpeg().path, ['-v', 'error', '-c:v', 'libvpx-vp9', '-i', out, '-f', 'rawvideo', '-pix_fmt', 'rgba', 'pipe:1'], {
      encoding: 'buffer',
      maxBuffer: 1 << 26,
    });
    const size = 512 * 512 * 4;
    expect(stdout.length).toBe(4 * size);
    for (let i = 0; i < 4; i++) {
      const frame = new Uint8Array(stdout.subarray(i * size, (i + 1) * size));
      expect(patchMean(frame, 512, BACKDROP.x, BACKDROP.y, 4)[3], `frame ${i} backdrop alpha`).toBeLessThan(20);
      expect(patchMean(frame, 512, SUIT.x, SUIT.y, 4)[3], `frame ${i} suit alpha`).toBeGreaterThan(235);
    }
  });
});
