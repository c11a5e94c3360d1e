import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../run-cli';

const exec = promisify(execFile);

/** The project's own npm settings, as npm reads them: key=value lines, comments and blanks aside. */
function npmrcKeys(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#') && !line.startsWith(';'))
    .map((line) => line.split('=')[0].trim());
}

/** npm_config_* variables an outer npm (npm test) hands down would be read as settings too. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
}

describe("the project's npm configuration", () => {
  it('.npmrc holds only settings npm knows', async () => {
    // Every setting npm defines, read where no project or user file adds keys of its own.
    const { stdout } = await exec('npm', ['config', 'ls', '--long', '--json', '--userconfig', '/dev/null'], { cwd: tmpdir(), env: cleanEnv() });
    const known = new Set(Object.keys(JSON.parse(stdout) as Record<string, unknown>));
    const keys = npmrcKeys(readFileSync(join(ROOT, '.npmrc'), 'utf8'));
    expect(keys.filter((k) => !known.has(k))).toEqual([]);
  });

  it('npm exec -- backdrop --version prints the version and no npm warning', async () => {
    const { stdout, stderr } = await exec('npm', ['exec', '--', 'backdrop', '--version'], { cwd: ROOT, env: cleanEnv() });
    expect(stdout).toMatch(/^backdrop \d+\.\d+\.\d+\n$/);
    expect(stderr).not.toMatch(/npm warn/i);
  });
});
