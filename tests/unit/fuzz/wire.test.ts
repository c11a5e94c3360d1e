import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ContractError, DEFAULT_ENGINE_CONFIG } from '../../../src/common/contract';
import { decodeFromEngine, decodeToEngine, engineSocketProtocols, HEADER_BYTES, MAX_TEXT_CHARS, tokenFromProtocols, WIRE_VERSION } from '../../../src/common/wire';
import { jsonish, messages, parsesOrRefuses, RUNS } from './support';

/**
 * The WebSocket codec, fed what a socket can deliver: text (JSON or not, huge, deeply nested) and binary
 * frames whose header and length disagree in every way. It decodes or throws ContractError (WireError).
 */

/** A binary message: header fields mostly plausible, the pixel bytes mostly the size the header implies. */
const binary = fc
  .record({
    kind: fc.oneof(fc.constantFrom(1, 2), fc.nat(255)),
    version: fc.oneof(fc.constant(WIRE_VERSION), fc.nat(255)),
    width: fc.oneof(fc.integer({ min: 0, max: 8 }), fc.nat(0xffffffff)),
    height: fc.oneof(fc.integer({ min: 0, max: 8 }), fc.nat(0xffffffff)),
    id: fc.oneof(fc.nat(), fc.double()),
    timestamp: fc.double(),
    slack: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: -40, max: 8 }) }),
    offset: fc.nat(7),
  })
  .map(({ kind, version, width, height, id, timestamp, slack, offset }) => {
    const pixels = width <= 8 && height <= 8 ? width * height * 4 : 16;
    const length = Math.max(0, HEADER_BYTES + pixels + slack);
    // A view into a larger buffer, as Node's ws hands out pooled Buffers.
    const bytes = new Uint8Array(new ArrayBuffer(length + offset), offset, length);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (length >= HEADER_BYTES) {
      view.setUint8(0, kind);
      view.setUint8(1, version);
      view.setUint32(4, width, true);
      view.setUint32(8, height, true);
      view.setFloat64(16, id, true);
      view.setFloat64(24, timestamp, true);
    }
    return bytes;
  });

const toEngineSamples = [{ type: 'start', config: DEFAULT_ENGINE_CONFIG }, { type: 'set-matting', matting: 'off' }, { type: 'pick-person', x: 0.5, y: 0.5 }, { type: 'stop' }];
const fromEngineSamples = [{ type: 'ready', provider: 'cpu' }, { type: 'error', error: { code: 'internal', message: 'm' } }, { type: 'stopped' }];

function text(samples: readonly unknown[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: messages(samples, jsonish).map((m) => JSON.stringify(m) ?? 'undefined') },
    { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 1, arbitrary: fc.nat(70_000).map((depth) => '['.repeat(depth)) },
    { weight: 1, arbitrary: fc.constant(`"${'x'.repeat(MAX_TEXT_CHARS)}"`) },
  );
}

describe('fuzzing the wire codec', () => {
  it('decodeToEngine decodes or throws ContractError, for text and binary messages', () => {
    parsesOrRefuses(fc.oneof(text(toEngineSamples), binary, fc.uint8Array({ maxLength: 80 })), decodeToEngine, ContractError);
  });

  it('decodeFromEngine decodes or throws ContractError, for text and binary messages', () => {
    parsesOrRefuses(fc.oneof(text(fromEngineSamples), binary, fc.uint8Array({ maxLength: 80 })), decodeFromEngine, ContractError);
  });

  it('reads a token from any Sec-WebSocket-Protocol header without throwing', () => {
    const header = fc.oneof(fc.string(), fc.array(fc.oneof(fc.string({ maxLength: 20 }), fc.constant('backdrop-token.abcdefghijklmnop')), { maxLength: 5 }).map((parts) => parts.join(', ')));
    fc.assert(
      fc.property(fc.option(header, { nil: undefined }), (h) => {
        const token = tokenFromProtocols(h);
        expect(token === null || typeof token === 'string').toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('engineSocketProtocols takes a token or throws ContractError', () => {
    parsesOrRefuses(fc.oneof(fc.string({ maxLength: 300 }), fc.stringMatching(/^[A-Za-z0-9_-]{10,260}$/)), engineSocketProtocols, ContractError);
  });
});
