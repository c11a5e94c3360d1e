import { describe, expect, it } from 'vitest';
import { ContractError, IDLE_OUTPUTS_STATUS, parseOutputsRequest, parseOutputsStatusMessage, parseStreamConfigRequest, parseToggleRequest } from '../../../../src/common/contract';

describe('outputs request', () => {
  it('accepts the wanted set of outputs', () => {
    const req = {
      type: 'outputs',
      virtualCamera: { device: '/dev/video4' },
      recording: { path: '/home/u/Videos/Backdrop 2025-01-01 10-00-00.mp4', microphone: { kind: 'pulse', device: 'default' } },
      stream: { url: 'rtmp://127.0.0.1/live/key', microphone: { kind: 'none' } },
    };
    expect(parseOutputsRequest(req)).toEqual(req);
    expect(parseOutputsRequest({ type: 'outputs', virtualCamera: null, recording: null, stream: null }).recording).toBeNull();
  });

  it('refuses a recording that is not MP4, a generated-audio "microphone" and an empty device', () => {
    const base = { type: 'outputs', virtualCamera: null, recording: null, stream: null };
    expect(() => parseOutputsRequest({ ...base, recording: { path: '/tmp/x.mkv', microphone: { kind: 'none' } } })).toThrow(/must end in .mp4/);
    // lavfi graphs can read files (movie=), so the page must never be able to name one.
    expect(() => parseOutputsRequest({ ...base, recording: { path: '/tmp/x.mp4', microphone: { kind: 'lavfi', graph: 'sine' } } })).toThrow(/microphone kind/);
    expect(() => parseOutputsRequest({ ...base, virtualCamera: { device: '' } })).toThrow(ContractError);
  });
});

describe('outputs status', () => {
  it('round-trips the idle status and rejects an unknown state', () => {
    expect(parseOutputsStatusMessage({ type: 'outputs-status', status: IDLE_OUTPUTS_STATUS }).status).toEqual(IDLE_OUTPUTS_STATUS);
    const bad = { ...IDLE_OUTPUTS_STATUS, stream: { ...IDLE_OUTPUTS_STATUS.stream, state: 'buffering' } };
    expect(() => parseOutputsStatusMessage({ type: 'outputs-status', status: bad })).toThrow(/stream state must be one of/);
  });
});

describe('page requests', () => {
  it('toggles take exactly { on: boolean }', () => {
    expect(parseToggleRequest({ on: true }, 'outputs:recording')).toEqual({ on: true });
    expect(() => parseToggleRequest({ on: 'yes' }, 'outputs:recording')).toThrow('outputs:recording takes { on: boolean }');
    expect(() => parseToggleRequest({ on: true, path: '/etc/passwd' }, 'outputs:recording')).toThrow(ContractError);
  });

  it('stream config trims the URL and keeps a null key as "keep the saved one"', () => {
    expect(parseStreamConfigRequest({ url: ' rtmp://h/live ', key: null })).toEqual({ url: 'rtmp://h/live', key: null });
    expect(() => parseStreamConfigRequest({ url: 'rtmp://h/live', key: 5 })).toThrow(/key must be a string/);
  });
});
