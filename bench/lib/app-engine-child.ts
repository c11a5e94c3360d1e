/**
 * The app's engine process under plain Node (forked by bench/lib/app-engine.ts), where Electron's
 * utilityProcess is not at hand: gives src/hosts/engine-process.ts the parent port it expects and one
 * page port, both carried over the fork's IPC channel (advanced serialisation, so pixels travel as
 * ArrayBuffers, copied as Electron's MessagePortMain copies them), then runs the real entry.
 */
import type { ElectronPortMain } from '../../src/engine/host';

/** Parent -> child: a control message (with a fresh page port when it is 'connect'), or a page message. */
export type ToAppEngineChild = { to: 'parent'; data: unknown } | { to: 'page'; data: unknown };
/** 'listening' first: Node drops what arrives on the channel before a listener is there. */
export type FromAppEngineChild = { from: 'listening' } | { from: 'parent'; data: unknown } | { from: 'page'; data: unknown };

const send = (msg: FromAppEngineChild) => process.send?.(msg);
const pageListeners: ((e: { data: unknown }) => void)[] = [];
const page: ElectronPortMain = {
  postMessage: (message) => send({ from: 'page', data: message }),
  on: (event: 'message' | 'close', listener: never) => {
    if (event === 'message') pageListeners.push(listener);
  },
  start: () => undefined,
};
const parentListeners: ((e: { data: unknown; ports: ElectronPortMain[] }) => void)[] = [];
(process as unknown as { parentPort: unknown }).parentPort = {
  on: (_event: 'message', listener: (e: { data: unknown; ports: ElectronPortMain[] }) => void) => parentListeners.push(listener),
  postMessage: (message: unknown) => send({ from: 'parent', data: message }),
};

process.on('message', (msg: ToAppEngineChild) => {
  if (msg.to === 'page') for (const l of pageListeners) l({ data: msg.data });
  else {
    const connect = (msg.data as { type?: string }).type === 'connect';
    for (const l of parentListeners) l({ data: msg.data, ports: connect ? [page] : [] });
  }
});
// The parent gone, nobody is left to serve.
process.on('disconnect', () => process.exit(0));

await import('../../src/hosts/engine-process');
send({ from: 'listening' });
