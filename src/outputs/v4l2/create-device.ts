import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { loopbackModuleLoaded } from './discover';
import { classifyPkexecExit, V4l2SinkError } from './errors';
import { DEFAULT_SETUP, pkexecArgv, type LoopbackSetupOptions } from './setup';

/** pkexec on PATH, or null where polkit is not installed (then only the copyable command is offered). */
export function findPkexec(path = process.env.PATH ?? ''): string | null {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'pkexec');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this folder.
    }
  }
  return null;
}

/**
 * The "create it for me" button: loads v4l2loopback through pkexec, which asks for the administrator
 * password in a desktop dialog. Resolves when the module is in; throws a V4l2SinkError that says what
 * to do otherwise (dialog dismissed, Secure Boot, module not installed).
 */
export function createLoopbackDevice(
  opts: LoopbackSetupOptions = DEFAULT_SETUP,
  pkexecPath: string | null = findPkexec(),
  moduleLoaded: boolean = loopbackModuleLoaded(),
): Promise<void> {
  const argv = pkexecArgv(pkexecPath, moduleLoaded, opts);
  if (!argv) {
    return Promise.reject(new V4l2SinkError('not-authorised', 'pkexec is not installed, so Backdrop cannot ask for administrator rights; run the command shown in a terminal.'));
  }
  return new Promise((resolve, reject) => {
    execFile(argv[0], argv.slice(1), { timeout: 120_000 }, (error, _stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      const failure = classifyPkexecExit(code, String(stderr));
      if (failure) reject(failure);
      else resolve();
    });
  });
}
