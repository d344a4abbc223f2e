import type { Person } from '../shared/people.ts';
import { sql, type Db } from './connection.ts';

/** The local side of the newsroom desk link: its outbox and the people it mirrors. */

export type OutboxRow = {
  n: number;
  id: string;
  operation: string;
  payload: string;
  summary: string;
  documentId: string | null;
  personId: string;
  state: 'waiting' | 'refused';
  attempts: number;
  lastError: string | null;
  createdAt: number;
};

type Raw = {
  n: number;
  id: string;
  operation: string;
  payload: string;
  summary: string;
  document_id: string | null;
  person_id: string;
  state: 'waiting' | 'refused';
  attempts: number;
  last_error: string | null;
  created_at: number;
};

const toRow = (r: Raw): OutboxRow => ({
  n: r.n,
  id: r.id,
  operation: r.operation,
  payload: r.payload,
  summary: r.summary,
  documentId: r.document_id,
  personId: r.person_id,
  state: r.state,
  attempts: r.attempts,
  lastError: r.last_error,
  createdAt: r.created_at,
});

export function insertOutboxItem(
  db: Db,
  item: { id: string; operation: string; payload: unknown; summary: string; documentId: string | null; personId: string; createdAt: number },
): void {
  sql(db, 'INSERT INTO desk_outbox (id, operation, payload, summary, document_id, person_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    item.id,
    item.operation,
    JSON.stringify(item.payload),
    item.summary,
    item.documentId,
    item.personId,
    item.createdAt,
  );
}

/** Oldest first: the order they were made in is the order they are sent in. */
export function listOutbox(db: Db): OutboxRow[] {
  return (sql(db, 'SELECT * FROM desk_outbox ORDER BY n').all() as Raw[]).map(toRow);
}

export function waitingItems(db: Db): OutboxRow[] {
  return (sql(db, "SELECT * FROM desk_outbox WHERE state = 'waiting' ORDER BY n").all() as Raw[]).map(toRow);
}

export function waitingCount(db: Db): number {
  return (sql(db, "SELECT COUNT(*) AS c FROM desk_outbox WHERE state = 'waiting'").get() as { c: number }).c;
}

export function deleteOutboxItem(db: Db, id: string): void {
  sql(db, 'DELETE FROM desk_outbox WHERE id = ?').run(id);
}

export function noteAttempt(db: Db, id: string, lastError: string | null): void {
  sql(db, 'UPDATE desk_outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?').run(lastError, id);
}

export function refuseOutboxItem(db: Db, id: string, reason: string): void {
  sql(db, "UPDATE desk_outbox SET state = 'refused', attempts = attempts + 1, last_error = ? WHERE id = ?").run(reason, id);
}

/**
 * A revision the desk will not take, shown beside the refused actions with the desk's
 * reason. One entry per document: the versions cut after it are refused for lacking it,
 * and the first reason is the one that says what to do.
 */
export function recordRefusedPush(db: Db, item: { id: string; documentId: string; revisionId: string; summary: string; personId: string; reason: string; createdAt: number }): boolean {
  const shown = sql(db, "SELECT 1 FROM desk_outbox WHERE operation = 'sync.push' AND state = 'refused' AND document_id = ?").get(item.documentId);
  if (shown) return false;
  sql(db,
    `INSERT INTO desk_outbox (id, operation, payload, summary, document_id, person_id, state, attempts, last_error, created_at)
     VALUES (?, 'sync.push', ?, ?, ?, ?, 'refused', 1, ?, ?)`,
  ).run(item.id, JSON.stringify({ revisionId: item.revisionId }), item.summary, item.documentId, item.personId, item.reason, item.createdAt);
  return true;
}

/** A desk person as a local person: the same id, the desk's name and role. */
export function upsertPerson(db: Db, person: Person): void {
  sql(db, 'INSERT INTO people (id, name, role, created_at) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name, role = excluded.role').run(
    person.id,
    person.name,
    person.role,
    person.createdAt,
  );
}

export function deleteSetting(db: Db, key: string): void {
  sql(db, 'DELETE FROM settings WHERE key = ?').run(key);
}

/** Refused items are the desk's answers to read; working alone again, there is no desk to answer. */
export function clearRefused(db: Db): void {
  sql(db, "DELETE FROM desk_outbox WHERE state = 'refused'").run();
}
