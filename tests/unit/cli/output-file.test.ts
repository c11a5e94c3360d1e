import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CommandError } from '../../../src/cli/errors';
import { checkOutputFile } from '../../../src/cli/output-file';

describe('checkOutputFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'backdrop-output-file-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a missing folder up front, naming the flag', async () => {
    const missing = join(dir, 'nope', 'take.mp4');
    await expect(checkOutputFile(missing, false, '--record')).rejects.toThrow(CommandError);
    await expect(checkOutputFile(missing, false, '--record')).rejects.toThrow(/folder .*nope does not exist; create it first or pick another --record/);
  });

  it('refuses an existing file unless forced, as ffmpeg -n does', async () => {
    const existing = join(dir, 'take.mp4');
    writeFileSync(existing, 'x');
    await expect(checkOutputFile(existing, false)).rejects.toThrow(/already exists; pass --force to overwrite it/);
    await expect(checkOutputFile(existing, true)).resolves.toBeUndefined();
    await expect(checkOutputFile(join(dir, 'new.mp4'), false)).resolves.toBeUndefined();
  });
});
