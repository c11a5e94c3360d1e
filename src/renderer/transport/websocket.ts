import type { ToEngine } from '../../common/contract';
import { decodeFromEngine, encodeMessage, engineSocketProtocols } from '../../common/wire';
import { Listeners, type EngineTransport } from './transport';

/**
 * A frame is dropped rather than queued when the socket already holds this much: the capture side sends
 * one frame at a time, so this only trips when the link itself is slow.
 */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/** The subset of the browser WebSocket used here; `ws`'s client matches it, which lets Node tests drive it. */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  readonly bufferedAmount: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string | ArrayBuffer): void;
  close(): void;
}
export type WebSocketFactory = (url: string, protocols: string[]) => WebSocketLike;

const OPEN = 1;

/** The browser test page's transport: the loopback bridge, the token offered as a subprotocol. */
export function webSocketTransport(
  url: string,
  token: string,
  create: WebSocketFactory = (u, p) => new WebSocket(u, p) as unknown as WebSocketLike,
): EngineTransport {
  const listeners = new Listeners();
  const ws = create(url, engineSocketProtocols(token));
  ws.binaryType = 'arraybuffer';
  // Control messages sent before the socket opens ('start' right away) wait; frames do not.
  let pending: string[] = [];
  let closedByUs = false;

  ws.onopen = () => {
    pending.forEach((text) => ws.send(text));
    pending = [];
  };
  ws.onmessage = (event) => {
    try {
      const data = event.data;
      listeners.emit(decodeFromEngine(typeof data === 'string' ? data : new Uint8Array(data as ArrayBuffer)));
    } catch (error) {
      listeners.emitError('bad-message', `the engine sent an invalid message: ${(error as Error).message}`);
    }
  };
  ws.onclose = (event) => {
    if (closedByUs) return;
    const why = event.code === 1006 ? 'refused or dropped (is the token right, is the server running?)' : `closed (${event.code} ${event.reason})`;
    listeners.emitError('internal', `The connection to the engine was ${why}.`);
  };
  ws.onerror = () => undefined;

  return {
    send(msg: ToEngine) {
      const encoded = encodeMessage(msg);
      if (typeof encoded === 'string') {
        if (ws.readyState === OPEN) ws.send(encoded);
        else pending.push(encoded);
      } else if (ws.readyState === OPEN && ws.bufferedAmount <= MAX_BUFFERED_BYTES) {
        ws.send(encoded);
      }
    },
    onMessage: (cb) => listeners.add(cb),
    close() {
      closedByUs = true;
      listeners.clear();
      ws.close();
    },
  };
}
