import { readFileSync } from 'node:fs';
import type { Backend } from '../../electron/backend.ts';
import type { DocumentRecord } from '../../shared/documents.ts';
import type { RichNode } from '../../shared/richtext.ts';
import { edited, paragraphs } from './backend.ts';

/**
 * A story ready to publish, made through the back end's own operations as a newsroom
 * would: a bio for the byline, a photo imported with its embedded IPTC, its caption
 * submitted and approved, and an article with the figure, submitted and approved.
 * The caller must be signed in as an editor.
 */
export const HARBOR_PHOTO = new URL('../fixtures/images/harbor-dawn.jpg', import.meta.url);

export async function ensureBio(backend: Backend, name = 'Amara Osei'): Promise<DocumentRecord> {
  const existing = (await backend.invoke('documents.list', { kind: 'bio' })).find((d) => d.title === name);
  if (existing) return backend.invoke('documents.get', { id: existing.id });
  const bio = await backend.invoke('documents.create', { kind: 'bio' });
  await backend.invoke('documents.saveWorking', {
    id: bio.id,
    version: bio.version,
    content: edited(bio.content, { fields: { name, email: `${name.toLowerCase().replace(/\s+/g, '.')}@example.org` }, body: paragraphs(`${name} covers the harbour.`) }),
  });
  return backend.invoke('documents.get', { id: bio.id });
}

/**
 * `salt`, when given, is appended after the JPEG's end marker: decoders and metadata
 * readers ignore it, but the photo's SHA-256 changes, so it is a new photo to a CMS.
 */
export async function approvedCaption(backend: Backend, file: URL = HARBOR_PHOTO, salt = ''): Promise<DocumentRecord> {
  const bytes = Buffer.concat([readFileSync(file), Buffer.from(salt)]);
  const asset = await backend.invoke('assets.import', { fileName: file.pathname.split('/').pop()!, data: new Uint8Array(bytes) });
  const caption = await backend.invoke('captions.createFromPhoto', { sha256: asset.sha256 });
  const submitted = await backend.invoke('workflow.transition', { documentId: caption.id, action: 'submit' });
  return backend.invoke('workflow.transition', { documentId: caption.id, action: 'approve', revisionId: submitted.revisionId! });
}

export function storyBody(captionId: string | null, ...texts: string[]): RichNode {
  const body: RichNode = paragraphs(...(texts.length ? texts : ['The council voted on Tuesday to expand the harbour.', 'Work starts in spring.']));
  if (captionId) body.content!.splice(1, 0, { type: 'figure', attrs: { captionId, captionOverride: null } });
  return body;
}

export async function approvedArticle(
  backend: Backend,
  options: { headline?: string; slug?: string; captionId?: string | null; texts?: string[]; dek?: string } = {},
): Promise<DocumentRecord> {
  await ensureBio(backend);
  const article = await backend.invoke('documents.create', { kind: 'article' });
  const headline = options.headline ?? 'Council backs harbour expansion';
  await backend.invoke('documents.saveWorking', {
    id: article.id,
    version: article.version,
    content: edited(article.content, {
      fields: {
        headline,
        slug: options.slug ?? '',
        dek: options.dek ?? 'A 7-2 vote ends a year of argument.',
        byline: 'Amara Osei',
        section: 'Local',
        tags: ['harbour', 'council'],
      },
      body: storyBody(options.captionId ?? null, ...(options.texts ?? [])),
    }),
  });
  const submitted = await backend.invoke('workflow.transition', { documentId: article.id, action: 'submit' });
  return backend.invoke('workflow.transition', { documentId: article.id, action: 'approve', revisionId: submitted.revisionId! });
}

/** Edits an approved or published article and takes it through submit and approve again. */
export async function reapproveWith(backend: Backend, id: string, change: { fields?: Record<string, unknown>; body?: RichNode }): Promise<DocumentRecord> {
  const current = await backend.invoke('documents.get', { id });
  await backend.invoke('documents.saveWorking', { id, version: current.version, content: edited(current.content, change) });
  const now = await backend.invoke('documents.get', { id });
  if (now.status !== 'submitted') await backend.invoke('workflow.transition', { documentId: id, action: 'submit' });
  return backend.invoke('workflow.transition', { documentId: id, action: 'approve', revisionId: await readForReview(backend, id) });
}

/**
 * The revision an editor opening the document now reads, as their window names it to
 * Approve or Request changes: the one holding the current text, or, when no revision
 * holds it yet, a version saved of exactly that text.
 */
export async function readForReview(backend: Backend, id: string): Promise<string> {
  const record = await backend.invoke('documents.get', { id });
  return record.revisionId ?? (await backend.invoke('revisions.checkpoint', { documentId: id, version: record.version })).id;
}
