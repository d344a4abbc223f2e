import { randomUUID } from 'node:crypto';
import { getComment, insertComment, listComments, resolveComment } from '../../db/comments.ts';
import type { ParsedInput } from '../../shared/contract.ts';
import type { Comment } from '../../shared/comments.ts';
import { GalleyError } from '../../shared/errors.ts';
import type { ServiceContext, SignedIn } from './context.ts';
import { loadRow } from './documents.ts';

/** Anyone may comment on and resolve comments on any document: it is how desks talk. */
export function addComment(ctx: ServiceContext, caller: SignedIn, input: ParsedInput<'comments.add'>): Comment {
  loadRow(ctx, input.documentId);
  if (input.to <= input.from) throw new GalleyError('invalid_input', 'Select the text to comment on first.', [{ path: 'to', message: 'Empty range' }]);
  const id = randomUUID();
  insertComment(ctx.db, { id, documentId: input.documentId, authorId: caller.person.id, body: input.body, quote: input.quote, from: input.from, to: input.to, now: ctx.now() });
  ctx.emit('comments.changed', { documentId: input.documentId });
  return getComment(ctx.db, id)!;
}

export function comments(ctx: ServiceContext, input: ParsedInput<'comments.list'>): Comment[] {
  loadRow(ctx, input.documentId);
  return listComments(ctx.db, input.documentId);
}

export function resolve(ctx: ServiceContext, caller: SignedIn, input: ParsedInput<'comments.resolve'>): Comment {
  const comment = getComment(ctx.db, input.id);
  if (!comment) throw new GalleyError('not_found', 'That comment does not exist.');
  resolveComment(ctx.db, comment.id, caller.person.id, ctx.now());
  ctx.emit('comments.changed', { documentId: comment.documentId });
  return getComment(ctx.db, comment.id)!;
}
