import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getAsset } from '../../db/assets.ts';
import { getDocumentRow } from '../../db/documents.ts';
import * as store from '../../db/publishing.ts';
import { getRevision } from '../../db/revisions.ts';
import { getSetting, setSetting } from '../../db/settings.ts';
import type { Output, ParsedInput } from '../../shared/contract.ts';
import type { DocumentContent } from '../../shared/documents.ts';
import { GalleyError } from '../../shared/errors.ts';
import {
  SECRET_LABELS,
  STAFF_TOKEN_LABEL,
  TargetConfig,
  type JobAction,
  type PublishJob,
  type PublishTarget,
  type TargetStatus,
} from '../../shared/publishing.ts';
import { CmsError, type CmsAdapter, type PublishArticle, type PublishBio, type PublishPhoto, type RemoteMedia, type RemoteRef } from '../cms/types.ts';
import { assetPath } from '../../db/assets.ts';
import type { ServiceContext, SignedIn } from './context.ts';
import { loadRow } from './documents.ts';
import * as rules from './publishRules.ts';
import { toJob } from './publishRules.ts';
import { loadRevisionContent } from './revisions.ts';

/**
 * Publishing (issue #6): publish targets, the outbox and its worker.
 *
 * A workflow step (Publish, Schedule, Unpublish, a caption's or bio's approval) adds
 * jobs in its own transaction (`enqueue`). The Outbox worker sends them: in order per
 * document and target, concurrently across documents, retrying what can be retried
 * (backoff with jitter, Retry-After honoured), pausing a target whose credentials
 * were refused, and stopping on conflicts and permanent failures for a person to
 * decide. It keeps going after a restart: a job left "sending" by a crash has an
 * unknown outcome, so it is sent again — and before any create the adapter looks for
 * the earlier post, so a document has exactly one remote post per target.
 */

// ——— Targets ———

function toTarget(row: store.TargetRow): PublishTarget {
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

/** A saved target as publishRules.secretsFor weighs it. */
function storedTarget(ctx: ServiceContext, row: store.TargetRow) {
  return { config: storedConfig(row), hasSecret: Boolean(row.secret), secret: () => secretFor(ctx, row), staffToken: () => staffTokenFor(ctx, row) };
}

function storedConfig(row: store.TargetRow): TargetConfig {
  return TargetConfig.parse(JSON.parse(row.config));
}

export function listTargets(ctx: ServiceContext): Output<'publishing.targets'> {
  return { targets: store.listTargets(ctx.db).map(toTarget), secretStorage: ctx.secrets.kind };
}

function targetRow(ctx: ServiceContext, id: string): store.TargetRow {
  const row = store.getTarget(ctx.db, id);
  if (!row) throw new GalleyError('not_found', 'That publish target does not exist (it may have been removed).');
  return row;
}

/** A fresh install publishes to a folder in the data folder, so the whole loop works with no CMS. */
export function ensureDefaultTarget(ctx: ServiceContext): void {
  if (getSetting(ctx.db, 'publishing.defaultTarget')) return;
  ctx.db.transaction(() => {
    if (store.listTargets(ctx.db).length === 0) {
      const now = ctx.now();
      store.insertTarget(ctx.db, {
        id: randomUUID(),
        name: 'Folder',
        type: 'folder',
        config: JSON.stringify({ type: 'folder', folder: join(ctx.dataDir, 'published') }),
        secret: null,
        staffSecret: null,
        createdAt: now,
        updatedAt: now,
      });
    }
    // Once only: an editor who removes it does not get it back.
    setSetting(ctx.db, 'publishing.defaultTarget', 'created');
  })();
}

function secretFor(ctx: ServiceContext, row: store.TargetRow): string {
  return row.secret ? ctx.secrets.open(row.secret) : '';
}

function staffTokenFor(ctx: ServiceContext, row: store.TargetRow): string {
  return row.staffSecret ? ctx.secrets.open(row.staffSecret) : '';
}


export function saveTarget(ctx: ServiceContext, input: ParsedInput<'publishing.saveTarget'>): PublishTarget {
  const now = ctx.now();
  const existing = input.id ? targetRow(ctx, input.id) : undefined;
  const { secret, staffToken } = rules.secretsFor(existing && storedTarget(ctx, existing), input);
  rules.requireSecret(input.config, secret);
  const sealed = SECRET_LABELS[input.config.type] && secret ? ctx.secrets.seal(secret) : null;
  const staffSecret = staffToken ? ctx.secrets.seal(staffToken) : null;
  const id = existing?.id ?? randomUUID();
  const row = { id, name: input.name, type: input.config.type, config: JSON.stringify(input.config), secret: sealed, staffSecret };
  ctx.db.transaction(() => {
    if (existing) {
      store.updateTarget(ctx.db, { ...row, updatedAt: now });
      store.resumeTargetJobs(ctx.db, id, now);
    } else {
      store.insertTarget(ctx.db, { ...row, createdAt: now, updatedAt: now });
    }
  })();
  ctx.emit('publishing.changed', { documentId: null });
  ctx.outbox.kick();
  return toTarget(targetRow(ctx, id));
}

/** A bio's Publishing region gives a Ghost target the token its bios need; its failed bios go out again. */
export function setStaffToken(ctx: ServiceContext, input: ParsedInput<'publishing.setStaffToken'>): PublishTarget {
  const row = targetRow(ctx, input.targetId);
  if (row.type !== 'ghost') throw new GalleyError('invalid_input', `Only a Ghost target takes a ${STAFF_TOKEN_LABEL}.`, [{ path: 'targetId', message: 'Not a Ghost target' }]);
  const now = ctx.now();
  ctx.db.transaction(() => {
    store.setStaffSecret(ctx.db, row.id, ctx.secrets.seal(input.staffToken), now);
    store.retryFailedBios(ctx.db, row.id, now);
  })();
  ctx.emit('publishing.changed', { documentId: null });
  ctx.outbox.kick();
  return toTarget(targetRow(ctx, row.id));
}

export function removeTarget(ctx: ServiceContext, input: ParsedInput<'publishing.removeTarget'>): Output<'publishing.removeTarget'> {
  targetRow(ctx, input.id);
  store.removeTarget(ctx.db, input.id, ctx.now());
  ctx.emit('publishing.changed', { documentId: null });
  return { ok: true };
}

/**
 * Test connection: with the form's values (not yet saved), or a saved target's. A test
 * by id without a new secret uses only the stored configuration (and refuses a changed
 * site, which would need the secret again).
 */
export async function testTarget(ctx: ServiceContext, input: ParsedInput<'publishing.testTarget'>): Promise<Output<'publishing.testTarget'>> {
  const existing = input.id ? targetRow(ctx, input.id) : undefined;
  const { secret, staffToken } = rules.secretsFor(existing && storedTarget(ctx, existing), input);
  const config = existing?.secret && input.secret === undefined ? storedConfig(existing) : input.config;
  rules.requireSecret(config, secret);
  try {
    const result = await ctx.adapterFactory(config, secret, { staffToken }).verify();
    return { ok: true, message: `Connected: ${result.account}.`, warnings: result.warnings };
  } catch (error) {
    if (error instanceof CmsError) return { ok: false, message: error.message, warnings: [] };
    throw error;
  }
}

// ——— Jobs: adding them, and what a person can do about them ———

/**
 * Called inside a workflow step's transaction: one job per target. Unpublish only
 * goes where the document was published.
 */
export function enqueue(
  ctx: ServiceContext,
  job: { documentId: string; action: JobAction; revisionId: string | null; publishAt: number | null; by: string },
): number[] {
  const targets = store.listTargets(ctx.db).filter((t) => {
    if (job.action === 'unpublish' || job.action === 'caption') {
      return job.action === 'unpublish'
        ? store.getRemotePost(ctx.db, job.documentId, t.id) !== undefined
        : store.mediaForCaption(ctx.db, job.documentId).some((m) => m.targetId === t.id);
    }
    return true;
  });
  const now = ctx.now();
  if (job.action === 'publish' || job.action === 'unpublish') store.cancelHeldJobs(ctx.db, job.documentId, now);
  const ids = targets.map((t) =>
    store.insertJob(ctx.db, {
      documentId: job.documentId,
      targetId: t.id,
      action: job.action,
      revisionId: job.revisionId,
      publishAt: job.publishAt,
      createdBy: job.by,
      now,
      // WordPress, Ghost and ninjs receivers hold a scheduled story themselves (future
      // status, embargo); a folder cannot, so its page is not written before the time.
      hold: job.publishAt !== null && job.publishAt > now && t.type === 'folder',
    }),
  );
  return ids;
}

export function hasTargets(ctx: ServiceContext): boolean {
  return store.listTargets(ctx.db).length > 0;
}


export function status(ctx: ServiceContext, input: ParsedInput<'publishing.status'>): TargetStatus[] {
  loadRow(ctx, input.documentId);
  const jobs = new Map(store.latestJobs(ctx.db, input.documentId).map((j) => [j.targetId, j]));
  const remotes = new Map(store.remotePostsFor(ctx.db, input.documentId).map((r) => [r.targetId, r]));
  const targets = store.listTargets(ctx.db);
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
        conflict: job?.state === 'conflict' && job.conflict ? (JSON.parse(job.conflict) as TargetStatus['conflict']) : null,
      };
    });
}

function jobRow(ctx: ServiceContext, id: number): store.JobRow {
  const row = store.getJob(ctx.db, id);
  if (!row) throw new GalleyError('not_found', 'That publishing job does not exist.');
  return row;
}

function changed(ctx: ServiceContext, documentId: string): void {
  ctx.emit('publishing.changed', { documentId });
}

export function retry(ctx: ServiceContext, input: ParsedInput<'publishing.retry'>): PublishJob {
  const job = jobRow(ctx, input.jobId);
  if (!['failed', 'missing', 'paused', 'retrying', 'cancelled'].includes(job.state)) {
    throw new GalleyError('conflict', `This job is ${job.state}; only a failed, waiting or cancelled job can be retried.`);
  }
  store.setJobState(ctx.db, job.id, { state: 'retrying', now: ctx.now(), nextAttemptAt: ctx.now(), attempts: 0 });
  changed(ctx, job.documentId);
  ctx.outbox.kick();
  return toJob(jobRow(ctx, job.id));
}

export function cancel(ctx: ServiceContext, input: ParsedInput<'publishing.cancel'>): PublishJob {
  const job = jobRow(ctx, input.jobId);
  if (job.state === 'done' || job.state === 'cancelled') throw new GalleyError('conflict', `This job is already ${job.state === 'done' ? 'finished' : 'cancelled'}.`);
  if (job.state === 'sending') throw new GalleyError('conflict', 'This job is being sent right now; wait for the answer, then cancel.');
  store.setJobState(ctx.db, job.id, { state: 'cancelled', now: ctx.now() });
  changed(ctx, job.documentId);
  ctx.outbox.kick();
  return toJob(jobRow(ctx, job.id));
}

/**
 * A person's decision on a job waiting for one:
 *  - overwrite: the CMS's copy changed; send Galley's approved version anyway.
 *  - keepRemote: keep what the CMS has; Galley records it as seen and stops.
 *  - recreate: the post is gone from the CMS; create a new one.
 *  - unlink: forget the remote post; nothing is sent.
 */
export function resolve(ctx: ServiceContext, input: ParsedInput<'publishing.resolve'>): PublishJob {
  const job = jobRow(ctx, input.jobId);
  const now = ctx.now();
  const expected = input.choice === 'overwrite' || input.choice === 'keepRemote' ? 'conflict' : 'missing';
  if (job.state !== expected) throw new GalleyError('conflict', `This job is ${job.state}; that choice applies to a job in ${expected}.`);
  ctx.db.transaction(() => {
    switch (input.choice) {
      case 'overwrite':
        store.setForce(ctx.db, job.id, true);
        store.setJobState(ctx.db, job.id, { state: 'retrying', now, nextAttemptAt: now, attempts: 0, lastError: null });
        break;
      case 'keepRemote': {
        // The CMS's version is now the one Galley has seen: the next update compares against it.
        const seen = job.conflict ? (JSON.parse(job.conflict) as { remoteModified?: string }).remoteModified : undefined;
        const remote = store.getRemotePost(ctx.db, job.documentId, job.targetId);
        if (remote && seen) store.saveRemotePost(ctx.db, { ...remote, remoteModified: seen, updatedAt: now });
        store.setJobState(ctx.db, job.id, { state: 'cancelled', now, lastError: 'Kept the version in the CMS' });
        break;
      }
      case 'recreate':
        store.deleteRemotePost(ctx.db, job.documentId, job.targetId);
        store.setJobState(ctx.db, job.id, { state: 'retrying', now, nextAttemptAt: now, attempts: 0, lastError: null });
        break;
      case 'unlink':
        store.deleteRemotePost(ctx.db, job.documentId, job.targetId);
        store.setJobState(ctx.db, job.id, { state: 'cancelled', now, lastError: 'Unlinked from the CMS post' });
        break;
    }
  })();
  changed(ctx, job.documentId);
  ctx.outbox.kick();
  return toJob(jobRow(ctx, job.id));
}

// ——— Building what is sent ———

function revisionContent(ctx: ServiceContext, revisionId: string): DocumentContent {
  const revision = getRevision(ctx.db, revisionId);
  if (!revision) throw new GalleyError('not_found', 'The approved revision is missing from the database.');
  return loadRevisionContent(ctx, revision);
}

/** A caption as published: its approved revision when it has one, else its working copy. */
function captionContent(ctx: ServiceContext, captionId: string): { content: DocumentContent & { kind: 'caption' }; revisionId: string | null } | null {
  const row = getDocumentRow(ctx.db, captionId);
  if (!row || row.trashedAt !== null || row.kind !== 'caption') return null;
  const revisionId = row.approvedRevisionId;
  const content = revisionId ? revisionContent(ctx, revisionId) : (JSON.parse(row.working) as DocumentContent);
  return content.kind === 'caption' ? { content, revisionId } : null;
}

/** The newsroom's credit format under a caption (shared with the desk: publishRules.ts). */
export const creditLine = rules.creditLine;

export function photoFor(ctx: ServiceContext, captionId: string): PublishPhoto | null {
  const caption = captionContent(ctx, captionId);
  if (!caption || !caption.content.fields.photo) return null;
  const asset = getAsset(ctx.db, caption.content.fields.photo);
  if (!asset) return null;
  return rules.photoFrom(captionId, caption.content, {
    sha256: asset.sha256,
    mime: asset.mime,
    originalName: asset.originalName,
    bytes: readFileSync(assetPath(ctx.dataDir, asset.sha256, asset.mime)),
    width: asset.width,
    height: asset.height,
  });
}

/** Uploads a photo once per target (remembered by sha256) and returns the CMS's reference. */
async function ensurePhoto(ctx: ServiceContext, adapter: CmsAdapter, targetId: string, photo: PublishPhoto): Promise<RemoteMedia> {
  const known = store.getRemoteMedia(ctx.db, targetId, photo.sha256);
  if (known) return { remoteId: known.remoteId, url: known.url };
  const media = await adapter.uploadPhoto(photo);
  store.saveRemoteMedia(ctx.db, {
    targetId,
    sha256: photo.sha256,
    captionDocumentId: photo.captionDocumentId,
    remoteId: media.remoteId,
    url: media.url,
    captionRevisionId: null,
    createdAt: ctx.now(),
  });
  return media;
}

export async function buildArticle(
  ctx: ServiceContext,
  job: Pick<store.JobRow, 'documentId' | 'revisionId' | 'publishAt' | 'targetId'>,
  upload: (photo: PublishPhoto) => Promise<RemoteMedia | null>,
  firstPublishedAt: number | null,
): Promise<PublishArticle> {
  if (!job.revisionId) throw new GalleyError('invalid_input', 'A publish job must name the approved revision.');
  const content = revisionContent(ctx, job.revisionId);
  return rules.articleFrom(content, job, async (captionId) => photoFor(ctx, captionId), upload, firstPublishedAt);
}

function buildBio(ctx: ServiceContext, job: store.JobRow): PublishBio {
  return rules.bioFrom(revisionContent(ctx, job.revisionId ?? ''), job);
}

// ——— Sending one job ———

type Outcome = rules.Outcome;

function adapterForTarget(ctx: ServiceContext, targetId: string): CmsAdapter {
  const row = targetRow(ctx, targetId);
  return ctx.adapterFactory(storedConfig(row), secretFor(ctx, row), { staffToken: staffTokenFor(ctx, row) });
}

/** Records what the CMS now holds for this document (one row per document and target). */
function recordRemote(ctx: ServiceContext, job: store.JobRow, ref: RemoteRef, status: store.RemotePostRow['status'], firstPublishedAt: number | null): void {
  store.saveRemotePost(ctx.db, {
    documentId: job.documentId,
    targetId: job.targetId,
    remoteId: ref.remoteId,
    url: ref.url,
    remoteModified: ref.modified,
    revisionId: job.revisionId,
    status,
    firstPublishedAt,
    updatedAt: ctx.now(),
  });
}

async function sendPublish(ctx: ServiceContext, adapter: CmsAdapter, job: store.JobRow): Promise<Outcome> {
  const remote = store.getRemotePost(ctx.db, job.documentId, job.targetId);
  const article = await buildArticle(ctx, job, (photo) => ensurePhoto(ctx, adapter, job.targetId, photo), remote?.firstPublishedAt ?? null);
  const scheduled = job.publishAt !== null && job.publishAt > ctx.now();
  return rules.sendArticle(adapter, remote ? { remoteId: remote.remoteId, url: remote.url, modified: remote.remoteModified } : null, article, { force: Boolean(job.force) }, {
    beforeCreate: () => store.markCreateIntent(ctx.db, job.id, ctx.now()),
    record: (ref) => recordRemote(ctx, job, ref, scheduled ? 'scheduled' : 'published', scheduled ? job.publishAt : ctx.now()),
  });
}

async function sendUnpublish(ctx: ServiceContext, adapter: CmsAdapter, job: store.JobRow): Promise<Outcome> {
  const remote = store.getRemotePost(ctx.db, job.documentId, job.targetId);
  if (!remote) return { state: 'done' };
  const ref = await adapter.unpublish({ remoteId: remote.remoteId, url: remote.url, modified: remote.remoteModified });
  store.saveRemotePost(ctx.db, { ...remote, remoteModified: ref.modified, url: ref.url || remote.url, status: 'withdrawn', updatedAt: ctx.now() });
  return { state: 'done' };
}

/** Caption edits after publishing: the media item on the CMS gets the new caption, credit and alt text. */
async function sendCaption(ctx: ServiceContext, adapter: CmsAdapter, job: store.JobRow): Promise<Outcome> {
  const photo = photoFor(ctx, job.documentId);
  if (!photo) return { state: 'done' };
  const media = store.mediaForCaption(ctx.db, job.documentId).filter((m) => m.targetId === job.targetId);
  for (const m of media) {
    await adapter.updatePhoto({ remoteId: m.remoteId, url: m.url }, m.sha256 === photo.sha256 ? photo : { ...photo, sha256: m.sha256 });
    store.saveRemoteMedia(ctx.db, { ...m, captionRevisionId: job.revisionId, createdAt: ctx.now() });
  }
  return { state: 'done' };
}

async function sendBio(ctx: ServiceContext, adapter: CmsAdapter, job: store.JobRow): Promise<Outcome> {
  recordRemote(ctx, job, await adapter.updateBio(buildBio(ctx, job)), 'published', ctx.now());
  return { state: 'done' };
}

const SENDERS: Record<JobAction, typeof sendPublish> = { publish: sendPublish, unpublish: sendUnpublish, caption: sendCaption, bio: sendBio };

/** Sends one job and records the outcome; never throws. */
export async function runJob(ctx: ServiceContext, jobId: number): Promise<void> {
  const job = store.getJob(ctx.db, jobId);
  if (!job || (job.state !== 'queued' && job.state !== 'retrying' && job.state !== 'scheduled')) return;
  const attempts = job.attempts + 1;
  store.setJobState(ctx.db, job.id, { state: 'sending', now: ctx.now(), attempts });
  changed(ctx, job.documentId);
  try {
    const outcome = await SENDERS[job.action](ctx, adapterForTarget(ctx, job.targetId), job);
    const change = rules.outcomeChange(outcome);
    store.setJobState(ctx.db, job.id, { ...change, now: ctx.now() });
  } catch (error) {
    failJob(ctx, job, attempts, error);
  }
  changed(ctx, job.documentId);
}

function failJob(ctx: ServiceContext, job: store.JobRow, attempts: number, error: unknown): void {
  const now = ctx.now();
  const change = rules.failureChange(error, { action: job.action, attempts }, now);
  if (change.log) console.error(`[galley] publishing job ${job.id} failed:`, error);
  if (change.pauseTarget) {
    const reason = change.pauseTarget;
    ctx.db.transaction(() => {
      store.pauseTarget(ctx.db, job.targetId, reason);
      store.setJobState(ctx.db, job.id, { state: 'paused', now, lastError: reason });
      store.pauseTargetJobs(ctx.db, job.targetId, reason, now);
    })();
    ctx.emit('publishing.changed', { documentId: null });
    return;
  }
  store.setJobState(ctx.db, job.id, { state: change.state, now, lastError: change.lastError, ...(change.nextAttemptAt !== undefined ? { nextAttemptAt: change.nextAttemptAt } : {}) });
}

// ——— The worker ———

export type OutboxOptions = { concurrency: number };

/**
 * The outbox worker: a lifecycle (start, kick, stop), so a class. It wakes when a job
 * is added or falls due, and runs up to `concurrency` jobs at once — never two of one
 * document on one target (the query only offers the oldest open job of each).
 */
export class Outbox {
  private timer: NodeJS.Timeout | null = null;
  private running = new Map<number, Promise<void>>();
  private stopped = true;
  private pumping = false;
  private readonly ctx: ServiceContext;
  private readonly options: OutboxOptions;

  constructor(ctx: ServiceContext, options: OutboxOptions) {
    this.ctx = ctx;
    this.options = options;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const resumed = store.requeueInterrupted(this.ctx.db, this.ctx.now());
    if (resumed) this.ctx.emit('publishing.changed', { documentId: null });
    this.kick();
  }

  /** Look for work now (a job was added, retried, or a target got credentials). */
  kick(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.pump(), 0);
  }

  private pump(): void {
    this.timer = null;
    if (this.stopped || this.pumping || !this.ctx.db.open) return;
    this.pumping = true;
    try {
      const free = this.options.concurrency - this.running.size;
      if (free > 0) {
        const due = store.dueJobs(this.ctx.db, this.ctx.now(), free + this.running.size).filter((j) => !this.running.has(j.id));
        for (const job of due.slice(0, free)) {
          const run = runJob(this.ctx, job.id)
            // Only a closed database gets here (runJob records every other failure).
            .catch((error) => {
              if (this.ctx.db.open) console.error('[galley] outbox:', error);
            })
            .finally(() => {
              this.running.delete(job.id);
              this.kick();
            });
          this.running.set(job.id, run);
        }
      }
      if (this.running.size === 0) {
        const next = store.nextDueAt(this.ctx.db);
        // Sleep until the next job falls due (at most a minute, so a changed clock is noticed).
        if (next !== null) this.timer = setTimeout(() => this.pump(), Math.min(60_000, Math.max(10, next - this.ctx.now())));
      }
    } finally {
      this.pumping = false;
    }
  }

  /** Resolves when nothing is being sent (tests and benchmarks). */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running.values()]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.running.values()]);
  }
}
