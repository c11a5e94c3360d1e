import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CommandError } from '../../../src/cli/errors';
import { parseRunArgs, type RunOptions } from '../../../src/cli/run/args';
import { checkRunUpFront } from '../../../src/cli/run/up-front';

const dir = mkdtempSync(join(tmpdir(), 'up-front-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function options(argv: string[]): RunOptions {
  const parsed = parseRunArgs(argv, {});
  if ('help' in parsed) throw new Error('help');
  return parsed;
}

/** The CommandError's message, or null when the check passed. */
async function refusal(argv: string[]): Promise<string | null> {
  try {
    await checkRunUpFront(options(argv));
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(CommandError);
    return (error as Error).message;
  }
}

describe('checkRunUpFront', () => {
  const camera = join(dir, 'camera.mp4');
  writeFileSync(camera, '');

  it('passes a run it cannot fault at a glance', async () => {
    expect(await refusal(['--camera', camera, '--record', join(dir, 'take.mp4')])).toBeNull();
  });

  it('refuses a recording into a missing folder, or over a file without --force', async () => {
    expect(await refusal(['--camera', camera, '--record', join(dir, 'missing', 'take.mp4')])).toMatch(/missing does not exist/);
    const existing = join(dir, 'existing.mp4');
    writeFileSync(existing, 'keep');
    expect(await refusal(['--camera', camera, '--record', existing])).toMatch(/already exists; pass --force/);
    expect(await refusal(['--camera', camera, '--record', existing, '--force'])).toBeNull();
  });

  it('refuses a camera device that is not there, naming backdrop cameras', async () => {
    expect(await refusal(['--camera', '/dev/video-backdrop-missing'])).toMatch(/backdrop cameras/);
  });

  it('refuses a .y4m camera larger than the engine takes, naming --size', async () => {
    const wide = join(dir, 'wide.y4m');
    writeFileSync(wide, 'YUV4MPEG2 W3842 H16 F10:1 Ip A1:1 C420jpeg\n');
    expect(await refusal(['--camera', wide])).toMatch(/3842x16, larger than .*--size/);
  });
});
