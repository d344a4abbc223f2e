import { deskPosts, storedSlug } from '../../db/documents.ts';
import { remotePostsFor } from '../../db/publishing.ts';
import type { DocumentContent } from '../../shared/documents.ts';
import { GalleyError } from '../../shared/errors.ts';
import { liveSlugRefusal, slugIsLive } from '../../shared/slug.ts';
import type { ServiceContext } from './context.ts';

/**
 * Whether the document is on a site now (its slug is a live address: shared/slug.ts).
 * Linked to a newsroom desk, the desk publishes and no local remote post exists, so the
 * desk's word counts: what it last said of the story's posts, kept on the document row
 * from the change feed and from each publishing.status answer (migration 0014). Stored
 * rather than only remembered in memory, so that after a restart, offline, the slug is
 * still frozen; and taken from the posts rather than from the status 'published', since
 * a published story being corrected is 'submitted' or 'approved' while its post is live.
 */
export function hasLiveSlug(ctx: ServiceContext, documentId: string): boolean {
  if (slugIsLive(remotePostsFor(ctx.db, documentId).map((r) => ({ remoteStatus: r.status })))) return true;
  return ctx.desk?.linked() === true && deskPosts(ctx.db, documentId).live;
}

/**
 * Refuses a save that would change a published story's slug unless the person unlocked
 * it. Refused rather than quietly keeping the old slug: a kept slug would leave the
 * window showing a slug that is not stored, while a refusal says so, keeps every typed
 * character in the editor and the window's storage, and cannot happen from the editor,
 * which freezes the Slug box and stops the headline driving it once the story is live.
 * Cheap on the typing path: the live check runs only when the slug differs.
 */
export function assertSlugKept(ctx: ServiceContext, documentId: string, content: DocumentContent, unlocked: boolean): void {
  if (content.kind !== 'article' || unlocked) return;
  const stored = storedSlug(ctx.db, documentId);
  if (content.fields.slug === stored || !hasLiveSlug(ctx, documentId)) return;
  throw new GalleyError('conflict', liveSlugRefusal(stored), [{ path: 'content.fields.slug', message: 'The slug of a published story is locked' }]);
}

/**
 * A restored version of a published story keeps the live slug: restoring brings back
 * the words, and moving the story's address is a decision of its own (Unlock slug).
 */
export function keepLiveSlug(ctx: ServiceContext, documentId: string, content: DocumentContent): DocumentContent {
  if (content.kind !== 'article') return content;
  const stored = storedSlug(ctx.db, documentId);
  if (content.fields.slug === stored || !hasLiveSlug(ctx, documentId)) return content;
  return { ...content, fields: { ...content.fields, slug: stored } };
}
