/**
 * The WebSocket codec for the contract. A frame or output travels as ONE binary message: a fixed
 * little-endian header followed by the RGBA bytes, so pixels never pass through JSON. Every other message
 * is JSON text. Decoders validate with the contract's parsers, so a peer gets the same checks over a
 * socket as over a MessagePort.
 *
 * Header (32 bytes):
 *   0  u8   kind      1 = frame (to the engine), 2 = output (from the engine)
 *   1  u8   version   WIRE_VERSION
 *   2  u16  reserved  0
 *   4  u32  width
 *   8  u32  height
 *   12 u32  reserved  0
 *   16 f64  id        (f64 so any safe integer fits)
 *   24 f64  timestamp
 *   32 ...  width * height * 4 bytes of RGBA
 */
import {
  ContractError,
  MAX_FRAME_HEIGHT,
  MAX_FRAME_WIDTH,
  parseFromEngine,
  parseToEngine,
  type FrameMessage,
  type FromEngine,
  type OutputMessage,
  type ToEngine,
} from './contract';

export const WIRE_VERSION = 1;
export const HEADER_BYTES = 32;
/** The largest binary message a peer may send: one maximum-size frame. Also the socket's payload cap. */
export const MAX_BINARY_BYTES = HEADER_BYTES + MAX_FRAME_WIDTH * MAX_FRAME_HEIGHT * 4;
/** Control messages are a few hundred bytes; anything far larger is a broken or hostile peer. */
export const MAX_TEXT_CHARS = 64 * 1024;

const KIND_FRAME = 1;
const KIND_OUTPUT = 2;

export class WireError extends ContractError {
  constructor(message: string) {
    super(message);
    this.name = 'WireError';
  }
}

export type PixelMessage = FrameMessage | OutputMessage;

export function encodeBinary(msg: PixelMessage): ArrayBuffer {
  const pixels = new Uint8Array(msg.pixels);
  const out = new ArrayBuffer(HEADER_BYTES + pixels.byteLength);
  const view = new DataView(out);
  view.setUint8(0, msg.type === 'frame' ? KIND_FRAME : KIND_OUTPUT);
  view.setUint8(1, WIRE_VERSION);
  view.setUint32(4, msg.width, true);
  view.setUint32(8, msg.height, true);
  view.setFloat64(16, msg.id, true);
  view.setFloat64(24, msg.timestamp, true);
  new Uint8Array(out, HEADER_BYTES).set(pixels);
  return out;
}

/**
 * Reads the header and copies the pixels into a fresh ArrayBuffer of their own: the input may be a view
 * into a larger pooled buffer (Node's ws hands out such Buffers), and the result must be transferable.
 */
export function decodeBinary(bytes: Uint8Array): PixelMessage {
  if (bytes.byteLength < HEADER_BYTES) {
    throw new WireError(`binary message of ${bytes.byteLength} bytes is shorter than the ${HEADER_BYTES}-byte header`);
  }
  if (bytes.byteLength > MAX_BINARY_BYTES) {
    throw new WireError(`binary message of ${bytes.byteLength} bytes exceeds the ${MAX_BINARY_BYTES}-byte limit`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kind = view.getUint8(0);
  if (kind !== KIND_FRAME && kind !== KIND_OUTPUT) throw new WireError(`unknown binary message kind ${kind}`);
  const version = view.getUint8(1);
  if (version !== WIRE_VERSION) throw new WireError(`wire version ${version} is not ${WIRE_VERSION}`);
  const width = view.getUint32(4, true);
  const height = view.getUint32(8, true);
  if (width > MAX_FRAME_WIDTH || height > MAX_FRAME_HEIGHT) {
    throw new WireError(`frame ${width}x${height} exceeds ${MAX_FRAME_WIDTH}x${MAX_FRAME_HEIGHT}`);
  }
  const expected = HEADER_BYTES + width * height * 4;
  if (bytes.byteLength !== expected) {
    const what = bytes.byteLength < expected ? 'truncated' : 'oversized';
    throw new WireError(`${what} ${width}x${height} frame: ${bytes.byteLength} bytes, expected ${expected}`);
  }
  // Not bytes.slice(): on a Node Buffer that is a view, and .buffer would be the whole pool.
  const pixels = new Uint8Array(expected - HEADER_BYTES);
  pixels.set(bytes.subarray(HEADER_BYTES));
  return {
    type: kind === KIND_FRAME ? 'frame' : 'output',
    id: view.getFloat64(16, true),
    width,
    height,
    timestamp: view.getFloat64(24, true),
    pixels: pixels.buffer,
  };
}

/** A frame or output becomes binary, everything else JSON text. */
export function encodeMessage(msg: ToEngine | FromEngine): string | ArrayBuffer {
  return msg.type === 'frame' || msg.type === 'output' ? encodeBinary(msg) : JSON.stringify(msg);
}

function decodeRaw(data: string | Uint8Array): unknown {
  if (typeof data !== 'string') return decodeBinary(data);
  if (data.length > MAX_TEXT_CHARS) throw new WireError(`text message of ${data.length} chars exceeds ${MAX_TEXT_CHARS}`);
  try {
    return JSON.parse(data);
  } catch {
    throw new WireError('text message is not valid JSON');
  }
}

/** What the engine side receives from a socket. Throws ContractError (or WireError) on anything invalid. */
export function decodeToEngine(data: string | Uint8Array): ToEngine {
  return parseToEngine(decodeRaw(data));
}

/** What the page receives from a socket. Throws ContractError (or WireError) on anything invalid. */
export function decodeFromEngine(data: string | Uint8Array): FromEngine {
  return parseFromEngine(decodeRaw(data));
}

// ---------------------------------------------------------------------------------------------------------
// The socket itself. Browsers cannot set headers on a WebSocket, so the token rides in the subprotocol
// list (not the URL, which ends up in logs and history); the server answers with ENGINE_PROTOCOL.

export const ENGINE_SOCKET_PATH = '/engine';
export const ENGINE_PROTOCOL = 'backdrop.v1';
export const TOKEN_PROTOCOL_PREFIX = 'backdrop-token.';
/** Subprotocol values must be RFC 7230 tokens; hex or base64url tokens of this length are plenty. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,256}$/;

export function engineSocketProtocols(token: string): string[] {
  if (!TOKEN_PATTERN.test(token)) throw new WireError('token must be 16-256 characters of [A-Za-z0-9_-]');
  return [ENGINE_PROTOCOL, TOKEN_PROTOCOL_PREFIX + token];
}

/** The token a client offered in its Sec-WebSocket-Protocol header, or null. */
export function tokenFromProtocols(header: string | undefined): string | null {
  if (!header) return null;
  for (const part of header.split(',')) {
    const p = part.trim();
    if (p.startsWith(TOKEN_PROTOCOL_PREFIX)) return p.slice(TOKEN_PROTOCOL_PREFIX.length);
  }
  return null;
}
