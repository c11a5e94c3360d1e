import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../run-cli';

describe('npm start without a runtime', () => {
  it('prints the way forward instead of a stack trace, and fails', async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
    const result = await promisify(execFile)('npm', ['start'], { cwd: ROOT, env: { ...env, ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent-electron' } }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("npm start needs Electron's runtime, and there is none at /nonexistent-electron/electron.");
    expect(result.stderr).toContain('npx backdrop --help');
    expect(result.stderr).not.toMatch(/Electron uninstall|\n\s+at /);
  }, 30_000);
});
