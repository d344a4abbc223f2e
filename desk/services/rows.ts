import type pg from 'pg';
import { brotliDecompressSync } from 'node:zlib';
import type { Comment } from '../../shared/comments.ts';
import type { DeskAsset, DeskDocument, DeskPerson, DeskRevision } from '../../shared/desk.ts';
import type { DocumentKind, Status } from '../../shared/documents.ts';
import { GalleyError } from '../../shared/errors.ts';
import type { Role } from '../../shared/people.ts';
import type { WorkflowEvent } from '../../shared/workflow.ts';
import type { RevisionLabel } from '../../shared/revisions.ts';
import { toDeskPerson } from '../dispatch.ts';
import { encodeRefs, MOST_BLOCK_BYTES } from '../wire.ts';

/**
 * The desk's rows as the desk API shows them (shared/desk.ts), read in batches: a pull
 * of 1,000 changes is a handful of queries, not a thousand.
 */

type Query = pg.Pool | pg.PoolClient;

export type DocumentRow = {
  id: string;
  kind: DocumentKind;
  status: Status;
  owner_id: string;
  assignee_id: string | null;
  title: string;
  slug: string;
  word_count: number;
  head_revision_id: string | null;
  approved_revision_id: string | null;
  created_at: number;
  updated_at: number;
  trashed_at: number | null;
  trashed_by: string | null;
  lock_holder: string | null;
  lock_session: string | null;
  lock_seen_at: number | null;
};

/** The fields canEdit and transitionRefusal read (shared/permissions.ts, shared/workflow.ts). */
export const holderOf = (row: DocumentRow) => ({ kind: row.kind, status: row.status, ownerId: row.owner_id, assigneeId: row.assignee_id });

export const NO_DOCUMENT = 'That document is not on the desk (it may not have been sent yet).';

export async function documentRow(q: Query, id: string, forUpdate = false): Promise<DocumentRow | undefined> {
  const { rows } = await q.query<DocumentRow>(`SELECT * FROM documents WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0];
}

export async function mustDocument(q: Query, id: string, forUpdate = false): Promise<DocumentRow> {
  const row = await documentRow(q, id, forUpdate);
  if (!row) throw new GalleyError('not_found', NO_DOCUMENT, [{ path: 'id', message: 'Unknown document' }]);
  return row;
}

export async function deskDocuments(q: Query, ids: readonly string[]): Promise<Map<string, DeskDocument>> {
  const out = new Map<string, DeskDocument>();
  if (ids.length === 0) return out;
  const { rows } = await q.query<DocumentRow>('SELECT * FROM documents WHERE id = ANY($1)', [ids]);
  const { rows: posts } = await q.query<{ document_id: string; target_id: string; revision_id: string | null; url: string; status: 'published' | 'scheduled' | 'withdrawn' }>(
    'SELECT document_id, target_id, revision_id, url, status FROM remote_posts WHERE document_id = ANY($1) ORDER BY target_id',
    [ids],
  );
  const { rows: plans } = await q.query<{ document_id: string; publish_at: string }>(
    `SELECT document_id, MAX(publish_at) AS publish_at FROM publish_jobs
     WHERE document_id = ANY($1) AND action = 'publish' AND publish_at IS NOT NULL AND state != 'cancelled' GROUP BY document_id`,
    [ids],
  );
  const planOf = new Map(plans.map((p) => [p.document_id, Number(p.publish_at)]));
  const postsOf = new Map<string, typeof posts>();
  for (const p of posts) postsOf.set(p.document_id, [...(postsOf.get(p.document_id) ?? []), p]);
  for (const row of rows) {
    out.set(row.id, {
      id: row.id,
      kind: row.kind,
      status: row.status,
      ownerId: row.owner_id,
      assigneeId: row.assignee_id,
      title: row.title,
      slug: row.slug,
      wordCount: row.word_count,
      headRevisionId: row.head_revision_id,
      approvedRevisionId: row.approved_revision_id,
      published: (postsOf.get(row.id) ?? []).map((p) => ({ targetId: p.target_id, revisionId: p.revision_id, url: p.url, status: p.status })),
      publishAt: planOf.get(row.id) ?? null,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      trashedAt: row.trashed_at,
    });
  }
  return out;
}

export async function deskDocument(q: Query, id: string): Promise<DeskDocument> {
  const doc = (await deskDocuments(q, [id])).get(id);
  if (!doc) throw new GalleyError('not_found', NO_DOCUMENT, [{ path: 'id', message: 'Unknown document' }]);
  return doc;
}

export type RevisionRow = {
  seq: number;
  id: string;
  document_id: string;
  parent_id: string | null;
  author_id: string;
  created_at: number;
  label: RevisionLabel;
  note: string | null;
  content_hash: string;
  blocks: string[];
  words: number;
  words_added: number;
  words_removed: number;
  aside: boolean;
  pushed_at: number;
};

export async function revisionRows(q: Query, ids: readonly string[]): Promise<Map<string, RevisionRow>> {
  const out = new Map<string, RevisionRow>();
  if (ids.length === 0) return out;
  const { rows } = await q.query<RevisionRow>('SELECT * FROM revisions WHERE id = ANY($1)', [ids]);
  for (const row of rows) out.set(row.id, row);
  return out;
}

/**
 * Revisions as they travel back to workstations: blocks relative to the parent (runs
 * plus new hashes), which is what keeps a catch-up after 1,000 edits small.
 */
export async function deskRevisions(q: Query, ids: readonly string[]): Promise<Map<string, DeskRevision>> {
  const rows = await revisionRows(q, ids);
  const parentIds = [...new Set([...rows.values()].map((r) => r.parent_id).filter((p): p is string => p !== null && !rows.has(p)))];
  const parents = await revisionRows(q, parentIds);
  const out = new Map<string, DeskRevision>();
  for (const row of rows.values()) {
    const parent = row.parent_id ? (rows.get(row.parent_id) ?? parents.get(row.parent_id)) : undefined;
    out.set(row.id, {
      id: row.id,
      documentId: row.document_id,
      parentId: row.parent_id,
      authorId: row.author_id,
      createdAt: row.created_at,
      label: row.label,
      note: row.note,
      contentHash: row.content_hash,
      words: row.words,
      wordsAdded: row.words_added,
      wordsRemoved: row.words_removed,
      blocks: encodeRefs(row.blocks, parent?.blocks ?? null),
      aside: row.aside,
      seq: row.seq,
    });
  }
  return out;
}

type CommentRow = {
  id: string;
  document_id: string;
  author_id: string;
  author_name: string;
  body: string;
  quote: string;
  anchor_from: number;
  anchor_to: number;
  detached: boolean;
  created_at: number;
  resolved_at: number | null;
  resolved_by_name: string | null;
  parent_id: string | null;
};

export async function comments(q: Query, ids: readonly string[]): Promise<Map<string, Comment>> {
  const out = new Map<string, Comment>();
  if (ids.length === 0) return out;
  const { rows } = await q.query<CommentRow>(
    `SELECT c.*, a.name AS author_name, r.name AS resolved_by_name
       FROM comments c JOIN people a ON a.id = c.author_id LEFT JOIN people r ON r.id = c.resolved_by
      WHERE c.id = ANY($1)`,
    [ids],
  );
  for (const r of rows) {
    out.set(r.id, {
      id: r.id,
      documentId: r.document_id,
      authorId: r.author_id,
      authorName: r.author_name,
      body: r.body,
      quote: r.quote,
      from: r.anchor_from,
      to: r.anchor_to,
      detached: r.detached,
      createdAt: r.created_at,
      resolvedAt: r.resolved_at,
      resolvedByName: r.resolved_by_name,
      parentId: r.parent_id,
    });
  }
  return out;
}

type EventRow = {
  id: number;
  document_id: string;
  actor_id: string;
  actor_name: string;
  action: string;
  from_status: string;
  to_status: string;
  revision_id: string | null;
  note: string | null;
  created_at: number;
};

const toEvent = (r: EventRow): WorkflowEvent => ({
  id: r.id,
  documentId: r.document_id,
  actorId: r.actor_id,
  actorName: r.actor_name,
  action: r.action,
  fromStatus: r.from_status,
  toStatus: r.to_status,
  revisionId: r.revision_id,
  note: r.note,
  createdAt: r.created_at,
});

const EVENTS = 'SELECT e.*, p.name AS actor_name FROM workflow_events e JOIN people p ON p.id = e.actor_id';

export async function events(q: Query, ids: readonly number[]): Promise<Map<number, WorkflowEvent>> {
  const out = new Map<number, WorkflowEvent>();
  if (ids.length === 0) return out;
  const { rows } = await q.query<EventRow>(`${EVENTS} WHERE e.id = ANY($1)`, [ids]);
  for (const r of rows) out.set(r.id, toEvent(r));
  return out;
}

export async function documentEvents(q: Query, documentId: string): Promise<WorkflowEvent[]> {
  const { rows } = await q.query<EventRow>(`${EVENTS} WHERE e.document_id = $1 ORDER BY e.id DESC`, [documentId]);
  return rows.map(toEvent);
}

export async function recordEvent(
  q: pg.PoolClient,
  e: { documentId: string; actorId: string; action: string; fromStatus: string; toStatus: string; revisionId: string | null; note: string | null; createdAt: number },
): Promise<number> {
  const { rows } = await q.query<{ id: number }>(
    `INSERT INTO workflow_events (document_id, actor_id, action, from_status, to_status, revision_id, note, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [e.documentId, e.actorId, e.action, e.fromStatus, e.toStatus, e.revisionId, e.note, e.createdAt],
  );
  return rows[0]!.id;
}

type AssetRow = { sha256: string; file_name: string; mime: string; size: number; created_at: number; uploaded_by: string };
export const toAsset = (r: AssetRow): DeskAsset => ({ sha256: r.sha256, fileName: r.file_name, mime: r.mime, size: r.size, createdAt: r.created_at, uploadedBy: r.uploaded_by });

export async function assets(q: Query, ids: readonly string[]): Promise<Map<string, DeskAsset>> {
  const out = new Map<string, DeskAsset>();
  if (ids.length === 0) return out;
  const { rows } = await q.query<AssetRow>('SELECT sha256, file_name, mime, size, created_at, uploaded_by FROM assets WHERE sha256 = ANY($1)', [ids]);
  for (const r of rows) out.set(r.sha256, toAsset(r));
  return out;
}

type PersonRow = { id: string; name: string; username: string; role: Role; admin: boolean; revoked_at: number | null; created_at: number };

export async function people(q: Query, ids: readonly string[]): Promise<Map<string, DeskPerson>> {
  const out = new Map<string, DeskPerson>();
  if (ids.length === 0) return out;
  const { rows } = await q.query<PersonRow>('SELECT id, name, username, role, admin, revoked_at, created_at FROM people WHERE id = ANY($1)', [ids]);
  for (const r of rows) out.set(r.id, toDeskPerson(r));
  return out;
}

export async function personName(q: Query, id: string | null): Promise<string> {
  if (!id) return '';
  const { rows } = await q.query<{ name: string }>('SELECT name FROM people WHERE id = $1', [id]);
  return rows[0]?.name ?? 'someone';
}

/** Block texts by hash, from the desk's store (each was checked on the way in). */
export async function blockTexts(q: Query, hashes: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (hashes.length === 0) return out;
  const { rows } = await q.query<{ hash: string; data: Buffer }>('SELECT hash, data FROM blocks WHERE hash = ANY($1)', [[...new Set(hashes)]]);
  for (const r of rows) out.set(r.hash, brotliDecompressSync(r.data, { maxOutputLength: MOST_BLOCK_BYTES }).toString('utf8'));
  return out;
}

export const utcTime = (ms: number) => `${new Date(ms).toISOString().slice(11, 16)} UTC`;
