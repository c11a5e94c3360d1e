/**
 * The page's two transports, run in Node against real counterparts: a MessageChannel standing in for
 * Electron's port, and the real loopback bridge for the WebSocket (with `ws` as the socket class).
 */
import { MessageChannel as NodeMessageChannel, type MessagePort as NodeMessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { parseToEngine, type FromEngine, type OutputMessage, type ToEngine } from '../../../../src/common/contract';
import { startWebSocketBridge, type WebSocketBridge } from '../../../../src/dev-server/websocket';
import { messagePortTransport } from '../../../../src/renderer/transport/port';
import type { EngineTransport } from '../../../../src/renderer/transport/transport';
import { webSocketTransport, type WebSocketLike } from '../../../../src/renderer/transport/websocket';

const TOKEN = 'fedcba9876543210fedcba9876543210';
const wsFactory = (url: string, protocols: string[]) => new WebSocket(url, protocols) as unknown as WebSocketLike;

function collect(t: EngineTransport): FromEngine[] {
  const got: FromEngine[] = [];
  t.onMessage((m) => got.push(m));
  return got;
}

function frame(id: number): Extract<ToEngine, { type: 'frame' }> {
  return { type: 'frame', id, width: 2, height: 2, timestamp: id, pixels: new Uint8Array(16).fill(id).buffer };
}

describe('MessagePort transport', () => {
  it('transfers frame pixels and validates what comes back', async () => {
    const { port1, port2 } = new MessageChannel();
    const transport = messagePortTransport(port1);
    const got = collect(transport);
    const atEngine: unknown[] = [];
    port2.onmessage = (e) => atEngine.push(e.data);

    const f = frame(5);
    transport.send(f);
    expect(f.pixels.byteLength).toBe(0);
    await expect.poll(() => atEngine.length).toBe(1);
    expect(parseToEngine(atEngine[0])).toMatchObject({ type: 'frame', id: 5 });

    port2.postMessage({ type: 'ready', provider: 'cpu' });
    port2.postMessage({ type: 'output', id: 1, width: 2, height: 2, timestamp: 0, pixels: new ArrayBuffer(3) });
    await expect.poll(() => got.length).toBe(2);
    expect(got[0]).toEqual({ type: 'ready', provider: 'cpu' });
    expect(got[1]).toMatchObject({ type: 'error', error: { code: 'bad-message', message: expect.stringMatching(/frame pixels hold 3 bytes/) } });
    transport.close();
    port2.close();
  });
});

describe('WebSocket transport through the bridge', () => {
  let bridge: WebSocketBridge | null = null;
  let transport: EngineTransport | null = null;
  afterEach(async () => {
    transport?.close();
    await bridge?.close();
  });

  async function startBridge(received: ToEngine[]): Promise<WebSocketBridge> {
    return startWebSocketBridge({
      token: TOKEN,
      connectEngine: () => {
        const { port1, port2 } = new NodeMessageChannel();
        const engine: NodeMessagePort = port2;
        engine.on('message', (data) => {
          const msg = parseToEngine(data);
          received.push(msg);
          if (msg.type === 'start') engine.postMessage({ type: 'ready', provider: 'test' });
          if (msg.type === 'frame') {
            const out: OutputMessage = { ...msg, type: 'output' };
            engine.postMessage(out, [out.pixels]);
          }
        });
        return port1;
      },
    });
  }

  it('holds control messages until the socket opens, then relays frames both ways', async () => {
    const received: ToEngine[] = [];
    bridge = await startBridge(received);
    transport = webSocketTransport(bridge.url, TOKEN, wsFactory);
    const got = collect(transport);
    transport.send({ type: 'start', config: { background: { kind: 'none' }, matting: 'off', quality: 'balanced' } });
    await expect.poll(() => got.map((m) => m.type)).toEqual(['ready']);

    transport.send(frame(9));
    await expect.poll(() => got.length).toBe(2);
    const out = got[1] as OutputMessage;
    expect(out).toMatchObject({ type: 'output', id: 9, width: 2, height: 2 });
    expect([...new Uint8Array(out.pixels)]).toEqual(Array(16).fill(9));
    expect(received.map((m) => m.type)).toEqual(['start', 'frame']);
  });

  it('drops a frame sent before the socket is open instead of queueing it', async () => {
    const received: ToEngine[] = [];
    bridge = await startBridge(received);
    transport = webSocketTransport(bridge.url, TOKEN, wsFactory);
    const got = collect(transport);
    transport.send(frame(1));
    transport.send({ type: 'start', config: { background: { kind: 'none' }, matting: 'off', quality: 'balanced' } });
    await expect.poll(() => got.map((m) => m.type)).toEqual(['ready']);
    expect(received.map((m) => m.type)).toEqual(['start']);
  });

  it('reports a refused token as a lost connection, in contract terms', async () => {
    bridge = await startBridge([]);
    transport = webSocketTransport(bridge.url, '0'.repeat(32), wsFactory);
    const got = collect(transport);
    await expect.poll(() => got.length).toBe(1);
    expect(got[0]).toMatchObject({ type: 'error', error: { code: 'internal', message: expect.stringMatching(/refused or dropped/) } });
  });
});
