import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { parseToEngine, type FromEngine, type OutputMessage, type ToEngine } from '../../../src/common/contract';
import { decodeFromEngine, encodeMessage, engineSocketProtocols } from '../../../src/common/wire';
import { RENDERER_CSP, startWebSocketBridge, staticPath, type WebSocketBridge } from '../../../src/dev-server/websocket';

const TOKEN = '0123456789abcdef0123456789abcdef';

/**
 * Plays the engine's side of the port: every frame comes back as an output with its bytes inverted, so
 * the test can tell the relay carried real pixels both ways.
 */
function invertingEngine(received: ToEngine[], closed: { value: boolean }): () => MessagePort {
  return () => {
    const { port1, port2 } = new MessageChannel();
    port2.on('message', (data) => {
      const msg = parseToEngine(data);
      received.push(msg);
      if (msg.type !== 'frame') return;
      const pixels = new Uint8Array(msg.pixels).map((v) => 255 - v).buffer;
      const out: OutputMessage = { type: 'output', id: msg.id, width: msg.width, height: msg.height, timestamp: msg.timestamp, pixels };
      port2.postMessage(out, [pixels]);
    });
    port2.on('close', () => (closed.value = true));
    return port1;
  };
}

function open(url: string, protocols: string[]): Promise<WebSocket> {
  const ws = new WebSocket(url, protocols);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function nextMessage(ws: WebSocket): Promise<FromEngine> {
  return new Promise((resolve) =>
    ws.once('message', (data, isBinary) => resolve(decodeFromEngine(isBinary ? (data as Buffer) : data.toString()))),
  );
}

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('WebSocket bridge', () => {
  let bridge: WebSocketBridge;
  let staticDir: string;
  let received: ToEngine[];
  let engineClosed: { value: boolean };

  beforeEach(async () => {
    staticDir = await mkdtemp(join(tmpdir(), 'bridge-static-'));
    await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
    received = [];
    engineClosed = { value: false };
    bridge = await startWebSocketBridge({
      token: TOKEN,
      connectEngine: invertingEngine(received, engineClosed),
      staticDir,
      backgrounds: [{ id: 'a', label: 'A', background: { kind: 'image', path: '/x/a.png' } }],
    });
  });

  afterEach(async () => {
    await bridge.close();
    await rm(staticDir, { recursive: true, force: true });
  });

  it('refuses an upgrade without a token', async () => {
    await expect(open(bridge.url, ['backdrop.v1'])).rejects.toThrow('HTTP 401');
  });

  it('refuses an upgrade with a wrong token', async () => {
    await expect(open(bridge.url, engineSocketProtocols('f'.repeat(32)))).rejects.toThrow('HTTP 401');
  });

  it('refuses a token passed in the URL instead of the protocol header', async () => {
    await expect(open(`${bridge.url}?token=${TOKEN}`, ['backdrop.v1'])).rejects.toThrow('HTTP 401');
  });

  it('refuses a host name other than loopback (DNS rebinding)', async () => {
    const ws = new WebSocket(bridge.url, engineSocketProtocols(TOKEN), { headers: { host: `evil.example:${bridge.port}` } });
    const status = await new Promise<number>((resolve) => ws.once('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(403);
  });

  it('listens on 127.0.0.1 only', async () => {
    expect(bridge.url).toBe(`ws://127.0.0.1:${bridge.port}/engine`);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (!external) return; // No non-loopback interface to try on this machine: the address check above is all there is.
    const refused = await new Promise<string>((resolve) => {
      const socket = connect({ host: external.address, port: bridge.port });
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
  });

  it('relays control messages as JSON and frames as binary, both ways', async () => {
    const ws = await open(bridge.url, engineSocketProtocols(TOKEN));
    expect(ws.protocol).toBe('backdrop.v1');
    ws.send(encodeMessage({ type: 'set-matting', matting: 'light' }));
    const pixels = new Uint8Array([0, 10, 20, 255, 30, 40, 50, 255, 60, 70, 80, 255, 90, 100, 110, 255]);
    ws.send(encodeMessage({ type: 'frame', id: 3, width: 2, height: 2, timestamp: 99, pixels: pixels.buffer }));
    const out = await nextMessage(ws);
    expect(out).toMatchObject({ type: 'output', id: 3, width: 2, height: 2, timestamp: 99 });
    expect([...new Uint8Array((out as OutputMessage).pixels)]).toEqual([...pixels].map((v) => 255 - v));
    expect(received.map((m) => m.type)).toEqual(['set-matting', 'frame']);
    ws.close();
  });

  it('answers a malformed message with a bad-message error and keeps the socket open', async () => {
    const ws = await open(bridge.url, engineSocketProtocols(TOKEN));
    ws.send(new Uint8Array(10));
    const error = await nextMessage(ws);
    expect(error).toEqual({ type: 'error', error: { code: 'bad-message', message: expect.stringMatching(/shorter than the 32-byte header/) } });
    ws.send('{"type":"launch-missiles"}');
    expect(await nextMessage(ws)).toMatchObject({ type: 'error', error: { code: 'bad-message' } });
    expect(ws.readyState).toBe(WebSocket.OPEN);
    expect(received).toEqual([]);
    ws.close();
  });

  it('stops and releases the engine session when the page goes away', async () => {
    const ws = await open(bridge.url, engineSocketProtocols(TOKEN));
    ws.close();
    await expect.poll(() => engineClosed.value).toBe(true);
    expect(received).toEqual([{ type: 'stop' }]);
  });

  it('serves the renderer with the CSP header and nothing outside its folder', async () => {
    const index = await get(bridge.port, '/');
    expect(index.status).toBe(200);
    expect(index.headers['content-security-policy']).toBe(RENDERER_CSP);
    expect(index.headers['content-type']).toMatch(/^text\/html/);
    expect((await get(bridge.port, '/%2e%2e/%2e%2e/etc/passwd')).status).toBe(404);
    expect(staticPath('/srv/r', '/../etc/passwd')).toBeNull();
    expect(staticPath('/srv/r', '/assets/a.js')).toBe('/srv/r/assets/a.js');
  });

  it('gives the background list to token holders only', async () => {
    expect((await get(bridge.port, '/backgrounds.json')).status).toBe(401);
    expect((await get(bridge.port, '/backgrounds.json', { authorization: 'Bearer wrong-token-wrong-token' })).status).toBe(401);
    const ok = await get(bridge.port, '/backgrounds.json', { authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual([{ id: 'a', label: 'A', background: { kind: 'image', path: '/x/a.png' } }]);
  });
});

describe('bridge options', () => {
  it('refuses a weak token before listening', async () => {
    await expect(startWebSocketBridge({ token: 'abc', connectEngine: () => new MessageChannel().port1 })).rejects.toThrow(/token must be/);
  });
});
