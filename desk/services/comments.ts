import type { Comment } from '../../shared/comments.ts';
import type { DeskParsedInput } from '../../shared/desk.ts';
import { GalleyError } from '../../shared/errors.ts';
import type { DeskCaller, DeskContext } from '../context.ts';
import { signedIn } from '../dispatch.ts';
import { once } from '../db/idempotency.ts';
import { recordChange } from '../db/pool.ts';
import { comments, mustDocument } from './rows.ts';

/**
 * Anyone may comment on and resolve comments on any document: it is how desks talk
 * (electron/services/comments.ts). The id is the workstation's, so a comment made
 * offline keeps its id; the same id sent again returns the stored comment.
 */
export async function add(ctx: DeskContext, input: DeskParsedInput<'comments.add'>, caller: DeskCaller): Promise<Comment> {
  const person = signedIn(caller);
  const parentId = input.parentId ?? null;
  // A reply has its thread's anchor; only a new thread needs a stretch of text.
  if (parentId === null && input.to <= input.from) throw new GalleyError('invalid_input', 'Select the text to comment on first.', [{ path: 'to', message: 'Empty range' }]);
  return once(ctx.pool, { key: input.key, personId: person.id, operation: 'comments.add', now: ctx.now() }, async (client) => {
    await mustDocument(client, input.documentId);
    const existing = (await comments(client, [input.id])).get(input.id);
    if (existing) {
      if (existing.documentId !== input.documentId || existing.authorId !== person.id) {
        throw new GalleyError('conflict', 'A different comment already has this id; send it with a new one.', [{ path: 'id', message: 'Taken' }]);
      }
      return existing;
    }
    if (parentId !== null) {
      const parent = (await comments(client, [parentId])).get(parentId);
      if (!parent || parent.documentId !== input.documentId) {
        throw new GalleyError('not_found', 'The comment this replies to is not on that document.', [{ path: 'parentId', message: 'Unknown' }]);
      }
      if (parent.parentId !== null) {
        throw new GalleyError('invalid_input', 'Reply to the comment that started the thread.', [{ path: 'parentId', message: 'A reply' }]);
      }
    }
    await client.query(
      `INSERT INTO comments (id, document_id, author_id, body, quote, anchor_from, anchor_to, created_at, parent_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [input.id, input.documentId, person.id, input.body, input.quote, input.from, input.to, input.createdAt, parentId],
    );
    await recordChange(client, 'comment', input.id, ctx.now());
    return (await comments(client, [input.id])).get(input.id)!;
  });
}

export async function resolve(ctx: DeskContext, input: DeskParsedInput<'comments.resolve'>, caller: DeskCaller): Promise<Comment> {
  const person = signedIn(caller);
  return once(ctx.pool, { key: input.key, personId: person.id, operation: 'comments.resolve', now: ctx.now() }, async (client) => {
    const existing = (await comments(client, [input.id])).get(input.id);
    if (!existing) throw new GalleyError('not_found', 'That comment does not exist.');
    if (existing.resolvedAt === null) {
      const now = ctx.now();
      await client.query('UPDATE comments SET resolved_at = $2, resolved_by = $3 WHERE id = $1 AND resolved_at IS NULL', [input.id, now, person.id]);
      await recordChange(client, 'comment', input.id, now);
    }
    return (await comments(client, [input.id])).get(input.id)!;
  });
}
