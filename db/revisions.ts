import type { RevisionLabel, RevisionSummary } from '../shared/revisions.ts';
import type { Db } from './connection.ts';

export type RevisionRow = RevisionSummary & { seq: number; contentHash: string; blockIds: Buffer };

type Raw = {
  seq: number;
  id: string;
  document_id: string;
  parent_id: string | null;
  author_id: string;
  author_name: string;
  created_at: number;
  label: RevisionLabel;
  note: string | null;
  content_hash: string;
  blocks: Buffer;
  words: number;
  words_added: number;
  words_removed: number;
};

const SELECT = 'SELECT r.*, p.name AS author_name FROM revisions r JOIN people p ON p.id = r.author_id';

const toRow = (r: Raw): RevisionRow => ({
  seq: r.seq,
  id: r.id,
  documentId: r.document_id,
  parentId: r.parent_id,
  authorId: r.author_id,
  authorName: r.author_name,
  createdAt: r.created_at,
  label: r.label,
  note: r.note,
  contentHash: r.content_hash,
  blockIds: r.blocks,
  words: r.words,
  wordsAdded: r.words_added,
  wordsRemoved: r.words_removed,
});

export function toRevisionSummary(row: RevisionRow): RevisionSummary {
  const { seq: _s, contentHash: _c, blockIds: _b, ...summary } = row;
  return summary;
}

export function insertRevision(db: Db, r: Omit<RevisionRow, 'seq' | 'authorName'>): void {
  db.prepare(
    `INSERT OR IGNORE INTO revisions (id, document_id, parent_id, author_id, created_at, label, note, content_hash, blocks,
       words, words_added, words_removed)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    r.id,
    r.documentId,
    r.parentId,
    r.authorId,
    r.createdAt,
    r.label,
    r.note,
    r.contentHash,
    r.blockIds,
    r.words,
    r.wordsAdded,
    r.wordsRemoved,
  );
}

export function getRevision(db: Db, id: string): RevisionRow | undefined {
  const raw = db.prepare(`${SELECT} WHERE r.id = ?`).get(id) as Raw | undefined;
  return raw && toRow(raw);
}

export function listRevisions(db: Db, documentId: string): RevisionRow[] {
  return (db.prepare(`${SELECT} WHERE r.document_id = ? ORDER BY r.seq DESC`).all(documentId) as Raw[]).map(toRow);
}

export function allRevisionBlocks(db: Db): Iterable<{ id: string; document_id: string; blocks: Buffer }> {
  return db.prepare('SELECT id, document_id, blocks FROM revisions').iterate() as Iterable<{
    id: string;
    document_id: string;
    blocks: Buffer;
  }>;
}

export function deleteRevision(db: Db, revision: { id: string; parentId: string | null }): void {
  // Children of a thinned autosave now descend from its parent; the chain stays whole.
  db.prepare('UPDATE revisions SET parent_id = ? WHERE parent_id = ?').run(revision.parentId, revision.id);
  db.prepare('DELETE FROM revisions WHERE id = ?').run(revision.id);
}
