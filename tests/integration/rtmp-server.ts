/**
 * Real servers for the streaming tests, started by the tests themselves on loopback: nginx with Debian's
 * RTMP module, whose on_publish hook asks a small HTTP server here whether the key is right (as a
 * streaming service checks a key), and an ffmpeg puller that reads frames back.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { join } from 'node:path';
import { locateFfmpeg } from '../../src/io/ffmpeg/locate';

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p)) ?? null;
const RTMP_MODULE = '/usr/lib/nginx/modules/ngx_rtmp_module.so';

/** Why the RTMP tests cannot run here, or null when they can. */
export const NGINX_MISSING = !NGINX
  ? 'nginx is not installed (apt-get install nginx-light libnginx-mod-rtmp)'
  : !existsSync(RTMP_MODULE)
    ? `${RTMP_MODULE} is absent (apt-get install libnginx-mod-rtmp)`
    : null;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createTcpServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Whether something listens on the port: binding it fails. */
function portTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createTcpServer().listen(port, '127.0.0.1');
    probe.once('listening', () => probe.close(() => resolve(false)));
    probe.once('error', () => resolve(true));
  });
}

export class LocalRtmpServer {
  private child: ChildProcess | null = null;

  private constructor(
    private readonly dir: string,
    readonly port: number,
    private readonly auth: Server,
  ) {}

  /** nginx on a free loopback port, accepting publishers whose stream name is `goodKey`. */
  static async start(dir: string, goodKey: string): Promise<LocalRtmpServer> {
    const auth = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        res.statusCode = new URLSearchParams(body).get('name') === goodKey ? 200 : 403;
        res.end();
      });
    });
    const authPort = await freePort();
    await new Promise<void>((resolve) => auth.listen(authPort, '127.0.0.1', resolve));
    const port = await freePort();
    writeFileSync(
      join(dir, 'nginx.conf'),
      `load_module ${RTMP_MODULE};
master_process off;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log info;
events { worker_connections 64; }
rtmp {
  server {
    listen 127.0.0.1:${port};
    application live {
      live on;
      record off;
      wait_key on;
      on_publish http://127.0.0.1:${authPort}/auth;
    }
  }
}
`,
    );
    const server = new LocalRtmpServer(dir, port, auth);
    await server.restart();
    return server;
  }

  url(): string {
    return `rtmp://127.0.0.1:${this.port}/live`;
  }

  async restart(): Promise<void> {
    this.child = spawn(NGINX as string, ['-p', this.dir, '-c', join(this.dir, 'nginx.conf')], { stdio: 'ignore' });
    while (!(await portTaken(this.port))) {
      if (this.child.exitCode !== null) throw new Error(`nginx exited: ${readFileSync(join(this.dir, 'error.log'), 'utf8')}`);
      await sleep(50);
    }
  }

  /** The way a crashed server goes: no goodbye to its clients. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  async close(): Promise<void> {
    await this.kill();
    await new Promise((r) => this.auth.close(r));
  }
}

/**
 * Frames read back from a URL by an independent ffmpeg. Playing an RTMP stream before anyone publishes
 * it simply waits, so a pull can start before the publisher.
 */
export function pull(url: string, frames: number, width: number, height: number): Promise<Uint8Array[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(locateFfmpeg().path, ['-v', 'error', '-i', url, '-frames:v', String(frames), '-f', 'rawvideo', '-pix_fmt', 'rgba', 'pipe:1']);
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => {
      const all = Buffer.concat(chunks);
      const size = width * height * 4;
      if (code !== 0 || all.length < size) return reject(new Error(`pulling ${url} failed (${code}): ${stderr}`));
      resolve(Array.from({ length: Math.floor(all.length / size) }, (_, i) => new Uint8Array(all.subarray(i * size, (i + 1) * size))));
    });
  });
}
