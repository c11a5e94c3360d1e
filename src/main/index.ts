/**
 * Electron main: lifecycle, one window, the tray and global hotkeys, settings, user backgrounds and the
 * engine process. No pixel work here; every decision that can be made without Electron lives in a
 * sibling module with its own tests.
 *
 * The window only hides when closed, and the page keeps capturing while hidden, so a call using the
 * virtual camera goes on; only the tray's Quit (or the OS quitting the app) ends Backdrop.
 *
 * A preset chosen in the tray or by hotkey goes to the page (APPLY_BACKGROUND_EVENT), which sends it to
 * the engine on the same port as its frames: the engine switches before the next frame it receives (a
 * picture or video once decoded; the old background stays meanwhile rather than stalling the call), and
 * the page saves the background once the engine confirms it, exactly as for a click in the window. The
 * page, not main, talks to the engine because it already owns that conversation and restores the
 * background after an engine restart. Who stays in the picture (a tray choice) is a setting: main saves it
 * and broadcasts the settings, and the page hands the saved mode to the engine, as when it is chosen in
 * the window.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrowserWindow, Notification, app, dialog, globalShortcut, ipcMain, safeStorage, session, shell, type IpcMainInvokeEvent, type WebContents } from 'electron';
import {
  APPLY_BACKGROUND_EVENT,
  OUTPUTS_CHANGED_EVENT,
  SETTINGS_CHANGED_EVENT,
  parseOutputsStatusMessage,
  type AppSettings,
  type Background,
  type BackgroundEntry,
  type Microphone,
} from '../common/contract';
import { FfmpegNotFoundError, locateFfmpeg } from '../io/ffmpeg/locate';
import { listMicrophones } from '../outputs/recorder/audio';
import { createLoopbackDevice, findPkexec } from '../outputs/v4l2/create-device';
import { chooseLoopbackDevice, listLoopbackDevices, listVideoDevices, loopbackModuleLoaded } from '../outputs/v4l2/discover';
import { virtualCameraAdvice } from '../outputs/v4l2/setup';
import { BackgroundTracker, actionForHotkey, runAppAction, type AppAction } from './app-actions';
import { backgroundCatalogue } from './background-catalogue';
import { EngineProcess } from './engine-process';
import { GlobalHotkeys, hotkeyProblemSummary } from './global-hotkeys';
import { registerIpc } from './ipc';
import { AppOutputs } from './outputs';
import { allowNavigation, appPage, grantPermissionCheck, grantPermissionRequest, isOwnPage, type AppPage } from './policy';
import { buildPresets, sameBackground, type Preset } from './presets';
import { SETTINGS_FILE_NAME, SettingsStore } from './settings';
import { STREAM_SECRETS_FILE_NAME, StreamCredentials, encryptedStreamStore, safeStorageCipher } from './stream-key';
import { ThumbnailCache } from './thumbnails';
import { createTray, type AppTray } from './tray';
import { UserBackgrounds } from './user-backgrounds';

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

/** `showWhenReady` false: the page loads and runs hidden (start in tray); the tray icon shows it. */
function createWindow(page: AppPage, showWhenReady = true): BrowserWindow {
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
      // Hidden in the tray, the page still captures and feeds the engine at the camera's rate.
      backgroundThrottling: false,
    },
  });
  if (showWhenReady) win.once('ready-to-show', () => win.show());
  if (page.kind === 'dev') void win.loadURL(page.origin);
  else void win.loadFile(page.path);
  return win;
}

/** Whether anyone can see the preview: a window hidden in the tray or minimised feeds nobody's eyes. */
function previewShown(): boolean {
  return BrowserWindow.getAllWindows().some((w) => w.isVisible() && !w.isMinimized());
}

function notify(title: string, body: string): void {
  if (Notification.isSupported()) new Notification({ title, body }).show();
  else console.warn(`${title}: ${body}`);
}

/** What the virtual camera advice needs to know of this machine. */
function found(): { moduleLoaded: boolean; loopbackDevices: number } {
  return process.platform === 'linux' ? { moduleLoaded: loopbackModuleLoaded(), loopbackDevices: listLoopbackDevices().length } : { moduleLoaded: false, loopbackDevices: 0 };
}

/** Microphones ffmpeg can record from: PulseAudio/PipeWire's, else ALSA's. Other platforms: none listed yet. */
async function microphones(ffmpegPath: string | null): Promise<Microphone[]> {
  if (!ffmpegPath || process.platform !== 'linux') return [];
  const pulse = await listMicrophones(ffmpegPath, 'pulse');
  const mics = pulse.length > 0 ? pulse : await listMicrophones(ffmpegPath, 'alsa');
  return mics.map((m) => ({ spec: { kind: m.source.kind as 'pulse' | 'alsa', device: (m.source as { device: string }).device }, label: m.label }));
}

function findFfmpeg(): string | null {
  try {
    return locateFfmpeg().path;
  } catch (error) {
    if (!(error instanceof FfmpegNotFoundError)) throw error;
    console.warn(`${error.message}; backgrounds get no thumbnails`);
    return null;
  }
}

async function main(): Promise<void> {
  const page = appPage(app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL, INDEX_HTML);
  app.on('web-contents-created', (_event, contents) => harden(contents, page));
  await app.whenReady();

  const userData = app.getPath('userData');
  const { store, problem } = await SettingsStore.open(join(userData, SETTINGS_FILE_NAME));
  installPermissionHandlers(page);

  let outputs: AppOutputs | null = null;
  const engine = new EngineProcess({
    entry: ENGINE_ENTRY,
    modelsDir: resourcePath('models'),
    log: (line) => console.warn(line),
    onMessage: (data) => {
      try {
        outputs?.noteStatus(parseOutputsStatusMessage(data).status);
      } catch (error) {
        console.warn(`ignored a message from the engine: ${(error as Error).message}`);
      }
    },
    onRestart: () => {
      outputs?.engineRestarted();
      engine.post({ type: 'preview', shown: previewShown() });
    },
  });
  engine.start();

  const ffmpegPath = findFfmpeg();
  const thumbnails = new ThumbnailCache(join(userData, 'thumbnails'), ffmpegPath, (line) => console.warn(line));
  const userBackgrounds = new UserBackgrounds(join(userData, 'backgrounds'), thumbnails);
  const tracker = new BackgroundTracker(store.get().background);
  const credentials = new StreamCredentials(
    encryptedStreamStore(join(userData, STREAM_SECRETS_FILE_NAME), safeStorageCipher(safeStorage, process.platform)),
  );
  const videosFolder = app.getPath('videos');
  const pkexec = process.platform === 'linux' ? findPkexec() : null;
  const appOutputs = new AppOutputs({
    send: (request) => engine.post(request),
    chooseDevice: () => {
      const choice = chooseLoopbackDevice(listVideoDevices());
      return choice.ok ? choice.device.path : new Error(virtualCameraAdvice(process.platform, found()).message + (choice.reason === 'all-busy' ? ` (${choice.message})` : ''));
    },
    advice: () => virtualCameraAdvice(process.platform, found()),
    canCreateDevice: pkexec !== null,
    createDevice: () => createLoopbackDevice(undefined, pkexec),
    recordingsFolder: videosFolder,
    makeFolder: (folder) => mkdirSync(folder, { recursive: true }),
    exists: existsSync,
    now: () => new Date(),
    credentials,
  });
  outputs = appOutputs;
  let presets: Preset[] = buildPresets([]);

  let win = createWindow(page, !store.get().startInTray);
  let quitting = false;
  let toldAboutTray = false;
  let tray: AppTray | null = null;

  const broadcast = (channel: string, payload: unknown) =>
    BrowserWindow.getAllWindows().forEach((w) => w.webContents.send(channel, payload));

  const listCatalogue = async (): Promise<BackgroundEntry[]> => {
    const entries = await backgroundCatalogue(resourcePath('resources', 'backgrounds'), userBackgrounds, thumbnails);
    presets = buildPresets(entries);
    tray?.refresh();
    return entries;
  };

  const showWindow = () => {
    if (win.isDestroyed()) win = createWindow(page);
    win.show();
    win.focus();
    tray?.refresh();
  };
  app.on('second-instance', showWindow);
  app.on('activate', showWindow);

  const applyBackground = (background: Background) => {
    tracker.note(background);
    broadcast(APPLY_BACKGROUND_EVENT, background);
  };

  const perform = (action: AppAction) => {
    runAppAction(action, {
      applyBackground,
      setPeople: async (people) => void (await updateSettings({ people })),
      outputs: appOutputs,
      showWindow,
      hideWindow: () => {
        if (!win.isDestroyed()) win.hide();
      },
      quit: () => app.quit(),
    })
      .catch((error: Error) => notify('Backdrop', error.message))
      .finally(() => tray?.refresh());
  };

  const hotkeys = new GlobalHotkeys(globalShortcut, (hotkey) => {
    const action = actionForHotkey(hotkey, { presets, current: tracker.current, lastShown: tracker.lastShown, outputs: appOutputs.state() });
    if (action) perform(action);
  });
  const applyHotkeys = (settings: AppSettings) => {
    const summary = hotkeyProblemSummary(hotkeys.apply(settings.hotkeys));
    if (summary) notify('Backdrop hotkeys', summary);
  };

  const updateSettings = async (patch: unknown): Promise<AppSettings> => {
    const before = store.get();
    const settings = await store.update(patch);
    // Only a changed background is news: an unrelated save still carries the old confirmed one, which
    // would undo a preset that was just requested.
    if (!sameBackground(before.background, settings.background)) tracker.note(settings.background);
    if (JSON.stringify(before.hotkeys) !== JSON.stringify(settings.hotkeys)) applyHotkeys(settings);
    broadcast(SETTINGS_CHANGED_EVENT, settings);
    tray?.refresh();
    return settings;
  };

  registerIpc<IpcMainInvokeEvent>(
    ipcMain,
    {
      getSettings: () => store.get(),
      updateSettings,
      listBackgrounds: listCatalogue,
      addBackground: async (path) => {
        const result = await userBackgrounds.add(path);
        if (result.ok) await listCatalogue();
        return result;
      },
      removeBackground: async (id) => {
        await userBackgrounds.remove(id, store.get().background);
        await listCatalogue();
      },
      hotkeyStatus: () => hotkeys.status(),
      connectEngine: (sender) => engine.connect(sender),
      outputs: {
        view: () => appOutputs.view(),
        microphones: () => microphones(ffmpegPath),
        setMicrophone: async (mic) => appOutputs.setMicrophone(mic),
        setVirtualCamera: (on) => appOutputs.setVirtualCamera(on),
        createVirtualCamera: () => appOutputs.createVirtualCamera(),
        setRecording: (on) => (on ? appOutputs.startRecording() : appOutputs.stopRecording()),
        // An empty URL keeps the saved one: the panel never shows the saved URL in full (it may hold the key).
        saveStream: async (url, key) => credentials.save(url || (await credentials.url()), key),
        setStreaming: (on) => (on ? appOutputs.startStreaming() : appOutputs.stopStreaming()),
        openFolder: async () => {
          mkdirSync(videosFolder, { recursive: true });
          const problem = await shell.openPath(videosFolder);
          if (problem) throw new Error(`could not open ${videosFolder}: ${problem}`);
        },
      },
    },
    (event) => event.senderFrame !== null && event.senderFrame === event.sender.mainFrame && isOwnPage(event.senderFrame.url, page),
  );

  const trackWindow = (w: BrowserWindow) => {
    w.on('close', (event) => {
      if (quitting) return;
      event.preventDefault();
      w.hide();
      if (!toldAboutTray) {
        toldAboutTray = true;
        notify('Backdrop is still running', 'Closing the window keeps your camera going. Use the tray icon to show Backdrop again or to quit.');
      }
    });
    // Windows ends the session without 'before-quit'; a window that refused to close would block logout.
    w.on('session-end', () => {
      quitting = true;
    });
    // The engine computes frames for the preview only while it can be seen (and for outputs that use them).
    const shownOrHidden = () => {
      tray?.refresh();
      engine.post({ type: 'preview', shown: previewShown() });
    };
    w.on('show', shownOrHidden);
    w.on('hide', shownOrHidden);
    w.on('minimize', shownOrHidden);
    w.on('restore', shownOrHidden);
  };
  trackWindow(win);
  engine.post({ type: 'preview', shown: previewShown() });
  app.on('browser-window-created', (_event, w) => trackWindow(w));

  tray = createTray({
    state: () => ({
      presets,
      active: store.get().background,
      outputs: appOutputs.state(),
      windowVisible: !win.isDestroyed() && win.isVisible(),
      people: store.get().people,
    }),
    onAction: perform,
    onClick: showWindow,
  });
  appOutputs.onChange(() => {
    tray?.refresh();
    void appOutputs.view().then((view) => broadcast(OUTPUTS_CHANGED_EVENT, view), (error: Error) => console.warn(`outputs view: ${error.message}`));
  });
  applyHotkeys(store.get());
  void listCatalogue().catch((error: Error) => console.warn(`backgrounds could not be listed: ${error.message}`));

  // Stay in the tray if the window goes away some other way; app.quit() does not emit this.
  app.on('window-all-closed', () => undefined);
  app.on('before-quit', () => {
    quitting = true;
    tray?.destroy();
    void engine.stop();
  });
  app.on('will-quit', () => hotkeys.clear());

  if (problem) {
    void dialog.showMessageBox(win, { type: 'warning', message: 'Backdrop settings were reset', detail: problem });
  }
}

if (!app.requestSingleInstanceLock()) {
  // Another Backdrop runs: it got 'second-instance' and shows its window; this one leaves at once.
  app.quit();
} else {
  main().catch((error: Error) => {
    dialog.showErrorBox('Backdrop could not start', error.stack ?? error.message);
    app.exit(1);
  });
}
