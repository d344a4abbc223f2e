import type { DeskParsedInput, DeskDocument, DeskPerson } from '../../shared/desk.ts';
import { GalleyError } from '../../shared/errors.ts';
import type { DeskCaller, DeskContext } from '../context.ts';
import { signedIn } from '../dispatch.ts';
import { once } from '../db/idempotency.ts';
import { recordChange } from '../db/pool.ts';
import { deskDocument, mustDocument, type DocumentRow } from './rows.ts';

/** Everyone on the desk sees every document: it is how a newsroom works together. */
export async function get(ctx: DeskContext, input: DeskParsedInput<'documents.get'>): Promise<DeskDocument> {
  return deskDocument(ctx.pool, input.id);
}

/** Hands a document to a person (editors only, by the contract), or takes it back (null). */
export async function assign(ctx: DeskContext, input: DeskParsedInput<'documents.assign'>, caller: DeskCaller): Promise<DeskDocument> {
  const person = signedIn(caller);
  return once(ctx.pool, { key: input.key, personId: person.id, operation: 'documents.assign', now: ctx.now() }, async (client) => {
    const doc = await mustDocument(client, input.id, true);
    if (input.personId !== null) {
      const { rows } = await client.query<{ revoked_at: number | null }>('SELECT revoked_at FROM people WHERE id = $1', [input.personId]);
      if (!rows[0]) throw new GalleyError('not_found', 'No such person on this desk.', [{ path: 'personId', message: 'Unknown person' }]);
      if (rows[0].revoked_at !== null) throw new GalleyError('conflict', 'That person’s access to the desk was revoked; assign someone else.', [{ path: 'personId', message: 'Revoked' }]);
    }
    const now = ctx.now();
    await client.query('UPDATE documents SET assignee_id = $2, updated_at = $3 WHERE id = $1', [doc.id, input.personId, now]);
    await recordChange(client, 'document', doc.id, now);
    return deskDocument(client, doc.id);
  });
}

const owns = (person: DeskPerson, doc: DocumentRow) => person.role === 'editor' || doc.owner_id === person.id;

export async function trash(ctx: DeskContext, input: DeskParsedInput<'documents.trash'>, caller: DeskCaller): Promise<DeskDocument> {
  const person = signedIn(caller);
  return once(ctx.pool, { key: input.key, personId: person.id, operation: 'documents.trash', now: ctx.now() }, async (client) => {
    const doc = await mustDocument(client, input.id, true);
    if (!owns(person, doc)) throw new GalleyError('forbidden', 'Only its owner or an editor may move a document to the trash.');
    if (doc.trashed_at === null) {
      const now = ctx.now();
      await client.query('UPDATE documents SET trashed_at = $2, trashed_by = $3, updated_at = $2 WHERE id = $1', [doc.id, now, person.id]);
      await recordChange(client, 'document', doc.id, now);
    }
    return deskDocument(client, doc.id);
  });
}

export async function restore(ctx: DeskContext, input: DeskParsedInput<'documents.restore'>, caller: DeskCaller): Promise<DeskDocument> {
  const person = signedIn(caller);
  return once(ctx.pool, { key: input.key, personId: person.id, operation: 'documents.restore', now: ctx.now() }, async (client) => {
    const doc = await mustDocument(client, input.id, true);
    if (!owns(person, doc)) throw new GalleyError('forbidden', 'Only its owner or an editor may restore a document.');
    if (doc.trashed_at !== null) {
      const now = ctx.now();
      await client.query('UPDATE documents SET trashed_at = NULL, trashed_by = NULL, updated_at = $2 WHERE id = $1', [doc.id, now]);
      await recordChange(client, 'document', doc.id, now);
    }
    return deskDocument(client, doc.id);
  });
}
