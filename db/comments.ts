import type { Comment, CommentAnchor } from '../shared/comments.ts';
import { sql, type Db } from './connection.ts';

type Row = {
  id: string;
  document_id: string;
  author_id: string;
  author_name: string;
  body: string;
  quote: string;
  anchor_from: number;
  anchor_to: number;
  detached: number;
  created_at: number;
  resolved_at: number | null;
  resolved_by_name: string | null;
  parent_id: string | null;
};

const toComment = (r: Row): Comment => ({
  id: r.id,
  documentId: r.document_id,
  authorId: r.author_id,
  authorName: r.author_name,
  body: r.body,
  quote: r.quote,
  from: r.anchor_from,
  to: r.anchor_to,
  detached: r.detached === 1,
  createdAt: r.created_at,
  resolvedAt: r.resolved_at,
  resolvedByName: r.resolved_by_name,
  parentId: r.parent_id,
});

const SELECT = `SELECT c.*, a.name AS author_name, r.name AS resolved_by_name FROM comments c
  JOIN people a ON a.id = c.author_id LEFT JOIN people r ON r.id = c.resolved_by`;

export function listComments(db: Db, documentId: string): Comment[] {
  return (sql(db, `${SELECT} WHERE c.document_id = ? ORDER BY c.created_at, c.id`).all(documentId) as Row[]).map(toComment);
}

export function getComment(db: Db, id: string): Comment | undefined {
  const row = sql(db, `${SELECT} WHERE c.id = ?`).get(id) as Row | undefined;
  return row && toComment(row);
}

export function insertComment(
  db: Db,
  c: { id: string; documentId: string; authorId: string; body: string; quote: string; from: number; to: number; now: number; parentId?: string | null },
): void {
  sql(
    db,
    `INSERT INTO comments (id, document_id, author_id, body, quote, anchor_from, anchor_to, created_at, parent_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(c.id, c.documentId, c.authorId, c.body, c.quote, c.from, c.to, c.now, c.parentId ?? null);
}

export function updateAnchors(db: Db, documentId: string, anchors: CommentAnchor[]): void {
  const update = sql(db, 'UPDATE comments SET anchor_from = ?, anchor_to = ?, detached = ? WHERE id = ? AND document_id = ?');
  for (const a of anchors) update.run(a.from, a.to, a.detached ? 1 : 0, a.id, documentId);
}

export function resolveComment(db: Db, id: string, by: string, now: number): void {
  sql(db, 'UPDATE comments SET resolved_at = ?, resolved_by = ? WHERE id = ? AND resolved_at IS NULL').run(now, by, id);
}

/**
 * A comment as the newsroom desk has it (same id): stored, or brought up to date
 * (anchors, detachment, resolution). Returns whether anything changed.
 */
export function upsertComment(
  db: Db,
  c: {
    id: string;
    documentId: string;
    authorId: string;
    body: string;
    quote: string;
    from: number;
    to: number;
    detached: boolean;
    createdAt: number;
    resolvedAt: number | null;
    resolvedBy: string | null;
    parentId: string | null;
  },
): boolean {
  const result = sql(
    db,
    `INSERT INTO comments (id, document_id, author_id, body, quote, anchor_from, anchor_to, detached, created_at, resolved_at, resolved_by, parent_id)
     VALUES (@id, @documentId, @authorId, @body, @quote, @from, @to, @detached, @createdAt, @resolvedAt, @resolvedBy, @parentId)
     ON CONFLICT(id) DO UPDATE SET body = excluded.body, quote = excluded.quote, anchor_from = excluded.anchor_from,
       anchor_to = excluded.anchor_to, detached = excluded.detached, resolved_at = excluded.resolved_at,
       resolved_by = COALESCE(excluded.resolved_by, comments.resolved_by)
     WHERE comments.body IS NOT excluded.body OR comments.quote IS NOT excluded.quote OR comments.anchor_from IS NOT excluded.anchor_from
       OR comments.anchor_to IS NOT excluded.anchor_to OR comments.detached IS NOT excluded.detached
       OR comments.resolved_at IS NOT excluded.resolved_at`,
  ).run({ ...c, detached: c.detached ? 1 : 0 });
  return result.changes > 0;
}
