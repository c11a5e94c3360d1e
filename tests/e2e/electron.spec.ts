/**
 * The packaged-shape app in Electron itself: security settings, the preload's narrow API, and the same
 * preview check as the browser spec over Electron's MessagePort. Runs wherever Electron's binary exists;
 * skips with the reason where it does not (electron 45 downloads its binary on first run).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { FAKE_CAMERA_Y4M, REPO } from './env';
import { BACKGROUND_POINTS, distance, previewColour, type Rgb } from './pixels';

/**
 * Where the binary is, found without require('electron'): that call starts a download when the binary
 * is missing, which hangs or fails without network.
 */
function electronBinary(): string | null {
  const pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const relative = readFileSync(pathFile, 'utf8').trim();
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const binary = override ? join(override, relative) : join(pkgDir, 'dist', relative);
  return existsSync(binary) ? binary : null;
}

const BINARY = electronBinary();
const SKIP_REASON = 'Electron binary not installed here (electron 45 downloads it on first run; no network): skipped';
const GREEN: Rgb = [0, 255, 0];

// The list reporter does not print skip reasons; say it once where people will look.
if (!BINARY) console.log(`electron.spec.ts: ${SKIP_REASON}`);

test.describe.serial('Electron app', () => {
  test.skip(!BINARY, SKIP_REASON);

  let app: ElectronApplication;
  let page: Page;
  let userData: string;

  test.beforeAll(async () => {
    userData = mkdtempSync(join(tmpdir(), 'backdrop-e2e-'));
    app = await electron.launch({
      executablePath: BINARY as string,
      cwd: REPO,
      args: [
        REPO,
        `--user-data-dir=${userData}`,
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-video-capture=${FAKE_CAMERA_Y4M}`,
      ],
    });
    page = await app.firstWindow();
  });
  test.afterAll(async () => {
    await app?.close();
    if (userData) rmSync(userData, { recursive: true, force: true });
  });

  test('the page sees no Node and nothing of Electron but the narrow API', async () => {
    const globals = await page.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      ipcRenderer: 'ipcRenderer' in globalThis,
      api: Object.keys(window.backdrop ?? {}).sort(),
    }));
    expect(globals).toEqual({ require: 'undefined', process: 'undefined', ipcRenderer: false, api: ['addBackgroundFile', 'invoke', 'onApplyBackground', 'onSettingsChanged'] });
  });

  test('the window cannot navigate away or open new windows', async () => {
    const before = page.url();
    await page.evaluate(() => {
      window.open('https://example.com/');
      location.href = 'https://example.com/';
    });
    await page.waitForTimeout(1000);
    expect(page.url()).toBe(before);
    expect(app.windows()).toHaveLength(1);
  });

  test('the preload refuses a channel outside the contract', async () => {
    const message = await page.evaluate(() =>
      (window.backdrop as unknown as { invoke(c: string, r: null): Promise<unknown> }).invoke('shell:open', null).then(
        () => 'resolved',
        (e: Error) => e.message,
      ),
    );
    expect(message).toMatch(/unknown ipc channel "shell:open"/);
  });

  test('the preview shows the chosen colour behind the person', async () => {
    await page.getByTestId('tab-settings').click();
    await page.getByTestId('resolution').selectOption('640x360');
    await page.getByTestId('tab-background').click();
    await page.getByTestId('background-colour-#00ff00').getByRole('radio').click();
    await expect(page.getByTestId('active-background')).toHaveText('Active: colour #00ff00', { timeout: 60_000 });
    for (const at of BACKGROUND_POINTS) {
      await expect.poll(async () => distance(await previewColour(page, at), GREEN), { timeout: 60_000 }).toBeLessThanOrEqual(12);
    }
  });
});
