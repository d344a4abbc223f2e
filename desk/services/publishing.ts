import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { CmsError } from '../../electron/cms/types.ts';
import { requireSecret, secretsFor, toJob } from '../../electron/services/publishRules.ts';
import type { DeskParsedInput } from '../../shared/desk.ts';
import { GalleyError } from '../../shared/errors.ts';
import { SECRET_LABELS, TargetConfig, type JobAction, type PublishJob, type PublishTarget, type TargetStatus } from '../../shared/publishing.ts';
import type { DeskContext, DeskHandlers } from '../context.ts';
import * as store from '../db/publishing.ts';
import { recordChange, tx } from '../db/pool.ts';

/**
 * Publishing on the desk (issue #17, item 4): the desk's publish targets, with their
 * secrets sealed on the desk, and its outbox, sent by desk/publisher.ts. The rules are
 * the workstation's (electron/services/publishing.ts; the shared parts are in
 * electron/services/publishRules.ts), with the same messages; what differs is that the
 * store is PostgreSQL, that every change to a job or remote post is written to the
 * change feed (so every workstation refreshes its Publishing region), and that access
 * is checked by the dispatcher (editors manage targets and jobs).
 */

type PublishingOps =
  | 'publishing.targets'
  | 'publishing.saveTarget'
  | 'publishing.removeTarget'
  | 'publishing.testTarget'
  | 'publishing.status'
  | 'publishing.retry'
  | 'publishing.cancel'
  | 'publishing.resolve';

// ——— Targets ———

function storedConfig(row: store.TargetRow): TargetConfig {
  return TargetConfig.parse(row.config);
}

export function toTarget(row: store.TargetRow): PublishTarget {
  return {
    id: row.id,
    name: row.name,
    config: storedConfig(row),
    hasSecret: row.secret !== null,
    hasStaffToken: row.staffSecret !== null,
    pausedReason: row.pausedReason,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

async function targetRow(q: store.Q, id: string): Promise<store.TargetRow> {
  const row = await store.getTarget(q, id);
  if (!row) throw new GalleyError('not_found', 'That publish target does not exist (it may have been removed).');
  return row;
}

export function secretFor(ctx: DeskContext, row: store.TargetRow): string {
  return row.secret ? ctx.secrets.open(row.secret) : '';
}

/** A saved target as publishRules.secretsFor weighs it. */
function storedTarget(ctx: DeskContext, row: store.TargetRow) {
  return { config: storedConfig(row), hasSecret: Boolean(row.secret), secret: () => secretFor(ctx, row), staffToken: () => staffTokenFor(ctx, row) };
}

export function staffTokenFor(ctx: DeskContext, row: store.TargetRow): string {
  return row.staffSecret ? ctx.secrets.open(row.staffSecret) : '';
}


async function changedAll(client: pg.PoolClient, documentIds: Iterable<string>, now: number): Promise<void> {
  for (const id of new Set(documentIds)) await recordChange(client, 'publishing', id, now);
}

async function saveTarget(ctx: DeskContext, input: DeskParsedInput<'publishing.saveTarget'>): Promise<PublishTarget> {
  const now = ctx.now();
  const existing = input.id ? await targetRow(ctx.pool, input.id) : undefined;
  const { secret, staffToken } = secretsFor(existing && storedTarget(ctx, existing), input);
  requireSecret(input.config, secret);
  const sealed = SECRET_LABELS[input.config.type] && secret ? ctx.secrets.seal(secret) : null;
  const staffSecret = staffToken ? ctx.secrets.seal(staffToken) : null;
  const id = existing?.id ?? randomUUID();
  const row = { id, name: input.name, type: input.config.type, config: input.config, secret: sealed, staffSecret };
  const saved = await tx(ctx.pool, async (client) => {
    if (existing) {
      await store.updateTarget(client, { ...row, updatedAt: now });
      const touched = await store.resumeTargetJobs(client, id, now);
      // A Ghost target that got a Staff access token: its failed bios are worth sending again.
      if (staffSecret && !existing.staffSecret) touched.push(...(await store.retryFailedBios(client, id, now)));
      await changedAll(client, touched, now);
    } else {
      await store.insertTarget(client, { ...row, createdAt: now, updatedAt: now });
    }
    return targetRow(client, id);
  });
  ctx.kickPublishing();
  return toTarget(saved);
}

async function removeTarget(ctx: DeskContext, input: DeskParsedInput<'publishing.removeTarget'>): Promise<{ ok: true }> {
  await tx(ctx.pool, async (client) => {
    await targetRow(client, input.id);
    const now = ctx.now();
    await changedAll(client, await store.removeTarget(client, input.id, now), now);
  });
  return { ok: true };
}

/**
 * Test connection: with the form's values (not yet saved), or a saved target's. A test
 * by id without a new secret uses only the stored configuration (and refuses a changed
 * site, which would need the secret again).
 */
async function testTarget(ctx: DeskContext, input: DeskParsedInput<'publishing.testTarget'>) {
  const existing = input.id ? await targetRow(ctx.pool, input.id) : undefined;
  const { secret, staffToken } = secretsFor(existing && storedTarget(ctx, existing), input);
  const config = existing?.secret && input.secret === undefined ? storedConfig(existing) : input.config;
  requireSecret(config, secret);
  try {
    const result = await ctx.adapterFactory(config, secret, { staffToken }).verify();
    return { ok: true, message: `Connected: ${result.account}.`, warnings: result.warnings };
  } catch (error) {
    if (error instanceof CmsError) return { ok: false, message: error.message, warnings: [] };
    throw error;
  }
}

// ——— Jobs: adding them, and what a person can do about them ———

/** Whether the desk has anywhere to publish (workflow.act refuses Publish without one, as the workstation does). */
export async function hasPublishTargets(q: store.Q): Promise<boolean> {
  return store.hasTargets(q);
}

const JOB_FOR_KIND = { article: 'publish', caption: 'caption', bio: 'bio' } as const;

/**
 * Called by workflow.act (desk/services/sync.ts) inside its transaction, so the jobs
 * exist exactly when the status change does: the outbox jobs for a publish, schedule or
 * unpublish of `documentId` on every target, as the workstation's workflow makes them:
 * an article's Publish/Schedule is a 'publish' job per target, a caption's a 'caption'
 * job (its media items on the targets that already hold its photo), a bio's a 'bio' job;
 * Unpublish is for articles, only where they were published. `approve` of a caption
 * also sends its new words to the media items already on the CMS (the workstation does
 * this on approval). A later Publish or Unpublish cancels held jobs (issue #16, item
 * 12). Returns how many jobs were added. The caller wakes the worker after commit.
 */
export async function enqueuePublishing(
  client: pg.PoolClient,
  ctx: DeskContext,
  input: { documentId: string; action: 'publish' | 'schedule' | 'unpublish' | 'approve'; revisionId: string | null; publishAt: number | null; personId: string },
): Promise<number> {
  const doc = await store.getDocument(client, input.documentId);
  if (!doc) throw new GalleyError('not_found', 'That document does not exist (it may have been removed).');
  let action: JobAction;
  if (input.action === 'publish' || input.action === 'schedule') action = JOB_FOR_KIND[doc.kind];
  else if (input.action === 'unpublish' && doc.kind === 'article') action = 'unpublish';
  else if (input.action === 'approve' && doc.kind === 'caption') action = 'caption';
  else return 0;
  const publishAt = input.action === 'schedule' ? input.publishAt : null;
  const now = ctx.now();
  let targets = await store.listTargets(client);
  if (action === 'unpublish') {
    const posted = new Set((await store.remotePostsFor(client, doc.id)).map((r) => r.targetId));
    targets = targets.filter((t) => posted.has(t.id));
  } else if (action === 'caption') {
    const holding = new Set((await store.mediaForCaption(client, doc.id)).map((m) => m.targetId));
    targets = targets.filter((t) => holding.has(t.id));
  }
  const cancelled = input.action === 'publish' || input.action === 'schedule' || input.action === 'unpublish' ? await store.cancelHeldJobs(client, doc.id, now) : 0;
  for (const t of targets) {
    await store.insertJob(client, {
      documentId: doc.id,
      targetId: t.id,
      action,
      revisionId: input.revisionId,
      publishAt,
      createdBy: input.personId,
      now,
      // WordPress, Ghost and ninjs receivers hold a scheduled story themselves (future
      // status, embargo); a folder cannot, so its page is not written before the time.
      hold: publishAt !== null && publishAt > now && t.type === 'folder',
    });
  }
  if (targets.length || cancelled) await recordChange(client, 'publishing', doc.id, now);
  return targets.length;
}


function conflictView(value: unknown): TargetStatus['conflict'] {
  if (!value || typeof value !== 'object') return null;
  const c = value as Record<string, unknown>;
  const text = (k: string) => (typeof c[k] === 'string' ? (c[k] as string) : '');
  return { remoteTitle: text('remoteTitle'), remoteText: text('remoteText'), localTitle: text('localTitle'), localText: text('localText') };
}

async function status(ctx: DeskContext, input: DeskParsedInput<'publishing.status'>): Promise<TargetStatus[]> {
  if (!(await store.getDocument(ctx.pool, input.documentId))) throw new GalleyError('not_found', 'That document does not exist (it may have been removed).');
  const jobs = new Map((await store.latestJobs(ctx.pool, input.documentId)).map((j) => [j.targetId, j]));
  const remotes = new Map((await store.remotePostsFor(ctx.pool, input.documentId)).map((r) => [r.targetId, r]));
  const targets = await store.listTargets(ctx.pool);
  return targets
    .filter((t) => jobs.has(t.id) || remotes.has(t.id))
    .map((t) => {
      const job = jobs.get(t.id);
      const remote = remotes.get(t.id);
      return {
        targetId: t.id,
        targetName: t.name,
        job: job ? toJob(job) : null,
        remoteUrl: remote?.url || null,
        remoteStatus: remote?.status ?? null,
        publishedRevisionId: remote?.revisionId ?? null,
        conflict: job?.state === 'conflict' && job.conflict ? conflictView(job.conflict) : null,
      };
    });
}

/** Changes one job under its row lock, records the change and wakes the worker. */
async function withJob(ctx: DeskContext, jobId: number, fn: (client: pg.PoolClient, job: store.JobRow, now: number) => Promise<void>): Promise<PublishJob> {
  const row = await tx(ctx.pool, async (client) => {
    // FOR UPDATE: a worker claiming or recording this job at the same moment goes first or waits.
    const job = await store.getJob(client, jobId, true);
    if (!job) throw new GalleyError('not_found', 'That publishing job does not exist.');
    const now = ctx.now();
    await fn(client, job, now);
    await recordChange(client, 'publishing', job.documentId, now);
    return (await store.getJob(client, jobId))!;
  });
  ctx.kickPublishing();
  return toJob(row);
}

async function retry(ctx: DeskContext, input: DeskParsedInput<'publishing.retry'>): Promise<PublishJob> {
  return withJob(ctx, input.jobId, async (client, job, now) => {
    if (!['failed', 'missing', 'paused', 'retrying', 'cancelled'].includes(job.state)) {
      throw new GalleyError('conflict', `This job is ${job.state}; only a failed, waiting or cancelled job can be retried.`);
    }
    await store.setJobState(client, job.id, { state: 'retrying', now, nextAttemptAt: now, attempts: 0 });
  });
}

async function cancel(ctx: DeskContext, input: DeskParsedInput<'publishing.cancel'>): Promise<PublishJob> {
  return withJob(ctx, input.jobId, async (client, job, now) => {
    if (job.state === 'done' || job.state === 'cancelled') throw new GalleyError('conflict', `This job is already ${job.state === 'done' ? 'finished' : 'cancelled'}.`);
    if (job.state === 'sending') throw new GalleyError('conflict', 'This job is being sent right now; wait for the answer, then cancel.');
    await store.setJobState(client, job.id, { state: 'cancelled', now });
    // A cancelled schedule changes the document's publishAt (DeskDocument), which workstations mirror.
    await recordChange(client, 'document', job.documentId, now);
  });
}

/**
 * A person's decision on a job waiting for one:
 *  - overwrite: the CMS's copy changed; send Galley's approved version anyway.
 *  - keepRemote: keep what the CMS has; Galley records it as seen and stops.
 *  - recreate: the post is gone from the CMS; create a new one.
 *  - unlink: forget the remote post; nothing is sent.
 */
async function resolve(ctx: DeskContext, input: DeskParsedInput<'publishing.resolve'>): Promise<PublishJob> {
  return withJob(ctx, input.jobId, async (client, job, now) => {
    const expected = input.choice === 'overwrite' || input.choice === 'keepRemote' ? 'conflict' : 'missing';
    if (job.state !== expected) throw new GalleyError('conflict', `This job is ${job.state}; that choice applies to a job in ${expected}.`);
    switch (input.choice) {
      case 'overwrite':
        await store.setJobState(client, job.id, { state: 'retrying', now, nextAttemptAt: now, attempts: 0, lastError: null, force: true });
        break;
      case 'keepRemote': {
        // The CMS's version is now the one Galley has seen: the next update compares against it.
        const seen = job.conflict && typeof job.conflict === 'object' ? (job.conflict as { remoteModified?: string }).remoteModified : undefined;
        const remote = await store.getRemotePost(client, job.documentId, job.targetId);
        if (remote && seen) await store.saveRemotePost(client, { ...remote, remoteModified: seen, updatedAt: now });
        await store.setJobState(client, job.id, { state: 'cancelled', now, lastError: 'Kept the version in the CMS' });
        break;
      }
      case 'recreate':
        await store.deleteRemotePost(client, job.documentId, job.targetId);
        await store.setJobState(client, job.id, { state: 'retrying', now, nextAttemptAt: now, attempts: 0, lastError: null });
        break;
      case 'unlink':
        await store.deleteRemotePost(client, job.documentId, job.targetId);
        await store.setJobState(client, job.id, { state: 'cancelled', now, lastError: 'Unlinked from the CMS post' });
        break;
    }
    if (input.choice !== 'overwrite') await recordChange(client, 'document', job.documentId, now);
  });
}

export const publishingHandlers: Pick<DeskHandlers, PublishingOps> = {
  'publishing.targets': async (ctx) => ({ targets: (await store.listTargets(ctx.pool)).map(toTarget), secretStorage: 'desk' as const }),
  'publishing.saveTarget': (ctx, input) => saveTarget(ctx, input),
  'publishing.removeTarget': (ctx, input) => removeTarget(ctx, input),
  'publishing.testTarget': (ctx, input) => testTarget(ctx, input),
  'publishing.status': (ctx, input) => status(ctx, input),
  'publishing.retry': (ctx, input) => retry(ctx, input),
  'publishing.cancel': (ctx, input) => cancel(ctx, input),
  'publishing.resolve': (ctx, input) => resolve(ctx, input),
};
