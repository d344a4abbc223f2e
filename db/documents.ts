import type { DocumentKind, DocumentSummary, Status } from '../shared/documents.ts';
import { sql, type Db } from './connection.ts';
import { HIT_END, HIT_START, ftsQuery, indexStaleDocuments, splitHits } from './search.ts';

type Row = {
  id: string;
  kind: DocumentKind;
  status: Status;
  owner_id: string;
  owner_name: string;
  assignee_id: string | null;
  assignee_name: string | null;
  working: string;
  working_version: number;
  title: string;
  word_count: number;
  created_at: number;
  updated_at: number;
  trashed_at: number | null;
  approved_revision_id: string | null;
  head_revision_id: string | null;
  working_dirty: number;
};

/** `headRevisionId` holds exactly the working copy unless `workingDirty` (see setHead). */
export type DocumentRow = DocumentSummary & { working: string; version: number; headRevisionId: string | null; workingDirty: boolean };

const SELECT = `SELECT d.*, o.name AS owner_name, a.name AS assignee_name
  FROM documents d JOIN people o ON o.id = d.owner_id LEFT JOIN people a ON a.id = d.assignee_id`;

const toRow = (r: Row): DocumentRow => ({
  id: r.id,
  kind: r.kind,
  title: r.title,
  status: r.status,
  ownerId: r.owner_id,
  ownerName: r.owner_name,
  assigneeId: r.assignee_id,
  assigneeName: r.assignee_name,
  wordCount: r.word_count,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  trashedAt: r.trashed_at,
  approvedRevisionId: r.approved_revision_id,
  working: r.working,
  version: r.working_version,
  headRevisionId: r.head_revision_id,
  workingDirty: r.working_dirty === 1,
});

export function toSummary(row: DocumentRow): DocumentSummary {
  const { working: _w, version: _v, headRevisionId: _h, workingDirty: _d, ...summary } = row;
  return summary;
}

export function insertDocument(
  db: Db,
  d: { id: string; kind: DocumentKind; ownerId: string; working: string; title: string; wordCount: number; slug?: string | null; now: number },
): void {
  sql(db,
    `INSERT INTO documents (id, kind, owner_id, working, title, word_count, slug, created_at, updated_at, updated_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(d.id, d.kind, d.ownerId, d.working, d.title, d.wordCount, d.slug || null, d.now, d.now, d.ownerId);
}

export function getDocumentRow(db: Db, id: string): DocumentRow | undefined {
  const row = sql(db, `${SELECT} WHERE d.id = ?`).get(id) as Row | undefined;
  return row && toRow(row);
}

/** Search shows the best matches, not every document that mentions a word. */
const SEARCH_LIMIT = 50;

export type ListFilter = { kind?: DocumentKind; status?: Status; query?: string; trashed?: boolean };

export function listDocuments(db: Db, filter: ListFilter): DocumentSummary[] {
  const where: string[] = [filter.trashed ? 'd.trashed_at IS NOT NULL' : 'd.trashed_at IS NULL'];
  const params: unknown[] = [];
  if (filter.kind) {
    where.push('d.kind = ?');
    params.push(filter.kind);
  }
  if (filter.status) {
    where.push('d.status = ?');
    params.push(filter.status);
  }
  const match = filter.query?.trim() ? ftsQuery(filter.query) : null;
  if (filter.query?.trim() && !match) return []; // only punctuation: nothing can match
  if (!match) {
    const rows = db
      .prepare(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY d.updated_at DESC, d.id LIMIT 1000`)
      .all(...params) as Row[];
    return rows.map((r) => toSummary(toRow(r)));
  }
  // Saves leave the index behind (see updateWorking); it catches up before it is read.
  indexStaleDocuments(db);
  // Ranked by BM25 with a headline match worth eight body matches.
  const rows = sql(
    db,
    `SELECT d.*, o.name AS owner_name, a.name AS assignee_name,
       highlight(documents_fts, 0, '${HIT_START}', '${HIT_END}') AS hit_title,
       snippet(documents_fts, 1, '${HIT_START}', '${HIT_END}', '…', 14) AS hit_snippet
     FROM documents_fts f
     JOIN documents d ON d.rowid = f.rowid
     JOIN people o ON o.id = d.owner_id LEFT JOIN people a ON a.id = d.assignee_id
     WHERE documents_fts MATCH ? AND ${where.join(' AND ')}
     ORDER BY bm25(documents_fts, 8.0, 1.0) LIMIT ${SEARCH_LIMIT}`,
  ).all(match, ...params) as (Row & { hit_title: string; hit_snippet: string })[];
  return rows.map((r) => ({
    ...toSummary(toRow(r)),
    match: { title: splitHits(r.hit_title), snippet: splitHits(r.hit_snippet) },
  }));
}

export function updateWorking(
  db: Db,
  d: {
    id: string;
    version: number;
    working: string;
    title: string;
    wordCount: number;
    slug?: string | null;
    by: string;
    now: number;
  },
): number | undefined {
  // The search index follows later (indexStaleDocuments): see migration 0009.
  const result = sql(
    db,
    `UPDATE documents SET working = ?, title = ?, word_count = ?, slug = ?, working_dirty = 1, search_stale = 1,
       working_version = working_version + 1, updated_at = ?, updated_by = ?
     WHERE id = ? AND working_version = ?`,
  ).run(d.working, d.title, d.wordCount, d.slug || null, d.now, d.by, d.id, d.version);
  return result.changes === 1 ? d.version + 1 : undefined;
}

export function setTrashed(db: Db, id: string, trashed: { at: number; by: string } | null): void {
  sql(db, 'UPDATE documents SET trashed_at = ?, trashed_by = ? WHERE id = ?').run(
    trashed?.at ?? null,
    trashed?.by ?? null,
    id,
  );
}

export function setAssignee(db: Db, id: string, personId: string | null, now: number): void {
  sql(db, 'UPDATE documents SET assignee_id = ?, updated_at = ? WHERE id = ?').run(personId, now, id);
}

/** Documents whose working copy has changes no revision holds yet. */
export function dirtyDocuments(db: Db): { id: string; updatedBy: string | null; ownerId: string }[] {
  return db
    .prepare('SELECT id, updated_by AS updatedBy, owner_id AS ownerId FROM documents WHERE working_dirty = 1')
    .all() as { id: string; updatedBy: string | null; ownerId: string }[];
}

export function setHead(db: Db, id: string, revisionId: string, clean: boolean): void {
  sql(db, `UPDATE documents SET head_revision_id = ?${clean ? ', working_dirty = 0' : ''} WHERE id = ?`).run(revisionId, id);
}

export function headRevisionId(db: Db, id: string): string | null {
  const row = sql(db, 'SELECT head_revision_id AS h FROM documents WHERE id = ?').get(id) as { h: string | null } | undefined;
  return row?.h ?? null;
}

/** Who last wrote the working copy (the author of an autosave cut from it). */
export function lastEditor(db: Db, id: string): string | null {
  const row = sql(db, 'SELECT COALESCE(updated_by, owner_id) AS who FROM documents WHERE id = ?').get(id) as { who: string } | undefined;
  return row?.who ?? null;
}

/** A document's kind without reading its working copy (hot paths that only need to know it exists). */
export function documentKind(db: Db, id: string): DocumentKind | undefined {
  const row = sql(db, 'SELECT kind FROM documents WHERE id = ?').get(id) as { kind: DocumentKind } | undefined;
  return row?.kind;
}

/** An article's stored slug ('' when it has none), without reading its working copy. */
export function storedSlug(db: Db, id: string): string {
  const row = sql(db, 'SELECT slug FROM documents WHERE id = ?').get(id) as { slug: string | null } | undefined;
  return row?.slug ?? '';
}

/** Another live document using this slug, if any. */
export function slugHolder(db: Db, slug: string, exceptId: string): { id: string; title: string } | undefined {
  return sql(db, 'SELECT id, title FROM documents WHERE slug = ? AND id <> ? AND trashed_at IS NULL LIMIT 1').get(slug, exceptId) as
    | { id: string; title: string }
    | undefined;
}

/** Who holds a document, without reading its working copy (the typing path needs only this). */
export function documentHolder(
  db: Db,
  id: string,
): { kind: DocumentKind; ownerId: string; assigneeId: string | null; trashedAt: number | null } | undefined {
  return sql(db, 'SELECT kind, owner_id AS ownerId, assignee_id AS assigneeId, trashed_at AS trashedAt FROM documents WHERE id = ?').get(id) as
    | { kind: DocumentKind; ownerId: string; assigneeId: string | null; trashedAt: number | null }
    | undefined;
}

/** The shared state of a document as the newsroom desk holds it (shared/desk.ts DeskDocument). */
export type DeskSharedState = {
  id: string;
  status: Status;
  ownerId: string;
  assigneeId: string | null;
  approvedRevisionId: string | null;
  headRevisionId: string | null;
  trashedAt: number | null;
  updatedAt: number;
};

/**
 * A document first heard of from the desk: its row with an empty working copy (the
 * caller fills it from the desk's head revision once that has arrived).
 */
export function insertDeskDocument(
  db: Db,
  d: DeskSharedState & { kind: DocumentKind; working: string; title: string; wordCount: number; createdAt: number },
): void {
  sql(db,
    `INSERT INTO documents (id, kind, status, owner_id, assignee_id, working, title, word_count, created_at, updated_at, updated_by,
       trashed_at, approved_revision_id, desk_head_revision_id, desk_known, search_stale)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 1)`,
  ).run(d.id, d.kind, d.status, d.ownerId, d.assigneeId, d.working, d.title, d.wordCount, d.createdAt, d.updatedAt, d.ownerId,
    d.trashedAt, d.approvedRevisionId, d.headRevisionId);
}

/**
 * Brings a known document's shared state (status, owner, assignee, approval, trash,
 * the desk's head) to the desk's. The working copy is not touched here. Returns
 * whether anything changed.
 */
export function applyDeskState(db: Db, d: DeskSharedState): boolean {
  const result = sql(db,
    `UPDATE documents SET status = @status, owner_id = @ownerId, assignee_id = @assigneeId, approved_revision_id = @approvedRevisionId,
       trashed_at = @trashedAt, trashed_by = CASE WHEN @trashedAt IS NULL THEN NULL ELSE trashed_by END,
       desk_head_revision_id = @headRevisionId, desk_known = 1, updated_at = MAX(updated_at, @updatedAt)
     WHERE id = @id AND (status IS NOT @status OR owner_id IS NOT @ownerId OR assignee_id IS NOT @assigneeId
       OR approved_revision_id IS NOT @approvedRevisionId OR trashed_at IS NOT @trashedAt
       OR desk_head_revision_id IS NOT @headRevisionId OR desk_known = 0 OR updated_at < @updatedAt)`,
  ).run(d);
  return result.changes > 0;
}

/** What sync needs to know of a document's link with the desk. */
export function deskLinkOf(
  db: Db,
  id: string,
): { kind: DocumentKind; ownerId: string; createdAt: number; deskHeadRevisionId: string | null; deskKnown: boolean; headRevisionId: string | null; workingDirty: boolean } | undefined {
  const row = sql(db,
    `SELECT kind, owner_id AS ownerId, created_at AS createdAt, desk_head_revision_id AS deskHeadRevisionId, desk_known AS deskKnown,
       head_revision_id AS headRevisionId, working_dirty AS workingDirty FROM documents WHERE id = ?`,
  ).get(id) as { kind: DocumentKind; ownerId: string; createdAt: number; deskHeadRevisionId: string | null; deskKnown: number; headRevisionId: string | null; workingDirty: number } | undefined;
  return row && { ...row, deskKnown: row.deskKnown === 1, workingDirty: row.workingDirty === 1 };
}

/** The desk took a revision of this document onto its line: it knows the document, and that is its head. */
export function setDeskHead(db: Db, id: string, revisionId: string | null): void {
  sql(db, 'UPDATE documents SET desk_known = 1, desk_head_revision_id = COALESCE(?, desk_head_revision_id) WHERE id = ?').run(revisionId, id);
}

/**
 * Replaces the working copy with the desk's head revision (nothing unsent is in it):
 * the version goes up, so an open editor reloads, and the copy is that revision exactly.
 */
export function replaceWorkingFromDesk(
  db: Db,
  d: { id: string; working: string; title: string; wordCount: number; slug?: string | null; revisionId: string; by: string; now: number },
): void {
  sql(db,
    `UPDATE documents SET working = ?, title = ?, word_count = ?, slug = ?, working_dirty = 0, search_stale = 1,
       working_version = working_version + 1, head_revision_id = ?, updated_at = MAX(updated_at, ?), updated_by = ?
     WHERE id = ?`,
  ).run(d.working, d.title, d.wordCount, d.slug || null, d.revisionId, d.now, d.by, d.id);
}

/** What the desk last said of whether a document is on a site (migration 0014). Returns whether it changed. */
export function setDeskLive(db: Db, id: string, live: boolean): boolean {
  return sql(db, 'UPDATE documents SET desk_live = ? WHERE id = ? AND desk_live != ?').run(Number(live), id, Number(live)).changes > 0;
}

/** The desk's latest scheduled publish time of a document, or null (migration 0014). Returns whether it changed. */
export function setDeskPublishAt(db: Db, id: string, at: number | null): boolean {
  return sql(db, 'UPDATE documents SET desk_publish_at = ? WHERE id = ? AND desk_publish_at IS NOT ?').run(at, id, at).changes > 0;
}

export function deskPosts(db: Db, id: string): { live: boolean; publishAt: number | null } {
  const row = sql(db, 'SELECT desk_live AS live, desk_publish_at AS publishAt FROM documents WHERE id = ?').get(id) as { live: number; publishAt: number | null } | undefined;
  return { live: row?.live === 1, publishAt: row?.publishAt ?? null };
}

/** The working copy's slug was changed with the person's unlock (migration 0014). */
export function markSlugUnlocked(db: Db, id: string): void {
  sql(db, 'UPDATE documents SET slug_unlocked = 1 WHERE id = ?').run(id);
}

/** Whether the working copy holds an unlocked slug change, clearing it: a revision cut from it takes it. */
export function takeSlugUnlock(db: Db, id: string): boolean {
  const row = sql(db, 'UPDATE documents SET slug_unlocked = 0 WHERE id = ? AND slug_unlocked = 1 RETURNING id').get(id);
  return row !== undefined;
}

export function markWorkingDirty(db: Db, id: string): void {
  sql(db, 'UPDATE documents SET working_dirty = 1 WHERE id = ?').run(id);
}
