import { setDeskLive } from '../../../db/documents.ts';
import type { Output, ParsedInput } from '../../../shared/contract.ts';
import type { Comment } from '../../../shared/comments.ts';
import type { DeskInput, DeskOutput } from '../../../shared/desk.ts';
import type { DocumentRecord } from '../../../shared/documents.ts';
import { GalleyError } from '../../../shared/errors.ts';
import { slugIsLive } from '../../../shared/slug.ts';
import { TRANSITIONS } from '../../../shared/workflow.ts';
import type { ServiceContext, SignedIn } from '../context.ts';
import type { Link } from './link.ts';
import { enqueue, type OutboxOperation, type OutboxPayload } from './outbox.ts';

/**
 * Desk mode (issue #17): what a local action also asks of the desk. The local step runs
 * first, as it always did (so a reporter offline still sees "Submitted" and nothing
 * waits on the network); these put the matching desk call in the outbox, or, for what
 * the desk alone decides (locks, publishing), ask the desk directly.
 */

/** The desk link when a desk is configured, else null (the workstation works alone). */
export function linked(ctx: ServiceContext): Link | null {
  return ctx.desk?.linked() ? ctx.desk : null;
}

function send<K extends OutboxOperation>(
  ctx: ServiceContext,
  link: Link,
  item: { operation: K; payload: OutboxPayload<K>; summary: string; documentId: string | null; personId: string },
): void {
  enqueue(ctx, item);
  ctx.emit('desk.changed', {});
  link.kick();
}

const titled = (title: string) => title.trim() || 'Untitled';

/** After a local workflow step: the same step for the desk, naming the revision it concerns. */
export function afterTransition(ctx: ServiceContext, caller: SignedIn, input: ParsedInput<'workflow.transition'>, record: DocumentRecord, approvedBefore: string | null): void {
  const link = linked(ctx);
  if (!link) return;
  const action = input.action;
  // Publish sends exactly the approved revision; the others name the revision the step
  // just cut (submitted, approved, changes requested), which the push sends first.
  const revisionId = action === 'publish' || action === 'schedule' ? approvedBefore : action === 'approve' ? record.approvedRevisionId : record.revisionId;
  send(ctx, link, {
    operation: 'workflow.act',
    payload: {
      documentId: record.id,
      action,
      ...(input.note?.trim() ? { note: input.note.trim() } : {}),
      ...(revisionId ? { revisionId } : {}),
      ...(action === 'schedule' && input.publishAt ? { publishAt: input.publishAt } : {}),
    },
    summary: `${TRANSITIONS[action].label}: ${titled(record.title)}`,
    documentId: record.id,
    personId: caller.person.id,
  });
}

export function afterCommentAdded(ctx: ServiceContext, caller: SignedIn, comment: Comment, title: string): void {
  const link = linked(ctx);
  if (!link) return;
  send(ctx, link, {
    operation: 'comments.add',
    payload: {
      id: comment.id,
      documentId: comment.documentId,
      body: comment.body,
      quote: comment.quote,
      from: comment.from,
      to: comment.to,
      createdAt: comment.createdAt,
      ...(comment.parentId ? { parentId: comment.parentId } : {}),
    },
    summary: `${comment.parentId ? 'Reply to a comment' : 'Comment'} on ${titled(title)}`,
    documentId: comment.documentId,
    personId: caller.person.id,
  });
}

export function afterCommentResolved(ctx: ServiceContext, caller: SignedIn, comment: Comment): void {
  const link = linked(ctx);
  if (!link) return;
  send(ctx, link, {
    operation: 'comments.resolve',
    payload: { id: comment.id },
    summary: `Resolve comment “${comment.body.slice(0, 60)}”`,
    documentId: comment.documentId,
    personId: caller.person.id,
  });
}

export function afterDocumentChange(
  ctx: ServiceContext,
  caller: SignedIn,
  change: { operation: 'documents.trash' | 'documents.restore'; id: string; title: string } | { operation: 'documents.assign'; id: string; title: string; personId: string | null; personName: string | null },
): void {
  const link = linked(ctx);
  if (!link) return;
  if (change.operation === 'documents.assign') {
    send(ctx, link, {
      operation: 'documents.assign',
      payload: { id: change.id, personId: change.personId },
      summary: change.personId ? `Assign ${titled(change.title)} to ${change.personName ?? 'someone'}` : `Take back ${titled(change.title)}`,
      documentId: change.id,
      personId: caller.person.id,
    });
  } else {
    send(ctx, link, {
      operation: change.operation,
      payload: { id: change.id },
      summary: `${change.operation === 'documents.trash' ? 'Move to trash' : 'Restore'}: ${titled(change.title)}`,
      documentId: change.id,
      personId: caller.person.id,
    });
  }
}

// ---- what the desk decides: asked directly -------------------------------------

/** Not reachable now, or no live session: the local answer stands in (the desk decides later). */
const standIn = (error: unknown) => error instanceof GalleyError && (error.code === 'unavailable' || error.code === 'unauthenticated');

/**
 * The desk's lock decides who edits while it can be asked. Offline (or signed out) the
 * local lock stands in: work done then reaches the desk as revisions, and the desk
 * lands them aside if someone else held the story.
 */
export async function lockCall<K extends 'locks.acquire' | 'locks.takeOver'>(
  ctx: ServiceContext,
  name: K,
  input: ParsedInput<K>,
  local: () => Output<'locks.acquire'>,
): Promise<Output<'locks.acquire'>> {
  const link = linked(ctx);
  if (!link || !link.connected()) return local();
  try {
    const claim = name === 'locks.acquire' && (input as ParsedInput<'locks.acquire'>).claim;
    const lock =
      name === 'locks.acquire'
        ? await link.call('locks.acquire', { documentId: input.documentId, session: input.session, ...(claim ? { claim: true } : {}) })
        : await link.call('locks.takeOver', { documentId: input.documentId, session: input.session });
    // What the desk granted holds here too, so this window's saves pass the local check.
    if (lock.held) {
      try {
        local();
      } catch {
        // The desk's word is the one that counts; a stale local view does not undo it.
      }
    }
    return { held: lock.held, holderName: lock.holderName, since: lock.since, elsewhere: lock.elsewhere };
  } catch (error) {
    if (standIn(error)) return local();
    // A story made here that the desk has not got yet: nobody else can hold it there. The
    // local lock stands in until it is sent; the editor's next heartbeat takes the desk's.
    if (error instanceof GalleyError && error.code === 'not_found') {
      link.kick();
      return local();
    }
    throw error;
  }
}

export async function releaseCall(ctx: ServiceContext, input: ParsedInput<'locks.release'>, local: () => Output<'locks.release'>): Promise<Output<'locks.release'>> {
  const link = linked(ctx);
  const here = local();
  if (!link || !link.connected()) return here;
  try {
    return await link.call('locks.release', { documentId: input.documentId, session: input.session });
  } catch (error) {
    // A lease the desk cannot be told about lapses on its own (90 s without a heartbeat).
    if (standIn(error)) return here;
    throw error;
  }
}

/** The last answers the desk gave, so Publishing still shows where things stood while offline. */
const lastKnown = new WeakMap<Link, { targets?: Output<'publishing.targets'>; status: Map<string, Output<'publishing.status'>> }>();

function memory(link: Link) {
  let m = lastKnown.get(link);
  if (!m) lastKnown.set(link, (m = { status: new Map() }));
  return m;
}

const offlinePublishing = (link: Link) =>
  new GalleyError('unavailable', `Publishing is done by the newsroom desk, and ${link.address()} cannot be reached now (or you are signed out); try again when it is connected.`);

export async function publishingTargets(link: Link): Promise<Output<'publishing.targets'>> {
  try {
    const answer = await link.call('publishing.targets', {});
    memory(link).targets = answer;
    return answer;
  } catch (error) {
    const known = memory(link).targets;
    if (standIn(error) && known) return known;
    throw standIn(error) ? offlinePublishing(link) : error;
  }
}

export async function publishingStatus(ctx: ServiceContext, link: Link, input: ParsedInput<'publishing.status'>): Promise<Output<'publishing.status'>> {
  try {
    const answer = await link.call('publishing.status', input);
    memory(link).status.set(input.documentId, answer);
    // Kept with the document as the change feed keeps it: the live slug is frozen by the
    // back end from the desk's latest word, whichever of the two brought it (liveSlug.ts).
    setDeskLive(ctx.db, input.documentId, slugIsLive(answer));
    return answer;
  } catch (error) {
    // A story the desk has not received yet (its first push is still waiting) is on no
    // target: nothing to show, not an error.
    if (error instanceof GalleyError && error.code === 'not_found') return [];
    const known = memory(link).status.get(input.documentId);
    if (standIn(error) && known) return known;
    throw standIn(error) ? offlinePublishing(link) : error;
  }
}

/** A publishing change made on the desk (targets, retry, cancel, resolve): only while connected. */
export async function publishingCall<K extends 'publishing.saveTarget' | 'publishing.removeTarget' | 'publishing.testTarget' | 'publishing.retry' | 'publishing.cancel' | 'publishing.resolve'>(
  ctx: ServiceContext,
  link: Link,
  name: K,
  input: ParsedInput<K>,
): Promise<DeskOutput<K>> {
  try {
    const answer = await link.call(name, input as DeskInput<K>);
    ctx.emit('publishing.changed', { documentId: null });
    return answer;
  } catch (error) {
    throw standIn(error) ? offlinePublishing(link) : error;
  }
}
