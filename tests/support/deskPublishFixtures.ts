import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { compress } from '../../db/blocks.ts';
import type { DeskContext } from '../../desk/context.ts';
import { openPool, tx } from '../../desk/db/pool.ts';
import { hashToken } from '../../desk/dispatch.ts';
import { enqueuePublishing } from '../../desk/services/publishing.ts';
import { splitContent } from '../../electron/services/revisions.ts';
import { canonicalJson } from '../../shared/canonical.ts';
import { emptyContent, type DocumentContent } from '../../shared/documents.ts';
import type { Role } from '../../shared/people.ts';

/**
 * Desk rows for the publishing tests, written with SQL: people with live sessions, and
 * documents with revisions and blocks laid out exactly as the workstation cuts them
 * (electron/services/revisions.ts splitContent, db/blocks.ts compress, the revision id
 * formula of shared/desk.ts WireRevision), so the worker reads them as it reads pushed
 * ones. They stand in for sync.push and workflow.act, which another part of the desk
 * builds; the publishing code under test is the real one.
 */

export async function addPerson(pool: pg.Pool, spec: { name: string; role: Role; now?: number }): Promise<{ id: string; token: string }> {
  const now = spec.now ?? Date.now();
  const id = randomUUID();
  const username = `${spec.name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}.${id.slice(0, 6)}`;
  await pool.query(`INSERT INTO people (id, name, username, role, created_at) VALUES ($1, $2, $3, $4, $5)`, [id, spec.name, username, spec.role, now]);
  const token = randomBytes(24).toString('base64url');
  await pool.query(`INSERT INTO sessions (token_hash, person_id, device, created_at, expires_at, last_seen_at) VALUES ($1, $2, 'test', $3, $4, $3)`, [
    hashToken(token),
    id,
    now,
    now + 24 * 3600_000,
  ]);
  return { id, token };
}

const sha256hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Stores a revision of `documentId` with its blocks; returns its id. */
export async function addRevision(
  pool: pg.Pool,
  spec: { documentId: string; content: DocumentContent; authorId: string; parentId?: string | null; createdAt?: number; label?: string },
): Promise<string> {
  const { texts, hashes, contentHash } = splitContent(spec.content);
  const hex = hashes.map((h) => h.toString('hex'));
  const createdAt = spec.createdAt ?? Date.now();
  const label = spec.label ?? 'approved';
  const parentId = spec.parentId ?? null;
  const id = sha256hex(canonicalJson({ documentId: spec.documentId, parentId, contentHash, authorId: spec.authorId, createdAt, label, note: null }));
  for (let i = 0; i < texts.length; i++) {
    await pool.query('INSERT INTO blocks (hash, data) VALUES ($1, $2) ON CONFLICT (hash) DO NOTHING', [hex[i], compress(texts[i]!)]);
  }
  await pool.query(
    `INSERT INTO revisions (id, document_id, parent_id, author_id, created_at, label, note, content_hash, blocks, words, words_added, words_removed, pushed_at)
     VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, $8, 0, 0, 0, $5)`,
    [id, spec.documentId, parentId, spec.authorId, createdAt, label, contentHash, hex],
  );
  return id;
}

/** A document whose head is an approved revision holding `content`. */
export async function addApprovedDocument(
  pool: pg.Pool,
  spec: { content: DocumentContent; ownerId: string; id?: string; status?: string; now?: number },
): Promise<{ documentId: string; revisionId: string }> {
  const documentId = spec.id ?? randomUUID();
  const now = spec.now ?? Date.now();
  await pool.query(`INSERT INTO documents (id, kind, status, owner_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)`, [
    documentId,
    spec.content.kind,
    spec.status ?? 'approved',
    spec.ownerId,
    now,
  ]);
  const revisionId = await addRevision(pool, { documentId, content: spec.content, authorId: spec.ownerId, createdAt: now });
  await pool.query('UPDATE documents SET head_revision_id = $2, approved_revision_id = $2 WHERE id = $1', [documentId, revisionId]);
  return { documentId, revisionId };
}

/** A new approved revision on top of the document's head (the story changed and was approved again). */
export async function reapprove(pool: pg.Pool, documentId: string, content: DocumentContent, authorId: string, createdAt = Date.now()): Promise<string> {
  const { rows } = await pool.query<{ head: string }>('SELECT head_revision_id AS head FROM documents WHERE id = $1', [documentId]);
  const revisionId = await addRevision(pool, { documentId, content, authorId, parentId: rows[0]!.head, createdAt });
  await pool.query('UPDATE documents SET head_revision_id = $2, approved_revision_id = $2 WHERE id = $1', [documentId, revisionId]);
  return revisionId;
}

const paragraph = (text: string) => ({ type: 'paragraph', content: [{ type: 'text', text }] });

export function articleContent(spec: { headline: string; slug?: string; paragraphs?: string[]; figures?: { captionId: string; override?: string | null }[] }): DocumentContent {
  const base = emptyContent('article');
  if (base.kind !== 'article') throw new Error('unreachable');
  return {
    kind: 'article',
    fields: { ...base.fields, headline: spec.headline, slug: spec.slug ?? '', byline: 'Amara Osei', section: 'Local' },
    body: {
      type: 'doc',
      content: [
        ...(spec.paragraphs ?? ['The council voted on Tuesday to expand the harbour.']).map(paragraph),
        ...(spec.figures ?? []).map((f) => ({ type: 'figure', attrs: { captionId: f.captionId, captionOverride: f.override ?? null } })),
      ],
    },
  } as DocumentContent;
}

export function captionContent(spec: { photo: string; text: string; credit: string; altText: string }): DocumentContent {
  const base = emptyContent('caption');
  if (base.kind !== 'caption') throw new Error('unreachable');
  return {
    kind: 'caption',
    fields: { ...base.fields, photo: spec.photo, credit: spec.credit, altText: spec.altText },
    body: { type: 'doc', content: [paragraph(spec.text)] },
  } as DocumentContent;
}

export async function addAsset(pool: pg.Pool, spec: { bytes: Uint8Array; fileName: string; mime: string; uploadedBy: string }): Promise<string> {
  const sha256 = createHash('sha256').update(spec.bytes).digest('hex');
  await pool.query(
    `INSERT INTO assets (sha256, file_name, mime, size, data, uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
    [sha256, spec.fileName, spec.mime, spec.bytes.length, Buffer.from(spec.bytes), spec.uploadedBy, Date.now()],
  );
  return sha256;
}

/** What workflow.act does for Publish/Schedule/Unpublish: the jobs, in a transaction of their own here. */
export async function enqueue(
  ctx: DeskContext,
  spec: { documentId: string; action: 'publish' | 'schedule' | 'unpublish' | 'approve'; revisionId: string | null; publishAt?: number | null; personId: string },
): Promise<number> {
  return tx(ctx.pool, (client) => enqueuePublishing(client, ctx, { publishAt: null, ...spec }));
}

/** Another desk process on the same database: its own pool and process id, the same sealing key. */
export function secondProcess(base: DeskContext, url: string, overrides: Partial<DeskContext> = {}): DeskContext {
  return {
    ...base,
    pool: openPool(url),
    processId: `test-b:${process.pid}:${randomUUID().slice(0, 8)}`,
    ...overrides,
  };
}
