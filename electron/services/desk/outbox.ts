import { randomUUID } from 'node:crypto';
import { deleteOutboxItem, insertOutboxItem, listOutbox, noteAttempt, refuseOutboxItem, waitingItems, type OutboxRow } from '../../../db/desk.ts';
import type { DeskOutboxItem } from '../../../shared/contract.ts';
import { deskContract, isDeskOperationName, type DeskInput, type DeskOperationName } from '../../../shared/desk.ts';
import { GalleyError } from '../../../shared/errors.ts';
import type { ServiceContext } from '../context.ts';
import type { DeskCaller } from './types.ts';

/** The desk operations an outbox item may carry: the writes that take an idempotency key. */
export type OutboxOperation = 'workflow.act' | 'comments.add' | 'comments.resolve' | 'documents.assign' | 'documents.trash' | 'documents.restore';

/** An item's input: the desk operation's input without `key` (the item's id is the key). */
export type OutboxPayload<K extends OutboxOperation> = Omit<DeskInput<K>, 'key'>;

/**
 * Puts an action in the local outbox. The payload is checked against the desk's contract
 * now, so a mistake here shows up where it was made, not as a refusal hours later.
 */
export function enqueue<K extends OutboxOperation>(
  ctx: ServiceContext,
  item: { operation: K; payload: OutboxPayload<K>; summary: string; documentId: string | null; personId: string },
): string {
  const id = randomUUID();
  const parsed = deskContract[item.operation].input.safeParse({ ...item.payload, key: id });
  if (!parsed.success) throw new GalleyError('internal', `Galley made a desk action it cannot send (${item.operation}); the error was logged.`);
  insertOutboxItem(ctx.db, { ...item, id, createdAt: ctx.now() });
  return id;
}

const toItem = (row: OutboxRow): DeskOutboxItem => ({
  id: row.id,
  operation: row.operation,
  summary: row.summary,
  documentId: row.documentId,
  state: row.state,
  attempts: row.attempts,
  lastError: row.lastError,
  createdAt: row.createdAt,
});

export function outboxItems(ctx: ServiceContext): DeskOutboxItem[] {
  return listOutbox(ctx.db).map(toItem);
}

/** These mean "not now" (the desk is away, this session is over, or it asked us to slow down): the item waits. */
const KEEP_WAITING = new Set(['unavailable', 'unauthenticated', 'rate_limited']);

/**
 * Sends what waits, oldest first, one at a time, each under its own id as idempotency
 * key (a resend after an unknown outcome gets the desk's first answer). Only the items
 * of the person signed in go (someone else's wait for them); an item whose document has
 * an earlier item still waiting waits behind it. A "not now" error stops the pass and
 * is thrown for the link to act on; a refusal marks the item refused with the desk's
 * words and the pass goes on (the next pull brings the desk's state back).
 */
export async function runOutbox(ctx: ServiceContext, desk: DeskCaller, personId: string, changed: () => void): Promise<{ sent: number; refused: number }> {
  let sent = 0;
  let refused = 0;
  const held = new Set<string>();
  for (const item of waitingItems(ctx.db)) {
    if (item.personId !== personId || (item.documentId && held.has(item.documentId))) {
      if (item.documentId) held.add(item.documentId);
      continue;
    }
    if (!isDeskOperationName(item.operation)) {
      refuseOutboxItem(ctx.db, item.id, `This version of Galley cannot send "${item.operation}".`);
      refused++;
      changed();
      continue;
    }
    const input = { ...(JSON.parse(item.payload) as object), key: item.id };
    try {
      await desk.call(item.operation as DeskOperationName, input as never);
      deleteOutboxItem(ctx.db, item.id);
      sent++;
      changed();
    } catch (error) {
      if (!(error instanceof GalleyError) || KEEP_WAITING.has(error.code)) {
        if (ctx.db.open) noteAttempt(ctx.db, item.id, error instanceof GalleyError ? error.message : 'Something went wrong sending this; it will be tried again.');
        throw error;
      }
      refuseOutboxItem(ctx.db, item.id, error.message);
      refused++;
      changed();
    }
  }
  return { sent, refused };
}
