import { describe, expect, it } from 'vitest';
import { ContractError, parseToEngineProcess } from '../../../../src/common/contract';

describe('parseToEngineProcess', () => {
  it('takes connect, outputs and preview messages', () => {
    expect(parseToEngineProcess({ type: 'connect' })).toEqual({ type: 'connect' });
    expect(parseToEngineProcess({ type: 'preview', shown: false })).toEqual({ type: 'preview', shown: false });
    expect(parseToEngineProcess({ type: 'outputs', virtualCamera: null, recording: null, stream: null })).toEqual({
      type: 'outputs',
      virtualCamera: null,
      recording: null,
      stream: null,
    });
  });

  it('refuses a preview message without a boolean, and anything else', () => {
    for (const bad of [{ type: 'preview' }, { type: 'preview', shown: 'yes' }, { type: 'frame' }, null, 'connect']) {
      expect(() => parseToEngineProcess(bad)).toThrow(ContractError);
    }
  });
});
