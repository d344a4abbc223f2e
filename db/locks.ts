import { sql, type Db } from './connection.ts';

export type Lock = { holderId: string; holderName: string; session: string | null; seenAt: number };

export function getLock(db: Db, documentId: string): Lock | null {
  const row = sql(
    db,
    `SELECT d.lock_holder AS holderId, p.name AS holderName, d.lock_session AS session, d.lock_seen_at AS seenAt
     FROM documents d JOIN people p ON p.id = d.lock_holder WHERE d.id = ?`,
  ).get(documentId) as Lock | undefined;
  return row ?? null;
}

export function setLock(db: Db, documentId: string, holder: { id: string; session: string | null; now: number } | null): void {
  sql(db, 'UPDATE documents SET lock_holder = ?, lock_session = ?, lock_seen_at = ? WHERE id = ?').run(
    holder?.id ?? null,
    holder?.session ?? null,
    holder?.now ?? null,
    documentId,
  );
}
