import { brotliDecompressSync } from 'node:zlib';
import type pg from 'pg';
import sharp from 'sharp';
import { hashText } from '../db/blocks.ts';
import type { CmsAdapter, PublishPhoto, RemoteMedia, RemoteRef } from '../electron/cms/types.ts';
import * as rules from '../electron/services/publishRules.ts';
import type { DocumentContent, DocumentKind } from '../shared/documents.ts';
import { GalleyError } from '../shared/errors.ts';
import { TargetConfig, type JobAction } from '../shared/publishing.ts';
import type { DeskContext } from './context.ts';
import { recordChange, tx } from './db/pool.ts';
import * as store from './db/publishing.ts';
import { secretFor, staffTokenFor } from './services/publishing.ts';

/**
 * The desk's publishing worker (issue #17, item 4). Every desk process runs one; they
 * share the outbox in PostgreSQL. A pass claims due jobs in a short transaction
 * (SELECT … FOR UPDATE SKIP LOCKED, desk/db/publishing.ts claimDueJobs), so two
 * processes never take the same job; the CMS is then asked outside any transaction
 * (a slow CMS holds no locks), and the outcome is recorded in another transaction,
 * only while the claim is still this process's. A claim is a lease, renewed while the
 * send is in flight: a killed process's claim lapses and another process sends the job
 * again; before any create the adapter looks for the earlier post
 * (publishRules.sendArticle), so a kill mid-publish never makes a second post.
 *
 * What is sent is built from the desk's own store: the approved revision's
 * content-addressed blocks (brotli, each checked against its hash), photos from the
 * desk's assets with their caption documents' approved words, and the same HTML the
 * workstation sends (electron/services/publishHtml.ts).
 */

export type PublishingWorkerOptions = {
  /** Jobs this process sends at once (never two of one document on one target). */
  concurrency?: number;
  /** How long a claim lasts without renewal; renewed every third of it while sending. */
  leaseMs?: number;
  /** How often to look for due jobs without a kick (retries falling due, other processes' lapsed claims). */
  pollMs?: number;
};

export type PublishingWorker = { kick(): void; stop(): Promise<void>; idle(): Promise<void> };

// ——— Reading what is sent from the desk's store ———

async function revisionContent(q: store.Q, revisionId: string): Promise<DocumentContent> {
  const revision = await store.revisionBlocks(q, revisionId);
  if (!revision) throw new GalleyError('not_found', 'The approved revision is missing from the desk.');
  const doc = await store.getDocument(q, revision.documentId);
  if (!doc) throw new GalleyError('not_found', 'That document does not exist (it may have been removed).');
  const data = await store.readBlocks(q, revision.blocks);
  const texts = revision.blocks.map((hash) => {
    const bytes = data.get(hash);
    if (!bytes) throw new GalleyError('damaged', `Part of this revision is missing on the desk (block ${hash.slice(0, 12)}); it cannot be published.`);
    let text: string;
    try {
      text = brotliDecompressSync(bytes).toString('utf8');
    } catch {
      throw new GalleyError('damaged', `Part of this revision is damaged on the desk (block ${hash.slice(0, 12)} cannot be decompressed); it cannot be published.`);
    }
    if (hashText(text).toString('hex') !== hash) {
      throw new GalleyError('damaged', `Part of this revision is damaged on the desk (block ${hash.slice(0, 12)} does not match its hash); it cannot be published.`);
    }
    return text;
  });
  return rebuild(doc.kind, texts);
}

/** The layout of electron/services/revisions.ts splitContent: the fields block first, then each body node. */
function rebuild(kind: DocumentKind, texts: string[]): DocumentContent {
  const [fields, ...nodes] = texts.map((t) => JSON.parse(t) as unknown);
  return { kind, fields, body: { type: 'doc', content: nodes } } as DocumentContent;
}

const MIMES = new Set<string>(Object.keys(rules.PHOTO_EXT));

/** A caption's photo as published: its approved revision's words (the head until it has one, as the workstation uses its working copy). */
async function photoFor(q: store.Q, captionId: string): Promise<PublishPhoto | null> {
  const doc = await store.getDocument(q, captionId);
  if (!doc || doc.trashedAt !== null || doc.kind !== 'caption') return null;
  const revisionId = doc.approvedRevisionId ?? doc.headRevisionId;
  if (!revisionId) return null;
  const content = await revisionContent(q, revisionId);
  if (content.kind !== 'caption' || !content.fields.photo) return null;
  const asset = await store.getAsset(q, content.fields.photo);
  if (!asset || !MIMES.has(asset.mime)) return null;
  // The desk keeps only the original; its size is read from the bytes, as the workstation measured it on import.
  const meta = await sharp(asset.data, { limitInputPixels: false }).metadata();
  return rules.photoFrom(captionId, content, {
    sha256: asset.sha256,
    mime: asset.mime as PublishPhoto['mime'],
    originalName: asset.fileName,
    bytes: new Uint8Array(asset.data),
    width: meta.width ?? 0,
    height: meta.height ?? 0,
  });
}

// ——— Sending one job ———

type Job = store.JobRow;

/** Writes in a transaction only while this process still holds the job's claim; records the change. */
async function whileClaimed(ctx: DeskContext, job: Job, fn: (client: pg.PoolClient) => Promise<void>): Promise<boolean> {
  return tx(ctx.pool, async (client) => {
    const { rowCount } = await client.query(`SELECT 1 FROM publish_jobs WHERE id = $1 AND claimed_by = $2 AND state = 'sending' FOR UPDATE`, [job.id, ctx.processId]);
    if (!rowCount) return false;
    await fn(client);
    await recordChange(client, 'publishing', job.documentId, ctx.now());
    return true;
  });
}

/** Records what the CMS now holds for this document (one row per document and target). */
async function recordRemote(ctx: DeskContext, job: Job, ref: RemoteRef, status: store.RemotePostRow['status'], firstPublishedAt: number | null): Promise<void> {
  await whileClaimed(ctx, job, async (client) => {
    await store.saveRemotePost(client, {
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
    // The document's "published on" list (DeskDocument.published) comes from remote posts.
    await recordChange(client, 'document', job.documentId, ctx.now());
  });
}

/** Uploads a photo once per target (remembered by sha256) and returns the CMS's reference. */
async function ensurePhoto(ctx: DeskContext, adapter: CmsAdapter, targetId: string, photo: PublishPhoto): Promise<RemoteMedia> {
  const known = await store.getRemoteMedia(ctx.pool, targetId, photo.sha256);
  if (known) return { remoteId: known.remoteId, url: known.url };
  const media = await adapter.uploadPhoto(photo);
  await store.saveRemoteMedia(ctx.pool, {
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

async function sendPublish(ctx: DeskContext, adapter: CmsAdapter, job: Job): Promise<rules.Outcome> {
  if (!job.revisionId) throw new GalleyError('invalid_input', 'A publish job must name the approved revision.');
  const remote = await store.getRemotePost(ctx.pool, job.documentId, job.targetId);
  const content = await revisionContent(ctx.pool, job.revisionId);
  const article = await rules.articleFrom(
    content,
    job,
    (captionId) => photoFor(ctx.pool, captionId),
    (photo) => ensurePhoto(ctx, adapter, job.targetId, photo),
    remote?.firstPublishedAt ?? null,
  );
  const scheduled = job.publishAt !== null && job.publishAt > ctx.now();
  return rules.sendArticle(adapter, remote ? { remoteId: remote.remoteId, url: remote.url, modified: remote.remoteModified } : null, article, { force: job.force }, {
    beforeCreate: () => store.markCreateIntent(ctx.pool, job.id, ctx.now(), ctx.processId),
    record: (ref) => recordRemote(ctx, job, ref, scheduled ? 'scheduled' : 'published', scheduled ? job.publishAt : ctx.now()),
  });
}

async function sendUnpublish(ctx: DeskContext, adapter: CmsAdapter, job: Job): Promise<rules.Outcome> {
  const remote = await store.getRemotePost(ctx.pool, job.documentId, job.targetId);
  if (!remote) return { state: 'done' };
  const ref = await adapter.unpublish({ remoteId: remote.remoteId, url: remote.url, modified: remote.remoteModified });
  await whileClaimed(ctx, job, async (client) => {
    await store.saveRemotePost(client, { ...remote, remoteModified: ref.modified, url: ref.url || remote.url, status: 'withdrawn', updatedAt: ctx.now() });
    await recordChange(client, 'document', job.documentId, ctx.now());
  });
  return { state: 'done' };
}

/** Caption edits after publishing: the media item on the CMS gets the new caption, credit and alt text. */
async function sendCaption(ctx: DeskContext, adapter: CmsAdapter, job: Job): Promise<rules.Outcome> {
  const photo = await photoFor(ctx.pool, job.documentId);
  if (!photo) return { state: 'done' };
  const media = (await store.mediaForCaption(ctx.pool, job.documentId)).filter((m) => m.targetId === job.targetId);
  for (const m of media) {
    await adapter.updatePhoto({ remoteId: m.remoteId, url: m.url }, m.sha256 === photo.sha256 ? photo : { ...photo, sha256: m.sha256 });
    await store.saveRemoteMedia(ctx.pool, { ...m, captionRevisionId: job.revisionId, createdAt: ctx.now() });
  }
  return { state: 'done' };
}

async function sendBio(ctx: DeskContext, adapter: CmsAdapter, job: Job): Promise<rules.Outcome> {
  const bio = rules.bioFrom(await revisionContent(ctx.pool, job.revisionId ?? ''), job);
  await recordRemote(ctx, job, await adapter.updateBio(bio), 'published', ctx.now());
  return { state: 'done' };
}

const SENDERS: Record<JobAction, typeof sendPublish> = { publish: sendPublish, unpublish: sendUnpublish, caption: sendCaption, bio: sendBio };

async function adapterForTarget(ctx: DeskContext, targetId: string): Promise<CmsAdapter> {
  const row = await store.getTarget(ctx.pool, targetId);
  if (!row) throw new GalleyError('not_found', 'That publish target does not exist (it may have been removed).');
  return ctx.adapterFactory(TargetConfig.parse(row.config), secretFor(ctx, row), { staffToken: staffTokenFor(ctx, row) });
}

/** Sends one claimed job and records the outcome (only while the claim is ours); never throws. */
async function runJob(ctx: DeskContext, job: Job): Promise<void> {
  try {
    const outcome = await SENDERS[job.action](ctx, await adapterForTarget(ctx, job.targetId), job);
    await finish(ctx, job, { ...rules.outcomeChange(outcome), now: ctx.now() });
  } catch (error) {
    await fail(ctx, job, error);
  }
}

async function finish(ctx: DeskContext, job: Job, change: store.JobChange): Promise<void> {
  await whileClaimed(ctx, job, async (client) => {
    await store.setJobState(client, job.id, change, ctx.processId);
  });
}

async function fail(ctx: DeskContext, job: Job, error: unknown): Promise<void> {
  const now = ctx.now();
  const change = rules.failureChange(error, { action: job.action, attempts: job.attempts }, now);
  if (change.log) console.error(`[desk] publishing job ${job.id} failed:`, error);
  const reason = change.pauseTarget;
  await whileClaimed(ctx, job, async (client) => {
    await store.setJobState(
      client,
      job.id,
      { state: change.state, now, lastError: change.lastError, ...(change.nextAttemptAt !== undefined ? { nextAttemptAt: change.nextAttemptAt } : {}) },
      ctx.processId,
    );
    if (reason) {
      // Refused credentials stop the whole target until an editor enters them again.
      await store.pauseTarget(client, job.targetId, reason);
      for (const id of await store.pauseTargetJobs(client, job.targetId, reason, now)) await recordChange(client, 'publishing', id, now);
    }
  });
}

// ——— The worker ———

export function startPublishingWorker(ctx: DeskContext, options: PublishingWorkerOptions = {}): PublishingWorker {
  const concurrency = options.concurrency ?? 4;
  const leaseMs = options.leaseMs ?? 60_000;
  const pollMs = options.pollMs ?? 1_000;
  const running = new Map<number, Promise<void>>();
  let stopped = false;
  let passing: Promise<void> | null = null;
  let again = false;

  const log = (error: unknown) => {
    if (!stopped) console.error('[desk] publishing worker:', error instanceof Error ? error.message : error);
  };

  async function pass(): Promise<void> {
    const free = concurrency - running.size;
    if (free <= 0) return;
    const jobs = await tx(ctx.pool, async (client) => {
      const claimed = await store.claimDueJobs(client, { processId: ctx.processId, now: ctx.now(), leaseMs, limit: free });
      for (const id of new Set(claimed.map((j) => j.documentId))) await recordChange(client, 'publishing', id, ctx.now());
      return claimed;
    });
    for (const job of jobs) {
      const run = runJob(ctx, job)
        // Only the database going away gets here (runJob records every other failure).
        .catch(log)
        .finally(() => {
          running.delete(job.id);
          kick();
        });
      running.set(job.id, run);
    }
    // A full pass may have left due jobs behind: look again once a slot is free (kick on finish does that).
  }

  function kick(): void {
    if (stopped) return;
    if (passing) {
      again = true;
      return;
    }
    passing = pass()
      .catch(log)
      .finally(() => {
        passing = null;
        if (again) {
          again = false;
          kick();
        }
      });
  }

  const poll = setInterval(kick, pollMs);
  // Renew the claims of jobs in flight, so a slow CMS does not let another process take them.
  const renew = setInterval(() => {
    const ids = [...running.keys()];
    if (!ids.length) return;
    store.renewClaims(ctx.pool, ids, ctx.processId, ctx.now() + leaseMs).catch(log);
  }, Math.max(50, Math.floor(leaseMs / 3)));
  kick();

  async function idle(): Promise<void> {
    while (passing || running.size) await Promise.allSettled([passing, ...running.values()]);
  }

  return {
    kick,
    idle,
    async stop() {
      stopped = true;
      clearInterval(poll);
      clearInterval(renew);
      // Sends in flight finish and record their outcome; nothing new is claimed.
      await idle();
    },
  };
}
