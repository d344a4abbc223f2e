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

/**
 * A reply joins its thread: answering a reply answers the comment that started it, so
 * a conversation stays one list under one anchor (as in Google Docs).
 */
export function reply(ctx: ServiceContext, caller: SignedIn, input: ParsedInput<'comments.reply'>): Comment {
  const parent = getComment(ctx.db, input.parentId);
  if (!parent) throw new GalleyError('not_found', 'That comment does not exist.');
  const root = parent.parentId ? getComment(ctx.db, parent.parentId)! : parent;
  const id = randomUUID();
  // The thread's range, so a reply read on its own still says what it is about.
  insertComment(ctx.db, {
    id,
    documentId: root.documentId,
    authorId: caller.person.id,
    body: input.body,
    quote: root.quote,
    from: root.from,
    to: root.to,
    now: ctx.now(),
    parentId: root.id,
  });
  ctx.emit('comments.changed', { documentId: root.documentId });
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
