import { parseFromEngine, transferablesOf } from '../../common/contract';
import { Listeners, type EngineTransport } from './transport';

/** The Electron transport: a MessagePort whose other end the utility process holds. */
export function messagePortTransport(port: MessagePort): EngineTransport {
  const listeners = new Listeners();
  port.onmessage = (event: MessageEvent) => {
    try {
      listeners.emit(parseFromEngine(event.data));
    } catch (error) {
      listeners.emitError('bad-message', `the engine sent an invalid message: ${(error as Error).message}`);
    }
  };
  return {
    send: (msg) => port.postMessage(msg, transferablesOf(msg)),
    onMessage: (cb) => listeners.add(cb),
    close() {
      port.onmessage = null;
      listeners.clear();
      port.close();
    },
  };
}
