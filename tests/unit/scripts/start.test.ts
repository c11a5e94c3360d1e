import { describe, expect, it } from 'vitest';
import { findElectron, missingElectronMessage, type ElectronLookup } from '../../../scripts/start';

function lookup(files: Record<string, string>, env: NodeJS.ProcessEnv = {}, platform: NodeJS.Platform = 'linux'): ElectronLookup {
  return { env, platform, electronDir: '/nm/electron', exists: (p) => p in files, read: (p) => files[p] ?? null };
}

describe('findElectron', () => {
  it('finds the downloaded runtime that path.txt names', () => {
    expect(findElectron(lookup({ '/nm/electron/path.txt': 'electron', '/nm/electron/dist/electron': '' }))).toEqual({ found: '/nm/electron/dist/electron' });
  });

  it('says where it looked when the download never happened', () => {
    expect(findElectron(lookup({}))).toEqual({ looked: ['/nm/electron/dist/electron'] });
    expect(findElectron(lookup({}, {}, 'darwin'))).toEqual({ looked: ['/nm/electron/dist/Electron.app/Contents/MacOS/Electron'] });
  });

  it('takes a runtime from ELECTRON_OVERRIDE_DIST_PATH or ELECTRON_EXEC_PATH', () => {
    expect(findElectron(lookup({ '/opt/e/electron': '' }, { ELECTRON_OVERRIDE_DIST_PATH: '/opt/e' }))).toEqual({ found: '/opt/e/electron' });
    expect(findElectron(lookup({}, { ELECTRON_OVERRIDE_DIST_PATH: '/opt/none' }))).toEqual({ looked: ['/opt/none/electron'] });
    expect(findElectron(lookup({ '/bin/el': '' }, { ELECTRON_EXEC_PATH: '/bin/el' }))).toEqual({ found: '/bin/el' });
  });
});

describe('missingElectronMessage', () => {
  it('names how to get a runtime, how to point at one, and the command line', () => {
    const text = missingElectronMessage(['/nm/electron/dist/electron'], 'v20.19.0');
    expect(text).toContain('/nm/electron/dist/electron');
    expect(text).toContain('npx install-electron --no');
    expect(text).toContain('Node >= 22.12; this is v20.19.0');
    expect(text).toContain('ELECTRON_OVERRIDE_DIST_PATH=');
    expect(text).toContain('npx backdrop --help');
    expect(missingElectronMessage(['/x'], 'v22.12.0')).not.toContain('this is v22');
  });
});
