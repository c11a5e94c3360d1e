/**
 * Dev helper and the browser e2e's server: an engine worker, the loopback WebSocket bridge, and the built
 * renderer (out/renderer), so the real page can run in any Chromium against the real engine.
 *
 *   npx electron-vite build && npx tsx scripts/serve-renderer.ts [--port 0] [--threads N] [--models dir]
 *
 * Prints the page URL, carrying the bridge port and a fresh token; keep it private, it is the key.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { spawnEngineWorker } from '../src/hosts/worker';
import { startWebSocketBridge } from '../src/dev-server/websocket';
import { listBackgrounds } from '../src/main/backgrounds';

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

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      threads: { type: 'string' },
      models: { type: 'string' },
      static: { type: 'string' },
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
    backgrounds: await listBackgrounds(resolve(ROOT, 'resources/backgrounds')),
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
