export interface Notice {
  id: number;
  kind: 'error' | 'info';
  /** Same key replaces the older notice: a repeated engine error shows once. */
  key: string;
  message: string;
}

/** Notices float over the preview's top edge, so one coming or going never moves the layout. */
export function Notices(props: { notices: Notice[]; onDismiss(id: number): void }) {
  return (
    <ul className="notices" aria-live="polite" aria-label="Notices">
      {props.notices.map((n) => (
        <li key={n.id} className={`notice ${n.kind}`} data-testid={`notice-${n.key}`} role={n.kind === 'error' ? 'alert' : 'status'}>
          <span>{n.message}</span>
          <button type="button" className="btn ghost icon" aria-label="Dismiss" onClick={() => props.onDismiss(n.id)}>
            ✕
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
