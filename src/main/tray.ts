/** A minimal tray: show/hide and quit. Presets come later; the menu itself is data in tray-menu.ts. */
import { Menu, Tray, nativeImage } from 'electron';
import { trayMenuModel, type TrayAction } from './tray-menu';

const ICON_SIZE = 16;

/** No icon asset exists yet: a plain teal square (BGRA) keeps the tray visible on every platform. */
function placeholderIcon(): Electron.NativeImage {
  const bgra = Buffer.alloc(ICON_SIZE * ICON_SIZE * 4);
  for (let i = 0; i < bgra.length; i += 4) bgra.set([0x96, 0x88, 0x00, 0xff], i);
  return nativeImage.createFromBitmap(bgra, { width: ICON_SIZE, height: ICON_SIZE });
}

export interface AppTray {
  /** Rebuilds the menu after the window was shown or hidden. */
  refresh(): void;
  destroy(): void;
}

export function createTray(opts: { isWindowVisible(): boolean; onAction(action: TrayAction): void }): AppTray {
  const tray = new Tray(placeholderIcon());
  tray.setToolTip('Backdrop');
  const refresh = () =>
    tray.setContextMenu(
      Menu.buildFromTemplate(
        trayMenuModel({ windowVisible: opts.isWindowVisible() }).map((item) => ({ label: item.label, click: () => opts.onAction(item.action) })),
      ),
    );
  refresh();
  return { refresh, destroy: () => tray.destroy() };
}
