/** The tray icon: the menu itself is data from tray-menu.ts; this only turns it into Electron's Menu. */
import { Menu, Tray, nativeImage, type MenuItemConstructorOptions } from 'electron';
import type { AppAction } from './app-actions';
import { trayMenuModel, type TrayMenuEntry, type TrayState } from './tray-menu';

const ICON_SIZE = 16;

/** No icon asset exists yet: a plain teal square (BGRA) keeps the tray visible on every platform. */
function placeholderIcon(): Electron.NativeImage {
  const bgra = Buffer.alloc(ICON_SIZE * ICON_SIZE * 4);
  for (let i = 0; i < bgra.length; i += 4) bgra.set([0x96, 0x88, 0x00, 0xff], i);
  return nativeImage.createFromBitmap(bgra, { width: ICON_SIZE, height: ICON_SIZE });
}

function menuItem(entry: TrayMenuEntry, onAction: (action: AppAction) => void): MenuItemConstructorOptions {
  switch (entry.kind) {
    case 'heading':
      return { label: entry.label, enabled: false };
    case 'separator':
      return { type: 'separator' };
    case 'check':
      // Checkboxes rather than a radio group: a GTK radio group always has one item selected, which
      // would show a preset as active while a hand-set background (a slider blur) is in use.
      return { type: 'checkbox', label: entry.label, checked: entry.checked, click: () => onAction(entry.action) };
    case 'item': {
      const { action } = entry;
      return { label: entry.label, enabled: entry.enabled, ...(action ? { click: () => onAction(action) } : {}) };
    }
  }
}

export interface AppTray {
  /** Rebuilds the menu; call whenever the presets, the active background, the outputs or the window change. */
  refresh(): void;
  destroy(): void;
}

export function createTray(opts: { state(): TrayState; onAction(action: AppAction): void; onClick(): void }): AppTray {
  const tray = new Tray(placeholderIcon());
  tray.setToolTip('Backdrop');
  // Windows and macOS report a plain click; Linux status-notifier trays only ever open the menu.
  tray.on('click', () => opts.onClick());
  const refresh = () => {
    if (tray.isDestroyed()) return;
    tray.setContextMenu(Menu.buildFromTemplate(trayMenuModel(opts.state()).map((entry) => menuItem(entry, opts.onAction))));
  };
  refresh();
  return { refresh, destroy: () => tray.destroy() };
}
