import * as store from '../../db/publishing.ts';
import { getRevision } from '../../db/revisions.ts';
import { listEvents } from '../../db/workflow.ts';
import type { Output, ParsedInput } from '../../shared/contract.ts';
import type { DocumentContent } from '../../shared/documents.ts';
import { GalleyError } from '../../shared/errors.ts';
import type { PublishPreview, PublishTarget } from '../../shared/publishing.ts';
import { slugify } from '../../shared/slug.ts';
import { folderPageHtml } from '../cms/folder.ts';
import type { PublishArticle, PublishPhoto, RemoteMedia } from '../cms/types.ts';
import type { ServiceContext } from './context.ts';
import { loadRow } from './documents.ts';
import { renderHtml } from './html.ts';
import { photoFor } from './publishing.ts';
import * as rules from './publishRules.ts';
import { loadRevisionContent } from './revisions.ts';

/**
 * Publish's preview (issue #18, item 11): the approved revision built into what a CMS
 * receives by the very functions the outbox sends with (publishRules.articleFrom /
 * bioFrom / photoFrom, and the folder's page). Nothing is sent, uploaded or written:
 * a photo already on the target keeps its address there; one not yet uploaded has
 * none until Publish uploads it.
 */
export async function preview(
  ctx: ServiceContext,
  input: ParsedInput<'publishing.preview'>,
  targets: PublishTarget[],
  /** False with a newsroom desk: the desk uploads, and its photo addresses are its own. */
  local: boolean,
): Promise<Output<'publishing.preview'>> {
  const row = loadRow(ctx, input.documentId);
  if (!row.approvedRevisionId) throw new GalleyError('conflict', 'There is no approved revision to publish; approve it first.');
  const revision = getRevision(ctx.db, row.approvedRevisionId);
  if (!revision) throw new GalleyError('not_found', 'The approved revision is missing from the database.');
  const target = input.targetId ? targets.find((t) => t.id === input.targetId) : targets[0];
  if (input.targetId && !target) throw new GalleyError('not_found', 'That publish target does not exist (it may have been removed).', [{ path: 'targetId', message: 'Unknown target' }]);
  const content = loadRevisionContent(ctx, revision);
  const approval = listEvents(ctx.db, row.id).find((e) => e.action === 'approve' && e.revisionId === revision.id);
  const base = {
    documentId: row.id,
    revisionId: revision.id,
    approval: approval ? { byName: approval.actorName, at: approval.createdAt, note: approval.note } : null,
    targets: targets.map((t) => ({ id: t.id, name: t.name, type: t.config.type })),
    targetId: target?.id ?? null,
  };
  const built = await build(ctx, content, { documentId: row.id, revisionId: revision.id }, (photo) =>
    Promise.resolve(local && target ? knownMedia(ctx, target.id, photo) : null),
  );
  const page = built.article && target?.config.type === 'folder' ? folderPageHtml(built.article) : null;
  return { ...base, title: built.title, slug: built.slug, meta: built.meta, html: built.html, page };
}

/** Where the target already has this photo (the outbox uploads each photo once per target). */
function knownMedia(ctx: ServiceContext, targetId: string, photo: PublishPhoto): RemoteMedia | null {
  const known = store.getRemoteMedia(ctx.db, targetId, photo.sha256);
  return known ? { remoteId: known.remoteId, url: known.url } : null;
}

type Built = Pick<PublishPreview, 'title' | 'slug' | 'meta' | 'html'> & { article: PublishArticle | null };

const meta = (pairs: [string, string][]) => pairs.filter(([, v]) => v.trim()).map(([name, value]) => ({ name, value }));

async function build(
  ctx: ServiceContext,
  content: DocumentContent,
  job: { documentId: string; revisionId: string },
  upload: (photo: PublishPhoto) => Promise<RemoteMedia | null>,
): Promise<Built> {
  switch (content.kind) {
    case 'article': {
      const article = await rules.articleFrom(content, { ...job, publishAt: null }, async (id) => photoFor(ctx, id), upload, null);
      return {
        article,
        title: article.headline,
        slug: article.slug,
        meta: meta([
          ['Dek', article.dek],
          ['Byline', article.byline],
          ['Section', article.section],
          ['Tags', article.tags.join(', ')],
          ['Contributor line', article.contributorLine],
        ]),
        html: article.html,
      };
    }
    case 'bio': {
      const bio = rules.bioFrom(content, job);
      return { article: null, title: bio.name, slug: slugify(bio.name), meta: meta([['Title', bio.title], ['Email', bio.email]]), html: bio.bioHtml };
    }
    case 'caption': {
      // A caption goes out as the words of its photo's media item on each target.
      const photo = photoFor(ctx, job.documentId);
      if (!photo) return { article: null, title: '', slug: '', meta: [], html: renderHtml(content.body) };
      return {
        article: null,
        title: photo.captionText,
        slug: photo.fileName,
        meta: meta([
          ['Credit', photo.creditLine],
          ['Alt text', photo.altText],
          ['Copyright', photo.copyright],
        ]),
        html: photo.captionHtml,
      };
    }
  }
}
