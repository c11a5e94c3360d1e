import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContractError, DEFAULT_SETTINGS, type AppSettings } from '../../../src/common/contract';
import {
  SettingsStore,
  SettingsWriteError,
  applySettingsPatch,
  corruptFileName,
  loadSettings,
  saveSettings,
} from '../../../src/main/settings';

const NOW = new Date('2025-01-02T03:04:05.678Z');

describe('settings file', () => {
  let dir: string;
  let file: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'settings-'));
    file = join(dir, 'settings.json');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('uses defaults on first run without a word to the user', async () => {
    expect(await loadSettings(file)).toEqual({ settings: DEFAULT_SETTINGS, problem: null });
  });

  it('round-trips what it saved', async () => {
    const settings: AppSettings = { ...DEFAULT_SETTINGS, cameraId: 'cam-2', background: { kind: 'colour', rgb: [1, 2, 3] } };
    await saveSettings(file, settings);
    expect(await loadSettings(file)).toEqual({ settings, problem: null });
  });

  it('leaves no temp file behind after a save', async () => {
    await saveSettings(file, DEFAULT_SETTINGS);
    expect(await readdir(dir)).toEqual(['settings.json']);
  });

  it('creates the folder when userData does not exist yet', async () => {
    const nested = join(dir, 'a', 'b', 'settings.json');
    await saveSettings(nested, DEFAULT_SETTINGS);
    expect(JSON.parse(await readFile(nested, 'utf8'))).toEqual(DEFAULT_SETTINGS);
  });

  it('moves a file that is not JSON aside, uses defaults and says so', async () => {
    await writeFile(file, '{"cameraId": nul');
    const loaded = await loadSettings(file, NOW);
    expect(loaded.settings).toEqual(DEFAULT_SETTINGS);
    expect(loaded.problem).toMatch(/not valid JSON/);
    expect(loaded.problem).toContain('settings.json.corrupt-2025-01-02T03-04-05.678Z');
    expect(await readdir(dir)).toEqual(['settings.json.corrupt-2025-01-02T03-04-05.678Z']);
    expect(await readFile(join(dir, 'settings.json.corrupt-2025-01-02T03-04-05.678Z'), 'utf8')).toBe('{"cameraId": nul');
  });

  it('moves aside a file that parses but fails the schema, naming the field', async () => {
    await writeFile(file, JSON.stringify({ ...DEFAULT_SETTINGS, resolution: { width: 123, height: 45 } }));
    const loaded = await loadSettings(file, NOW);
    expect(loaded.settings).toEqual(DEFAULT_SETTINGS);
    expect(loaded.problem).toMatch(/resolution must be one of 640x360, 1280x720/);
  });

  it('takes the default for a setting added later (start in tray) and keeps the rest', async () => {
    const file = join(dir, 'older.json');
    const { startInTray: _, ...older } = { ...DEFAULT_SETTINGS, mirrorPreview: false };
    await writeFile(file, JSON.stringify(older));
    const loaded = await loadSettings(file, NOW);
    expect(loaded).toEqual({ settings: { ...DEFAULT_SETTINGS, mirrorPreview: false, startInTray: false }, problem: null });
  });

  it('loads a file written before the people settings existed: everyone stays, short-range faces', async () => {
    const file = join(dir, 'before-people.json');
    const { people: _p, faceModel: _f, ...older } = { ...DEFAULT_SETTINGS, mirrorPreview: false };
    await writeFile(file, JSON.stringify(older));
    expect(await loadSettings(file, NOW)).toEqual({ settings: { ...DEFAULT_SETTINGS, mirrorPreview: false, people: 'all', faceModel: 'short' }, problem: null });
  });

  it('keeps the people mode and face model across a save and a load', async () => {
    const file = join(dir, 'people.json');
    await saveSettings(file, { ...DEFAULT_SETTINGS, people: 'pick', faceModel: 'full' });
    expect((await loadSettings(file, NOW)).settings).toEqual({ ...DEFAULT_SETTINGS, people: 'pick', faceModel: 'full' });
  });

  it('treats a file missing a key as invalid rather than guessing', async () => {
    const { mirrorPreview: _, ...partial } = DEFAULT_SETTINGS;
    await writeFile(file, JSON.stringify(partial));
    expect((await loadSettings(file, NOW)).problem).toMatch(/settings lack mirrorPreview/);
  });

  it('moves aside a file cut off mid-write and keeps its bytes for inspection', async () => {
    const whole = JSON.stringify(DEFAULT_SETTINGS, null, 2);
    const truncated = whole.slice(0, Math.floor(whole.length / 2));
    await writeFile(file, truncated);
    const loaded = await loadSettings(file, NOW);
    expect(loaded).toEqual({
      settings: DEFAULT_SETTINGS,
      problem: `Settings were invalid (not valid JSON); the file was moved to ${corruptFileName(file, NOW)} and defaults are in use.`,
    });
    expect(await readFile(corruptFileName(file, NOW), 'utf8')).toBe(truncated);
  });

  it.each([
    ['an empty file', '', /not valid JSON/],
    ['binary garbage', '\u0000\u0001\u00ff PNG', /not valid JSON/],
    ['a list instead of an object', '[]', /settings must be an object/],
    ['null', 'null', /settings must be an object/],
    ['an unknown key', JSON.stringify({ ...DEFAULT_SETTINGS, theme: 'dark' }), /unknown setting "theme"/],
    ['a background with an empty path', JSON.stringify({ ...DEFAULT_SETTINGS, background: { kind: 'image', path: '' } }), /image background path must be a non-empty path/],
    ['a hotkey without a modifier', JSON.stringify({ ...DEFAULT_SETTINGS, hotkeys: { ...DEFAULT_SETTINGS.hotkeys, backgroundOff: 'B' } }), /backgroundOff: hotkey "B" needs Ctrl/],
    ['two actions on one hotkey', JSON.stringify({ ...DEFAULT_SETTINGS, hotkeys: { ...DEFAULT_SETTINGS.hotkeys, toggleRecording: 'Ctrl+Alt+B', backgroundOff: 'Control+Alt+B' } }), /backgroundOff and toggleRecording press the same keys/],
    ['an unknown hotkey action', JSON.stringify({ ...DEFAULT_SETTINGS, hotkeys: { ...DEFAULT_SETTINGS.hotkeys, selfDestruct: 'Ctrl+Alt+X' } }), /hotkey action must be one of/],
    ['a people mode the app does not know', JSON.stringify({ ...DEFAULT_SETTINGS, people: 'me' }), /people must be one of all, main, pick/],
    ['a face model the app does not know', JSON.stringify({ ...DEFAULT_SETTINGS, faceModel: 'long' }), /face model must be one of short, full/],
    ['a file written before hotkeys existed', JSON.stringify({ ...DEFAULT_SETTINGS, hotkeys: undefined }), /settings lack hotkeys/],
  ])('moves aside %s, uses defaults and names the problem', async (_what, text, reason) => {
    await writeFile(file, text);
    const loaded = await loadSettings(file, NOW);
    expect(loaded.settings).toEqual(DEFAULT_SETTINGS);
    expect(loaded.problem).toMatch(reason);
    expect(loaded.problem).toContain(corruptFileName(file, NOW));
    expect(await readdir(dir)).toEqual([basename(corruptFileName(file, NOW))]);
  });

  it('never overwrites the moved-aside file with the next save', async () => {
    await writeFile(file, '{"cameraId": nul');
    const { store, problem } = await SettingsStore.open(file, NOW);
    expect(problem).toMatch(/not valid JSON/);
    await store.update({ mirrorPreview: false });
    expect(await readFile(corruptFileName(file, NOW), 'utf8')).toBe('{"cameraId": nul');
    expect((await loadSettings(file)).settings).toEqual({ ...DEFAULT_SETTINGS, mirrorPreview: false });
  });

  it('reports a path it cannot read without moving anything', async () => {
    await mkdir(file);
    const loaded = await loadSettings(file, NOW);
    expect(loaded.settings).toEqual(DEFAULT_SETTINGS);
    expect(loaded.problem).toMatch(/could not be read/);
    expect(await readdir(dir)).toEqual(['settings.json']);
  });

  it('refuses to write invalid settings', async () => {
    await expect(saveSettings(file, { ...DEFAULT_SETTINGS, quality: 'ultra' } as unknown as AppSettings)).rejects.toThrow(ContractError);
  });

  it('wraps an I/O failure in a typed error and cleans up', async () => {
    await mkdir(file);
    await expect(saveSettings(file, DEFAULT_SETTINGS)).rejects.toThrow(SettingsWriteError);
    expect(await readdir(dir)).toEqual(['settings.json']);
  });

  it('names corrupt files with a Windows-safe time', () => {
    expect(corruptFileName('/x/s.json', NOW)).toBe('/x/s.json.corrupt-2025-01-02T03-04-05.678Z');
  });
});

describe('settings patches', () => {
  it('applies a valid patch over the current settings', () => {
    expect(applySettingsPatch(DEFAULT_SETTINGS, { mirrorPreview: false })).toEqual({ ...DEFAULT_SETTINGS, mirrorPreview: false });
  });

  it('rejects unknown keys and bad values before changing anything', () => {
    expect(() => applySettingsPatch(DEFAULT_SETTINGS, { theme: 'dark' })).toThrow(/unknown setting "theme"/);
    expect(() => applySettingsPatch(DEFAULT_SETTINGS, { background: { kind: 'blur', strength: 2 } })).toThrow(/\[0, 1\]/);
  });
});

describe('SettingsStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'settings-store-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('persists updates in the order they were made', async () => {
    const file = join(dir, 'settings.json');
    const { store, problem } = await SettingsStore.open(file);
    expect(problem).toBeNull();
    await Promise.all([store.update({ cameraId: 'a' }), store.update({ cameraId: 'b' }), store.update({ mirrorPreview: false })]);
    expect(store.get()).toMatchObject({ cameraId: 'b', mirrorPreview: false });
    expect((await loadSettings(file)).settings).toEqual(store.get());
  });

  it('brings back hotkeys, background and the rest after a restart', async () => {
    const file = join(dir, 'settings.json');
    const first = (await SettingsStore.open(file)).store;
    await first.update({ background: { kind: 'video', path: '/data/beach.mp4' } });
    await first.update({ hotkeys: { ...DEFAULT_SETTINGS.hotkeys, nextPreset: 'shift+alt+ctrl+right', toggleRecording: null } });
    const { store: second, problem } = await SettingsStore.open(file);
    expect(problem).toBeNull();
    expect(second.get()).toEqual({
      ...DEFAULT_SETTINGS,
      background: { kind: 'video', path: '/data/beach.mp4' },
      hotkeys: { ...DEFAULT_SETTINGS.hotkeys, nextPreset: 'Control+Alt+Shift+Right', toggleRecording: null },
    });
  });

  it('keeps the settings in force when a patch is invalid', async () => {
    const { store } = await SettingsStore.open(join(dir, 'settings.json'));
    await expect(store.update({ matting: 'extreme' })).rejects.toThrow(/matting must be one of off, light, full/);
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
  });
});
