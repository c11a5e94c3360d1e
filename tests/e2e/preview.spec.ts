/**
 * The real renderer page in Debian's Chromium, fed by a fake camera (the astronaut photo as y4m), talking
 * to the real engine in a worker through the loopback WebSocket bridge: the same page and the same
 * engine as the app, only the transport differs.
 */
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { CHROMIUM, chromiumArgs } from './env';
import { BACKGROUND_POINTS, PERSON_POINTS, cameraColour, distance, previewColour, type Rgb } from './pixels';
import { startRendererServer, type RendererServer } from './server';

const GREEN: Rgb = [0, 255, 0];
/** I420 -> RGB in the capture worker and in the <video> path may round differently. */
const CAMERA_TOLERANCE = 24;
const COLOUR_TOLERANCE = 12;

let server: RendererServer;

test.beforeAll(async () => {
  server = await startRendererServer();
});
test.afterAll(async () => {
  await server?.stop();
});

async function openPage(browser: Browser): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(msg.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(server.url);
  return { page, problems };
}

test.describe.serial('live preview with a fake camera', () => {
  let page: Page;
  let problems: string[];

  test.beforeAll(async ({ browser }) => {
    ({ page, problems } = await openPage(browser));
    await page.getByTestId('tab-settings').click();
    await page.getByTestId('resolution').selectOption('640x360');
    await page.getByTestId('tab-background').click();
  });
  test.afterAll(async () => {
    await page?.close();
  });

  test('background pixels take the chosen colour, the person keeps the camera colour', async () => {
    await page.getByTestId('background-colour-#00ff00').getByRole('radio').click();
    await expect(page.getByTestId('active-background')).toHaveText('Active: colour #00ff00', { timeout: 60_000 });
    for (const at of BACKGROUND_POINTS) {
      await expect.poll(async () => distance(await previewColour(page, at), GREEN), { timeout: 60_000 }).toBeLessThanOrEqual(COLOUR_TOLERANCE);
    }

    await page.getByTestId('before-after').click();
    await expect(page.getByTestId('camera-view')).toBeVisible();
    for (const at of PERSON_POINTS) {
      const camera = await cameraColour(page, at);
      const output = await previewColour(page, at);
      expect(distance(camera, GREEN), `camera at ${at.x},${at.y} must not already be green`).toBeGreaterThan(100);
      expect(distance(output, camera), `person at ${at.x},${at.y}: output ${output} vs camera ${camera}`).toBeLessThanOrEqual(CAMERA_TOLERANCE);
    }
    for (const at of BACKGROUND_POINTS) {
      expect(distance(await cameraColour(page, at), GREEN), 'the camera background is not green to begin with').toBeGreaterThan(100);
    }
    await page.getByTestId('before-after').click();
    await expect(page.getByTestId('preview')).toBeVisible();
  });

  test('the before/after toggle shows the camera, then the result again', async () => {
    await page.getByTestId('before-after').click();
    await expect(page.getByTestId('camera-view')).toBeVisible();
    await expect(page.getByTestId('preview')).toBeHidden();
    await expect.poll(() => page.getByTestId('camera-view').evaluate((v: HTMLVideoElement) => v.videoWidth)).toBe(640);
    await page.getByTestId('before-after').click();
    await expect(page.getByTestId('preview')).toBeVisible();
    await expect(page.getByTestId('camera-view')).toBeHidden();
  });

  test('the status bar names the provider, fps, CPU and drops as a rate; the drawer has stage times', async () => {
    const stats = page.getByTestId('stats');
    await expect(stats).toHaveAttribute('data-provider', /\w+/, { timeout: 30_000 });
    await expect.poll(async () => Number(await stats.getAttribute('data-fps-out')), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(async () => Number(await stats.getAttribute('data-fps-in'))).toBeGreaterThan(0);
    await expect(page.getByTestId('status-fps')).toHaveText(/^\d+ fps$/);
    await expect(page.getByTestId('status-cpu')).toHaveText(/^CPU \d+%$/, { timeout: 10_000 });
    await expect(page.getByTestId('status-provider')).toHaveText(/^(CPU|CUDA|TensorRT|WebGPU|DirectML|CoreML|\w+)$/);
    await expect(page.getByTestId('status-drops')).toHaveText(/^(No drops|\d+\.\d dropped\/s)$/);
    await page.getByTestId('details-toggle').click();
    const details = page.getByTestId('details');
    await expect(details).toContainText(/segment\s*\d+\.\d ms/);
    await expect(details).toContainText(/segment \d+/);
    await expect(details).toContainText(/latency p50 \/ p95\s*\d+ \/ \d+ ms/);
    await page.getByTestId('details-toggle').click();
    await expect(details).toBeHidden();
  });

  test('holding B shows the camera as it is, letting go shows the result', async () => {
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.down('b');
    await expect(page.getByTestId('camera-view')).toBeVisible();
    await page.keyboard.up('b');
    await expect(page.getByTestId('preview')).toBeVisible();
  });

  test('a camera unplugged mid-stream is reported, and capture resumes when it is back', async () => {
    const firstStream = await page.getByTestId('camera-view').evaluate((v: HTMLVideoElement) => (v.srcObject as MediaStream).id);
    // Unplug, as the page sees it: the device list empties and the track ends.
    await page.evaluate(() => {
      const devices = navigator.mediaDevices;
      (window as unknown as { realEnumerate: unknown }).realEnumerate = devices.enumerateDevices.bind(devices);
      devices.enumerateDevices = async () => [];
      const video = document.querySelector('[data-testid=camera-view]') as HTMLVideoElement;
      (video.srcObject as MediaStream).getVideoTracks()[0].dispatchEvent(new Event('ended'));
    });
    await expect(page.getByTestId('camera-problem')).toHaveAttribute('data-code', 'disconnected');
    await expect(page.getByTestId('camera-problem')).toContainText('Capture resumes when a camera is back');
    await expect(page.getByTestId('stats')).toHaveAttribute('data-provider', /\w+/);

    // Plug it back in.
    await page.evaluate(() => {
      const devices = navigator.mediaDevices;
      devices.enumerateDevices = (window as unknown as { realEnumerate: MediaDevices['enumerateDevices'] }).realEnumerate;
      devices.dispatchEvent(new Event('devicechange'));
    });
    await expect(page.getByTestId('camera-problem')).toBeHidden({ timeout: 30_000 });
    const secondStream = await page.getByTestId('camera-view').evaluate((v: HTMLVideoElement) => (v.srcObject as MediaStream | null)?.id);
    expect(secondStream).toBeTruthy();
    expect(secondStream).not.toBe(firstStream);
    for (const at of BACKGROUND_POINTS) {
      await expect.poll(async () => distance(await previewColour(page, at), GREEN), { timeout: 30_000 }).toBeLessThanOrEqual(COLOUR_TOLERANCE);
    }
  });

  test('the page ran without script errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});

test.describe('without a usable camera', () => {
  let browser: Browser;
  test.afterEach(async () => {
    await browser?.close();
  });

  test('no camera: a clear message, and the engine still runs', async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs('none') });
    const { page } = await openPage(browser);
    await expect(page.getByTestId('camera-problem')).toHaveAttribute('data-code', 'no-camera', { timeout: 30_000 });
    await expect(page.getByTestId('camera-problem')).toContainText('No camera found');
    await expect(page.getByTestId('stats')).toHaveAttribute('data-provider', /\w+/, { timeout: 60_000 });
  });

  test('a camera that delivers no frames is reported after a timeout', async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs('fake') });
    const page = await browser.newPage();
    // The macOS failure users hit: getUserMedia "succeeds" with a track that never produces a frame.
    await page.addInitScript(() => {
      navigator.mediaDevices.getUserMedia = async () => {
        const canvas = document.createElement('canvas');
        canvas.width = 640;
        canvas.height = 360;
        return canvas.captureStream(0);
      };
    });
    await page.goto(server.url);
    await expect(page.getByTestId('camera-problem')).toHaveAttribute('data-code', 'no-frames', { timeout: 30_000 });
    await expect(page.getByTestId('camera-problem')).toContainText('sends no picture');
  });

  test('permission denied: a clear message', async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs('denied') });
    const { page } = await openPage(browser);
    await expect(page.getByTestId('camera-problem')).toHaveAttribute('data-code', 'permission-denied', { timeout: 30_000 });
    await expect(page.getByTestId('camera-problem')).toContainText('Camera permission denied');
  });
});
