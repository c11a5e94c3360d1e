import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoopbackDevice, findPkexec } from '../../../../src/outputs/v4l2/create-device';
import { V4l2SinkError } from '../../../../src/outputs/v4l2/errors';
import { DEFAULT_SETUP } from '../../../../src/outputs/v4l2/setup';

/** Stand-ins for pkexec: shell scripts that record their argv and answer as polkit and modprobe would. */
let dir: string;

function fakePkexec(name: string, body: string): string {
  const path = join(dir, name, 'pkexec');
  mkdirSync(join(dir, name));
  writeFileSync(path, `#!/bin/sh\necho "$@" > ${JSON.stringify(join(dir, name, 'argv'))}\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

async function failure(work: Promise<void>): Promise<V4l2SinkError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof V4l2SinkError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pkexec-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('createLoopbackDevice', () => {
  it('runs modprobe through pkexec with the module options', async () => {
    const pkexec = fakePkexec('ok', 'exit 0');
    await createLoopbackDevice(DEFAULT_SETUP, pkexec, false);
    expect(readFileSync(join(dir, 'ok', 'argv'), 'utf8').trim()).toBe('modprobe v4l2loopback devices=1 exclusive_caps=1 card_label=Backdrop');
  });

  it('explains a dismissed dialog and a Secure Boot refusal', async () => {
    const dismissed = await failure(createLoopbackDevice(DEFAULT_SETUP, fakePkexec('no', 'echo "Request dismissed" >&2; exit 126'), false));
    expect(dismissed.code).toBe('not-authorised');
    const secure = await failure(
      createLoopbackDevice(DEFAULT_SETUP, fakePkexec('sb', `echo "modprobe: ERROR: could not insert 'v4l2loopback': Key was rejected by service" >&2; exit 1`), false),
    );
    expect(secure.code).toBe('secure-boot');
  });

  it('says so where pkexec is not installed', async () => {
    expect(findPkexec(join(dir, 'nowhere'))).toBeNull();
    expect((await failure(createLoopbackDevice(DEFAULT_SETUP, null, false))).message).toMatch(/pkexec is not installed/);
  });
});
