import { useCallback, useEffect, useState } from 'react';
import type { Output } from '../../../shared/contract.ts';
import { useClient, useEvent } from '../api/context.tsx';
import { whenChanged } from '../time.ts';

type List = Output<'notifications.list'>;

/** The bell in the top bar: a person's stories approved or sent back. */
export function Notifications({ onOpen }: { onOpen: (documentId: string) => void }) {
  const client = useClient();
  const [list, setList] = useState<List | null>(null);
  const [open, setOpen] = useState(false);
  const load = useCallback(() => {
    client.call('notifications.list', {}).then(setList, () => setList(null));
  }, [client]);
  useEffect(load, [load]);
  // Saves of working copies (they carry a session) never approve or send anything back.
  useEvent(
    'documents.changed',
    useCallback((p) => p.session === undefined && load(), [load]),
  );

  const unread = list?.unread ?? 0;
  return (
    <div className="notifications">
      <button type="button" aria-expanded={open} aria-label={`Notifications, ${unread} unread`} onClick={() => setOpen((v) => !v)}>
        Notifications {unread > 0 && <span className="badge">{unread}</span>}
      </button>
      {open && (
        <div className="notifications-panel" role="region" aria-label="Notifications">
          {list && list.items.length === 0 && <p className="empty-state">Nothing yet. When an editor approves or sends back your work, it shows here.</p>}
          <ul>
            {list?.items.map((n) => (
              <li key={n.id} className={n.unread ? 'unread' : undefined}>
                <button
                  type="button"
                  onClick={() => {
                    setOpen(false);
                    onOpen(n.documentId);
                  }}
                >
                  <strong>{n.action === 'approve' ? 'Approved' : 'Changes requested'}</strong>: {n.title || 'Untitled'} — {n.actorName},{' '}
                  {whenChanged(n.createdAt)}
                  {n.note && <span className="note"> “{n.note}”</span>}
                </button>
              </li>
            ))}
          </ul>
          {unread > 0 && (
            <button type="button" onClick={() => client.call('notifications.markRead', {}).then(setList, () => {})}>
              Mark all read
            </button>
          )}
        </div>
      )}
    </div>
  );
}
