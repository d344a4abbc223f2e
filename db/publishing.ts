import type { JobAction, JobState } from '../shared/publishing.ts';
import { sql, type Db } from './connection.ts';

/** Publish targets, the outbox (publish_jobs) and what each target holds (remote_posts, remote_media). */

export type TargetRow = {
  id: string;
  name: string;
  type: string;
  config: string;
  secret: Buffer | null;
  /** Ghost only: the sealed Staff access token (for bios). */
  staffSecret: Buffer | null;
  pausedReason: string | null;
  createdAt: number;
  updatedAt: number;
};

const TARGET_COLUMNS = `id, name, type, config, secret, staff_secret AS staffSecret, paused_reason AS pausedReason, created_at AS createdAt, updated_at AS updatedAt`;

export function listTargets(db: Db): TargetRow[] {
  return sql(db, `SELECT ${TARGET_COLUMNS} FROM publish_targets WHERE removed_at IS NULL ORDER BY created_at, id`).all() as TargetRow[];
}

export function getTarget(db: Db, id: string): TargetRow | undefined {
  return sql(db, `SELECT ${TARGET_COLUMNS} FROM publish_targets WHERE id = ? AND removed_at IS NULL`).get(id) as TargetRow | undefined;
}

export function insertTarget(db: Db, t: Omit<TargetRow, 'pausedReason'>): void {
  sql(db, 'INSERT INTO publish_targets (id, name, type, config, secret, staff_secret, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
    t.id,
    t.name,
    t.type,
    t.config,
    t.secret,
    t.staffSecret,
    t.createdAt,
    t.updatedAt,
  );
}

export function updateTarget(
  db: Db,
  t: { id: string; name: string; type: string; config: string; secret: Buffer | null; staffSecret: Buffer | null; updatedAt: number },
): void {
  // Saving a target is how new credentials arrive, so it also lifts a pause.
  sql(db, 'UPDATE publish_targets SET name = ?, type = ?, config = ?, secret = ?, staff_secret = ?, paused_reason = NULL, updated_at = ? WHERE id = ?').run(
    t.name,
    t.type,
    t.config,
    t.secret,
    t.staffSecret,
    t.updatedAt,
    t.id,
  );
}

/** Removed targets keep their row (jobs and remote posts still name them); their waiting jobs are cancelled. */
export function removeTarget(db: Db, id: string, at: number): void {
  sql(db, 'UPDATE publish_targets SET removed_at = ? WHERE id = ?').run(at, id);
  sql(
    db,
    `UPDATE publish_jobs SET state = 'cancelled', last_error = 'The publish target was removed', updated_at = ?
     WHERE target_id = ? AND state IN ('queued', 'scheduled', 'retrying', 'failed', 'conflict', 'missing', 'paused')`,
  ).run(at, id);
}

export function setStaffSecret(db: Db, id: string, staffSecret: Buffer, at: number): void {
  sql(db, 'UPDATE publish_targets SET staff_secret = ?, updated_at = ? WHERE id = ?').run(staffSecret, at, id);
}

/** A new Staff access token: the target's bios that failed are worth sending again. */
export function retryFailedBios(db: Db, targetId: string, now: number): number {
  return sql(
    db,
    `UPDATE publish_jobs SET state = 'retrying', attempts = 0, next_attempt_at = ?, updated_at = ? WHERE target_id = ? AND action = 'bio' AND state = 'failed'`,
  ).run(now, now, targetId).changes;
}

export function pauseTarget(db: Db, id: string, reason: string | null): void {
  sql(db, 'UPDATE publish_targets SET paused_reason = ? WHERE id = ?').run(reason, id);
}

export type JobRow = {
  id: number;
  documentId: string;
  targetId: string;
  targetName: string;
  action: JobAction;
  revisionId: string | null;
  publishAt: number | null;
  state: JobState;
  attempts: number;
  nextAttemptAt: number | null;
  lastError: string | null;
  createIntentAt: number | null;
  force: number;
  conflict: string | null;
  createdAt: number;
  updatedAt: number;
};

const JOB_COLUMNS = `j.id, j.document_id AS documentId, j.target_id AS targetId, t.name AS targetName, j.action, j.revision_id AS revisionId,
  j.publish_at AS publishAt, j.state, j.attempts, j.next_attempt_at AS nextAttemptAt, j.last_error AS lastError,
  j.create_intent_at AS createIntentAt, j.force, j.conflict, j.created_at AS createdAt, j.updated_at AS updatedAt`;

export function insertJob(
  db: Db,
  j: {
    documentId: string;
    targetId: string;
    action: JobAction;
    revisionId: string | null;
    publishAt: number | null;
    createdBy: string | null;
    now: number;
    /** Held until publishAt (targets that cannot schedule on their side). */
    hold?: boolean;
  },
): number {
  const state: JobState = j.hold ? 'scheduled' : 'queued';
  const result = sql(
    db,
    `INSERT INTO publish_jobs (document_id, target_id, action, revision_id, publish_at, state, next_attempt_at, created_by, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(j.documentId, j.targetId, j.action, j.revisionId, j.publishAt, state, j.hold && j.publishAt ? j.publishAt : j.now, j.createdBy, j.now, j.now);
  return Number(result.lastInsertRowid);
}

export function getJob(db: Db, id: number): JobRow | undefined {
  return sql(db, `SELECT ${JOB_COLUMNS} FROM publish_jobs j JOIN publish_targets t ON t.id = j.target_id WHERE j.id = ?`).get(id) as JobRow | undefined;
}

/** The newest job per target for one document (what the Publishing region shows). */
export function latestJobs(db: Db, documentId: string): JobRow[] {
  return sql(
    db,
    `SELECT ${JOB_COLUMNS} FROM publish_jobs j JOIN publish_targets t ON t.id = j.target_id
     WHERE j.id IN (SELECT MAX(id) FROM publish_jobs WHERE document_id = ? GROUP BY target_id)`,
  ).all(documentId) as JobRow[];
}

/** Jobs still to finish (anything not done or cancelled). */
const OPEN = `('queued', 'scheduled', 'sending', 'retrying', 'failed', 'conflict', 'missing', 'paused')`;

/**
 * Jobs the worker may start now: due, on a target that is not paused, and the oldest
 * open job of their document and target (a later job waits for an earlier one, so
 * an update never overtakes the create it depends on).
 */
export function dueJobs(db: Db, now: number, limit: number): JobRow[] {
  return sql(
    db,
    `SELECT ${JOB_COLUMNS} FROM publish_jobs j JOIN publish_targets t ON t.id = j.target_id
     WHERE j.state IN ('queued', 'scheduled', 'retrying') AND j.next_attempt_at <= ? AND t.paused_reason IS NULL AND t.removed_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM publish_jobs e WHERE e.document_id = j.document_id AND e.target_id = j.target_id
                       AND e.id < j.id AND e.state IN ${OPEN})
     ORDER BY j.next_attempt_at, j.id LIMIT ?`,
  ).all(now, limit) as JobRow[];
}

/** When the next waiting job falls due, so the worker can sleep until then. */
export function nextDueAt(db: Db): number | null {
  const row = sql(
    db,
    `SELECT MIN(j.next_attempt_at) AS at FROM publish_jobs j JOIN publish_targets t ON t.id = j.target_id
     WHERE j.state IN ('queued', 'scheduled', 'retrying') AND t.paused_reason IS NULL AND t.removed_at IS NULL`,
  ).get() as { at: number | null };
  return row.at;
}

export function setJobState(
  db: Db,
  id: number,
  change: { state: JobState; now: number; lastError?: string | null; nextAttemptAt?: number | null; attempts?: number; conflict?: string | null },
): void {
  sql(
    db,
    `UPDATE publish_jobs SET state = @state, updated_at = @now,
       last_error = CASE WHEN @setError THEN @lastError ELSE last_error END,
       next_attempt_at = CASE WHEN @setNext THEN @nextAttemptAt ELSE next_attempt_at END,
       attempts = COALESCE(@attempts, attempts),
       conflict = CASE WHEN @setConflict THEN @conflict ELSE conflict END
     WHERE id = @id`,
  ).run({
    id,
    state: change.state,
    now: change.now,
    setError: change.lastError !== undefined ? 1 : 0,
    lastError: change.lastError ?? null,
    setNext: change.nextAttemptAt !== undefined ? 1 : 0,
    nextAttemptAt: change.nextAttemptAt ?? null,
    attempts: change.attempts ?? null,
    setConflict: change.conflict !== undefined ? 1 : 0,
    conflict: change.conflict ?? null,
  });
}

export function markCreateIntent(db: Db, id: number, at: number): void {
  sql(db, 'UPDATE publish_jobs SET create_intent_at = ? WHERE id = ?').run(at, id);
}

export function setForce(db: Db, id: number, force: boolean): void {
  sql(db, 'UPDATE publish_jobs SET force = ? WHERE id = ?').run(force ? 1 : 0, id);
}

/**
 * A held job (a folder's scheduled story, never sent yet) is replaced by any later
 * Publish, Schedule or Unpublish of its document. Left in place it would block the
 * newer job behind it until its time (jobs of one document and target go in order),
 * then publish what the editor had replaced or withdrawn.
 */
export function cancelHeldJobs(db: Db, documentId: string, now: number): number {
  return sql(
    db,
    `UPDATE publish_jobs SET state = 'cancelled', last_error = 'Replaced by a later Publish, Schedule or Unpublish', updated_at = ?
     WHERE document_id = ? AND state = 'scheduled'`,
  ).run(now, documentId).changes;
}

/** After a crash, a job left "sending" has an unknown outcome: send it again (safely). */
export function requeueInterrupted(db: Db, now: number): number {
  return sql(db, `UPDATE publish_jobs SET state = 'retrying', next_attempt_at = ?, updated_at = ? WHERE state = 'sending'`).run(now, now).changes;
}

/** Paused jobs resume when their target gets new credentials. */
export function resumeTargetJobs(db: Db, targetId: string, now: number): void {
  sql(db, `UPDATE publish_jobs SET state = 'retrying', next_attempt_at = ?, updated_at = ? WHERE target_id = ? AND state = 'paused'`).run(now, now, targetId);
}

export function pauseTargetJobs(db: Db, targetId: string, reason: string, now: number): void {
  sql(db, `UPDATE publish_jobs SET state = 'paused', last_error = ?, updated_at = ? WHERE target_id = ? AND state IN ('queued', 'retrying')`).run(
    reason,
    now,
    targetId,
  );
}

export function countOpenJobs(db: Db): number {
  return (sql(db, `SELECT COUNT(*) AS n FROM publish_jobs WHERE state IN ('queued', 'scheduled', 'sending', 'retrying')`).get() as { n: number }).n;
}

export type RemotePostRow = {
  documentId: string;
  targetId: string;
  remoteId: string;
  url: string;
  remoteModified: string;
  revisionId: string | null;
  status: 'published' | 'scheduled' | 'withdrawn';
  firstPublishedAt: number | null;
  updatedAt: number;
};

const REMOTE_COLUMNS = `document_id AS documentId, target_id AS targetId, remote_id AS remoteId, url, remote_modified AS remoteModified,
  revision_id AS revisionId, status, first_published_at AS firstPublishedAt, updated_at AS updatedAt`;

export function getRemotePost(db: Db, documentId: string, targetId: string): RemotePostRow | undefined {
  return sql(db, `SELECT ${REMOTE_COLUMNS} FROM remote_posts WHERE document_id = ? AND target_id = ?`).get(documentId, targetId) as RemotePostRow | undefined;
}

export function remotePostsFor(db: Db, documentId: string): RemotePostRow[] {
  return sql(db, `SELECT ${REMOTE_COLUMNS} FROM remote_posts WHERE document_id = ?`).all(documentId) as RemotePostRow[];
}

export function saveRemotePost(db: Db, r: RemotePostRow): void {
  sql(
    db,
    `INSERT INTO remote_posts (document_id, target_id, remote_id, url, remote_modified, revision_id, status, first_published_at, updated_at)
     VALUES (@documentId, @targetId, @remoteId, @url, @remoteModified, @revisionId, @status, @firstPublishedAt, @updatedAt)
     ON CONFLICT (document_id, target_id) DO UPDATE SET remote_id = excluded.remote_id, url = excluded.url,
       remote_modified = excluded.remote_modified, revision_id = excluded.revision_id, status = excluded.status,
       first_published_at = COALESCE(remote_posts.first_published_at, excluded.first_published_at), updated_at = excluded.updated_at`,
  ).run(r);
}

export function deleteRemotePost(db: Db, documentId: string, targetId: string): void {
  sql(db, 'DELETE FROM remote_posts WHERE document_id = ? AND target_id = ?').run(documentId, targetId);
}

export type RemoteMediaRow = { targetId: string; sha256: string; captionDocumentId: string | null; remoteId: string; url: string; captionRevisionId: string | null };

export function getRemoteMedia(db: Db, targetId: string, sha256: string): RemoteMediaRow | undefined {
  return sql(
    db,
    `SELECT target_id AS targetId, sha256, caption_document_id AS captionDocumentId, remote_id AS remoteId, url, caption_revision_id AS captionRevisionId
     FROM remote_media WHERE target_id = ? AND sha256 = ?`,
  ).get(targetId, sha256) as RemoteMediaRow | undefined;
}

export function mediaForCaption(db: Db, captionDocumentId: string): RemoteMediaRow[] {
  return sql(
    db,
    `SELECT target_id AS targetId, sha256, caption_document_id AS captionDocumentId, remote_id AS remoteId, url, caption_revision_id AS captionRevisionId
     FROM remote_media WHERE caption_document_id = ?`,
  ).all(captionDocumentId) as RemoteMediaRow[];
}

export function saveRemoteMedia(db: Db, m: RemoteMediaRow & { createdAt: number }): void {
  sql(
    db,
    `INSERT INTO remote_media (target_id, sha256, caption_document_id, remote_id, url, caption_revision_id, created_at)
     VALUES (@targetId, @sha256, @captionDocumentId, @remoteId, @url, @captionRevisionId, @createdAt)
     ON CONFLICT (target_id, sha256) DO UPDATE SET caption_document_id = excluded.caption_document_id,
       remote_id = excluded.remote_id, url = excluded.url, caption_revision_id = excluded.caption_revision_id`,
  ).run(m);
}

/** Whether the document has a publish still to come (a schedule not yet reached, held here or by the CMS). */
export function publishesLater(db: Db, documentId: string, now: number): boolean {
  return sql(db, `SELECT 1 FROM publish_jobs WHERE document_id = ? AND action = 'publish' AND publish_at > ? AND state != 'cancelled' LIMIT 1`).get(documentId, now) !== undefined;
}
