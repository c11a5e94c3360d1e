/**
 * Electron main: lifecycle, one window, the tray, settings and the engine process. No pixel work here;
 * every decision that can be made without Electron lives in a sibling module with its own tests.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrowserWindow, app, dialog, ipcMain, session, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { SETTINGS_CHANGED_EVENT, type AppSettings } from '../common/contract';
import { listBackgrounds } from './backgrounds';
import { EngineProcess } from './engine-process';
import { registerIpc } from './ipc';
import { allowNavigation, appPage, grantPermissionCheck, grantPermissionRequest, isOwnPage, type AppPage } from './policy';
import { SETTINGS_FILE_NAME, SettingsStore } from './settings';
import { createTray, type AppTray } from './tray';
import type { TrayAction } from './tray-menu';

const INDEX_HTML = fileURLToPath(new URL('../renderer/index.html', import.meta.url));
const PRELOAD = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
const ENGINE_ENTRY = fileURLToPath(new URL('./engine.js', import.meta.url));

/** Bundled data sits beside the app in development and in resources/ once packaged. */
function resourcePath(...parts: string[]): string {
  return app.isPackaged ? join(process.resourcesPath, ...parts) : join(app.getAppPath(), ...parts);
}

function harden(contents: WebContents, page: AppPage): void {
  contents.on('will-navigate', (event) => {
    if (!allowNavigation(event.url, page)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!allowNavigation(event.url, page)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

function installPermissionHandlers(page: AppPage): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined;
    callback(grantPermissionRequest(permission, details.requestingUrl, page, mediaTypes));
  });
  ses.setPermissionCheckHandler((contents, permission, _origin, details) =>
    grantPermissionCheck(permission, details.requestingUrl ?? contents?.getURL(), page, details.mediaType),
  );
}

function createWindow(page: AppPage): BrowserWindow {
  const win = new BrowserWindow({
    width: 1100,
    height: 760,
    title: 'Backdrop',
    show: false,
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  win.once('ready-to-show', () => win.show());
  if (page.kind === 'dev') void win.loadURL(page.origin);
  else void win.loadFile(page.path);
  return win;
}

async function main(): Promise<void> {
  const page = appPage(app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL, INDEX_HTML);
  app.on('web-contents-created', (_event, contents) => harden(contents, page));
  await app.whenReady();

  const { store, problem } = await SettingsStore.open(join(app.getPath('userData'), SETTINGS_FILE_NAME));
  installPermissionHandlers(page);

  const engine = new EngineProcess({ entry: ENGINE_ENTRY, modelsDir: resourcePath('models'), log: (line) => console.warn(line) });
  engine.start();

  let win = createWindow(page);
  const broadcast = (settings: AppSettings) =>
    BrowserWindow.getAllWindows().forEach((w) => w.webContents.send(SETTINGS_CHANGED_EVENT, settings));

  registerIpc<IpcMainInvokeEvent>(
    ipcMain,
    {
      getSettings: () => store.get(),
      updateSettings: async (patch) => {
        const settings = await store.update(patch);
        broadcast(settings);
        return settings;
      },
      listBackgrounds: () => listBackgrounds(resourcePath('resources', 'backgrounds')),
      connectEngine: (sender) => engine.connect(sender),
    },
    (event) => event.senderFrame !== null && event.senderFrame === event.sender.mainFrame && isOwnPage(event.senderFrame.url, page),
  );

  let tray: AppTray | null = null;
  const showWindow = () => {
    if (win.isDestroyed()) win = createWindow(page);
    win.show();
    win.focus();
    tray?.refresh();
  };
  const onTrayAction = (action: TrayAction) => {
    if (action === 'show') showWindow();
    else if (action === 'hide') win.hide();
    else app.quit();
    tray?.refresh();
  };
  tray = createTray({ isWindowVisible: () => !win.isDestroyed() && win.isVisible(), onAction: onTrayAction });
  app.on('second-instance', showWindow);

  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => {
    tray?.destroy();
    void engine.stop();
  });

  if (problem) {
    void dialog.showMessageBox(win, { type: 'warning', message: 'Backdrop settings were reset', detail: problem });
  }
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  main().catch((error: Error) => {
    dialog.showErrorBox('Backdrop could not start', error.stack ?? error.message);
    app.exit(1);
  });
}
