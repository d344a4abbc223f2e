import { useCallback, useEffect, useRef, useState } from 'react';
import type { DeskLink, DeskOutboxItem } from '../../../shared/contract.ts';
import { useClient, useEvent } from '../api/context.tsx';
import { whenChanged } from '../time.ts';
import { inDeskMode, useDeskLink } from './context.tsx';
import { FormError } from './fields.tsx';
import { useAction } from './useAction.ts';
import { deskStatusText, outboxStateText } from './words.ts';

/**
 * The top bar's view of the newsroom desk: the connection in words (a polite live
 * region, so a screen reader hears it drop and come back) and, while anything waits in
 * the outbox, Waiting to send (N). Renders nothing when the workstation works alone.
 */
export function DeskStatus({ onSignIn }: { onSignIn: () => void }) {
  const { link } = useDeskLink();
  const [open, setOpen] = useState(false);
  if (!link || !inDeskMode(link)) return null;
  return (
    <div className="desk-status">
      <span role="status" aria-live="polite" aria-label="Desk connection" className={`desk-state desk-state-${link.state}`} title={link.lastError ?? undefined}>
        {deskStatusText(link)}
      </span>
      {link.waiting > 0 && (
        <button type="button" onClick={() => setOpen(true)} aria-haspopup="dialog">
          Waiting to send ({link.waiting})
        </button>
      )}
      {link.state === 'signed-out' && (
        <button type="button" onClick={onSignIn}>
          Sign in to the desk
        </button>
      )}
      {open && <WaitingToSend link={link} onClose={() => setOpen(false)} onSignIn={onSignIn} />}
    </div>
  );
}

function WaitingToSend({ link, onClose, onSignIn }: { link: DeskLink; onClose: () => void; onSignIn: () => void }) {
  const client = useClient();
  const { apply } = useDeskLink();
  const dialog = useRef<HTMLDialogElement>(null);
  const [items, setItems] = useState<DeskOutboxItem[] | null>(null);
  const load = useAction();
  const send = useAction();

  const reload = useCallback(() => {
    void load.run(() => client.call('desk.outbox', {})).then((list) => list && setItems(list));
  }, [client]);
  useEffect(() => {
    dialog.current?.showModal();
    reload();
  }, [reload]);
  // Items leave the list as the desk accepts them, while the dialog is open.
  useEvent('desk.changed', reload);

  const sendNow = async () => {
    const next = await send.run(() => client.call('desk.syncNow', {}));
    if (next) apply(next);
    reload();
  };

  // The count also includes versions not yet uploaded, which are not outbox items.
  const versions = items ? Math.max(0, link.waiting - items.length) : 0;
  return (
    <dialog ref={dialog} aria-labelledby="waiting-title" onClose={onClose} className="waiting-to-send">
      <h2 id="waiting-title">Waiting to send</h2>
      <p className="hint">
        {link.state === 'offline'
          ? 'The desk cannot be reached. These go out in order, each once, when it answers again.'
          : link.state === 'signed-out'
            ? 'You are signed out of the desk. These go out in order when you sign in.'
            : 'These are being sent to the desk, in order, each once.'}
      </p>
      <FormError message={load.error} />
      {items && items.length === 0 && versions === 0 && <p className="empty-state">Nothing is waiting: everything is on the desk.</p>}
      {items && items.length > 0 && (
        <ol aria-label="Waiting items" className="outbox">
          {items.map((item) => (
            <li key={item.id} className={`outbox-${item.state}`}>
              <span className="summary">{item.summary}</span>
              <span className="state">{outboxStateText(item.state)}</span>
              <span className="hint">
                {whenChanged(item.createdAt)}
                {item.state === 'waiting' && item.attempts > 0 ? ` · tried ${item.attempts} ${item.attempts === 1 ? 'time' : 'times'}` : ''}
              </span>
              {item.state === 'refused' && item.lastError && <span className="reason">The desk said: {item.lastError}</span>}
            </li>
          ))}
        </ol>
      )}
      {versions > 0 && (
        <p>
          {versions === 1 ? '1 version' : `${versions} versions`} of your stories to upload.
        </p>
      )}
      {items?.some((i) => i.state === 'refused') && (
        <p className="hint">
          A refused action is not sent again: the desk’s state stands (refreshed on the next sync). Do it again if it still
          applies.
        </p>
      )}
      <FormError message={send.error} />
      <div className="dialog-actions">
        {link.state === 'signed-out' ? (
          <button
            type="button"
            onClick={() => {
              dialog.current?.close();
              onSignIn();
            }}
          >
            Sign in to the desk
          </button>
        ) : (
          <button type="button" onClick={sendNow} disabled={send.busy}>
            Send now
          </button>
        )}
        <button type="button" className="secondary" onClick={() => dialog.current?.close()}>
          Close
        </button>
      </div>
    </dialog>
  );
}
