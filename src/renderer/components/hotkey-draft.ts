/**
 * The hotkey form's text fields checked as the user types, with the same rules main's settings parser
 * applies, so a bad or clashing shortcut is explained next to its field instead of failing on save.
 * Fields show shortcuts the way the platform writes them (Ctrl+Alt+N, ⌘⌥N); a field left as it was
 * keeps the saved accelerator exactly (CommandOrControl stays CommandOrControl).
 */
import { AcceleratorError, findConflicts, formatAccelerator, parseAccelerator, type Accelerator, type KeyboardFamily } from '../../common/accelerator';
import { HOTKEY_ACTIONS, HOTKEY_LABELS, type HotkeyAction, type HotkeyBindings } from '../../common/contract';
import { displayAccelerator } from './status-format';

/** What is in each field; '' leaves the action without a hotkey. */
export type HotkeyDraft = Record<HotkeyAction, string>;

export interface HotkeyDraftCheck {
  /** The bindings to save, normalised; null while any field has an error. */
  bindings: HotkeyBindings | null;
  errors: Partial<Record<HotkeyAction, string>>;
}

export function draftFromBindings(bindings: HotkeyBindings, family: KeyboardFamily = 'other'): HotkeyDraft {
  return Object.fromEntries(HOTKEY_ACTIONS.map((a) => [a, bindings[a] ? displayAccelerator(bindings[a], family) : ''])) as HotkeyDraft;
}

const MAC_SYMBOL_NAMES: Record<string, string> = { '⌘': 'Command', '⌥': 'Alt', '⇧': 'Shift', '⌃': 'Control' };

/** "⌘⇧B" -> "Command+Shift+B"; text without the symbols is left as it is. */
function unsymbol(text: string): string {
  const m = /^([⌘⌥⇧⌃]+)(.+)$/.exec(text);
  if (!m) return text;
  return [...[...m[1]].map((c) => MAC_SYMBOL_NAMES[c]), m[2]].join('+');
}

/** `saved`: what is saved now; a field still showing it keeps that exact accelerator. */
export function checkHotkeyDraft(draft: HotkeyDraft, saved?: HotkeyBindings, family: KeyboardFamily = 'other'): HotkeyDraftCheck {
  const errors: Partial<Record<HotkeyAction, string>> = {};
  const parsed: { name: HotkeyAction; accelerator: Accelerator }[] = [];
  const unchanged = saved ? draftFromBindings(saved, family) : null;
  for (const action of HOTKEY_ACTIONS) {
    const text = draft[action].trim();
    if (text === '') continue;
    const source = unchanged && saved?.[action] && text === unchanged[action] ? saved[action] : unsymbol(text);
    try {
      parsed.push({ name: action, accelerator: parseAccelerator(source) });
    } catch (error) {
      if (!(error instanceof AcceleratorError)) throw error;
      errors[action] = `${text} ${error.reason}`;
    }
  }
  for (const { names } of findConflicts(parsed)) {
    const [a, b] = names;
    errors[a] ??= `same keys as ${HOTKEY_LABELS[b]}`;
    errors[b] ??= `same keys as ${HOTKEY_LABELS[a]}`;
  }
  if (Object.keys(errors).length > 0) return { bindings: null, errors };
  const bindings = Object.fromEntries(HOTKEY_ACTIONS.map((a) => [a, null])) as HotkeyBindings;
  for (const { name, accelerator } of parsed) bindings[name] = formatAccelerator(accelerator);
  return { bindings, errors };
}
