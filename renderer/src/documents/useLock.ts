import { useCallback, useEffect, useRef, useState } from 'react';
import { useClient, useEvent } from '../api/context.tsx';

export type LockState = { held: boolean; holderName: string; since: number; elsewhere: boolean };

/**
 * Holds the document's edit lock while this editor is open (checking in every 30 s),
 * notices when someone takes it over, and lets go on close. `let go` releases it before
 * the editor closes (Switch user) and stops checking in, so no check-in in between
 * takes it back in the name of the person leaving.
 */
export function useLock(documentId: string, session: string, mayEdit: boolean) {
  const client = useClient();
  const [lock, setLock] = useState<LockState | null>(null);
  const gone = useRef(false);
  const check = useCallback(() => {
    if (!mayEdit || gone.current) return;
    client.call('locks.acquire', { documentId, session }).then((l) => !gone.current && setLock(l), () => {});
  }, [client, documentId, session, mayEdit]);
  const letGo = useCallback(async () => {
    gone.current = true;
    if (mayEdit) await client.call('locks.release', { documentId, session });
  }, [client, documentId, session, mayEdit]);
  useEffect(() => {
    if (!mayEdit) return;
    // Opening claims it (from this person's other window, too); later checks only look.
    client.call('locks.acquire', { documentId, session, claim: true }).then((l) => !gone.current && setLock(l), () => {});
    const timer = setInterval(check, 30_000);
    return () => {
      clearInterval(timer);
      if (!gone.current) void client.call('locks.release', { documentId, session }).catch(() => {});
    };
  }, [client, documentId, session, mayEdit, check]);
  useEvent(
    'documents.changed',
    useCallback((p) => p.id === documentId && p.session !== session && check(), [documentId, session, check]),
  );
  return { lock, check, letGo };
}

