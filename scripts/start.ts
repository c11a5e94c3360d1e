// `npm start`: the window through electron-vite, once Electron's runtime is known to be there. Without the
// runtime electron-vite ends in "Error: Electron uninstall" and a stack trace; this says how to get one.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ElectronLookup {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** node_modules/electron: its path.txt names the executable inside dist/ once the download is done. */
  electronDir: string;
  exists(path: string): boolean;
  read(path: string): string | null;
}

/** Electron's name for its executable inside a runtime folder, as its install script writes path.txt. */
function executableName(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  return platform === 'win32' ? 'electron.exe' : 'electron';
}

/**
 * Where the Electron executable is, looked for as electron and electron-vite do: ELECTRON_EXEC_PATH, else
 * ELECTRON_OVERRIDE_DIST_PATH, else the download in node_modules/electron/dist; where it looked when it
 * is not there.
 */
export function findElectron(lookup: ElectronLookup): { found: string } | { looked: string[] } {
  const { env, electronDir } = lookup;
  const named = lookup.read(join(electronDir, 'path.txt'))?.trim() || null;
  const candidate = env.ELECTRON_EXEC_PATH
    ? env.ELECTRON_EXEC_PATH
    : env.ELECTRON_OVERRIDE_DIST_PATH
      ? join(env.ELECTRON_OVERRIDE_DIST_PATH, named ?? executableName(lookup.platform))
      : join(electronDir, 'dist', named ?? executableName(lookup.platform));
  return lookup.exists(candidate) ? { found: candidate } : { looked: [candidate] };
}

/** What to do next, when there is no runtime: get one, point at one, or use the command line. */
export function missingElectronMessage(looked: readonly string[], nodeVersion: string): string {
  const major = Number(/^v?(\d+)/.exec(nodeVersion)?.[1] ?? 0);
  return [
    `npm start needs Electron's runtime, and there is none at ${looked.join(', ')}.`,
    'Get it with one of:',
    `  npx install-electron --no          downloads it into node_modules/electron${major < 22 ? ` (Electron 45's download asks for Node >= 22.12; this is ${nodeVersion})` : ''}`,
    '  ELECTRON_OVERRIDE_DIST_PATH=/path/to/electron-folder npm start    uses one you already have',
    'The command line needs no Electron: npx backdrop --help',
  ].join('\n');
}

async function main(): Promise<number> {
  const require = createRequire(import.meta.url);
  const electronDir = dirname(require.resolve('electron/package.json'));
  const electron = findElectron({
    env: process.env,
    platform: process.platform,
    electronDir,
    exists: existsSync,
    read: (path) => (existsSync(path) ? readFileSync(path, 'utf8') : null),
  });
  if ('looked' in electron) {
    console.error(missingElectronMessage(electron.looked, process.version));
    return 1;
  }
  const cli = join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  // electron-vite reads ELECTRON_EXEC_PATH and nothing else; an ELECTRON_OVERRIDE_DIST_PATH becomes it here.
  const child = spawn(process.execPath, [cli, 'dev', ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, ELECTRON_EXEC_PATH: electron.found },
  });
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = await main();
