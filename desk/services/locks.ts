import type { DeskParsedInput, DeskOutput, DeskPerson } from '../../shared/desk.ts';
import { GalleyError } from '../../shared/errors.ts';
import { canEdit, editRefusal } from '../../shared/permissions.ts';
import type { DeskCaller, DeskContext } from '../context.ts';
import { signedIn } from '../dispatch.ts';
import { recordChange, tx } from '../db/pool.ts';
import { holderOf, mustDocument, personName, type DocumentRow } from './rows.ts';

/**
 * The desk's edit lock, with the semantics of electron/services/locks.ts: a lease the
 * holder's editor renews by heartbeat (locks.acquire again), lapsing 90 s after the
 * last one; the same person in another window or workstation is `elsewhere` unless it
 * claims the lock. Locks are not in the change feed (heartbeats poll them).
 */
export const LOCK_LAPSE_MS = 90_000;

type LockState = DeskOutput<'locks.acquire'>;

function liveLock(doc: DocumentRow, now: number) {
  if (doc.lock_holder === null || doc.lock_seen_at === null || now - doc.lock_seen_at >= LOCK_LAPSE_MS) return null;
  return { holderId: doc.lock_holder, session: doc.lock_session, seenAt: doc.lock_seen_at };
}

/** The same person in the same editor window. */
const mine = (lock: { holderId: string; session: string | null }, person: DeskPerson, session: string) =>
  lock.holderId === person.id && (lock.session === null || lock.session === session);

function mayEdit(person: DeskPerson, doc: DocumentRow): void {
  if (!canEdit(person, holderOf(doc))) throw new GalleyError('forbidden', editRefusal(person, holderOf(doc)));
}

export async function acquire(ctx: DeskContext, input: DeskParsedInput<'locks.acquire'>, caller: DeskCaller): Promise<LockState> {
  const person = signedIn(caller);
  return tx(ctx.pool, async (client) => {
    const now = ctx.now();
    const doc = await mustDocument(client, input.documentId, true);
    mayEdit(person, doc);
    const lock = liveLock(doc, now);
    if (lock && lock.holderId !== person.id) {
      return { held: false, holderName: await personName(client, lock.holderId), holderId: lock.holderId, since: lock.seenAt, elsewhere: false };
    }
    // The same person opening it on another workstation or window takes it with `claim`;
    // the other one's next heartbeat (not a claim) learns it moved and stops editing.
    const moved = lock !== null && !mine(lock, person, input.session);
    if (moved && !input.claim) return { held: false, holderName: person.name, holderId: person.id, since: lock.seenAt, elsewhere: true };
    await client.query('UPDATE documents SET lock_holder = $2, lock_session = $3, lock_seen_at = $4 WHERE id = $1', [doc.id, person.id, input.session, now]);
    return { held: true, holderName: person.name, holderId: person.id, since: now, elsewhere: false };
  });
}

export async function release(ctx: DeskContext, input: DeskParsedInput<'locks.release'>, caller: DeskCaller): Promise<DeskOutput<'locks.release'>> {
  const person = signedIn(caller);
  await ctx.pool.query(
    `UPDATE documents SET lock_holder = NULL, lock_session = NULL, lock_seen_at = NULL
      WHERE id = $1 AND lock_holder = $2 AND (lock_session IS NULL OR lock_session = $3)`,
    [input.documentId, person.id, input.session],
  );
  return { released: true };
}

/**
 * Takes a document over from its holder. On the desk the holder's pushed work is
 * already revisions; what they had not pushed arrives aside. Editors take over anyone;
 * anyone may take over their own other window (as on a workstation). The change feed
 * hears of it so the old holder's workstation pulls at once.
 */
export async function takeOver(ctx: DeskContext, input: DeskParsedInput<'locks.takeOver'>, caller: DeskCaller): Promise<LockState> {
  const person = signedIn(caller);
  return tx(ctx.pool, async (client) => {
    const now = ctx.now();
    const doc = await mustDocument(client, input.documentId, true);
    mayEdit(person, doc);
    const lock = liveLock(doc, now);
    if (lock && lock.holderId !== person.id && person.role !== 'editor') {
      throw new GalleyError('forbidden', `Only an editor can take this over from ${await personName(client, lock.holderId)}.`);
    }
    await client.query('UPDATE documents SET lock_holder = $2, lock_session = $3, lock_seen_at = $4 WHERE id = $1', [doc.id, person.id, input.session, now]);
    if (lock && !mine(lock, person, input.session)) await recordChange(client, 'document', doc.id, now);
    return { held: true, holderName: person.name, holderId: person.id, since: now, elsewhere: false };
  });
}
