/**
 * The desktop-only controls of the real renderer page (drop zone, thumbnails, hotkey form), driven in
 * Chromium with a stand-in for the preload's window.backdrop, since no Electron binary runs here. The
 * stand-in only records calls and answers as main would; everything under test is the page's own code.
 */
import { expect, test, type Page } from '@playwright/test';
import { DEFAULT_SETTINGS, IDLE_OUTPUTS_STATUS, type AddBackgroundResult, type AppSettings, type BackdropApi, type HotkeyStatus, type OutputsView } from '../../src/common/contract';
import { expectInViewport, layoutProblems } from './layout';
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
    /** Plays main broadcasting settings changed elsewhere (the tray). */
    settingsChanged?: (settings: AppSettings) => void;
  }
}

let server: RendererServer;

test.beforeAll(async () => {
  server = await startRendererServer();
});
test.afterAll(async () => {
  await server?.stop();
});

/** What main would say with no loopback device yet, and a recording and a stream running once started. */
function outputsView(recording: boolean, streaming: boolean): OutputsView {
  return {
    status: {
      ...IDLE_OUTPUTS_STATUS,
      recording: recording
        ? { state: 'recording', path: '/home/me/Videos/Backdrop 2026-01-01.mp4', elapsedSec: 75.4, bytes: 3_400_000, bitrateKbps: 2240, dropped: 0, savedTo: null, error: null }
        : IDLE_OUTPUTS_STATUS.recording,
      stream: streaming ? { state: 'live', target: 'rtmp://live.example.com/app', attempt: 3, retryInMs: null, reconnects: 2, dropped: 0, error: null } : IDLE_OUTPUTS_STATUS.stream,
    },
    virtualCamera: {
      available: false,
      message: 'No virtual camera device yet: Linux needs the v4l2loopback module loaded with a device for Backdrop.',
      command: 'sudo modprobe v4l2loopback devices=1 video_nr=10 card_label="Backdrop" exclusive_caps=1 max_buffers=2',
      explanation: 'exclusive_caps=1 makes Chrome and Meet list the device; some Zoom versions see it only without it.',
      canCreate: false,
    },
    recordingsFolder: '/home/me/Videos',
    microphone: { kind: 'none' },
    streamUrl: 'rtmp://live.example.com/app',
    streamKeySaved: true,
  };
}

async function openWithStandIn(page: Page, statuses: HotkeyStatus[]): Promise<void> {
  await page.addInitScript(
    ({ settings, thumbnail, statuses, views }) => {
      const running = { recording: false, streaming: false };
      const view = () => views[`${running.recording}/${running.streaming}`];
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
            case 'outputs:get':
              return view();
            case 'outputs:microphones':
              return [{ spec: { kind: 'pulse', device: 'alsa_input.usb' }, label: 'USB microphone' }];
            case 'outputs:recording':
              running.recording = (request as { on: boolean }).on;
              return view();
            case 'outputs:streaming':
              running.streaming = (request as { on: boolean }).on;
              return view();
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
        onSettingsChanged: (listener) => {
          window.settingsChanged = listener;
          return () => undefined;
        },
        onApplyBackground: () => () => undefined,
        onOutputsChanged: () => () => undefined,
        async addBackgroundFile(file: File): Promise<AddBackgroundResult> {
          recorded.added.push(file.name);
          return { ok: false, code: 'not-media', message: `${file.name} is not a picture or video. Nothing was added.` };
        },
      } as BackdropApi;
      Object.defineProperty(window, 'backdrop', { value: api });
    },
    { settings: DEFAULT_SETTINGS, thumbnail: PIXEL_PNG, statuses, views: Object.fromEntries(
        [false, true].flatMap((r) => [false, true].map((l) => [`${r}/${l}`, outputsView(r, l)])),
      ) as Record<string, OutputsView> },
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
  await expect(page.getByRole('radio', { name: 'Beach (video)' })).toBeVisible();
  await expect(page.getByTestId('background-user:beach.mp4')).toContainText('video');
  await expect(page.getByTestId('background-add')).toBeVisible();
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
  await page.getByTestId('tab-settings').click();
  await expect(page.getByTestId('hotkey-nextPreset')).toHaveValue('Ctrl+Alt+N');
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
  await page.getByTestId('tab-settings').click();
  await expect(page.getByTestId('hotkey-toggleRecording-problem')).toHaveText(taken);
  await expect(page.getByTestId('notice-hotkeys')).toHaveText(new RegExp(taken.replace(/[.+]/g, '\\$&')));
});

test('a pressed chord fills a hotkey field the way the platform writes it', async ({ page }) => {
  await openWithStandIn(page, REGISTERED);
  await page.getByTestId('tab-settings').click();
  await page.getByTestId('hotkey-backgroundOff').focus();
  await page.keyboard.press('Control+Shift+KeyO');
  await expect(page.getByTestId('hotkey-backgroundOff')).toHaveValue('Ctrl+Shift+O');
});

test('outputs: on screen at 1024×700, virtual camera set up as a guided step, record and stream show their state', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await openWithStandIn(page, REGISTERED);
  await expectInViewport(page, ['vcam', 'vcam-setup', 'record', 'stream-toggle', 'preview-area']);
  expect(await layoutProblems(page)).toEqual([]);

  await page.getByTestId('vcam-setup').click();
  const dialog = page.getByTestId('vcam-dialog');
  await expect(dialog).toBeVisible();
  const command = page.getByTestId('vcam-command');
  await expect(command).toContainText('exclusive_caps=1');
  // The command wraps inside the dialog instead of pushing it off screen.
  expect(await command.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
  await expectInViewport(page, ['vcam-command', 'vcam-copy']);
  await expect(dialog).toContainText('exclusive_caps=1 makes Chrome and Meet list the device');
  await expect(page.getByTestId('vcam-copy')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  await page.getByTestId('record').click();
  await expect(page.getByTestId('recording-status')).toHaveText('1:15 · 3.4 MB');
  await expect(page.getByTestId('record')).toHaveAttribute('aria-pressed', 'true');
  await page.getByTestId('stream-toggle').click();
  await expect(page.getByTestId('stream-status')).toHaveText('Live · reconnected 2×');
  expect(await layoutProblems(page)).toEqual([]);
  expect(await page.evaluate(() => window.recorded.invoked.filter(([c]) => c === 'outputs:recording' || c === 'outputs:streaming'))).toEqual([
    ['outputs:recording', { on: true }],
    ['outputs:streaming', { on: true }],
  ]);
});

test('settings: start in tray and the microphone for recordings are saved through main', async ({ page }) => {
  await openWithStandIn(page, REGISTERED);
  await page.getByTestId('tab-settings').click();
  await page.getByTestId('start-in-tray').click();
  await page.getByTestId('microphone').selectOption({ label: 'USB microphone' });
  await expect.poll(() => page.evaluate(() => window.recorded.invoked.filter(([c]) => c === 'settings:update' || c === 'outputs:set-microphone'))).toEqual([
    ['settings:update', { startInTray: true }],
    ['outputs:set-microphone', { kind: 'pulse', device: 'alsa_input.usb' }],
  ]);
  expect(await layoutProblems(page)).toEqual([]);
});

test('who stays in the picture and the face detection range are saved through main, and a mode chosen in the tray shows', async ({ page }) => {
  await openWithStandIn(page, REGISTERED);
  await expect(page.getByTestId('people-all')).toHaveAttribute('aria-checked', 'true');
  await page.getByTestId('people-pick').click();
  await page.getByTestId('tab-settings').click();
  await page.getByTestId('face-model').selectOption('full');
  await expect.poll(() => page.evaluate(() => window.recorded.invoked.filter(([c]) => c === 'settings:update'))).toEqual([
    ['settings:update', { people: 'pick' }],
    ['settings:update', { faceModel: 'full' }],
  ]);
  await page.getByTestId('tab-background').click();
  await page.evaluate((settings) => window.settingsChanged?.({ ...settings, people: 'main' }), DEFAULT_SETTINGS);
  await expect(page.getByTestId('people-main')).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByTestId('people-hint')).toContainText('largest face');
});
