import type { Status } from '../shared/documents.ts';
import type { WorkflowEvent } from '../shared/workflow.ts';
import { sql, type Db } from './connection.ts';

export function recordEvent(db: Db, e: Omit<WorkflowEvent, 'id' | 'actorName'>): void {
  sql(
    db,
    `INSERT INTO workflow_events (document_id, actor_id, action, from_status, to_status, revision_id, note, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(e.documentId, e.actorId, e.action, e.fromStatus, e.toStatus, e.revisionId, e.note, e.createdAt);
}

export function listEvents(db: Db, documentId: string): WorkflowEvent[] {
  return sql(
    db,
    `SELECT e.id, e.document_id AS documentId, e.actor_id AS actorId, p.name AS actorName, e.action,
       e.from_status AS fromStatus, e.to_status AS toStatus, e.revision_id AS revisionId, e.note, e.created_at AS createdAt
     FROM workflow_events e JOIN people p ON p.id = e.actor_id WHERE e.document_id = ? ORDER BY e.id DESC`,
  ).all(documentId) as WorkflowEvent[];
}

export function setStatus(db: Db, id: string, status: Status, approvedRevisionId?: string | null): void {
  if (approvedRevisionId === undefined) sql(db, 'UPDATE documents SET status = ? WHERE id = ?').run(status, id);
  else sql(db, 'UPDATE documents SET status = ?, approved_revision_id = ? WHERE id = ?').run(status, approvedRevisionId, id);
}

export function approvedRevisionId(db: Db, id: string): string | null {
  const row = sql(db, 'SELECT approved_revision_id AS r FROM documents WHERE id = ?').get(id) as { r: string | null } | undefined;
  return row?.r ?? null;
}

export function documentStatus(db: Db, id: string): Status | undefined {
  return (sql(db, 'SELECT status FROM documents WHERE id = ?').get(id) as { status: Status } | undefined)?.status;
}

export type NotificationRow = {
  id: number;
  documentId: string;
  title: string;
  kind: string;
  action: string;
  actorName: string;
  note: string | null;
  createdAt: number;
};

/** Steps others took on this person's documents that they will want to know about. */
export function notificationsFor(db: Db, personId: string, limit = 30): NotificationRow[] {
  return sql(
    db,
    `SELECT e.id, e.document_id AS documentId, d.title, d.kind, e.action, p.name AS actorName, e.note, e.created_at AS createdAt
     FROM workflow_events e
     JOIN documents d ON d.id = e.document_id
     JOIN people p ON p.id = e.actor_id
     WHERE (d.owner_id = @person OR d.assignee_id = @person) AND e.actor_id <> @person AND e.action IN ('approve', 'requestChanges')
     ORDER BY e.id DESC LIMIT @limit`,
  ).all({ person: personId, limit }) as NotificationRow[];
}

/**
 * Records a workflow event from the newsroom desk once (by its desk id). A step taken
 * on this workstation and sent to the desk comes back in the change feed: it is
 * matched with the local record (same document, person and action, not matched yet)
 * instead of being listed twice. Returns whether anything was stored.
 */
export function recordDeskEvent(db: Db, e: Omit<WorkflowEvent, 'actorName'>): boolean {
  if (sql(db, 'SELECT 1 FROM workflow_events WHERE desk_id = ?').get(e.id)) return false;
  const local = sql(
    db,
    `SELECT id FROM workflow_events WHERE desk_id IS NULL AND document_id = ? AND actor_id = ? AND action = ? ORDER BY id LIMIT 1`,
  ).get(e.documentId, e.actorId, e.action) as { id: number } | undefined;
  if (local) {
    // The desk's record is the newsroom's: its statuses and revision stand.
    sql(db, 'UPDATE workflow_events SET desk_id = ?, from_status = ?, to_status = ?, revision_id = ? WHERE id = ?').run(
      e.id,
      e.fromStatus,
      e.toStatus,
      e.revisionId,
      local.id,
    );
    return true;
  }
  sql(
    db,
    `INSERT INTO workflow_events (document_id, actor_id, action, from_status, to_status, revision_id, note, created_at, desk_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(e.documentId, e.actorId, e.action, e.fromStatus, e.toStatus, e.revisionId, e.note, e.createdAt, e.id);
  return true;
}

export type QueueRow = {
  id: string;
  kind: string;
  title: string;
  status: string;
  wordCount: number;
  wordBudget: number | null;
  assigneeId: string | null;
  submittedByName: string | null;
  submittedAt: number | null;
  myAction: string | null;
  actedAt: number | null;
  openComments: number;
};

/**
 * An editor's review queue in one query: every submitted story (assigned to them first,
 * then oldest submission first), then the ones they approved or sent back since `since`
 * and that nobody has resubmitted since, newest action first. The submission is the
 * latest event that put the story in submitted (a submit, or an approval gone stale).
 */
export function reviewQueue(db: Db, personId: string, since: number): QueueRow[] {
  return sql(
    db,
    `WITH last_submit AS (
       SELECT document_id, MAX(id) AS eid FROM workflow_events WHERE to_status = 'submitted' GROUP BY document_id
     ), mine AS (
       SELECT document_id, MAX(id) AS eid FROM workflow_events
        WHERE actor_id = @person AND action IN ('approve', 'requestChanges') GROUP BY document_id
     )
     SELECT d.id, d.kind, d.title, d.status, d.word_count AS wordCount,
            json_extract(d.working, '$.fields.wordBudget') AS wordBudget, d.assignee_id AS assigneeId,
            sp.name AS submittedByName, s.created_at AS submittedAt,
            CASE WHEN d.status = 'submitted' THEN NULL ELSE m.action END AS myAction,
            CASE WHEN d.status = 'submitted' THEN NULL ELSE m.created_at END AS actedAt,
            (SELECT COUNT(*) FROM comments c WHERE c.document_id = d.id AND c.parent_id IS NULL AND c.resolved_at IS NULL) AS openComments
       FROM documents d
       LEFT JOIN last_submit ls ON ls.document_id = d.id
       LEFT JOIN workflow_events s ON s.id = ls.eid
       LEFT JOIN people sp ON sp.id = s.actor_id
       LEFT JOIN mine mi ON mi.document_id = d.id
       LEFT JOIN workflow_events m ON m.id = mi.eid
      WHERE d.trashed_at IS NULL
        AND (d.status = 'submitted' OR (m.id IS NOT NULL AND m.id > COALESCE(ls.eid, 0) AND m.created_at >= @since))
      ORDER BY d.status <> 'submitted', (d.status = 'submitted' AND d.assignee_id IS @person) DESC,
               CASE WHEN d.status = 'submitted' THEN s.created_at ELSE -m.created_at END, d.id`,
  ).all({ person: personId, since }) as QueueRow[];
}
