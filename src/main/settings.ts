/**
 * Settings on disk: one JSON file, validated with the contract's parser on load, written atomically
 * (temp file + rename) so a crash mid-write never leaves half a file. Plain Node, no Electron: main
 * passes the path (app.getPath('userData')).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ContractError, DEFAULT_SETTINGS, parseSettings, parseSettingsPatch, type AppSettings } from '../common/contract';

export const SETTINGS_FILE_NAME = 'settings.json';

export interface LoadedSettings {
  settings: AppSettings;
  /** Set when the user must be told something: the file was unreadable and defaults are in use. */
  problem: string | null;
}

export class SettingsWriteError extends Error {
  constructor(file: string, cause: unknown) {
    super(`could not save settings to ${file}: ${(cause as Error).message ?? String(cause)}`, { cause });
    this.name = 'SettingsWriteError';
  }
}

/** Colons are not allowed in Windows file names, so the ISO time loses them. */
export function corruptFileName(file: string, now: Date): string {
  return `${file}.corrupt-${now.toISOString().replace(/:/g, '-')}`;
}

/** The settings file's text -> settings; ContractError says what is wrong with it. */
export function parseSettingsFile(text: string): AppSettings {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ContractError('not valid JSON');
  }
  return parseSettings(json);
}

/**
 * Reads and validates the settings file. A missing file means first run (defaults, nothing to say); a
 * file that does not parse or validate is moved aside, so the user's data is kept for inspection and
 * the next save does not overwrite it, and defaults are used.
 */
export async function loadSettings(file: string, now = new Date()): Promise<LoadedSettings> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { settings: DEFAULT_SETTINGS, problem: null };
    return { settings: DEFAULT_SETTINGS, problem: `Settings could not be read (${(error as Error).message}); defaults are in use.` };
  }
  let reason: string;
  try {
    return { settings: parseSettingsFile(text), problem: null };
  } catch (error) {
    reason = (error as Error).message;
  }
  const aside = corruptFileName(file, now);
  try {
    await rename(file, aside);
  } catch (error) {
    return {
      settings: DEFAULT_SETTINGS,
      problem: `Settings were invalid (${reason}) and could not be moved aside (${(error as Error).message}); defaults are in use.`,
    };
  }
  return { settings: DEFAULT_SETTINGS, problem: `Settings were invalid (${reason}); the file was moved to ${aside} and defaults are in use.` };
}

/** Writes to a sibling temp file, flushes it, then renames over the target: readers see old or new, never half. */
export async function saveSettings(file: string, settings: AppSettings): Promise<void> {
  const valid = parseSettings(settings);
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await mkdir(dirname(file), { recursive: true });
    const handle = await open(tmp, 'w', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(valid, null, 2)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    throw new SettingsWriteError(file, error);
  }
}

/** Validates an untrusted patch and applies it; throws ContractError before anything changes. */
export function applySettingsPatch(settings: AppSettings, patch: unknown): AppSettings {
  return { ...settings, ...parseSettingsPatch(patch) };
}

/**
 * The settings main holds in memory, with writes queued so two quick updates cannot race their
 * renames and leave the older one on disk.
 */
export class SettingsStore {
  private current: AppSettings;
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    initial: AppSettings,
  ) {
    this.current = initial;
  }

  static async open(file: string, now = new Date()): Promise<{ store: SettingsStore; problem: string | null }> {
    const { settings, problem } = await loadSettings(file, now);
    return { store: new SettingsStore(file, settings), problem };
  }

  get(): AppSettings {
    return this.current;
  }

  /** Applies a validated patch, persists it, and resolves with the settings now in force. */
  async update(patch: unknown): Promise<AppSettings> {
    const next = applySettingsPatch(this.current, patch);
    this.current = next;
    const write = this.writes.then(() => saveSettings(this.file, next));
    this.writes = write.catch(() => undefined);
    await write;
    return next;
  }
}
