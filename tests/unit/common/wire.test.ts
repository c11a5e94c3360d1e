import { describe, expect, it } from 'vitest';
import { ContractError, MAX_FRAME_HEIGHT, MAX_FRAME_WIDTH, type FrameMessage } from '../../../src/common/contract';
import {
  HEADER_BYTES,
  MAX_BINARY_BYTES,
  MAX_TEXT_CHARS,
  WireError,
  decodeBinary,
  decodeFromEngine,
  decodeToEngine,
  encodeBinary,
  encodeMessage,
  engineSocketProtocols,
  tokenFromProtocols,
} from '../../../src/common/wire';

function frame2x2(): FrameMessage {
  // Pixel i holds bytes [i*4, i*4+1, i*4+2, i*4+3] so any reordering or offset shows.
  const pixels = new Uint8Array(16).map((_, i) => i).buffer;
  return { type: 'frame', id: 7, width: 2, height: 2, timestamp: 1234.5, pixels };
}

describe('binary frames', () => {
  it('lays the header out little-endian at the documented offsets', () => {
    const bytes = new Uint8Array(encodeBinary(frame2x2()));
    expect(bytes.byteLength).toBe(HEADER_BYTES + 16);
    const view = new DataView(bytes.buffer);
    expect(view.getUint8(0)).toBe(1);
    expect(view.getUint8(1)).toBe(1);
    expect(view.getUint32(4, true)).toBe(2);
    expect(view.getUint32(8, true)).toBe(2);
    expect(view.getFloat64(16, true)).toBe(7);
    expect(view.getFloat64(24, true)).toBe(1234.5);
    expect([...bytes.subarray(HEADER_BYTES)]).toEqual([...Array(16).keys()]);
  });

  it('round-trips a frame and an output', () => {
    const back = decodeToEngine(new Uint8Array(encodeBinary(frame2x2())));
    expect(back).toMatchObject({ type: 'frame', id: 7, width: 2, height: 2, timestamp: 1234.5 });
    expect([...new Uint8Array((back as FrameMessage).pixels)]).toEqual([...Array(16).keys()]);

    const out = decodeFromEngine(new Uint8Array(encodeBinary({ ...frame2x2(), type: 'output', id: 9 })));
    expect(out).toMatchObject({ type: 'output', id: 9 });
  });

  it('copies pixels out of a view into a larger buffer, so they can be transferred alone', () => {
    const encoded = new Uint8Array(encodeBinary(frame2x2()));
    const pooled = new Uint8Array(encoded.byteLength + 10);
    pooled.set(encoded, 5);
    const msg = decodeBinary(pooled.subarray(5, 5 + encoded.byteLength));
    expect(msg.pixels.byteLength).toBe(16);
    expect(new Uint8Array(msg.pixels)[15]).toBe(15);
  });

  it('copies pixels out of a pooled Node Buffer, whose slice() is a view', () => {
    const encoded = Buffer.from(encodeBinary(frame2x2()));
    const pooled = Buffer.concat([Buffer.alloc(8, 1), encoded, Buffer.alloc(8, 2)]);
    const msg = decodeBinary(pooled.subarray(8, 8 + encoded.byteLength));
    expect([...new Uint8Array(msg.pixels)]).toEqual([...Array(16).keys()]);
  });

  it('rejects a message shorter than the header', () => {
    expect(() => decodeBinary(new Uint8Array(HEADER_BYTES - 1))).toThrow(/shorter than the 32-byte header/);
  });

  it('rejects a truncated frame', () => {
    const bytes = new Uint8Array(encodeBinary(frame2x2()));
    expect(() => decodeBinary(bytes.subarray(0, bytes.byteLength - 1))).toThrow(/truncated 2x2 frame: 47 bytes, expected 48/);
  });

  it('rejects trailing bytes after the pixels', () => {
    const bytes = new Uint8Array(encodeBinary(frame2x2()));
    const longer = new Uint8Array(bytes.byteLength + 4);
    longer.set(bytes);
    expect(() => decodeBinary(longer)).toThrow(/oversized 2x2 frame: 52 bytes, expected 48/);
  });

  it('rejects dimensions beyond the contract before trusting them for a size', () => {
    const bytes = new Uint8Array(encodeBinary(frame2x2()));
    new DataView(bytes.buffer).setUint32(4, MAX_FRAME_WIDTH + 1, true);
    expect(() => decodeBinary(bytes)).toThrow(new RegExp(`exceeds ${MAX_FRAME_WIDTH}x${MAX_FRAME_HEIGHT}`));
  });

  it('rejects a message over the size cap without reading it', () => {
    expect(() => decodeBinary(new Uint8Array(MAX_BINARY_BYTES + 1))).toThrow(/exceeds the \d+-byte limit/);
  });

  it('rejects an unknown kind or version', () => {
    const bytes = new Uint8Array(encodeBinary(frame2x2()));
    bytes[0] = 3;
    expect(() => decodeBinary(bytes)).toThrow(/unknown binary message kind 3/);
    bytes[0] = 1;
    bytes[1] = 2;
    expect(() => decodeBinary(bytes)).toThrow(/wire version 2 is not 1/);
  });

  it('lets the contract refuse an output sent towards the engine', () => {
    const output = new Uint8Array(encodeBinary({ ...frame2x2(), type: 'output' }));
    expect(() => decodeToEngine(output)).toThrow(ContractError);
  });

  it('throws WireError, a ContractError, so one catch covers both layers', () => {
    expect(() => decodeBinary(new Uint8Array(4))).toThrow(WireError);
    expect(() => decodeBinary(new Uint8Array(4))).toThrow(ContractError);
  });
});

describe('text messages', () => {
  it('sends control messages as JSON and reads them back validated', () => {
    const text = encodeMessage({ type: 'set-background', background: { kind: 'colour', rgb: [0, 255, 0] } });
    expect(typeof text).toBe('string');
    expect(decodeToEngine(text as string)).toEqual({ type: 'set-background', background: { kind: 'colour', rgb: [0, 255, 0] } });
  });

  it('sends frames as binary, never as text', () => {
    expect(encodeMessage(frame2x2())).toBeInstanceOf(ArrayBuffer);
  });

  it('rejects invalid JSON, oversized text and a frame smuggled in as JSON', () => {
    expect(() => decodeToEngine('{"type":')).toThrow(/not valid JSON/);
    expect(() => decodeToEngine(' '.repeat(MAX_TEXT_CHARS + 1))).toThrow(/exceeds/);
    expect(() => decodeToEngine(JSON.stringify({ type: 'frame', id: 1, width: 2, height: 2, timestamp: 0, pixels: [] }))).toThrow(
      /pixels must be an ArrayBuffer/,
    );
  });

  it('validates what comes from the engine too', () => {
    expect(decodeFromEngine('{"type":"ready","provider":"cpu"}')).toEqual({ type: 'ready', provider: 'cpu' });
    expect(() => decodeFromEngine('{"type":"error","error":{"code":"nope","message":"x"}}')).toThrow(/error code must be one of/);
  });
});

describe('socket protocols', () => {
  it('carries the token as a subprotocol and reads it back from the header', () => {
    const token = 'a'.repeat(32);
    const protocols = engineSocketProtocols(token);
    expect(protocols).toEqual(['backdrop.v1', `backdrop-token.${token}`]);
    expect(tokenFromProtocols(protocols.join(', '))).toBe(token);
  });

  it('finds no token where none was offered', () => {
    expect(tokenFromProtocols(undefined)).toBeNull();
    expect(tokenFromProtocols('backdrop.v1')).toBeNull();
  });

  it('refuses tokens that are short or could break the header', () => {
    expect(() => engineSocketProtocols('short')).toThrow(WireError);
    expect(() => engineSocketProtocols('a'.repeat(20) + ', evil')).toThrow(/token must be/);
  });
});
