/**
 * The loopback WebSocket bridge: what the renderer talks to when it runs as a plain page (the browser
 * test page, `scripts/serve-renderer.ts`) instead of inside Electron. It serves the built renderer and
 * relays the contract between one socket and one engine port per connection, frames as binary messages
 * (wire.ts). It binds to 127.0.0.1 only and refuses any upgrade that lacks the token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import type { MessagePort } from 'node:worker_threads';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { ContractError, parseFromEngine, transferablesOf, type BackgroundEntry, type FromEngine } from '../common/contract';
import {
  ENGINE_PROTOCOL,
  ENGINE_SOCKET_PATH,
  MAX_BINARY_BYTES,
  TOKEN_PATTERN,
  decodeToEngine,
  encodeMessage,
  tokenFromProtocols,
} from '../common/wire';

const LOOPBACK = '127.0.0.1';

/** Sent as a header with every served file; the same policy as the meta tag in src/renderer/index.html. */
export const RENDERER_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
  "connect-src 'self' ws://127.0.0.1:*; media-src 'self' blob: mediastream:; object-src 'none'; base-uri 'none'";

/**
 * Output frames are dropped rather than queued once this much is waiting in the socket: a slow page
 * should see a lower frame rate, not a growing delay.
 */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
};

export interface WebSocketBridgeOptions {
  /** 0 or absent picks a free port. */
  port?: number;
  token: string;
  /** A fresh node:worker_threads port to an engine session, one per socket. */
  connectEngine: () => MessagePort;
  /** The built renderer (out/renderer); absent serves no files. */
  staticDir?: string;
  /** Served to token holders at /backgrounds.json: the page has no ipc to ask main for the list. */
  backgrounds?: BackgroundEntry[];
}

export interface WebSocketBridge {
  /** ws://127.0.0.1:<port>/engine */
  url: string;
  port: number;
  close(): Promise<void>;
}

export class BridgeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BridgeError';
  }
}

/** Hashing first makes the comparison constant-time whatever the lengths. */
function tokenMatches(offered: string | null, expected: string): boolean {
  if (offered === null) return false;
  const a = createHash('sha256').update(offered).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function bearer(req: IncomingMessage): string | null {
  const m = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
  return m ? m[1] : null;
}

/** A page on another host name that resolves to 127.0.0.1 (DNS rebinding) must not reach us. */
function hostAllowed(req: IncomingMessage, port: number): boolean {
  return req.headers.host === `${LOOPBACK}:${port}` || req.headers.host === `localhost:${port}`;
}

function refuseUpgrade(socket: Duplex, status: 400 | 401 | 403 | 404, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function rawToBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...securityHeaders() });
  res.end(body);
}

function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': RENDERER_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
}

/** Maps a request path into staticDir, or null when it would leave it. */
export function staticPath(staticDir: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const root = resolve(staticDir);
  const file = resolve(join(root, decoded === '/' ? 'index.html' : decoded));
  const rel = relative(root, file);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? null : file;
}

async function serveStatic(staticDir: string, urlPath: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const file = staticPath(staticDir, urlPath);
  const info = file ? await stat(file).catch(() => null) : null;
  if (!file || !info?.isFile()) return send(res, 404, 'not found');
  res.writeHead(200, {
    'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Length': info.size,
    ...securityHeaders(),
  });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(file).pipe(res);
}

/** Relays one socket to one engine port until either side goes away. */
function relay(ws: WebSocket, port: MessagePort): void {
  port.on('message', (data: unknown) => {
    let msg: FromEngine;
    try {
      msg = parseFromEngine(data);
    } catch (error) {
      msg = { type: 'error', error: { code: 'internal', message: `engine sent an invalid message: ${(error as Error).message}` } };
    }
    if (msg.type === 'output' && ws.bufferedAmount > MAX_BUFFERED_BYTES) return;
    ws.send(encodeMessage(msg));
  });
  port.on('close', () => ws.close(1011, 'engine went away'));

  ws.on('message', (data, isBinary) => {
    try {
      const msg = decodeToEngine(isBinary ? rawToBytes(data) : rawToBytes(data).toString());
      port.postMessage(msg, transferablesOf(msg));
    } catch (error) {
      const message = error instanceof ContractError ? error.message : String(error);
      ws.send(encodeMessage({ type: 'error', error: { code: 'bad-message', message } }));
    }
  });
  // ws closes the socket itself after a protocol error (a payload over the cap, say); without a listener
  // the error event would throw and take the whole bridge down.
  ws.on('error', () => undefined);
  ws.on('close', () => {
    // The session's models and threads belong to this socket: free them when it goes.
    port.postMessage({ type: 'stop' });
    port.close();
  });
}

export async function startWebSocketBridge(opts: WebSocketBridgeOptions): Promise<WebSocketBridge> {
  if (!TOKEN_PATTERN.test(opts.token)) throw new BridgeError('token must be 16-256 characters of [A-Za-z0-9_-]');
  const requested = opts.port ?? 0;
  if (!Number.isInteger(requested) || requested < 0 || requested > 65535) throw new BridgeError(`port ${requested} is not in [0, 65535]`);

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_BINARY_BYTES,
    handleProtocols: (protocols) => (protocols.has(ENGINE_PROTOCOL) ? ENGINE_PROTOCOL : false),
  });
  wss.on('connection', (ws) => relay(ws, opts.connectEngine()));

  let port = 0;
  const backgroundsJson = JSON.stringify(opts.backgrounds ?? []);
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (!hostAllowed(req, port)) return send(res, 403, 'forbidden host');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed');
    if (path === '/backgrounds.json') {
      if (!tokenMatches(bearer(req), opts.token)) return send(res, 401, 'token required');
      return send(res, 200, backgroundsJson, 'application/json');
    }
    if (!opts.staticDir) return send(res, 404, 'not found');
    serveStatic(opts.staticDir, path, req, res).catch((error: Error) => {
      if (!res.headersSent) send(res, 500, error.message);
      else res.destroy(error);
    });
  });

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (!hostAllowed(req, port)) return refuseUpgrade(socket, 403, 'Forbidden');
    if (path !== ENGINE_SOCKET_PATH) return refuseUpgrade(socket, 404, 'Not Found');
    if (!tokenMatches(tokenFromProtocols(req.headers['sec-websocket-protocol']), opts.token)) {
      return refuseUpgrade(socket, 401, 'Unauthorized');
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', (error) => reject(new BridgeError(`cannot listen on ${LOOPBACK}:${requested}: ${error.message}`)));
    server.listen(requested, LOOPBACK, () => resolvePromise());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `ws://${LOOPBACK}:${port}${ENGINE_SOCKET_PATH}`,
    port,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
