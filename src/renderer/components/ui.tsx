/**
 * The window's few building blocks, one look for all: Radix primitives where they add behaviour that is
 * easy to get wrong (switch, tabs, radio group: roles, roving focus, arrow keys), native elements where
 * the platform already does it right (buttons, selects, dialogs). Styles live in styles.css on CSS
 * variables; nothing here writes a style attribute from markup, so the page's CSP stays style-src 'self'.
 */
import * as RadixSwitch from '@radix-ui/react-switch';
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

export function Switch(props: { label: string; testId?: string; checked: boolean; disabled?: boolean; onChange(v: boolean): void; hint?: ReactNode }) {
  const id = useId();
  return (
    <div className="field switch-field">
      <label htmlFor={id}>{props.label}</label>
      <RadixSwitch.Root id={id} className="switch" data-testid={props.testId} checked={props.checked} disabled={props.disabled} onCheckedChange={props.onChange} aria-describedby={props.hint ? `${id}-hint` : undefined}>
        <RadixSwitch.Thumb className="switch-thumb" />
      </RadixSwitch.Root>
      {props.hint && (
        <p className="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
    </div>
  );
}

export interface SelectOption {
  value: string;
  label: string;
}

/** A native select with the window's look: the OS draws the list, which keyboards and screen readers know. */
export function Select(props: {
  label: string;
  testId?: string;
  value: string;
  options: SelectOption[];
  disabled?: boolean;
  onChange(value: string): void;
  /** Under the field: what runs, or why it differs from the choice. */
  note?: ReactNode;
  noteTestId?: string;
  noteKind?: 'info' | 'warn';
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select id={id} className="select" data-testid={props.testId} value={props.value} disabled={props.disabled} onChange={(e) => props.onChange(e.target.value)} aria-describedby={props.note ? `${id}-note` : undefined}>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {props.note && (
        <p className={`hint${props.noteKind === 'warn' ? ' warn' : ''}`} id={`${id}-note`} data-testid={props.noteTestId}>
          {props.note}
        </p>
      )}
    </div>
  );
}

/** A modal dialog on the native <dialog>: focus is trapped and Escape closes it, with no injected styles. */
export function Dialog(props: { open: boolean; title: string; onClose(): void; children: ReactNode; testId?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (props.open && !d.open) d.showModal();
    if (!props.open && d.open) d.close();
  }, [props.open]);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby={titleId} onClose={props.onClose} data-testid={props.testId}>
      <header className="dialog-head">
        <h2 id={titleId}>{props.title}</h2>
        <button type="button" className="btn ghost icon" aria-label="Close" onClick={props.onClose}>
          ✕
        </button>
      </header>
      {props.open && <div className="dialog-body">{props.children}</div>}
    </dialog>
  );
}

/** Copies text and says so for a moment; the text stays selectable where the clipboard is refused. */
export function CopyButton(props: { text: string; label?: string; testId?: string }) {
  const [copied, setCopied] = useStateReset(false, 2000);
  return (
    <button
      type="button"
      className="btn small"
      data-testid={props.testId}
      onClick={() => {
        navigator.clipboard.writeText(props.text).then(
          () => setCopied(true),
          () => setCopied(false),
        );
      }}
    >
      <span aria-live="polite">{copied ? 'Copied' : (props.label ?? 'Copy')}</span>
    </button>
  );
}


/** A state that falls back to its initial value `ms` after each change. */
function useStateReset<T>(initial: T, ms: number): [T, (v: T) => void] {
  const [value, setValue] = useState(initial);
  useEffect(() => {
    if (value === initial) return;
    const t = setTimeout(() => setValue(initial), ms);
    return () => clearTimeout(t);
  }, [value, initial, ms]);
  return [value, setValue];
}
