/**
 * Dev helper and the browser e2e's server: an engine worker, the loopback WebSocket bridge, and the built
 * renderer (out/renderer), so the real page can run in any Chromium against the real engine.
 *
 *   npx electron-vite build && npx tsx scripts/serve-renderer.ts [--port 0] [--threads N] [--models dir] [--backgrounds dir]
 *
 * The gallery lists resources/backgrounds with thumbnails (made by ffmpeg, cached in .cache/), and, with
 * --backgrounds, the pictures and videos of another folder as if the user had added them (the e2e tests
 * and the screenshot script use it for a video and a broken file).
 *
 * Prints the page URL, carrying the bridge port and a fresh token; keep it private, it is the key.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { spawnEngineWorker } from '../src/hosts/worker';
import { startWebSocketBridge } from '../src/dev-server/websocket';
import { backgroundLabel, listBackgrounds } from '../src/main/backgrounds';
import { ThumbnailCache } from '../src/main/thumbnails';
import { locateFfmpeg } from '../src/io/ffmpeg/locate';
import type { BackgroundEntry } from '../src/common/contract';

const ROOT = resolve(import.meta.dirname, '..');

function fail(message: string): never {
  console.error(`serve-renderer: ${message}`);
  process.exit(2);
}

function intOption(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) fail(`--${name} must be an integer in [${min}, ${max}], got ${value}`);
  return n;
}

const VIDEO_EXTENSIONS = new Set(['.mp4', '.mov', '.webm', '.mkv']);
const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp']);

/** Pictures and videos of a folder as user backgrounds (no copy: the page only previews). */
function listExtra(dir: string): BackgroundEntry[] {
  return readdirSync(dir)
    .filter((n) => !n.startsWith('.') && (IMAGE_EXTENSIONS.has(extname(n).toLowerCase()) || VIDEO_EXTENSIONS.has(extname(n).toLowerCase())))
    .sort()
    .map((n) => ({
      id: `user:${n}`,
      label: backgroundLabel(n),
      background: { kind: VIDEO_EXTENSIONS.has(extname(n).toLowerCase()) ? 'video' : 'image', path: join(dir, n) },
      source: 'user' as const,
    }));
}

function findFfmpeg(): string | null {
  try {
    return locateFfmpeg().path;
  } catch {
    return null;
  }
}

/** Each entry with its thumbnail, one at a time (a first run makes them with ffmpeg). */
async function withThumbnails(entries: BackgroundEntry[]): Promise<BackgroundEntry[]> {
  const cache = new ThumbnailCache(resolve(ROOT, '.cache/serve-renderer/thumbnails'), findFfmpeg());
  const out: BackgroundEntry[] = [];
  for (const entry of entries) {
    const bg = entry.background;
    const thumbnail = bg.kind === 'image' || bg.kind === 'video' ? await cache.dataUrl(bg.path, bg.kind) : null;
    out.push({ source: 'bundled', ...entry, ...(thumbnail ? { thumbnail } : {}) });
  }
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      threads: { type: 'string' },
      models: { type: 'string' },
      static: { type: 'string' },
      backgrounds: { type: 'string' },
    },
  });
  const staticDir = resolve(values.static ?? resolve(ROOT, 'out/renderer'));
  if (!existsSync(resolve(staticDir, 'index.html'))) fail(`${staticDir}/index.html is missing; run \`npx electron-vite build\` first`);

  const engine = spawnEngineWorker({
    modelsDir: resolve(values.models ?? resolve(ROOT, 'models')),
    threads: intOption(values.threads, 'threads', 1, 64),
  });
  const token = randomBytes(24).toString('hex');
  const bridge = await startWebSocketBridge({
    port: intOption(values.port, 'port', 0, 65535),
    token,
    connectEngine: () => engine.connect(),
    staticDir,
    backgrounds: await withThumbnails([
      ...(await listBackgrounds(resolve(ROOT, 'resources/backgrounds'))),
      ...(values.backgrounds ? listExtra(resolve(values.backgrounds)) : []),
    ]),
  });
  console.log(`Backdrop renderer: http://127.0.0.1:${bridge.port}/?ws=${bridge.port}&token=${token}`);

  const shutdown = async () => {
    await bridge.close();
    await engine.terminate();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

main().catch((error: Error) => fail(error.message));
