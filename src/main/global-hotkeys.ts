/**
 * Global hotkeys from settings, registered through anything shaped like Electron's globalShortcut so
 * the bookkeeping runs under test. Another app may already hold a chord: register() then returns false,
 * and the status says so for the page and the notification to show.
 */
import { HOTKEY_ACTIONS, HOTKEY_LABELS, type HotkeyAction, type HotkeyBindings, type HotkeyStatus } from '../common/contract';

export interface ShortcutRegistrar {
  register(accelerator: string, callback: () => void): boolean;
  unregister(accelerator: string): void;
}

export class GlobalHotkeys {
  private held: string[] = [];
  private statuses: HotkeyStatus[] = [];

  constructor(
    private readonly registrar: ShortcutRegistrar,
    private readonly onHotkey: (action: HotkeyAction) => void,
  ) {}

  /** Releases the chords held so far and claims `bindings`; returns what became of each action. */
  apply(bindings: HotkeyBindings): HotkeyStatus[] {
    this.clear();
    this.statuses = HOTKEY_ACTIONS.map((action) => this.claim(action, bindings[action]));
    return this.status();
  }

  status(): HotkeyStatus[] {
    return this.statuses.map((s) => ({ ...s }));
  }

  /** Releases every chord this app holds (on quit, and before re-registering). */
  clear(): void {
    this.held.forEach((accelerator) => this.registrar.unregister(accelerator));
    this.held = [];
  }

  private claim(action: HotkeyAction, accelerator: string | null): HotkeyStatus {
    if (accelerator === null) return { action, accelerator, state: 'unbound', message: null };
    let ok: boolean;
    try {
      ok = this.registrar.register(accelerator, () => this.onHotkey(action));
    } catch (error) {
      return { action, accelerator, state: 'failed', message: `${accelerator} could not be registered: ${(error as Error).message}` };
    }
    if (!ok) {
      return { action, accelerator, state: 'taken', message: `${accelerator} is already used by another application; pick another key for ${HOTKEY_LABELS[action]}.` };
    }
    this.held.push(accelerator);
    return { action, accelerator, state: 'registered', message: null };
  }
}

/** One line for a notification about every hotkey that could not be claimed, or null when all were. */
export function hotkeyProblemSummary(statuses: readonly HotkeyStatus[]): string | null {
  const failed = statuses.filter((s) => s.state === 'taken' || s.state === 'failed');
  if (failed.length === 0) return null;
  return `Some hotkeys do not work: ${failed.map((s) => `${HOTKEY_LABELS[s.action]} (${s.accelerator})`).join(', ')}. Change them in Backdrop's hotkey settings.`;
}
