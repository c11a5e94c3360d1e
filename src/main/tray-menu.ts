/** The tray menu as data, so what it offers can be tested without Electron; tray.ts turns it into a Menu. */

export type TrayAction = 'show' | 'hide' | 'quit';

export interface TrayMenuItem {
  label: string;
  action: TrayAction;
}

export function trayMenuModel(state: { windowVisible: boolean }): TrayMenuItem[] {
  return [
    state.windowVisible ? { label: 'Hide Backdrop', action: 'hide' } : { label: 'Show Backdrop', action: 'show' },
    { label: 'Quit', action: 'quit' },
  ];
}
