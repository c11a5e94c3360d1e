import { useEffect, useState } from 'react';
import { DEFAULT_HOTKEYS, HOTKEY_ACTIONS, HOTKEY_LABELS, type HotkeyBindings, type HotkeyStatus } from '../../common/contract';
import { checkHotkeyDraft, draftFromBindings, type HotkeyDraft } from './hotkey-draft';

interface Props {
  /** False where nothing can register global hotkeys (the browser test page). */
  available: boolean;
  value: HotkeyBindings;
  /** What main made of the saved hotkeys: a chord another app holds is reported here. */
  statuses: HotkeyStatus[];
  onSave(bindings: HotkeyBindings): void;
}

export function HotkeySettings({ available, value, statuses, onSave }: Props) {
  const [draft, setDraft] = useState<HotkeyDraft>(() => draftFromBindings(value));
  // Keyed on the content: every settings broadcast brings a new object, and an unrelated change (the
  // mirror toggle) must not wipe what the user is typing.
  const savedKey = JSON.stringify(value);
  useEffect(() => setDraft(draftFromBindings(JSON.parse(savedKey) as HotkeyBindings)), [savedKey]);

  if (!available) {
    return (
      <fieldset className="hotkeys">
        <legend>Hotkeys</legend>
        <p data-testid="hotkeys-unavailable">Global hotkeys work in the Backdrop desktop app.</p>
      </fieldset>
    );
  }

  const check = checkHotkeyDraft(draft);
  const saved = JSON.stringify(draftFromBindings(value)) === JSON.stringify(draft);
  return (
    <fieldset className="hotkeys">
      <legend>Hotkeys</legend>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (check.bindings) onSave(check.bindings);
        }}
      >
        {HOTKEY_ACTIONS.map((action) => {
          const problem = check.errors[action] ?? (saved ? statuses.find((s) => s.action === action)?.message : null);
          return (
            <label key={action} className="hotkey">
              <span>{HOTKEY_LABELS[action]}</span>
              <input
                type="text"
                data-testid={`hotkey-${action}`}
                placeholder="none"
                aria-invalid={Boolean(check.errors[action])}
                value={draft[action]}
                onChange={(e) => setDraft({ ...draft, [action]: e.target.value })}
              />
              {problem && (
                <small className="problem" data-testid={`hotkey-${action}-problem`}>
                  {problem}
                </small>
              )}
            </label>
          );
        })}
        <div className="row">
          <button type="submit" data-testid="hotkeys-save" disabled={!check.bindings || saved}>
            Save hotkeys
          </button>
          <button type="button" onClick={() => setDraft(draftFromBindings(DEFAULT_HOTKEYS))}>
            Defaults
          </button>
        </div>
      </form>
    </fieldset>
  );
}
