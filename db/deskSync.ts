import type { DeskState, RevisionRow } from './revisions.ts';
import { getRevision } from './revisions.ts';
import { unpackIds } from './blocks.ts';
import { sql, type Db } from './connection.ts';

/**
 * The local store's side of the sync with the newsroom desk (migration 0012): which
 * revisions wait to be sent, blocks by hash, and the photos the desk holds.
 */

const bin = (h: string) => Buffer.from(h, 'hex');

/**
 * Revisions by this person the desk has not accepted yet, oldest first (a parent always
 * before its children). Only their author's session sends them: the desk takes a
 * revision only from the person who made it.
 */
export function waitingRevisionIds(db: Db, authorId: string, limit: number): string[] {
  return (
    sql(db, 'SELECT lower(hex(id)) AS id FROM revisions WHERE desk_state IS NULL AND author_id = ? ORDER BY seq LIMIT ?').all(authorId, limit) as { id: string }[]
  ).map((r) => r.id);
}

export function waitingRevisionCount(db: Db, authorId: string): number {
  return (sql(db, 'SELECT COUNT(*) AS n FROM revisions WHERE desk_state IS NULL AND author_id = ?').get(authorId) as { n: number }).n;
}

export function setDeskState(db: Db, revisionId: string, state: Exclude<DeskState, null>): void {
  sql(db, 'UPDATE revisions SET desk_state = ? WHERE id = ?').run(state, bin(revisionId));
}

/** A revision's ordered block hashes (hex), the fields block first. */
export function revisionHashes(db: Db, row: Pick<RevisionRow, 'blockIds'>): string[] {
  const ids = unpackIds(row.blockIds);
  const get = sql(db, 'SELECT lower(hex(hash)) AS hash FROM blocks WHERE id = ?');
  return ids.map((id) => {
    const found = get.get(id) as { hash: string } | undefined;
    if (!found) throw new Error(`Block ${id} is missing`);
    return found.hash;
  });
}

/** The stored (brotli-compressed) bytes of a block, by hash. */
export function blockBytes(db: Db, hash: string): Buffer | undefined {
  return (sql(db, 'SELECT data FROM blocks WHERE hash = ?').get(bin(hash)) as { data: Buffer } | undefined)?.data;
}

export function blockIdOf(db: Db, hash: string): number | undefined {
  return (sql(db, 'SELECT id FROM blocks WHERE hash = ?').get(bin(hash)) as { id: number } | undefined)?.id;
}

/**
 * Stores a block that arrived from the desk, as it arrived (the caller checked that its
 * bytes decompress to text with this hash). Returns its id.
 */
export function putCheckedBlock(db: Db, hash: string, data: Buffer): number {
  const existing = blockIdOf(db, hash);
  if (existing !== undefined) return existing;
  return Number(sql(db, 'INSERT INTO blocks (hash, data) VALUES (?, ?)').run(bin(hash), data).lastInsertRowid);
}


export type DeskAssetRow = { sha256: string; fileName: string; mime: string; size: number; uploadedBy: string; createdAt: number };

export function recordDeskAsset(db: Db, a: DeskAssetRow): void {
  sql(db,
    `INSERT INTO desk_assets (sha256, file_name, mime, size, uploaded_by, created_at) VALUES (@sha256, @fileName, @mime, @size, @uploadedBy, @createdAt)
     ON CONFLICT(sha256) DO NOTHING`,
  ).run(a);
}

export function deskAsset(db: Db, sha256: string): DeskAssetRow | undefined {
  return sql(db,
    'SELECT sha256, file_name AS fileName, mime, size, uploaded_by AS uploadedBy, created_at AS createdAt FROM desk_assets WHERE sha256 = ?',
  ).get(sha256) as DeskAssetRow | undefined;
}

/** Whether a step taken here on this document still waits in the desk outbox (migration 0011). */
export function hasWaitingActions(db: Db, documentId: string): boolean {
  return sql(db, `SELECT 1 FROM desk_outbox WHERE document_id = ? AND state = 'waiting' LIMIT 1`).get(documentId) !== undefined;
}

/** Whether a revision waiting to be sent names this one as its parent. */
export function waitsOnParent(db: Db, revisionId: string): boolean {
  return sql(db, 'SELECT 1 FROM revisions WHERE parent_id = ? AND desk_state IS NULL LIMIT 1').get(bin(revisionId)) !== undefined;
}

/** Photos named by captions (photo) and bios (headshot) here that the desk holds and this workstation lacks. */
export function photosToFetch(db: Db, limit: number): string[] {
  return (
    sql(db,
      `SELECT DISTINCT d.sha256 FROM desk_assets d
       JOIN documents doc ON doc.kind IN ('caption', 'bio')
         AND json_extract(doc.working, CASE doc.kind WHEN 'caption' THEN '$.fields.photo' ELSE '$.fields.headshot' END) = d.sha256
       WHERE NOT EXISTS (SELECT 1 FROM assets a WHERE a.sha256 = d.sha256) LIMIT ?`,
    ).all(limit) as { sha256: string }[]
  ).map((r) => r.sha256);
}
