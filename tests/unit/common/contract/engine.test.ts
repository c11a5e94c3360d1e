import { describe, expect, it } from 'vitest';
import {
  ContractError,
  DEFAULT_SETTINGS,
  parseBackground,
  parseFromEngine,
  parseHexColour,
  parseSettings,
  parseSettingsPatch,
  parseToEngine,
  transferablesOf,
} from '../../../../src/common/contract';

describe('contract validation', () => {
  it('parses hex colours and rejects anything else', () => {
    expect(parseHexColour('#00ff80')).toEqual([0, 255, 128]);
    expect(() => parseHexColour('00ff80')).toThrow(ContractError);
    expect(() => parseHexColour('#00ff8')).toThrow(/#rrggbb/);
  });

  it('accepts each background kind and rejects bad fields', () => {
    expect(parseBackground({ kind: 'blur', strength: 0.3 })).toEqual({ kind: 'blur', strength: 0.3 });
    expect(parseBackground({ kind: 'colour', rgb: [1, 2, 3] })).toEqual({ kind: 'colour', rgb: [1, 2, 3] });
    expect(parseBackground({ kind: 'image', path: '/a.png' })).toEqual({ kind: 'image', path: '/a.png' });
    expect(() => parseBackground({ kind: 'blur', strength: 2 })).toThrow(/\[0, 1\]/);
    expect(() => parseBackground({ kind: 'colour', rgb: [1, 2, 256] })).toThrow(ContractError);
    expect(() => parseBackground({ kind: 'image', path: '' })).toThrow(ContractError);
    expect(() => parseBackground({ kind: 'image', path: 'a\0b' })).toThrow(ContractError);
    expect(() => parseBackground({ kind: 'lava' })).toThrow(/unknown background kind/);
  });

  it('checks that frame pixels match the stated size', () => {
    const ok = { type: 'frame', id: 1, width: 2, height: 2, timestamp: 5, pixels: new ArrayBuffer(16) };
    expect(parseToEngine(ok)).toEqual(ok);
    expect(() => parseToEngine({ ...ok, pixels: new ArrayBuffer(15) })).toThrow(/needs 16/);
    expect(() => parseToEngine({ ...ok, pixels: new Uint8Array(16) })).toThrow(/ArrayBuffer/);
    expect(() => parseToEngine({ ...ok, width: 100000 })).toThrow(ContractError);
    expect(() => parseToEngine({ ...ok, id: -1 })).toThrow(ContractError);
  });

  it("reads the people mode of a start message, absent meaning 'all' as before it existed", () => {
    const config = { background: { kind: 'none' }, matting: 'off', quality: 'auto' };
    expect(parseToEngine({ type: 'start', config })).toEqual({ type: 'start', config });
    expect(parseToEngine({ type: 'start', config: { ...config, people: 'main' } })).toEqual({ type: 'start', config: { ...config, people: 'main' } });
    expect(() => parseToEngine({ type: 'start', config: { ...config, people: 'me' } })).toThrow(/people/);
    expect(parseToEngine({ type: 'set-people', people: 'main' })).toEqual({ type: 'set-people', people: 'main' });
    expect(() => parseToEngine({ type: 'set-people', people: 'everyone' })).toThrow(/people/);
    expect(parseToEngine({ type: 'pick-person', x: 0.25, y: 1 })).toEqual({ type: 'pick-person', x: 0.25, y: 1 });
    expect(() => parseToEngine({ type: 'pick-person', x: 1.5, y: 0 })).toThrow(/pick x must be in \[0, 1\], got 1.5/);
  });

  it("reads the face model of a start message, absent meaning 'short', and switches it with set-face-model", () => {
    const config = { background: { kind: 'none' }, matting: 'off', quality: 'auto' };
    expect(parseToEngine({ type: 'start', config: { ...config, faceModel: 'full' } })).toEqual({ type: 'start', config: { ...config, faceModel: 'full' } });
    expect(() => parseToEngine({ type: 'start', config: { ...config, faceModel: 'far' } })).toThrow(/face model must be one of short, full/);
    expect(parseToEngine({ type: 'set-face-model', faceModel: 'short' })).toEqual({ type: 'set-face-model', faceModel: 'short' });
    expect(() => parseToEngine({ type: 'set-face-model' })).toThrow(/face model/);
  });

  it('rejects unknown message types and non-objects', () => {
    expect(() => parseToEngine({ type: 'format-disk' })).toThrow(/unknown message type/);
    expect(() => parseToEngine(null)).toThrow(ContractError);
    expect(() => parseFromEngine({ type: 'error', error: { code: 'nope', message: 'x' } })).toThrow(ContractError);
  });

  it('transfers only frame pixels', () => {
    const pixels = new ArrayBuffer(16);
    expect(transferablesOf({ type: 'frame', id: 0, width: 2, height: 2, timestamp: 0, pixels })).toEqual([pixels]);
    expect(transferablesOf({ type: 'stop' })).toEqual([]);
  });

  it('validates settings files and patches', () => {
    expect(parseSettings(JSON.parse(JSON.stringify(DEFAULT_SETTINGS)))).toEqual(DEFAULT_SETTINGS);
    const { mirrorPreview: _omit, ...partial } = DEFAULT_SETTINGS;
    expect(() => parseSettings(partial)).toThrow(/lack mirrorPreview/);
    expect(() => parseSettingsPatch({ resolution: { width: 1920, height: 1080 } })).toThrow(/640x360/);
    expect(() => parseSettingsPatch({ evil: true })).toThrow(/unknown setting/);
    expect(parseSettingsPatch({ quality: 'auto' })).toEqual({ quality: 'auto' });
    expect(parseSettingsPatch({ people: 'pick', faceModel: 'full' })).toEqual({ people: 'pick', faceModel: 'full' });
    expect(() => parseSettingsPatch({ people: 'everyone' })).toThrow(/people must be one of all, main, pick/);
  });
});
