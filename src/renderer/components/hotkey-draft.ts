/**
 * The hotkey form's text fields checked as the user types, with the same rules main's settings parser
 * applies, so a bad or clashing shortcut is explained next to its field instead of failing on save.
 */
import { AcceleratorError, findConflicts, formatAccelerator, parseAccelerator, type Accelerator } from '../../common/accelerator';
import { HOTKEY_ACTIONS, HOTKEY_LABELS, type HotkeyAction, type HotkeyBindings } from '../../common/contract';

/** What is in each field; '' leaves the action without a hotkey. */
export type HotkeyDraft = Record<HotkeyAction, string>;

export interface HotkeyDraftCheck {
  /** The bindings to save, normalised; null while any field has an error. */
  bindings: HotkeyBindings | null;
  errors: Partial<Record<HotkeyAction, string>>;
}

export function draftFromBindings(bindings: HotkeyBindings): HotkeyDraft {
  return Object.fromEntries(HOTKEY_ACTIONS.map((a) => [a, bindings[a] ?? ''])) as HotkeyDraft;
}

export function checkHotkeyDraft(draft: HotkeyDraft): HotkeyDraftCheck {
  const errors: Partial<Record<HotkeyAction, string>> = {};
  const parsed: { name: HotkeyAction; accelerator: Accelerator }[] = [];
  for (const action of HOTKEY_ACTIONS) {
    const text = draft[action].trim();
    if (text === '') continue;
    try {
      parsed.push({ name: action, accelerator: parseAccelerator(text) });
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
