export interface Notice {
  id: number;
  kind: 'error' | 'info';
  /** Same key replaces the older notice: a repeated engine error shows once. */
  key: string;
  message: string;
}

export function Notices(props: { notices: Notice[]; onDismiss(id: number): void }) {
  if (props.notices.length === 0) return null;
  return (
    <ul className="notices" aria-live="polite">
      {props.notices.map((n) => (
        <li key={n.id} className={n.kind} data-testid={`notice-${n.key}`} role={n.kind === 'error' ? 'alert' : 'status'}>
          <span>{n.message}</span>
          <button type="button" aria-label="Dismiss" onClick={() => props.onDismiss(n.id)}>
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}

/** Adds a notice, replacing one with the same key. */
export function addNotice(list: Notice[], n: Omit<Notice, 'id'>, id: number): Notice[] {
  return [...list.filter((x) => x.key !== n.key), { ...n, id }];
}
