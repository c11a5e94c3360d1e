/**
 * How the page talks to the engine, whatever carries it: Electron's MessagePort (transport/port.ts) or
 * the loopback WebSocket of the browser test page (transport/websocket.ts). Everything received is
 * validated; what fails validation or a lost connection arrives as a contract error message, so the UI
 * has one place to show problems.
 */
import type { FromEngine, ToEngine } from '../../common/contract';

export interface EngineTransport {
  /** Frames' pixels are transferred: the caller must not touch them afterwards. */
  send(msg: ToEngine): void;
  onMessage(cb: (msg: FromEngine) => void): () => void;
  close(): void;
}

/** Fan-out of received messages to subscribers; shared by both transports. */
export class Listeners {
  private readonly callbacks = new Set<(msg: FromEngine) => void>();

  add(cb: (msg: FromEngine) => void): () => void {
    this.callbacks.add(cb);
    return () => void this.callbacks.delete(cb);
  }

  emit(msg: FromEngine): void {
    this.callbacks.forEach((cb) => cb(msg));
  }

  /** A problem of the link itself, told in the contract's terms. */
  emitError(code: 'bad-message' | 'internal', message: string): void {
    this.emit({ type: 'error', error: { code, message } });
  }

  clear(): void {
    this.callbacks.clear();
  }
}
