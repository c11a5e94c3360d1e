import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as contract from '../../../src/common/contract';
import { ContractError, DEFAULT_ENGINE_CONFIG, DEFAULT_SETTINGS, IDLE_OUTPUTS_STATUS } from '../../../src/common/contract';
import { cloneable, jsonish, messages, parsesOrRefuses } from './support';

/**
 * Every parser the contract exports, fed messages near valid ones and values of any shape: it returns
 * or throws ContractError, whatever arrives on a port, over ipc or from a file.
 */

const backgrounds = [
  { kind: 'blur', strength: 0.5 },
  { kind: 'colour', rgb: [1, 2, 3] },
  { kind: 'image', path: '/a.png' },
  { kind: 'video', path: '/a.mp4' },
  { kind: 'none' },
  { kind: 'transparent' },
];
const config = { ...DEFAULT_ENGINE_CONFIG, people: 'main', faceModel: 'full' };
const frame = { id: 1, width: 2, height: 2, timestamp: 1.5, pixels: new ArrayBuffer(16) };
const stats = {
  fpsIn: 30,
  fpsOut: 29,
  dropped: 1,
  stagesMs: { segment: 4, matte: 9 },
  provider: 'cpu',
  matting: 'light',
  mattingHz: 10,
  quality: 'auto',
  latencyMs: { p50: 20, p95: 40 },
  threads: { segment: 1, matte: 1 },
  notice: 'n',
  cpuPercent: 50,
  startup: { segmenterMs: 1, mattingMs: null, autoMs: 2, autoCached: true, firstFrameMs: 3, warming: false },
};
const microphone = { kind: 'pulse', device: 'mic' };
const outputsRequest = { type: 'outputs', virtualCamera: { device: '/dev/video10' }, recording: { path: '/r.mp4', microphone }, stream: { url: 'rtmp://h/k', microphone: { kind: 'none' } } };
const entry = { id: 'a', label: 'A', background: backgrounds[0], source: 'user', thumbnail: 'data:image/png;base64,AAAA' };
const outputsView = {
  status: IDLE_OUTPUTS_STATUS,
  virtualCamera: { available: true, message: 'm', command: null, explanation: 'e', canCreate: false },
  recordingsFolder: '/rec',
  microphone,
  streamUrl: 'rtmp://h',
  streamKeySaved: true,
};
const plane = (width: number, height: number, data: Uint8Array | Float32Array) => ({ width, height, data });

/** One list of valid samples per parser; a parser added to the contract without samples here fails the first test. */
const SAMPLES: Record<string, readonly unknown[]> = {
  parseAddBackgroundRequest: [{ path: '/a.png' }],
  parseAddBackgroundResult: [
    { ok: true, entry, warning: null },
    { ok: false, code: 'unreadable', message: 'm' },
  ],
  parseBackground: backgrounds,
  parseBackgroundEntries: [[entry, { id: 'b', label: 'B', background: backgrounds[1] }]],
  parseBackgroundEntry: [entry],
  parseEngineConfig: [config],
  parseEngineError: [{ code: 'internal', message: 'm' }],
  parseFromEngine: [
    { type: 'ready', provider: 'cpu' },
    { type: 'ready', provider: 'cpu', providerNote: 'cpu (CUDA: libraries not installed)' },
    { type: 'background-changed', background: backgrounds[1] },
    { type: 'stats', stats },
    { type: 'error', error: { code: 'bad-frame', message: 'm' } },
    { type: 'stopped' },
    { type: 'output', ...frame },
  ],
  parseFromMatter: [
    { type: 'ready', provider: 'cpu', fellBack: false },
    { type: 'failed', id: 3, error: { code: 'internal', message: 'm' } },
    {
      type: 'matte',
      id: 2,
      alpha: plane(2, 1, new Float32Array(2)),
      foreground: plane(2, 1, new Uint8Array(8)),
      fit: { width: 1, height: 1, coef: new Float32Array(4), near: new Uint8Array(1), alpha: new Float32Array(1) },
    },
  ],
  parseHexColour: ['#a0B1c2'],
  parseHotkeyStatuses: [[{ action: 'nextPreset', accelerator: 'Ctrl+Alt+N', state: 'registered', message: null }]],
  parseHotkeys: [contract.DEFAULT_HOTKEYS, { ...contract.DEFAULT_HOTKEYS, nextPreset: 'Shift+F5', previousPreset: null }],
  parseMicrophone: [microphone, { kind: 'none' }],
  parseMicrophones: [[{ spec: microphone, label: 'Mic' }]],
  parseOutputsRequest: [outputsRequest, { type: 'outputs', virtualCamera: null, recording: null, stream: null }],
  parseOutputsStatus: [IDLE_OUTPUTS_STATUS],
  parseOutputsStatusMessage: [{ type: 'outputs-status', status: IDLE_OUTPUTS_STATUS }],
  parseOutputsView: [outputsView],
  parseRemoveBackgroundRequest: [{ id: 'a' }],
  parseSettings: [DEFAULT_SETTINGS],
  parseSettingsPatch: [{ matting: 'off', resolution: { width: 640, height: 360 } }, DEFAULT_SETTINGS],
  parseStreamConfigRequest: [{ url: 'rtmp://h/app', key: 'k' }, { url: 'srt://h', key: null }],
  parseToEngine: [
    { type: 'start', config },
    ...backgrounds.map((background) => ({ type: 'set-background', background })),
    { type: 'set-matting', matting: 'off' },
    { type: 'set-quality', quality: 'max' },
    { type: 'set-people', people: 'pick' },
    { type: 'set-face-model', faceModel: 'short' },
    { type: 'pick-person', x: 0.25, y: 1 },
    { type: 'stop' },
    { type: 'frame', ...frame },
  ],
  parseToEngineProcess: [{ type: 'connect' }, outputsRequest],
  parseToEngineWorker: [{ type: 'connect', port: {} }],
  parseToMatter: [
    { type: 'dispose' },
    { type: 'matte', id: 1, image: plane(2, 2, new Uint8Array(16)), trimap: plane(2, 2, new Uint8Array(4)), region: { x0: 0, y0: 0, x1: 4, y1: 4, width: 2, height: 2 } },
  ],
  parseToggleRequest: [{ on: true }],
};

/** Parsers that take a second argument get a fixed one. */
function call(name: string, input: unknown): unknown {
  const parse = (contract as unknown as Record<string, (x: unknown, ...rest: unknown[]) => unknown>)[name];
  if (name === 'parseToEngineWorker') return parse(input, (p: unknown) => typeof p === 'object' && p !== null);
  if (name === 'parseToggleRequest') return parse(input, 'outputs:record');
  if (name === 'parseHexColour') return parse(input);
  return parse(input);
}

const parsers = Object.keys(contract).filter((k) => k.startsWith('parse') && typeof (contract as Record<string, unknown>)[k] === 'function');

describe('fuzzing the contract parsers', () => {
  it('has samples for every parser the contract exports', () => {
    expect(parsers.filter((name) => !(name in SAMPLES)), 'parsers without fuzz samples: add valid messages to SAMPLES').toEqual([]);
  });

  it.each(parsers.filter((name) => name in SAMPLES))('%s returns or throws ContractError, for structured clones and JSON alike', (name) => {
    // Colours arrive as strings from a command line or a settings file.
    const inputs =
      name === 'parseHexColour'
        ? fc.oneof(fc.string({ maxLength: 9 }), fc.stringMatching(/^#[0-9a-fA-Fg-z]{0,7}$/), cloneable)
        : fc.oneof(messages(SAMPLES[name], cloneable), messages(SAMPLES[name], jsonish));
    parsesOrRefuses(inputs, (input) => call(name, input), ContractError);
  });
});
