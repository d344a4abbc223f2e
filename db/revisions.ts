import type { RevisionLabel, RevisionSummary } from '../shared/revisions.ts';
import { sql, type Db } from './connection.ts';

/** Where a revision stands with the newsroom desk (migration 0012): null while it waits to be sent. */
export type DeskState = 'pushed' | 'aside' | 'refused' | null;

export type RevisionRow = RevisionSummary & {
  seq: number;
  contentHash: string;
  blockIds: Buffer;
  deskState: DeskState;
  /** Cut from a working copy whose live slug was changed with Unlock slug (migration 0014). */
  slugUnlocked: boolean;
};

type Raw = {
  seq: number;
  id: Buffer;
  document_id: string;
  parent_id: Buffer | null;
  author_id: string;
  author_name: string;
  created_at: number;
  label: RevisionLabel;
  note: string | null;
  content_hash: Buffer;
  blocks: Buffer;
  words: number;
  words_added: number;
  words_removed: number;
  desk_state: DeskState;
  slug_unlocked: number;
};

const SELECT = 'SELECT r.*, p.name AS author_name FROM revisions r JOIN people p ON p.id = r.author_id';

// Revision ids and content hashes are SHA-256 digests: hex outside, 32 bytes on disk.
const hex = (b: Buffer) => b.toString('hex');
const bin = (h: string) => Buffer.from(h, 'hex');

const toRow = (r: Raw): RevisionRow => ({
  seq: r.seq,
  id: hex(r.id),
  documentId: r.document_id,
  parentId: r.parent_id && hex(r.parent_id),
  authorId: r.author_id,
  authorName: r.author_name,
  createdAt: r.created_at,
  label: r.label,
  note: r.note,
  contentHash: hex(r.content_hash),
  blockIds: r.blocks,
  words: r.words,
  wordsAdded: r.words_added,
  wordsRemoved: r.words_removed,
  deskState: r.desk_state,
  slugUnlocked: r.slug_unlocked === 1,
  ...(r.desk_state === 'aside' ? { aside: true, offlineBy: r.author_name } : {}),
});

export function toRevisionSummary(row: RevisionRow): RevisionSummary {
  const { seq: _s, contentHash: _c, blockIds: _b, deskState: _d, slugUnlocked: _u, ...summary } = row;
  return summary;
}

/** Stores a revision unless it is there already (revisions are immutable, so the same id is the same revision). */
export function insertRevision(
  db: Db,
  r: Omit<RevisionRow, 'seq' | 'authorName' | 'deskState' | 'aside' | 'offlineBy' | 'slugUnlocked'> & { deskState?: DeskState; slugUnlocked?: boolean },
): void {
  sql(db,
    `INSERT OR IGNORE INTO revisions (id, document_id, parent_id, author_id, created_at, label, note, content_hash, blocks,
       words, words_added, words_removed, desk_state, slug_unlocked)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    bin(r.id),
    r.documentId,
    r.parentId && bin(r.parentId),
    r.authorId,
    r.createdAt,
    r.label,
    r.note,
    bin(r.contentHash),
    r.blockIds,
    r.words,
    r.wordsAdded,
    r.wordsRemoved,
    r.deskState ?? null,
    r.slugUnlocked ? 1 : 0,
  );
}

export function getRevision(db: Db, id: string): RevisionRow | undefined {
  if (!/^[0-9a-f]{64}$/.test(id)) return undefined;
  const raw = sql(db, `${SELECT} WHERE r.id = ?`).get(bin(id)) as Raw | undefined;
  return raw && toRow(raw);
}

/** Whether two revisions hold the same content (false when either is missing). */
export function sameContent(db: Db, aId: string, bId: string): boolean {
  if (!/^[0-9a-f]{64}$/.test(aId) || !/^[0-9a-f]{64}$/.test(bId)) return false;
  const row = sql(db, 'SELECT a.content_hash = b.content_hash AS same FROM revisions a, revisions b WHERE a.id = ? AND b.id = ?').get(bin(aId), bin(bId)) as
    | { same: number }
    | undefined;
  return row?.same === 1;
}

export function listRevisions(db: Db, documentId: string): RevisionRow[] {
  return (sql(db, `${SELECT} WHERE r.document_id = ? ORDER BY r.seq DESC`).all(documentId) as Raw[]).map(toRow);
}

export function deleteRevision(db: Db, revision: { id: string; parentId: string | null }): void {
  // Children of a thinned autosave now descend from its parent; the chain stays whole.
  sql(db, 'UPDATE revisions SET parent_id = ? WHERE parent_id = ?').run(revision.parentId && bin(revision.parentId), bin(revision.id));
  sql(db, 'DELETE FROM revisions WHERE id = ?').run(bin(revision.id));
}

/** All revision ids (hex), for the integrity check. */
export function revisionIds(db: Db): Set<string> {
  return new Set((sql(db, 'SELECT id FROM revisions').all() as { id: Buffer }[]).map((r) => hex(r.id)));
}

/** Every document's head revision (retention never removes one). */
export function headRevisionIds(db: Db): Set<string> {
  const rows = sql(db, 'SELECT head_revision_id AS h FROM documents WHERE head_revision_id IS NOT NULL').all() as { h: string }[];
  return new Set(rows.map((r) => r.h));
}

/** Autosaves cut before `cutoff`, newest first within each document. */
export function autosavesBefore(db: Db, cutoff: number): { id: string; documentId: string; createdAt: number }[] {
  return sql(
    db,
    `SELECT lower(hex(id)) AS id, document_id AS documentId, created_at AS createdAt FROM revisions
     WHERE label = 'autosave' AND created_at < ? ORDER BY document_id, created_at DESC`,
  ).all(cutoff) as { id: string; documentId: string; createdAt: number }[];
}
