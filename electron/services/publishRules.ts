import type { ArticleFields, BioFields, CaptionFields, DocumentContent } from '../../shared/documents.ts';
import { GalleyError } from '../../shared/errors.ts';
import { MAX_ATTEMPTS, SECRET_LABELS, retryDelayMs, sameCredentials, type TargetConfig, type JobAction, type JobState, type PublishJob, type TargetStatus } from '../../shared/publishing.ts';
import { countSuggestions, pendingSuggestionsMessage } from '../../shared/editor/suggestions.ts';
import { plainText, type RichNode } from '../../shared/richtext.ts';
import { slugify } from '../../shared/slug.ts';
import { CmsError, type CmsAdapter, type PublishArticle, type PublishBio, type PublishPhoto, type RemoteMedia, type RemoteRef } from '../cms/types.ts';
import { htmlToText } from '../dom.ts';
import { renderHtml } from './html.ts';
import { renderPublishHtml, type FigureFill } from './publishHtml.ts';

/**
 * The publishing rules both outboxes follow: the workstation's (electron/services/
 * publishing.ts, on SQLite) and the desk's (desk/publisher.ts, on PostgreSQL). Each
 * side reads its own store; what is built from what is read, how a CMS is asked, and
 * what a failure means are decided here once, so a story goes out the same way
 * whichever of them sends it.
 */

/**
 * Suggested edits never reach a CMS: a body still holding suggestion marks is refused
 * here, where both outboxes build what they send, so no <ins>/<del> markup (nor the
 * text of an unaccepted deletion) is ever published. The workflow refuses approving
 * such a revision, so this only stops a revision that came some other way.
 */
export function refuseSuggestions(body: RichNode, what: string): void {
  const pending = countSuggestions(body);
  if (pending) throw new GalleyError('conflict', `${what} cannot be published: ${pendingSuggestionsMessage(pending)}.`);
}

/** The newsroom's credit format under a caption. */
export function creditLine(fields: Pick<CaptionFields, 'credit' | 'photographer'>): string {
  const who = fields.credit.trim() || fields.photographer.trim();
  return who ? `Photo: ${who}` : '';
}

export const PHOTO_EXT = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' } as const;

/** A photo as the store holds it: its original bytes and what the import measured. */
export type PhotoAsset = { sha256: string; mime: PublishPhoto['mime']; originalName: string; bytes: Uint8Array; width: number; height: number };

/** A photo as published: the asset's bytes with its caption document's words. */
export function photoFrom(captionId: string, caption: DocumentContent & { kind: 'caption' }, asset: PhotoAsset): PublishPhoto {
  refuseSuggestions(caption.body, 'This photo’s caption');
  const fields = caption.fields;
  const captionText = plainText(caption.body).replace(/\s+/g, ' ').trim();
  const base = slugify(captionText || asset.originalName.replace(/\.[^.]+$/, ''), 40) || 'photo';
  return {
    sha256: asset.sha256,
    mime: asset.mime,
    fileName: `${base}-${asset.sha256.slice(0, 8)}.${PHOTO_EXT[asset.mime]}`,
    bytes: asset.bytes,
    width: asset.width,
    height: asset.height,
    captionDocumentId: captionId,
    captionText,
    captionHtml: renderHtml(caption.body),
    credit: fields.credit,
    photographer: fields.photographer,
    copyright: fields.copyright,
    altText: fields.altText,
    creditLine: creditLine(fields),
  };
}

export type FigureRef = { captionId: string; override: string | null };

/** The body's figures in order, each naming its caption document. */
export function figureRefs(body: RichNode): FigureRef[] {
  const out: FigureRef[] = [];
  const walk = (n: RichNode) => {
    if (n.type === 'figure' && typeof n.attrs?.captionId === 'string') {
      out.push({ captionId: n.attrs.captionId, override: typeof n.attrs.captionOverride === 'string' && n.attrs.captionOverride ? n.attrs.captionOverride : null });
    }
    n.content?.forEach(walk);
  };
  walk(body);
  return out;
}

/**
 * The article a CMS receives, from the approved revision's content: each figure's photo
 * (`photoFor`, null when its caption or photo is gone: the figure is left out) uploaded
 * through `upload` (null for targets that embed), the HTML rendered with the figures
 * filled in.
 */
export async function articleFrom(
  content: DocumentContent,
  job: { documentId: string; revisionId: string | null; publishAt: number | null },
  photoFor: (captionId: string) => Promise<PublishPhoto | null>,
  upload: (photo: PublishPhoto) => Promise<RemoteMedia | null>,
  firstPublishedAt: number | null,
): Promise<PublishArticle> {
  if (!job.revisionId) throw new GalleyError('invalid_input', 'A publish job must name the approved revision.');
  if (content.kind !== 'article') throw new GalleyError('invalid_input', 'Only articles are published as posts.');
  refuseSuggestions(content.body, 'This story');
  const fields: ArticleFields = content.fields;
  const figures: PublishArticle['figures'] = [];
  const fills = new Map<string, FigureFill>();
  for (const ref of figureRefs(content.body)) {
    const photo = await photoFor(ref.captionId);
    if (!photo) continue;
    const media = await upload(photo);
    figures.push({ photo, media, captionOverride: ref.override });
    if (!fills.has(ref.captionId)) {
      fills.set(ref.captionId, {
        src: media?.url ?? '',
        alt: photo.altText,
        width: photo.width,
        height: photo.height,
        captionHtml: photo.captionHtml,
        override: ref.override,
        creditLine: photo.creditLine,
      });
    }
  }
  const first = figures[0];
  return {
    documentId: job.documentId,
    revisionId: job.revisionId,
    slug: fields.slug || slugify(fields.headline) || job.documentId,
    headline: fields.headline,
    dek: fields.dek,
    byline: fields.byline,
    section: fields.section,
    tags: fields.tags,
    contributorLine: fields.contributorLine,
    html: renderPublishHtml(content.body, fills),
    figures,
    featured: first ? { photo: first.photo, media: first.media } : null,
    publishAt: job.publishAt,
    firstPublishedAt,
  };
}

export function bioFrom(content: DocumentContent, job: { documentId: string; revisionId: string | null }): PublishBio {
  if (content.kind !== 'bio') throw new GalleyError('invalid_input', 'Not a bio.');
  refuseSuggestions(content.body, 'This bio');
  const fields: BioFields = content.fields;
  return {
    documentId: job.documentId,
    revisionId: job.revisionId!,
    name: fields.name,
    title: fields.title,
    email: fields.email,
    bioText: plainText(content.body).replace(/\s+/g, ' ').trim(),
    bioHtml: renderHtml(content.body),
  };
}

export type Conflict = NonNullable<TargetStatus['conflict']> & { remoteModified: string };
export type Outcome = { state: 'done' } | { state: 'conflict'; conflict: Conflict } | { state: 'missing' };

/** Messages the Publishing region shows, the same from either outbox. */
export const MISSING_MESSAGE = 'The post is gone from the CMS: recreate it or unlink';
export const CONFLICT_MESSAGE = 'Changed in the CMS since Galley last wrote it';

/**
 * Sends an article to one target. With a remote post on record, it is read first: gone
 * → missing; changed by someone else since Galley last wrote it (and not `force`) →
 * conflict. Without one, an earlier attempt may have created a post and lost the
 * answer (or a crash or a killed process lost the record): the CMS is asked for it
 * before anything is created, so a document has one post per target. `beforeCreate`
 * runs just before a create (the store marks its intent); `record` keeps what the CMS
 * now holds.
 */
export async function sendArticle(
  adapter: CmsAdapter,
  remote: RemoteRef | null,
  article: PublishArticle,
  options: { force: boolean },
  hooks: { beforeCreate(): Promise<void> | void; record(ref: RemoteRef): Promise<void> | void },
): Promise<Outcome> {
  if (remote) {
    const current = await adapter.readRemote(remote);
    if (!current) return { state: 'missing' };
    if (current.modified !== remote.modified && !options.force) {
      // Our own earlier write whose answer was lost carries this revision: not a conflict.
      if (current.galleyRevisionId !== article.revisionId) {
        return {
          state: 'conflict',
          conflict: {
            remoteTitle: htmlToText(current.title),
            remoteText: htmlToText(current.html),
            localTitle: article.headline,
            localText: htmlToText(article.html),
            remoteModified: current.modified,
          },
        };
      }
    }
    await hooks.record(await adapter.updateArticle({ ...remote, modified: current.modified }, article));
    return { state: 'done' };
  }
  const earlier = await adapter.findExisting({ documentId: article.documentId, slug: article.slug });
  if (earlier) {
    await hooks.record(await adapter.updateArticle(earlier, article));
    return { state: 'done' };
  }
  await hooks.beforeCreate();
  await hooks.record(await adapter.createArticle(article));
  return { state: 'done' };
}

/** What a finished send means for its job. */
export function outcomeChange(outcome: Outcome): { state: JobState; lastError: string | null; conflict?: string; nextAttemptAt?: null } {
  switch (outcome.state) {
    case 'conflict':
      return { state: 'conflict', lastError: CONFLICT_MESSAGE, conflict: JSON.stringify(outcome.conflict) };
    case 'missing':
      return { state: 'missing', lastError: MISSING_MESSAGE };
    case 'done':
      return { state: 'done', lastError: null, nextAttemptAt: null };
  }
}

/**
 * What a failed send means: retry later (backoff with jitter, Retry-After honoured)
 * until MAX_ATTEMPTS; refused credentials pause the whole target; a conflict or a
 * permanent failure waits for a person, with the CMS's words. Anything that is not a
 * CmsError is Galley's own failure to prepare the job (`log`: the caller logs it).
 */
export type FailureChange = {
  state: 'failed' | 'retrying' | 'paused' | 'conflict' | 'missing';
  lastError: string;
  nextAttemptAt?: number;
  /** Pause the target (and its other waiting jobs) with this reason. */
  pauseTarget?: string;
  log?: boolean;
};

export function failureChange(error: unknown, job: { action: JobAction; attempts: number }, now: number): FailureChange {
  if (!(error instanceof CmsError)) {
    if (error instanceof GalleyError) return { state: 'failed', lastError: error.message };
    return { state: 'failed', lastError: 'Galley could not prepare this job; the error was logged.', log: true };
  }
  switch (error.kind) {
    case 'retry':
      if (job.attempts >= MAX_ATTEMPTS) return { state: 'failed', lastError: `${error.message} (gave up after ${job.attempts} attempts)` };
      return { state: 'retrying', lastError: error.message, nextAttemptAt: now + retryDelayMs(job.attempts, error.retryAfterMs) };
    case 'auth': {
      const reason = `${error.message}. Enter the credentials again in Settings → Publish targets.`;
      return { state: 'paused', lastError: reason, pauseTarget: reason };
    }
    case 'conflict':
      return { state: 'conflict', lastError: error.message };
    case 'permanent':
      if (error.status === 404 && (job.action === 'publish' || job.action === 'unpublish')) return { state: 'missing', lastError: MISSING_MESSAGE };
      return { state: 'failed', lastError: error.message };
  }
}

/** A job as both outboxes show it: the row's public fields (a row has more: claims, intents, conflict). */
export function toJob(row: PublishJob): PublishJob {
  return {
    id: row.id,
    documentId: row.documentId,
    targetId: row.targetId,
    targetName: row.targetName,
    action: row.action,
    revisionId: row.revisionId,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    publishAt: row.publishAt,
    lastError: row.lastError,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function requireSecret(config: TargetConfig, secret: string): void {
  const label = SECRET_LABELS[config.type];
  if (label && !secret) throw new GalleyError('invalid_input', `${label} is required for this target.`, [{ path: 'secret', message: `${label} is required` }]);
}

/**
 * The secrets a save or a test may use. Omitted ones are the stored ones, but only
 * while the type, site URL and username are those they were given for: a stored
 * password is never sent to an address nobody typed it for (issue #16, item 3).
 * `stored` is the saved target (its config, whether it has a secret, and how to open
 * its sealed secrets), read from whichever store the caller keeps.
 */
export function secretsFor(
  stored: { config: TargetConfig; hasSecret: boolean; secret: () => string; staffToken: () => string } | undefined,
  input: { config: TargetConfig; secret?: string; staffToken?: string },
): { secret: string; staffToken: string } {
  const same = stored !== undefined && sameCredentials(stored.config, input.config);
  const label = SECRET_LABELS[input.config.type];
  if (input.secret === undefined && stored?.hasSecret && !same && label) {
    const why = stored.config.type !== input.config.type ? 'the CMS type changed' : stored.config.type === 'wordpress' ? 'the site URL or username changed' : 'the site URL changed';
    throw new GalleyError('invalid_input', `Enter the ${label} again: ${why}, and Galley sends a stored secret only to the site it was given for.`, [
      { path: 'secret', message: `${label} is required again` },
    ]);
  }
  const secret = input.secret !== undefined ? input.secret : same ? stored.secret() : '';
  const staffToken = input.config.type !== 'ghost' ? '' : input.staffToken !== undefined ? input.staffToken.trim() : same ? stored.staffToken() : '';
  return { secret, staffToken };
}
