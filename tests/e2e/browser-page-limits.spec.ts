/**
 * The renderer in the browser test page has no main process: no data folder for the user's backgrounds
 * and no global hotkeys. The page must say so where those controls would be, and keep working.
 */
import { expect, test } from '@playwright/test';
import { startRendererServer, type RendererServer } from './server';

let server: RendererServer;

test.beforeAll(async () => {
  server = await startRendererServer();
});
test.afterAll(async () => {
  await server?.stop();
});

test('the browser page explains what needs the desktop app, and a stray drop does not navigate away', async ({ page }) => {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(msg.text());
  });
  await page.goto(server.url);
  await expect(page.getByTestId('background-add-hint')).toHaveText('Adding your own backgrounds works in the Backdrop desktop app.');
  await expect(page.getByTestId('background-add')).toHaveCount(0);
  await expect(page.getByTestId('bundled-backgrounds').getByRole('radio', { name: 'Quiet room' })).toBeVisible();
  await expect(page.getByTestId('outputs-unavailable')).toBeVisible();
  await expect(page.getByTestId('record')).toBeDisabled();
  await page.getByTestId('tab-settings').click();
  await expect(page.getByTestId('hotkeys-unavailable')).toBeVisible();
  await expect(page.getByTestId('start-in-tray')).toHaveCount(0);

  const before = page.url();
  // A drop whose default is not prevented makes Chromium open the dropped file in place of the app.
  const prevented = await page.evaluate(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['not a picture'], 'notes.png', { type: 'image/png' }));
    const event = new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: transfer });
    document.querySelector('header')?.dispatchEvent(event);
    return event.defaultPrevented;
  });
  expect(prevented).toBe(true);
  expect(page.url()).toBe(before);
  expect(problems).toEqual([]);
});
