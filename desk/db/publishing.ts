import type pg from 'pg';
import type { JobAction, JobState } from '../../shared/publishing.ts';

/**
 * The desk's publish targets, outbox (publish_jobs) and what each target holds
 * (remote_posts, remote_media), on PostgreSQL: the workstation's db/publishing.ts,
 * plus claims, so that several desk processes share one outbox and each job is sent
 * by one of them at a time.
 */
export type Q = pg.Pool | pg.PoolClient;

export type TargetRow = {
  id: string;
  name: string;
  type: string;
  config: unknown;
  secret: Buffer | null;
  staffSecret: Buffer | null;
  pausedReason: string | null;
  createdAt: number;
  updatedAt: number;
};

const TARGET_COLUMNS = `id, name, type, config, secret, staff_secret AS "staffSecret", paused_reason AS "pausedReason",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

export async function listTargets(q: Q): Promise<TargetRow[]> {
  return (await q.query<TargetRow>(`SELECT ${TARGET_COLUMNS} FROM publish_targets WHERE removed_at IS NULL ORDER BY created_at, id`)).rows;
}

export async function getTarget(q: Q, id: string): Promise<TargetRow | undefined> {
  return (await q.query<TargetRow>(`SELECT ${TARGET_COLUMNS} FROM publish_targets WHERE id = $1 AND removed_at IS NULL`, [id])).rows[0];
}

export async function hasTargets(q: Q): Promise<boolean> {
  return (await q.query('SELECT 1 FROM publish_targets WHERE removed_at IS NULL LIMIT 1')).rowCount! > 0;
}

export async function insertTarget(q: Q, t: Omit<TargetRow, 'pausedReason'>): Promise<void> {
  await q.query(
    `INSERT INTO publish_targets (id, name, type, config, secret, staff_secret, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [t.id, t.name, t.type, JSON.stringify(t.config), t.secret, t.staffSecret, t.createdAt, t.updatedAt],
  );
}

/** Saving a target is how new credentials arrive, so it also lifts a pause. */
export async function updateTarget(q: Q, t: Omit<TargetRow, 'pausedReason' | 'createdAt'>): Promise<void> {
  await q.query(
    `UPDATE publish_targets SET name = $2, type = $3, config = $4, secret = $5, staff_secret = $6, paused_reason = NULL, updated_at = $7 WHERE id = $1`,
    [t.id, t.name, t.type, JSON.stringify(t.config), t.secret, t.staffSecret, t.updatedAt],
  );
}

const WAITING = `('queued', 'scheduled', 'retrying', 'failed', 'conflict', 'missing', 'paused')`;

/** Removed targets keep their row (jobs and remote posts still name them); their waiting jobs are cancelled. Returns the documents touched. */
export async function removeTarget(q: Q, id: string, at: number): Promise<string[]> {
  await q.query('UPDATE publish_targets SET removed_at = $2 WHERE id = $1', [id, at]);
  const { rows } = await q.query<{ document_id: string }>(
    `UPDATE publish_jobs SET state = 'cancelled', last_error = 'The publish target was removed', updated_at = $2
     WHERE target_id = $1 AND state IN ${WAITING} RETURNING document_id`,
    [id, at],
  );
  return [...new Set(rows.map((r) => r.document_id))];
}

export async function pauseTarget(q: Q, id: string, reason: string | null): Promise<void> {
  await q.query('UPDATE publish_targets SET paused_reason = $2 WHERE id = $1', [id, reason]);
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
  force: boolean;
  conflict: unknown;
  claimedBy: string | null;
  claimedUntil: number | null;
  createdAt: number;
  updatedAt: number;
};

const JOB_COLUMNS = `j.id, j.document_id AS "documentId", j.target_id AS "targetId", t.name AS "targetName", j.action, j.revision_id AS "revisionId",
  j.publish_at AS "publishAt", j.state, j.attempts, j.next_attempt_at AS "nextAttemptAt", j.last_error AS "lastError",
  j.create_intent_at AS "createIntentAt", j.force, j.conflict, j.claimed_by AS "claimedBy", j.claimed_until AS "claimedUntil",
  j.created_at AS "createdAt", j.updated_at AS "updatedAt"`;

export async function insertJob(
  q: Q,
  j: { documentId: string; targetId: string; action: JobAction; revisionId: string | null; publishAt: number | null; createdBy: string | null; now: number; hold?: boolean },
): Promise<number> {
  const state: JobState = j.hold ? 'scheduled' : 'queued';
  const { rows } = await q.query<{ id: number }>(
    `INSERT INTO publish_jobs (document_id, target_id, action, revision_id, publish_at, state, next_attempt_at, created_by, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
    [j.documentId, j.targetId, j.action, j.revisionId, j.publishAt, state, j.hold && j.publishAt ? j.publishAt : j.now, j.createdBy, j.now],
  );
  return rows[0]!.id;
}

export async function getJob(q: Q, id: number, lock = false): Promise<JobRow | undefined> {
  const sql = `SELECT ${JOB_COLUMNS} FROM publish_jobs j JOIN publish_targets t ON t.id = j.target_id WHERE j.id = $1${lock ? ' FOR UPDATE OF j' : ''}`;
  return (await q.query<JobRow>(sql, [id])).rows[0];
}

/** The newest job per target for one document (what the Publishing region shows). */
export async function latestJobs(q: Q, documentId: string): Promise<JobRow[]> {
  return (
    await q.query<JobRow>(
      `SELECT ${JOB_COLUMNS} FROM publish_jobs j JOIN publish_targets t ON t.id = j.target_id
       WHERE j.id IN (SELECT MAX(id) FROM publish_jobs WHERE document_id = $1 GROUP BY target_id)`,
      [documentId],
    )
  ).rows;
}

/** Jobs still to finish (anything not done or cancelled). */
const OPEN = `('queued', 'scheduled', 'sending', 'retrying', 'failed', 'conflict', 'missing', 'paused')`;

/**
 * Claims up to `limit` jobs for this process, in a short transaction of its own: due,
 * on a target that is not paused, the oldest open job of their document and target (a
 * later job waits for an earlier one, so an update never overtakes the create it
 * depends on), and not claimed by a live process. A job left 'sending' by a process
 * whose claim lapsed (killed, or cut off from the database) is due again: its outcome
 * is unknown, so it is sent again, and the look-before-create makes that safe.
 * SKIP LOCKED lets several desk processes claim at once without waiting on each other
 * or taking the same job.
 */
export async function claimDueJobs(client: pg.PoolClient, p: { processId: string; now: number; leaseMs: number; limit: number }): Promise<JobRow[]> {
  const { rows } = await client.query<{ id: number }>(
    `SELECT j.id FROM publish_jobs j JOIN publish_targets t ON t.id = j.target_id
     WHERE (j.state IN ('queued', 'scheduled', 'retrying') OR (j.state = 'sending' AND j.claimed_until < $1))
       AND (j.next_attempt_at IS NULL OR j.next_attempt_at <= $1)
       AND (j.claimed_until IS NULL OR j.claimed_until < $1)
       AND t.paused_reason IS NULL AND t.removed_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM publish_jobs e WHERE e.document_id = j.document_id AND e.target_id = j.target_id
                       AND e.id < j.id AND e.state IN ${OPEN})
     ORDER BY j.id
     LIMIT $2
     FOR UPDATE OF j SKIP LOCKED`,
    [p.now, p.limit],
  );
  if (rows.length === 0) return [];
  await client.query(
    `UPDATE publish_jobs SET state = 'sending', attempts = attempts + 1, claimed_by = $2, claimed_until = $3, updated_at = $4 WHERE id = ANY($1::bigint[])`,
    [rows.map((r) => r.id), p.processId, p.now + p.leaseMs, p.now],
  );
  return (
    await client.query<JobRow>(`SELECT ${JOB_COLUMNS} FROM publish_jobs j JOIN publish_targets t ON t.id = j.target_id WHERE j.id = ANY($1::bigint[]) ORDER BY j.id`, [
      rows.map((r) => r.id),
    ])
  ).rows;
}

/** Keeps this process's claims alive while it sends. Returns the ids still ours. */
export async function renewClaims(q: Q, ids: number[], processId: string, until: number): Promise<number[]> {
  if (ids.length === 0) return [];
  const { rows } = await q.query<{ id: number }>(
    `UPDATE publish_jobs SET claimed_until = $3 WHERE id = ANY($1::bigint[]) AND claimed_by = $2 AND state = 'sending' RETURNING id`,
    [ids, processId, until],
  );
  return rows.map((r) => r.id);
}

/** When the next waiting job falls due (or a lapsed claim can be taken over), so the worker can sleep until then. */
export async function nextDueAt(q: Q): Promise<number | null> {
  const { rows } = await q.query<{ at: number | null }>(
    `SELECT MIN(CASE WHEN j.state = 'sending' THEN j.claimed_until ELSE j.next_attempt_at END) AS at
     FROM publish_jobs j JOIN publish_targets t ON t.id = j.target_id
     WHERE j.state IN ('queued', 'scheduled', 'retrying', 'sending') AND t.paused_reason IS NULL AND t.removed_at IS NULL`,
  );
  return rows[0]?.at ?? null;
}

export type JobChange = {
  state: JobState;
  now: number;
  lastError?: string | null;
  nextAttemptAt?: number | null;
  attempts?: number;
  conflict?: string | null;
  force?: boolean;
};

/**
 * Changes a job. `claimedBy`: only while that process still holds its claim (a worker
 * recording an outcome after its claim lapsed and another process took the job must
 * not overwrite what that one records). Leaving 'sending' always ends the claim.
 * Returns whether the job was changed.
 */
export async function setJobState(q: Q, id: number, change: JobChange, claimedBy?: string): Promise<boolean> {
  const result = await q.query(
    `UPDATE publish_jobs SET state = $2, updated_at = $3,
       last_error = CASE WHEN $4 THEN $5 ELSE last_error END,
       next_attempt_at = CASE WHEN $6 THEN $7::bigint ELSE next_attempt_at END,
       attempts = COALESCE($8::int, attempts),
       conflict = CASE WHEN $9 THEN $10::jsonb ELSE conflict END,
       force = COALESCE($11::boolean, force),
       claimed_by = CASE WHEN $2 = 'sending' THEN claimed_by ELSE NULL END,
       claimed_until = CASE WHEN $2 = 'sending' THEN claimed_until ELSE NULL END
     WHERE id = $1 AND ($12::text IS NULL OR (claimed_by = $12 AND state = 'sending'))`,
    [
      id,
      change.state,
      change.now,
      change.lastError !== undefined,
      change.lastError ?? null,
      change.nextAttemptAt !== undefined,
      change.nextAttemptAt ?? null,
      change.attempts ?? null,
      change.conflict !== undefined,
      change.conflict ?? null,
      change.force ?? null,
      claimedBy ?? null,
    ],
  );
  return result.rowCount! > 0;
}

export async function markCreateIntent(q: Q, id: number, at: number, claimedBy: string): Promise<void> {
  await q.query('UPDATE publish_jobs SET create_intent_at = $2 WHERE id = $1 AND claimed_by = $3', [id, at, claimedBy]);
}

/**
 * A held job (a folder's scheduled story, never sent yet) is replaced by any later
 * Publish, Schedule or Unpublish of its document (issue #16, item 12): left in place it
 * would block the newer job behind it until its time, then publish what the editor
 * had replaced or withdrawn.
 */
export async function cancelHeldJobs(q: Q, documentId: string, now: number): Promise<number> {
  const result = await q.query(
    `UPDATE publish_jobs SET state = 'cancelled', last_error = 'Replaced by a later Publish, Schedule or Unpublish', updated_at = $2
     WHERE document_id = $1 AND state = 'scheduled'`,
    [documentId, now],
  );
  return result.rowCount!;
}

/** Paused jobs resume when their target gets new credentials. Returns the documents touched. */
export async function resumeTargetJobs(q: Q, targetId: string, now: number): Promise<string[]> {
  const { rows } = await q.query<{ document_id: string }>(
    `UPDATE publish_jobs SET state = 'retrying', next_attempt_at = $2, updated_at = $2 WHERE target_id = $1 AND state = 'paused' RETURNING document_id`,
    [targetId, now],
  );
  return [...new Set(rows.map((r) => r.document_id))];
}

/** A new Staff access token: the target's bios that failed are worth sending again. */
export async function retryFailedBios(q: Q, targetId: string, now: number): Promise<string[]> {
  const { rows } = await q.query<{ document_id: string }>(
    `UPDATE publish_jobs SET state = 'retrying', attempts = 0, next_attempt_at = $2, updated_at = $2
     WHERE target_id = $1 AND action = 'bio' AND state = 'failed' RETURNING document_id`,
    [targetId, now],
  );
  return [...new Set(rows.map((r) => r.document_id))];
}

export async function pauseTargetJobs(q: Q, targetId: string, reason: string, now: number): Promise<string[]> {
  const { rows } = await q.query<{ document_id: string }>(
    `UPDATE publish_jobs SET state = 'paused', last_error = $2, updated_at = $3 WHERE target_id = $1 AND state IN ('queued', 'retrying') RETURNING document_id`,
    [targetId, reason, now],
  );
  return [...new Set(rows.map((r) => r.document_id))];
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

const REMOTE_COLUMNS = `document_id AS "documentId", target_id AS "targetId", remote_id AS "remoteId", url, remote_modified AS "remoteModified",
  revision_id AS "revisionId", status, first_published_at AS "firstPublishedAt", updated_at AS "updatedAt"`;

export async function getRemotePost(q: Q, documentId: string, targetId: string): Promise<RemotePostRow | undefined> {
  return (await q.query<RemotePostRow>(`SELECT ${REMOTE_COLUMNS} FROM remote_posts WHERE document_id = $1 AND target_id = $2`, [documentId, targetId])).rows[0];
}

export async function remotePostsFor(q: Q, documentId: string): Promise<RemotePostRow[]> {
  return (await q.query<RemotePostRow>(`SELECT ${REMOTE_COLUMNS} FROM remote_posts WHERE document_id = $1`, [documentId])).rows;
}

export async function saveRemotePost(q: Q, r: RemotePostRow): Promise<void> {
  await q.query(
    `INSERT INTO remote_posts (document_id, target_id, remote_id, url, remote_modified, revision_id, status, first_published_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (document_id, target_id) DO UPDATE SET remote_id = excluded.remote_id, url = excluded.url,
       remote_modified = excluded.remote_modified, revision_id = excluded.revision_id, status = excluded.status,
       first_published_at = COALESCE(remote_posts.first_published_at, excluded.first_published_at), updated_at = excluded.updated_at`,
    [r.documentId, r.targetId, r.remoteId, r.url, r.remoteModified, r.revisionId, r.status, r.firstPublishedAt, r.updatedAt],
  );
}

export async function deleteRemotePost(q: Q, documentId: string, targetId: string): Promise<void> {
  await q.query('DELETE FROM remote_posts WHERE document_id = $1 AND target_id = $2', [documentId, targetId]);
}

export type RemoteMediaRow = { targetId: string; sha256: string; captionDocumentId: string | null; remoteId: string; url: string; captionRevisionId: string | null };

const MEDIA_COLUMNS = `target_id AS "targetId", sha256, caption_document_id AS "captionDocumentId", remote_id AS "remoteId", url, caption_revision_id AS "captionRevisionId"`;

export async function getRemoteMedia(q: Q, targetId: string, sha256: string): Promise<RemoteMediaRow | undefined> {
  return (await q.query<RemoteMediaRow>(`SELECT ${MEDIA_COLUMNS} FROM remote_media WHERE target_id = $1 AND sha256 = $2`, [targetId, sha256])).rows[0];
}

export async function mediaForCaption(q: Q, captionDocumentId: string): Promise<RemoteMediaRow[]> {
  return (await q.query<RemoteMediaRow>(`SELECT ${MEDIA_COLUMNS} FROM remote_media WHERE caption_document_id = $1`, [captionDocumentId])).rows;
}

export async function saveRemoteMedia(q: Q, m: RemoteMediaRow & { createdAt: number }): Promise<void> {
  await q.query(
    `INSERT INTO remote_media (target_id, sha256, caption_document_id, remote_id, url, caption_revision_id, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (target_id, sha256) DO UPDATE SET caption_document_id = excluded.caption_document_id,
       remote_id = excluded.remote_id, url = excluded.url, caption_revision_id = excluded.caption_revision_id`,
    [m.targetId, m.sha256, m.captionDocumentId, m.remoteId, m.url, m.captionRevisionId, m.createdAt],
  );
}

/** A document's kind and state as publishing needs them. */
export type DocumentRow = { id: string; kind: 'article' | 'caption' | 'bio'; approvedRevisionId: string | null; headRevisionId: string | null; trashedAt: number | null };

export async function getDocument(q: Q, id: string): Promise<DocumentRow | undefined> {
  return (
    await q.query<DocumentRow>(
      `SELECT id, kind, approved_revision_id AS "approvedRevisionId", head_revision_id AS "headRevisionId", trashed_at AS "trashedAt" FROM documents WHERE id = $1`,
      [id],
    )
  ).rows[0];
}

/** A revision's ordered block hashes (the fields block first). */
export async function revisionBlocks(q: Q, revisionId: string): Promise<{ documentId: string; blocks: string[] } | undefined> {
  return (await q.query<{ documentId: string; blocks: string[] }>(`SELECT document_id AS "documentId", blocks FROM revisions WHERE id = $1`, [revisionId])).rows[0];
}

export async function readBlocks(q: Q, hashes: string[]): Promise<Map<string, Buffer>> {
  const { rows } = await q.query<{ hash: string; data: Buffer }>('SELECT hash, data FROM blocks WHERE hash = ANY($1::text[])', [hashes]);
  return new Map(rows.map((r) => [r.hash, r.data]));
}

export async function getAsset(q: Q, sha256: string): Promise<{ sha256: string; fileName: string; mime: string; data: Buffer } | undefined> {
  return (await q.query<{ sha256: string; fileName: string; mime: string; data: Buffer }>('SELECT sha256, file_name AS "fileName", mime, data FROM assets WHERE sha256 = $1', [sha256]))
    .rows[0];
}
