/**
 * The window as a person meets it: the real page against the real engine with the fake camera, at the
 * sizes the app opens in, in both themes. Layout (nothing overflows, nothing is cut off, outputs and
 * preview on screen), accessibility (axe-core), the background gallery by its effect on the preview's
 * pixels, a broken file, and the pickers showing what the engine really runs, Auto and a fallback.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { locateFfmpeg } from '../../src/io/ffmpeg/locate';
import { REPO } from './env';
import { expectInViewport, layoutProblems, seriousA11yViolations } from './layout';
import { BACKGROUND_POINTS, PERSON_POINTS, cameraColour, distance, previewColour, type Rgb } from './pixels';
import { startRendererServer, type RendererServer } from './server';

const EXTRA = join(REPO, '.cache/e2e/user-backgrounds');
const NO_MATTING_MODELS = join(REPO, '.cache/e2e/models-without-matting');
const RED: Rgb = [255, 0, 0];
const GREEN: Rgb = [0, 255, 0];
const TOLERANCE = 24;

/** A user folder with a solid red video and a "picture" that is not one. */
function makeExtraBackgrounds(): void {
  mkdirSync(EXTRA, { recursive: true });
  const video = join(EXTRA, 'red-loop.mp4');
  if (!existsSync(video)) {
    const r = spawnSync(locateFfmpeg().path, ['-y', '-loglevel', 'error', '-f', 'lavfi', '-i', 'color=c=red:s=320x180:r=10:d=2', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', video]);
    if (r.status !== 0) throw new Error(`ffmpeg could not make ${video}: ${r.stderr}`);
  }
  writeFileSync(join(EXTRA, 'broken.png'), 'this is not a picture');
}

/** Only the segmentation models: asking for matting makes the engine fall back to segmentation only. */
function makeModelsWithoutMatting(): void {
  rmSync(NO_MATTING_MODELS, { recursive: true, force: true });
  mkdirSync(NO_MATTING_MODELS, { recursive: true });
  for (const f of ['selfie_segmentation.onnx', 'selfie_segmentation_landscape.onnx']) symlinkSync(join(REPO, 'models', f), join(NO_MATTING_MODELS, f));
}

async function open(page: Page, server: RendererServer): Promise<string[]> {
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(msg.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(server.url);
  await expect(page.getByTestId('stats')).toHaveAttribute('data-provider', /\w+/, { timeout: 60_000 });
  return problems;
}

async function chooseSmallCamera(page: Page): Promise<void> {
  await page.getByTestId('tab-settings').click();
  await page.getByTestId('resolution').selectOption('640x360');
  await page.getByTestId('tab-background').click();
}

/** Sum of absolute differences between neighbours along a row of the background: how sharp it is. */
function sharpness(page: Page): Promise<number> {
  return page.evaluate(() => {
    const canvas = document.querySelector('[data-testid=preview]') as HTMLCanvasElement;
    const row = canvas.getContext('2d')!.getImageData(380, 10, 250, 1).data;
    let sum = 0;
    for (let i = 4; i < row.length; i += 4) for (let c = 0; c < 3; c++) sum += Math.abs(row[i + c] - row[i - 4 + c]);
    return sum;
  });
}

async function pick(page: Page, id: string, active: string | RegExp): Promise<void> {
  await page.getByTestId(`background-${id}`).getByRole('radio').click();
  await expect(page.getByTestId('active-background')).toHaveText(active, { timeout: 60_000 });
  await expect(page.getByTestId(`background-${id}`).getByRole('radio')).toHaveAttribute('aria-checked', 'true');
  // A couple of frames after the switch, so the canvas shows the new background.
  await page.waitForTimeout(1500);
}

test.describe.serial('the window with the real engine', () => {
  let server: RendererServer;
  let page: Page;
  let problems: string[];

  test.beforeAll(async ({ browser }) => {
    makeExtraBackgrounds();
    server = await startRendererServer({ backgrounds: EXTRA });
    // axe-core needs a page of an explicit context.
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    problems = await open(page, server);
    await chooseSmallCamera(page);
  });
  test.afterAll(async () => {
    await page?.context().close();
    await server?.stop();
  });

  for (const size of [
    { width: 1024, height: 700 },
    { width: 1280, height: 800 },
  ]) {
    test(`at ${size.width}×${size.height} nothing overflows or is cut off, and outputs and preview are on screen`, async () => {
      await page.setViewportSize(size);
      await expect.poll(() => page.getByTestId('preview').evaluate((c: HTMLCanvasElement) => c.width), { timeout: 30_000 }).toBe(640);
      for (const tab of ['tab-background', 'tab-settings']) {
        await page.getByTestId(tab).click();
        expect(await layoutProblems(page), `${tab} at ${size.width}×${size.height}`).toEqual([]);
      }
      await page.getByTestId('tab-background').click();
      await expectInViewport(page, ['preview-area', 'vcam', 'vcam-toggle', 'record', 'stream-toggle', 'stats', 'tab-settings']);
      // The picture fills its box at the camera's aspect: the 640×360 camera is scaled up, not cropped.
      const fit = await page.getByTestId('preview').evaluate((c: HTMLCanvasElement) => {
        const box = c.getBoundingClientRect();
        const scale = Math.min(box.width / c.width, box.height / c.height);
        return { fit: getComputedStyle(c).objectFit, shown: { w: c.width * scale, h: c.height * scale }, box: { w: box.width, h: box.height } };
      });
      expect(fit.fit).toBe('contain');
      expect(fit.shown.w).toBeGreaterThan(640);
      expect(Math.max(fit.shown.w / fit.box.w, fit.shown.h / fit.box.h)).toBeCloseTo(1, 2);
    });
  }

  for (const scheme of ['dark', 'light'] as const) {
    test(`no serious or critical accessibility violations in the ${scheme} theme`, async () => {
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.emulateMedia({ colorScheme: scheme });
      for (const tab of ['tab-background', 'tab-settings']) {
        await page.getByTestId(tab).click();
        expect(await seriousA11yViolations(page), `${tab}, ${scheme}`).toEqual([]);
      }
      await page.getByTestId('details-toggle').click();
      expect(await seriousA11yViolations(page), `details drawer, ${scheme}`).toEqual([]);
      await page.getByTestId('details-toggle').click();
      await page.getByTestId('tab-background').click();
    });
  }

  test('keyboard only: tabs, gallery and pickers are reachable and show focus', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByTestId('tab-background').focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('tab-settings')).toBeFocused();
    await expect(page.getByTestId('tab-settings')).toHaveAttribute('data-state', 'active');
    const outline = await page.getByTestId('tab-settings').evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(outline).not.toBe('none');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Tab'); // the panel itself
    await expect(page.getByRole('tabpanel')).toBeFocused();
    await page.keyboard.press('Tab');
    // Into the gallery: the checked tile takes the focus, arrows move between tiles.
    const checked = page.locator('.tiles-root [role=radio][aria-checked=true]');
    await expect(checked).toBeFocused();
    expect(await checked.evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe('none');
  });

  test('each kind of background changes the preview as it should', async () => {
    await pick(page, 'none', 'Active: none');
    for (const at of [...BACKGROUND_POINTS, ...PERSON_POINTS]) {
      const camera = await cameraColour(page, at);
      expect(distance(await previewColour(page, at), camera), `no effect at ${at.x},${at.y}`).toBeLessThanOrEqual(TOLERANCE);
    }
    const sharp = await sharpness(page);

    await pick(page, 'blur-light', 'Active: blur 50%');
    const light = await sharpness(page);
    await pick(page, 'blur-strong', 'Active: blur 100%');
    const strong = await sharpness(page);
    expect(light, 'a slight blur softens the background').toBeLessThan(sharp * 0.9);
    expect(strong, 'a strong blur softens it more').toBeLessThan(light);

    await pick(page, 'colour-#00ff00', 'Active: colour #00ff00');
    for (const at of BACKGROUND_POINTS) expect(distance(await previewColour(page, at), GREEN)).toBeLessThanOrEqual(TOLERANCE);

    await pick(page, 'image:dusk-gradient.png', 'Active: image dusk-gradient.png');
    for (const at of BACKGROUND_POINTS) {
      const c = await previewColour(page, at);
      expect(distance(c, GREEN), 'the picture replaced the green').toBeGreaterThan(60);
      expect(distance(c, await cameraColour(page, at)), 'the picture replaced the room').toBeGreaterThan(30);
    }

    await pick(page, 'user:red-loop.mp4', 'Active: video red-loop.mp4');
    for (const at of BACKGROUND_POINTS) {
      await expect.poll(async () => distance(await previewColour(page, at), RED), { timeout: 30_000 }).toBeLessThanOrEqual(TOLERANCE + 8);
    }
    // The person stays the camera's whatever the background.
    for (const at of PERSON_POINTS) expect(distance(await previewColour(page, at), await cameraColour(page, at))).toBeLessThanOrEqual(TOLERANCE);
  });

  test('a broken file keeps the previous background, says why, and the message goes after a good choice', async () => {
    await page.getByTestId('background-user:broken.png').getByRole('radio').click();
    await expect(page.getByTestId('notice-background-unreadable')).toContainText('broken.png', { timeout: 30_000 });
    await expect(page.getByTestId('active-background')).toHaveText('Active: video red-loop.mp4');
    await expect(page.getByTestId('background-user:red-loop.mp4').getByRole('radio')).toHaveAttribute('aria-checked', 'true');
    for (const at of BACKGROUND_POINTS) expect(distance(await previewColour(page, at), RED)).toBeLessThanOrEqual(TOLERANCE + 8);

    await pick(page, 'colour-#00ff00', 'Active: colour #00ff00');
    await expect(page.getByTestId('notice-background-unreadable')).toHaveCount(0);
  });

  test('Auto shows the quality it runs, in the picker and the status bar', async () => {
    await page.getByTestId('tab-settings').click();
    await expect(page.getByTestId('quality')).toHaveValue('auto');
    const running = /^Auto · (Performance|Balanced|Quality|Max)$/;
    await expect.poll(() => page.getByTestId('quality').evaluate((s: HTMLSelectElement) => s.selectedOptions[0].textContent), { timeout: 60_000 }).toMatch(running);
    await expect(page.getByTestId('status-quality')).toHaveText(running);
    await expect(page.getByTestId('quality-running')).toContainText(/Auto measured this computer and runs (Performance|Balanced|Quality|Max)\./);
    await expect(page.getByTestId('matting')).toHaveValue('light');
    await expect(page.getByTestId('matting-fallback')).toHaveCount(0);
    await page.getByTestId('tab-background').click();
  });

  test('the page ran without script errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});

test.describe('a forced fallback to segmentation only', () => {
  let server: RendererServer;
  test.beforeAll(async () => {
    makeModelsWithoutMatting();
    server = await startRendererServer({ models: NO_MATTING_MODELS });
  });
  test.afterAll(async () => {
    await server?.stop();
  });

  test('the matting picker changes to what runs and says why; the status bar agrees', async ({ page }) => {
    const problems = await open(page, server);
    await page.getByTestId('tab-settings').click();
    await expect(page.getByTestId('matting')).toHaveValue('off', { timeout: 30_000 });
    await expect(page.getByTestId('matting-fallback')).toContainText(/Light matting could not start \(.*fba_light\.onnx is missing.*\)\. Running segmentation only\./);
    await expect(page.getByTestId('status-quality')).toHaveText('Segmentation only');
    await expect(page.getByTestId('quality-running')).toHaveText('Quality sets the matting resolution; matting is off.');
    // The engine's own notice says it once too; the page keeps working.
    await expect(page.getByTestId('notice-matting-unavailable')).toContainText('segmentation only');
    expect(problems).toEqual([]);
  });
});
