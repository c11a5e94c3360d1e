/**
 * The desktop-only controls of the real renderer page (drop zone, thumbnails, hotkey form), driven in
 * Chromium with a stand-in for the preload's window.backdrop, since no Electron binary runs here. The
 * stand-in only records calls and answers as main would; everything under test is the page's own code.
 */
import { expect, test, type Page } from '@playwright/test';
import { DEFAULT_SETTINGS, type AddBackgroundResult, type BackdropApi, type HotkeyStatus } from '../../src/common/contract';
import { startRendererServer, type RendererServer } from './server';

/** A real 1x1 PNG. */
const PIXEL_PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

interface Recorded {
  invoked: [string, unknown][];
  added: string[];
}

declare global {
  interface Window {
    recorded: Recorded;
  }
}

let server: RendererServer;

test.beforeAll(async () => {
  server = await startRendererServer();
});
test.afterAll(async () => {
  await server?.stop();
});

async function openWithStandIn(page: Page, statuses: HotkeyStatus[]): Promise<void> {
  await page.addInitScript(
    ({ settings, thumbnail, statuses }) => {
      const recorded: Recorded = { invoked: [], added: [] };
      window.recorded = recorded;
      const entries = [
        { id: 'image:quiet-room.png', label: 'Quiet room', background: { kind: 'image', path: '/res/quiet-room.png' }, source: 'bundled', thumbnail },
        { id: 'user:beach.mp4', label: 'Beach', background: { kind: 'video', path: '/data/beach.mp4' }, source: 'user', thumbnail },
      ];
      const api: BackdropApi = {
        async invoke(channel, request) {
          recorded.invoked.push([channel, request]);
          switch (channel) {
            case 'settings:get':
              return settings;
            case 'settings:update':
              return { ...settings, ...(request as object) };
            case 'backgrounds:list':
              return entries;
            case 'hotkeys:status':
              return statuses;
            default:
              return null;
          }
        },
        onSettingsChanged: () => () => undefined,
        onApplyBackground: () => () => undefined,
        async addBackgroundFile(file: File): Promise<AddBackgroundResult> {
          recorded.added.push(file.name);
          return { ok: false, code: 'not-media', message: `${file.name} is not a picture or video. Nothing was added.` };
        },
      } as BackdropApi;
      Object.defineProperty(window, 'backdrop', { value: api });
    },
    { settings: DEFAULT_SETTINGS, thumbnail: PIXEL_PNG, statuses },
  );
  await page.goto(server.url);
}

const REGISTERED: HotkeyStatus[] = [
  { action: 'nextPreset', accelerator: 'CommandOrControl+Alt+N', state: 'registered', message: null },
  { action: 'previousPreset', accelerator: 'CommandOrControl+Alt+P', state: 'registered', message: null },
  { action: 'backgroundOff', accelerator: 'CommandOrControl+Alt+B', state: 'registered', message: null },
  { action: 'toggleRecording', accelerator: 'CommandOrControl+Alt+R', state: 'registered', message: null },
];

test('backgrounds show their thumbnails, and only user ones can be removed', async ({ page }) => {
  await openWithStandIn(page, REGISTERED);
  const list = page.getByTestId('bundled-backgrounds');
  await expect(list.locator('img')).toHaveCount(2);
  expect(await list.locator('img').first().evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);
  await expect(page.getByRole('button', { name: 'Remove Beach' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Remove Quiet room' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Remove Beach' }).click();
  await expect.poll(() => page.evaluate(() => window.recorded.invoked.filter(([c]) => c === 'backgrounds:remove'))).toEqual([
    ['backgrounds:remove', { id: 'user:beach.mp4' }],
  ]);
});

test('a dropped file goes to the preload, and its refusal is shown', async ({ page }) => {
  await openWithStandIn(page, REGISTERED);
  await page.getByTestId('background-drop').waitFor();
  await page.getByTestId('background-drop').evaluate((zone) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['These are my notes'], 'notes.png', { type: 'image/png' }));
    zone.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: transfer }));
  });
  await expect(page.getByTestId('notice-add-notes.png')).toContainText('notes.png is not a picture or video. Nothing was added.');
  expect(await page.evaluate(() => window.recorded.added)).toEqual(['notes.png']);
});

test('the hotkey form explains bad and clashing keys and saves normalised ones', async ({ page }) => {
  await openWithStandIn(page, REGISTERED);
  const save = page.getByTestId('hotkeys-save');
  await expect(save).toBeDisabled();

  await page.getByTestId('hotkey-backgroundOff').fill('B');
  await expect(page.getByTestId('hotkey-backgroundOff-problem')).toContainText('needs Ctrl, Alt, Super or Command');
  await page.getByTestId('hotkey-backgroundOff').fill('ctrl+alt+n');
  await expect(page.getByTestId('hotkey-backgroundOff-problem')).toHaveText('same keys as Next background');
  await expect(save).toBeDisabled();

  await page.getByTestId('hotkey-backgroundOff').fill('shift+ctrl+alt+o');
  await page.getByTestId('hotkey-toggleRecording').fill('');
  await expect(save).toBeEnabled();
  await save.click();
  await expect.poll(() => page.evaluate(() => window.recorded.invoked.filter(([c]) => c === 'settings:update'))).toEqual([
    ['settings:update', { hotkeys: { ...DEFAULT_SETTINGS.hotkeys, backgroundOff: 'Control+Alt+Shift+O', toggleRecording: null } }],
  ]);
});

test('a hotkey another app holds is reported next to its field and as a notice', async ({ page }) => {
  const taken = 'CommandOrControl+Alt+R is already used by another application; pick another key for Start / stop recording.';
  await openWithStandIn(page, [...REGISTERED.slice(0, 3), { action: 'toggleRecording', accelerator: 'CommandOrControl+Alt+R', state: 'taken', message: taken }]);
  await expect(page.getByTestId('hotkey-toggleRecording-problem')).toHaveText(taken);
  await expect(page.getByTestId('notice-hotkeys')).toHaveText(new RegExp(taken.replace(/[.+]/g, '\\$&')));
});
