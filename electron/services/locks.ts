import { documentHolder } from '../../db/documents.ts';
import { getLock, setLock } from '../../db/locks.ts';
import type { Output, ParsedInput } from '../../shared/contract.ts';
import { GalleyError } from '../../shared/errors.ts';
import { canEdit, editRefusal } from '../../shared/permissions.ts';
import type { ServiceContext, SignedIn } from './context.ts';
import { loadRow } from './documents.ts';
import { cutRevision } from './revisions.ts';

/** An editor that has not checked in for this long has let go (crashed, closed, asleep). */
export const LOCK_STALE_MS = 90_000;

function live(ctx: ServiceContext, documentId: string) {
  const lock = getLock(ctx.db, documentId);
  return lock && ctx.now() - lock.seenAt < LOCK_STALE_MS ? lock : null;
}

/** The same person in the same editor window. */
const mine = (lock: { holderId: string; session: string | null }, caller: SignedIn, session: string | null | undefined) =>
  lock.holderId === caller.person.id && (session == null || lock.session == null || lock.session === session);

/**
 * Opening a document to edit takes its lock, or says who holds it. Called again
 * periodically by the open editor to say it is still there.
 */
export function acquire(ctx: ServiceContext, caller: SignedIn, input: ParsedInput<'locks.acquire'>): Output<'locks.acquire'> {
  const row = loadRow(ctx, input.documentId);
  if (!canEdit(caller.person, row)) throw new GalleyError('forbidden', editRefusal(caller.person, row));
  const lock = live(ctx, row.id);
  if (lock && lock.holderId !== caller.person.id) {
    return { held: false, holderName: lock.holderName, since: lock.seenAt, elsewhere: false };
  }
  // The same person opening it in another window (or reloading) takes it (`claim`):
  // the window they are looking at is the one they mean to type in. The other window's
  // next check (not a claim) sees the change and stops editing.
  const moved = lock !== null && !mine(lock, caller, input.session);
  if (moved && !input.claim) return { held: false, holderName: lock.holderName, since: lock.seenAt, elsewhere: true };
  setLock(ctx.db, row.id, { id: caller.person.id, session: input.session, now: ctx.now() });
  if (!lock || moved) ctx.emit('documents.changed', { id: row.id });
  return { held: true, holderName: caller.person.name, since: ctx.now(), elsewhere: false };
}

export function release(ctx: ServiceContext, caller: SignedIn, input: ParsedInput<'locks.release'>): Output<'locks.release'> {
  const lock = getLock(ctx.db, input.documentId);
  if (lock && mine(lock, caller, input.session)) {
    setLock(ctx.db, input.documentId, null);
    ctx.emit('documents.changed', { id: input.documentId });
  }
  return { released: true };
}

/**
 * An editor takes a document over. What the holder had saved is cut as a revision
 * first, so their work is in the history whatever happens next; their window finds
 * the lock gone and stops editing (keeping anything unsaved on screen and in its
 * local backup).
 */
export function takeOver(ctx: ServiceContext, caller: SignedIn, input: ParsedInput<'locks.takeOver'>): Output<'locks.acquire'> {
  const row = loadRow(ctx, input.documentId);
  if (!canEdit(caller.person, row)) throw new GalleyError('forbidden', editRefusal(caller.person, row));
  const lock = live(ctx, row.id);
  // Editors take over anyone; anyone may take over their own other window.
  if (lock && lock.holderId !== caller.person.id && caller.person.role !== 'editor') {
    throw new GalleyError('forbidden', `Only an editor can take this over from ${lock.holderName}.`);
  }
  ctx.db.transaction(() => {
    if (lock && !mine(lock, caller, input.session)) {
      cutRevision(ctx, { documentId: row.id, authorId: lock.holderId, label: 'checkpoint', note: `Saved when ${caller.person.name} took over from ${lock.holderName}` });
    }
    setLock(ctx.db, row.id, { id: caller.person.id, session: input.session, now: ctx.now() });
  })();
  ctx.emit('documents.changed', { id: row.id });
  return { held: true, holderName: caller.person.name, since: ctx.now(), elsewhere: false };
}

/** Saves are refused from anyone but a live holder: two editors never overwrite each other. */
export function assertMayWrite(ctx: ServiceContext, caller: SignedIn, documentId: string, session: string | undefined): void {
  // Who may edit at all comes first: a lock is about when, permission about whether.
  // On the typing path, so only the holder columns are read, not the working copy.
  const row = documentHolder(ctx.db, documentId);
  if (!row) throw new GalleyError('not_found', 'That document does not exist (it may have been removed).');
  if (!canEdit(caller.person, row)) throw new GalleyError('forbidden', editRefusal(caller.person, row));
  const lock = live(ctx, documentId);
  if (lock && !mine(lock, caller, session)) {
    const who = lock.holderId === caller.person.id ? 'You are editing it in another window' : `${lock.holderName} is editing this document now`;
    throw new GalleyError('locked', `${who}; these changes are kept in this window and saved when you can edit it again.`);
  }
  if (lock) setLock(ctx.db, documentId, { id: caller.person.id, session: lock.session, now: ctx.now() });
}
