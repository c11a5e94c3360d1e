import { describe, expect, it } from 'vitest';
import {
  IPC_CHANNELS,
  PAGE_IPC_CHANNELS,
  parseAddBackgroundRequest,
  parseAddBackgroundResult,
  parseBackgroundEntry,
  parseRemoveBackgroundRequest,
} from '../../../../src/common/contract';
import { remoteErrorMessage } from '../../../../src/renderer/host/electron';

const PNG_URL = 'data:image/png;base64,iVBORw0KGgo=';

describe('background entries with thumbnails', () => {
  it('keeps source and a PNG data URL thumbnail', () => {
    const entry = { id: 'user:a.png', label: 'A', background: { kind: 'image', path: '/d/a.png' }, source: 'user', thumbnail: PNG_URL };
    expect(parseBackgroundEntry(entry)).toEqual(entry);
  });

  it('refuses a thumbnail that is not a small PNG data URL, or an unknown source', () => {
    const base = { id: 'x', label: 'X', background: { kind: 'none' } };
    expect(() => parseBackgroundEntry({ ...base, thumbnail: 'https://example.com/t.png' })).toThrow(/thumbnail must be a data:image\/png;base64, URL/);
    expect(() => parseBackgroundEntry({ ...base, thumbnail: 'data:text/html;base64,PHNjcmlwdD4=' })).toThrow(/thumbnail/);
    expect(() => parseBackgroundEntry({ ...base, thumbnail: PNG_URL + 'A'.repeat(1_000_000) })).toThrow(/under 1000000 characters/);
    expect(() => parseBackgroundEntry({ ...base, source: 'internet' })).toThrow(/background source must be one of bundled, user/);
  });
});

describe('add and remove requests', () => {
  it('takes exactly a path, or exactly an id', () => {
    expect(parseAddBackgroundRequest({ path: '/home/me/beach.jpg' })).toEqual({ path: '/home/me/beach.jpg' });
    expect(() => parseAddBackgroundRequest({ path: 'a\0b' })).toThrow(/dropped file path/);
    expect(() => parseAddBackgroundRequest('/home/me/beach.jpg')).toThrow(/takes \{ path \}/);
    expect(parseRemoveBackgroundRequest({ id: 'user:beach.jpg' })).toEqual({ id: 'user:beach.jpg' });
    expect(() => parseRemoveBackgroundRequest({ id: '' })).toThrow(/takes \{ id \}/);
  });

  it('validates both shapes of the result', () => {
    const added = { ok: true, entry: { id: 'user:a.png', label: 'A', background: { kind: 'image', path: '/d/a.png' } }, warning: null };
    expect(parseAddBackgroundResult(added)).toEqual(added);
    expect(parseAddBackgroundResult({ ok: false, code: 'not-media', message: 'no' })).toEqual({ ok: false, code: 'not-media', message: 'no' });
    expect(() => parseAddBackgroundResult({ ok: false, code: 'too-pretty', message: 'no' })).toThrow(/add-background refusal must be one of/);
    expect(() => parseAddBackgroundResult({ ok: true, entry: added.entry, warning: 7 })).toThrow(/warning must be a string or null/);
  });

  it('keeps backgrounds:add away from the page: only the preload sends it', () => {
    expect(IPC_CHANNELS).toContain('backgrounds:add');
    expect(PAGE_IPC_CHANNELS).not.toContain('backgrounds:add');
    expect(PAGE_IPC_CHANNELS).toEqual(IPC_CHANNELS.filter((c) => c !== 'backgrounds:add'));
  });
});

describe("main's errors as the page shows them", () => {
  it("drops Electron's wrapper and the error class", () => {
    expect(remoteErrorMessage(new Error("Error invoking remote method 'backgrounds:remove': UserBackgroundError: beach.png is the background in use"))).toBe(
      'beach.png is the background in use',
    );
    expect(remoteErrorMessage(new Error("Error invoking remote method 'settings:update': Error: disk full"))).toBe('disk full');
    expect(remoteErrorMessage('plain')).toBe('plain');
  });
});
