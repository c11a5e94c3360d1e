import { useEffect, useMemo, useState } from 'react';
import { DEFAULT_HOTKEYS, HOTKEY_ACTIONS, HOTKEY_LABELS, type HotkeyBindings, type HotkeyStatus } from '../../common/contract';
import { checkHotkeyDraft, draftFromBindings, type HotkeyDraft } from './hotkey-draft';
import { acceleratorFromKeys, displayAccelerator, pageKeyboardFamily } from './status-format';

interface Props {
  /** False where nothing can register global hotkeys (the browser test page). */
  available: boolean;
  value: HotkeyBindings;
  /** What main made of the saved hotkeys: a chord another app holds is reported here. */
  statuses: HotkeyStatus[];
  onSave(bindings: HotkeyBindings): void;
}

/** Press a shortcut in a field to set it (or type it); shown as the platform writes it. */
export function HotkeySettings({ available, value, statuses, onSave }: Props) {
  const family = useMemo(pageKeyboardFamily, []);
  const [draft, setDraft] = useState<HotkeyDraft>(() => draftFromBindings(value, family));
  // Keyed on the content: every settings broadcast brings a new object, and an unrelated change (the
  // mirror toggle) must not wipe what the user is typing.
  const savedKey = JSON.stringify(value);
  useEffect(() => setDraft(draftFromBindings(JSON.parse(savedKey) as HotkeyBindings, family)), [savedKey, family]);

  if (!available) {
    return (
      <fieldset className="group hotkeys">
        <legend>Hotkeys</legend>
        <p className="hint" data-testid="hotkeys-unavailable">
          Global hotkeys work in the Backdrop desktop app.
        </p>
      </fieldset>
    );
  }

  const check = checkHotkeyDraft(draft, value, family);
  const saved = JSON.stringify(draftFromBindings(value, family)) === JSON.stringify(draft);
  return (
    <fieldset className="group hotkeys">
      <legend>Hotkeys</legend>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          if (check.bindings) onSave(check.bindings);
        }}
      >
        {HOTKEY_ACTIONS.map((action) => {
          const problem = check.errors[action] ?? (saved ? statuses.find((s) => s.action === action)?.message : null);
          const id = `hotkey-field-${action}`;
          return (
            <div key={action} className="field hotkey">
              <label htmlFor={id}>{HOTKEY_LABELS[action]}</label>
              <input
                id={id}
                className="input kbd"
                type="text"
                data-testid={`hotkey-${action}`}
                placeholder="none"
                spellCheck={false}
                aria-invalid={Boolean(check.errors[action])}
                aria-describedby={problem ? `${id}-problem` : undefined}
                value={draft[action]}
                onKeyDown={(e) => {
                  if (!(e.ctrlKey || e.altKey || e.metaKey)) return;
                  const acc = acceleratorFromKeys(e, family);
                  if (!acc) return;
                  e.preventDefault();
                  setDraft({ ...draft, [action]: displayAccelerator(acc, family) });
                }}
                onChange={(e) => setDraft({ ...draft, [action]: e.target.value })}
              />
              {problem && (
                <small className="problem" id={`${id}-problem`} data-testid={`hotkey-${action}-problem`}>
                  {problem}
                </small>
              )}
            </div>
          );
        })}
        <div className="row">
          <button type="submit" className="btn primary small" data-testid="hotkeys-save" disabled={!check.bindings || saved}>
            Save hotkeys
          </button>
          <button type="button" className="btn small" onClick={() => setDraft(draftFromBindings(DEFAULT_HOTKEYS, family))}>
            Defaults
          </button>
        </div>
      </form>
    </fieldset>
  );
}
