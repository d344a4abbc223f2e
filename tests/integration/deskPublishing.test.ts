import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { adapterFor } from '../../electron/cms/index.ts';
import { CmsError, type CmsAdapter } from '../../electron/cms/types.ts';
import { keyFileBox } from '../../electron/services/secrets.ts';
import type { DeskContext } from '../../desk/context.ts';
import { startPublishingWorker, type PublishingWorker } from '../../desk/publisher.ts';
import { tx } from '../../desk/db/pool.ts';
import { claimDueJobs } from '../../desk/db/publishing.ts';
import type { PublishJob } from '../../shared/publishing.ts';
import { tempDir } from '../support/backend.ts';
import { openTestDesk, type TestDesk } from '../support/desk.ts';
import {
  addApprovedDocument,
  addAsset,
  addPerson,
  articleContent,
  captionContent,
  enqueue,
  reapprove,
  secondProcess,
} from '../support/deskPublishFixtures.ts';
import { memoryCms } from '../support/memoryCms.ts';
import { postgresMissing, startPostgres, type PgCluster } from '../support/postgres.ts';
import { fixtureBytes } from '../support/publishFixtures.ts';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy.ts';
import { startWordPress, wordPressUnavailable, type WordPressSite } from '../support/wordpress.ts';

/**
 * Publishing on the desk (issue #17, item 4) on a real PostgreSQL (one private cluster
 * for this file, a fresh database per test): the handlers through the real dispatcher
 * (sessions, roles), the outbox filled by enqueuePublishing as workflow.act does, and
 * desk workers — two in this process on their own pools, and a real child process
 * killed with SIGKILL mid-publish. The CMS is the real folder adapter, or a CMS in
 * memory (tests/support/memoryCms.ts) that counts posts and fails when told to: a
 * counter, standing in for nothing we could not run.
 */
const missing = postgresMissing();
if (missing) console.warn(`[deskPublishing] skipped: ${missing}`);
const suite = missing ? describe.skip : describe;

let cluster: PgCluster;
let desk: TestDesk;
let cms: ReturnType<typeof memoryCms>;
let keys: ReturnType<typeof tempDir>;
let now: number;
let editor: { id: string; token: string };
let reporter: { id: string; token: string };
const workers: PublishingWorker[] = [];
const extraContexts: DeskContext[] = [];
const children: ChildProcess[] = [];

beforeAll(async () => {
  if (!missing) cluster = await startPostgres();
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

beforeEach(async () => {
  if (missing) return;
  // A fixed clock the tests move by hand, set a minute back from the real one: the tests
  // that hand the desk the real clock (desk.ctx.now = Date.now) need its sessions
  // unexpired and its jobs already due (a fixed date here expired them a day later).
  now = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
  cms = memoryCms();
  keys = tempDir('galley-desk-keys-');
  desk = await openTestDesk(cluster, { now: () => now });
  // One sealing key every desk process of this database shares (the child reads it too).
  desk.ctx.secrets = keyFileBox(keys.dir);
  desk.ctx.adapterFactory = (config, secret, options) => (config.type === 'folder' ? adapterFor(config, secret, options) : cms.adapter);
  editor = await addPerson(desk.pool, { name: 'Eda Editor', role: 'editor', now });
  reporter = await addPerson(desk.pool, { name: 'Rey Reporter', role: 'reporter', now });
});
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const w of workers.splice(0)) await w.stop();
  for (const c of extraContexts.splice(0)) await c.pool.end();
  await desk?.close();
  keys?.remove();
});

function worker(ctx: DeskContext = desk.ctx, options: Parameters<typeof startPublishingWorker>[1] = {}): PublishingWorker {
  const w = startPublishingWorker(ctx, { pollMs: 50, ...options });
  workers.push(w);
  return w;
}

/** Polls an outcome until it holds or the deadline passes (kicking the workers meanwhile). */
async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T | undefined;
  while (Date.now() < deadline) {
    for (const w of workers) w.kick();
    last = await read();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`Timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
}

const asEditor = <K extends Parameters<TestDesk['call']>[0]>(name: K, input: Parameters<TestDesk['call']>[1] & object) =>
  desk.call(name, input as never, editor.token);

async function memoryTarget(name = 'Memory CMS'): Promise<string> {
  const t = await desk.call('publishing.saveTarget', { name, config: { type: 'webhook', siteUrl: 'https://cms.example/hook' }, secret: 's3cret-hook-key' }, editor.token);
  return t.id;
}

async function jobsOf(documentId: string): Promise<PublishJob[]> {
  const rows = await desk.call('publishing.status', { documentId }, editor.token);
  return rows.flatMap((r) => (r.job ? [r.job] : []));
}

async function jobRow(id: number) {
  const { rows } = await desk.pool.query('SELECT state, attempts, claimed_by, claimed_until, next_attempt_at, last_error FROM publish_jobs WHERE id = $1', [id]);
  return rows[0] as { state: string; attempts: number; claimed_by: string | null; claimed_until: number | null; next_attempt_at: number | null; last_error: string | null };
}

async function approvedStory(headline: string, extra: Parameters<typeof articleContent>[0] = { headline }) {
  return addApprovedDocument(desk.pool, { content: articleContent({ ...extra, headline }), ownerId: reporter.id, now });
}

suite('publish targets on the desk', () => {
  it('seals secrets on the desk, answers only hasSecret, uses a stored secret only for the same site, and lets only editors manage targets', async () => {
    const password = 'abcd EFGH ijkl MNOP qrst UVWX';
    const config = { type: 'wordpress' as const, siteUrl: 'https://news.example.org', username: 'desk' };
    const saved = await desk.call('publishing.saveTarget', { name: 'Harbour Times', config, secret: password }, editor.token);
    expect(saved).toMatchObject({ name: 'Harbour Times', hasSecret: true, pausedReason: null });
    expect(JSON.stringify(saved)).not.toContain(password);
    const listed = await desk.call('publishing.targets', {}, reporter.token);
    expect(listed.secretStorage).toBe('desk');
    expect(listed.targets.map((t) => t.name)).toEqual(['Harbour Times']);
    expect(JSON.stringify(listed)).not.toContain(password);
    // Not in the database in the clear.
    const { rows } = await desk.pool.query<{ secret: Buffer; config: unknown }>('SELECT secret, config FROM publish_targets WHERE id = $1', [saved.id]);
    expect(rows[0]!.secret.toString('latin1')).not.toContain(password);
    expect(JSON.stringify(rows[0]!.config)).not.toContain(password);

    // Test connection by id uses the stored secret; a changed site needs it again.
    let seen = '';
    desk.ctx.adapterFactory = (_c, secret) => ({ ...cms.adapter, verify: async () => ((seen = secret), { account: 'desk on news.example.org', warnings: [] }) });
    const tested = await desk.call('publishing.testTarget', { id: saved.id, config }, editor.token);
    expect(tested).toEqual({ ok: true, message: 'Connected: desk on news.example.org.', warnings: [] });
    expect(seen).toBe(password);
    await expect(
      desk.call('publishing.testTarget', { id: saved.id, config: { ...config, siteUrl: 'https://attacker.example' } }, editor.token),
    ).rejects.toThrow('Enter the Application password again: the site URL or username changed');
    await expect(desk.call('publishing.saveTarget', { id: saved.id, name: 'Harbour Times', config: { ...config, username: 'other' } }, editor.token)).rejects.toThrow(
      'Enter the Application password again',
    );
    await expect(desk.call('publishing.saveTarget', { name: 'No password', config: { ...config, siteUrl: 'https://x.example' } }, editor.token)).rejects.toThrow(
      'Application password is required',
    );
    // A failing check answers in words, not an error.
    desk.ctx.adapterFactory = () => ({ ...cms.adapter, verify: async () => Promise.reject(new CmsError('auth', 'WordPress refused the application password', { status: 401 })) });
    expect(await desk.call('publishing.testTarget', { id: saved.id, config }, editor.token)).toMatchObject({ ok: false, message: 'WordPress refused the application password' });

    // Reporters read targets but do not manage them; no session, no answer.
    await expect(desk.call('publishing.saveTarget', { name: 'Mine', config: { type: 'folder', folder: '/tmp/x' } }, reporter.token)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(desk.call('publishing.removeTarget', { id: saved.id }, reporter.token)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(desk.call('publishing.targets', {}, null)).rejects.toMatchObject({ code: 'unauthenticated' });

    await desk.call('publishing.removeTarget', { id: saved.id }, editor.token);
    expect((await desk.call('publishing.targets', {}, editor.token)).targets).toEqual([]);
  });
});

suite('the outbox on the desk', () => {
  it('enqueues what the workstation does: a job per target, unpublish only where published, a caption only where its photo is, held folder schedules replaced by a later publish', async () => {
    const memory = await memoryTarget();
    const folder = tempDir('galley-desk-folder-');
    try {
      const folderTarget = await desk.call('publishing.saveTarget', { name: 'Folder', config: { type: 'folder', folder: folder.dir } }, editor.token);
      const story = await approvedStory('Council backs harbour expansion');
      // Unpublish of something never published goes nowhere.
      expect(await enqueue(desk.ctx, { documentId: story.documentId, action: 'unpublish', revisionId: null, personId: editor.id })).toBe(0);
      // Schedule: the folder holds its job until the time; the CMS schedules on its side.
      const at = now + 3 * 3600_000;
      expect(await enqueue(desk.ctx, { documentId: story.documentId, action: 'schedule', revisionId: story.revisionId, publishAt: at, personId: editor.id })).toBe(2);
      let jobs = await jobsOf(story.documentId);
      expect(Object.fromEntries(jobs.map((j) => [j.targetName, j.state]))).toEqual({ 'Memory CMS': 'queued', Folder: 'scheduled' });
      expect(jobs.find((j) => j.targetId === folderTarget.id)!.nextAttemptAt).toBe(at);
      // A Publish now replaces the held schedule, instead of waiting behind it.
      expect(await enqueue(desk.ctx, { documentId: story.documentId, action: 'publish', revisionId: story.revisionId, personId: editor.id })).toBe(2);
      const { rows } = await desk.pool.query<{ state: string; last_error: string | null }>(
        `SELECT state, last_error FROM publish_jobs WHERE document_id = $1 AND target_id = $2 ORDER BY id`,
        [story.documentId, folderTarget.id],
      );
      expect(rows).toEqual([
        { state: 'cancelled', last_error: 'Replaced by a later Publish, Schedule or Unpublish' },
        { state: 'queued', last_error: null },
      ]);
      // The change feed says so, for every workstation's Publishing region.
      const feed = await desk.pool.query(`SELECT COUNT(*)::int AS n FROM changes WHERE kind = 'publishing' AND ref = $1`, [story.documentId]);
      expect(feed.rows[0].n).toBeGreaterThanOrEqual(2);

      // A caption approved before its photo was ever sent has nowhere to go yet.
      const sha = await addAsset(desk.pool, { bytes: fixtureBytes('harbor-dawn.jpg'), fileName: 'harbor-dawn.jpg', mime: 'image/jpeg', uploadedBy: reporter.id });
      const caption = await addApprovedDocument(desk.pool, {
        content: captionContent({ photo: sha, text: 'Boats at dawn.', credit: 'Lena Ortiz/Northwind Photo', altText: 'Boats' }),
        ownerId: reporter.id,
        now,
      });
      expect(await enqueue(desk.ctx, { documentId: caption.documentId, action: 'approve', revisionId: caption.revisionId, personId: editor.id })).toBe(0);
      await desk.pool.query(`INSERT INTO remote_media (target_id, sha256, caption_document_id, remote_id, url, created_at) VALUES ($1, $2, $3, 'media-9', 'https://cms.example/m9', $4)`, [
        memory,
        sha,
        caption.documentId,
        now,
      ]);
      expect(await enqueue(desk.ctx, { documentId: caption.documentId, action: 'approve', revisionId: caption.revisionId, personId: editor.id })).toBe(1);
      expect((await jobsOf(caption.documentId)).map((j) => [j.targetName, j.action])).toEqual([['Memory CMS', 'caption']]);
    } finally {
      folder.remove();
    }
  });

  it('two desk processes share the outbox: 20 stories, each sent exactly once, both processes sending at the same time', async () => {
    const target = await memoryTarget();
    const sentBy = new Map<string, string[]>();
    let inFlight = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    // Each process's adapter notes who created what, and the first creates wait until
    // three are in flight at once — more than either process's two slots — which proves
    // both processes held claims together without taking the same job.
    const tagged = (processId: string) => (): CmsAdapter => ({
      ...cms.adapter,
      async createArticle(article) {
        sentBy.set(article.documentId, [...(sentBy.get(article.documentId) ?? []), processId]);
        inFlight++;
        if (inFlight >= 3) release();
        await gate;
        inFlight--;
        return cms.adapter.createArticle(article);
      },
    });
    desk.ctx.adapterFactory = tagged(desk.ctx.processId);
    const other = secondProcess(desk.ctx, desk.url);
    other.adapterFactory = tagged(other.processId);
    extraContexts.push(other);

    const stories = [];
    for (let i = 0; i < 20; i++) {
      const s = await approvedStory(`Story number ${i + 1}`);
      await enqueue(desk.ctx, { documentId: s.documentId, action: 'publish', revisionId: s.revisionId, personId: editor.id });
      stories.push(s);
    }
    worker(desk.ctx, { concurrency: 2 });
    worker(other, { concurrency: 2 });
    await until(
      () => desk.pool.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM publish_jobs WHERE state = 'done' AND target_id = $1`, [target]),
      (r) => r.rows[0]!.n === 20,
      'all 20 jobs done',
    );
    expect(cms.posts.size).toBe(20);
    expect(cms.calls.filter((c) => c === 'createArticle')).toHaveLength(20);
    for (const s of stories) {
      expect(sentBy.get(s.documentId)).toHaveLength(1);
      expect([...cms.posts.values()].filter((p) => p.documentId === s.documentId)).toHaveLength(1);
    }
    const processes = new Set([...sentBy.values()].flat());
    expect(processes).toEqual(new Set([desk.ctx.processId, other.processId]));
    // Every remote post is on record, and no claim is left behind.
    const remote = await desk.pool.query(`SELECT COUNT(*)::int AS n FROM remote_posts WHERE target_id = $1 AND status = 'published'`, [target]);
    expect(remote.rows[0].n).toBe(20);
    const claims = await desk.pool.query(`SELECT COUNT(*)::int AS n FROM publish_jobs WHERE claimed_by IS NOT NULL`);
    expect(claims.rows[0].n).toBe(0);
  });

  it('jobs of one document and target go in order across processes: a later publish is not claimed while the earlier one is being sent', async () => {
    await memoryTarget();
    const story = await approvedStory('Ferry strike called off');
    await enqueue(desk.ctx, { documentId: story.documentId, action: 'publish', revisionId: story.revisionId, personId: editor.id });
    const second = await reapprove(desk.pool, story.documentId, articleContent({ headline: 'Ferry strike called off after talks' }), editor.id, now + 1);
    await enqueue(desk.ctx, { documentId: story.documentId, action: 'publish', revisionId: second, personId: editor.id });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let creating = false;
    desk.ctx.adapterFactory = () => ({
      ...cms.adapter,
      async createArticle(article) {
        creating = true;
        await gate;
        return cms.adapter.createArticle(article);
      },
    });
    worker();
    await until(async () => creating, (c) => c, 'the first publish to reach the CMS');
    // Another process looking now finds nothing it may take: the second job waits for the first.
    const claimed = await tx(desk.pool, (client) => claimDueJobs(client, { processId: 'other:3', now, leaseMs: 60_000, limit: 10 }));
    expect(claimed).toEqual([]);
    release();
    await until(() => jobsOf(story.documentId), (j) => j[0]?.revisionId === second && j[0].state === 'done', 'both publishes');
    expect(cms.calls.filter((c) => c === 'createArticle' || c === 'updateArticle')).toEqual(['createArticle', 'updateArticle']);
    expect([...cms.posts.values()].map((p) => [p.title, p.revisionId])).toEqual([['Ferry strike called off after talks', second]]);
  });

  it('a send slower than the lease keeps its claim: the worker renews it, so no other process takes the job meanwhile', async () => {
    await memoryTarget();
    const story = await approvedStory('Council meeting runs late');
    await enqueue(desk.ctx, { documentId: story.documentId, action: 'publish', revisionId: story.revisionId, personId: editor.id });
    desk.ctx.now = Date.now;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    desk.ctx.adapterFactory = () => ({ ...cms.adapter, createArticle: async (a) => (await gate, cms.adapter.createArticle(a)) });
    worker(desk.ctx, { leaseMs: 600 });
    const [job] = await until(() => jobsOf(story.documentId), (j) => j[0]?.state === 'sending', 'the send to start');
    const first = (await jobRow(job!.id)).claimed_until!;
    // Renewed past its first lease (the outcome, not a wait): still this process's.
    const renewed = await until(() => jobRow(job!.id), (r) => r.claimed_until! > first + 600, 'the claim to be renewed past its first lease');
    expect(renewed.claimed_by).toBe(desk.ctx.processId);
    const claimed = await tx(desk.pool, (client) => claimDueJobs(client, { processId: 'other:4', now: Date.now(), leaseMs: 60_000, limit: 10 }));
    expect(claimed).toEqual([]);
    release();
    await until(() => jobsOf(story.documentId), (j) => j[0]?.state === 'done', 'the slow send to finish');
    expect((await jobsOf(story.documentId))[0]!.attempts).toBe(1);
    expect(cms.posts.size).toBe(1);
  });

  it('a job claimed by a process that died mid-create is taken over when the claim lapses, and finds the post instead of making a second', async () => {
    const target = await memoryTarget();
    const story = await approvedStory('Ferry timetable changes', { headline: 'Ferry timetable changes', slug: 'ferry-timetable' });
    await enqueue(desk.ctx, { documentId: story.documentId, action: 'publish', revisionId: story.revisionId, personId: editor.id });
    const live = await approvedStory('Bridge repairs begin');
    await enqueue(desk.ctx, { documentId: live.documentId, action: 'publish', revisionId: live.revisionId, personId: editor.id });
    // The dead process had marked its intent and created the post; its answer never came back.
    await cms.adapter.createArticle({
      documentId: story.documentId,
      revisionId: story.revisionId,
      slug: 'ferry-timetable',
      headline: 'Ferry timetable changes',
      dek: '',
      byline: '',
      section: '',
      tags: [],
      contributorLine: '',
      html: '<p>x</p>',
      figures: [],
      featured: null,
      publishAt: null,
      firstPublishedAt: null,
    });
    await desk.pool.query(
      `UPDATE publish_jobs SET state = 'sending', attempts = 1, claimed_by = 'dead:1', claimed_until = $2, create_intent_at = $3 WHERE document_id = $1`,
      [story.documentId, now - 1_000, now - 30_000],
    );
    // The other job is claimed by a process that is alive (its lease runs): left alone.
    await desk.pool.query(`UPDATE publish_jobs SET state = 'sending', attempts = 1, claimed_by = 'alive:2', claimed_until = $2 WHERE document_id = $1`, [
      live.documentId,
      now + 60_000,
    ]);
    cms.calls.length = 0;
    worker();
    const [job] = await until(() => jobsOf(story.documentId), (j) => j[0]?.state === 'done', 'the taken-over job to finish');
    expect(job!.attempts).toBe(2);
    expect([...cms.posts.values()].filter((p) => p.documentId === story.documentId)).toHaveLength(1);
    expect(cms.calls).toEqual(['findExisting', 'updateArticle']);
    const status = await desk.call('publishing.status', { documentId: story.documentId }, reporter.token);
    expect(status[0]).toMatchObject({ targetId: target, remoteStatus: 'published', publishedRevisionId: story.revisionId, remoteUrl: 'https://cms.example/ferry-timetable' });
    // The live claim is untouched.
    const liveJob = (await jobsOf(live.documentId))[0]!;
    expect(await jobRow(liveJob.id)).toMatchObject({ state: 'sending', claimed_by: 'alive:2' });
  });

  it('retries a transient failure with backoff honouring Retry-After, then sends once', async () => {
    await memoryTarget();
    const story = await approvedStory('Storm closes the harbour');
    await enqueue(desk.ctx, { documentId: story.documentId, action: 'publish', revisionId: story.revisionId, personId: editor.id });
    cms.failNext({ method: 'createArticle', error: new CmsError('retry', 'The CMS is busy (503)', { status: 503, retryAfterMs: 120_000 }) });
    worker();
    const [waiting] = await until(() => jobsOf(story.documentId), (j) => j[0]?.state === 'retrying', 'a retry to be planned');
    expect(waiting).toMatchObject({ attempts: 1, lastError: 'The CMS is busy (503)' });
    expect(waiting!.nextAttemptAt).toBeGreaterThanOrEqual(now + 120_000);
    // Not before its time, however often the workers look.
    for (const w of workers) w.kick();
    for (const w of workers) await w.idle();
    expect((await jobsOf(story.documentId))[0]!.state).toBe('retrying');
    now = waiting!.nextAttemptAt! + 1;
    const [done] = await until(() => jobsOf(story.documentId), (j) => j[0]?.state === 'done', 'the retry to succeed');
    expect(done).toMatchObject({ attempts: 2, lastError: null });
    expect(cms.posts.size).toBe(1);
  });

  it('a permanent failure stops with the CMS’s words; refused credentials pause the target until an editor saves it again', async () => {
    const target = await memoryTarget();
    const story = await approvedStory('Market hall reopens');
    await enqueue(desk.ctx, { documentId: story.documentId, action: 'publish', revisionId: story.revisionId, personId: editor.id });
    cms.failNext({ method: 'createArticle', error: new CmsError('permanent', 'The CMS refused the post: the slug is reserved', { status: 422 }) });
    worker();
    const [failed] = await until(() => jobsOf(story.documentId), (j) => j[0]?.state === 'failed', 'the job to fail');
    expect(failed).toMatchObject({ attempts: 1, lastError: 'The CMS refused the post: the slug is reserved' });
    for (const w of workers) w.kick();
    for (const w of workers) await w.idle();
    expect((await jobsOf(story.documentId))[0]!.attempts).toBe(1);
    expect(cms.posts.size).toBe(0);

    // Retry is an editor's; then the credentials are refused: the target pauses.
    await expect(desk.call('publishing.retry', { jobId: failed!.id }, reporter.token)).rejects.toMatchObject({ code: 'forbidden' });
    cms.failNext({ method: 'findExisting', error: new CmsError('auth', 'The CMS refused the secret', { status: 401 }) });
    await asEditor('publishing.retry', { jobId: failed!.id });
    const [paused] = await until(() => jobsOf(story.documentId), (j) => j[0]?.state === 'paused', 'the target to pause');
    expect(paused!.lastError).toBe('The CMS refused the secret. Enter the credentials again in Settings → Publish targets.');
    const t = (await desk.call('publishing.targets', {}, editor.token)).targets.find((x) => x.id === target)!;
    expect(t.pausedReason).toBe(paused!.lastError);
    // Saving the target (new credentials) lifts the pause and the job goes out.
    await desk.call('publishing.saveTarget', { id: target, name: 'Memory CMS', config: { type: 'webhook', siteUrl: 'https://cms.example/hook' }, secret: 'n3w-secret' }, editor.token);
    await until(() => jobsOf(story.documentId), (j) => j[0]?.state === 'done', 'the job to go out after new credentials');
    expect(cms.posts.size).toBe(1);
  });

  it('a post changed in the CMS waits for an editor: overwrite sends the approved version, keepRemote records the CMS’s version as seen, a choice for another state is refused', async () => {
    await memoryTarget();
    const story = await approvedStory('Library hours extended');
    await enqueue(desk.ctx, { documentId: story.documentId, action: 'publish', revisionId: story.revisionId, personId: editor.id });
    worker();
    await until(() => jobsOf(story.documentId), (j) => j[0]?.state === 'done', 'the first publish');
    const post = [...cms.posts.values()][0]!;
    cms.editInCms(post.id, 'Library hours extended (edited in the CMS)');
    const second = await reapprove(desk.pool, story.documentId, articleContent({ headline: 'Library hours extended to 9 pm' }), editor.id, now + 1);
    await enqueue(desk.ctx, { documentId: story.documentId, action: 'publish', revisionId: second, personId: editor.id });
    const status = await until(
      () => desk.call('publishing.status', { documentId: story.documentId }, editor.token),
      (s) => s[0]?.job?.state === 'conflict',
      'the conflict',
    );
    expect(status[0]!.conflict).toMatchObject({ remoteTitle: 'Library hours extended (edited in the CMS)', localTitle: 'Library hours extended to 9 pm' });
    expect(status[0]!.job!.lastError).toBe('Changed in the CMS since Galley last wrote it');
    expect(post.title).toBe('Library hours extended (edited in the CMS)');
    const jobId = status[0]!.job!.id;
    await expect(asEditor('publishing.resolve', { jobId, choice: 'recreate' })).rejects.toThrow('This job is conflict; that choice applies to a job in missing.');
    await asEditor('publishing.resolve', { jobId, choice: 'overwrite' });
    await until(() => jobsOf(story.documentId), (j) => j[0]?.state === 'done', 'the overwrite');
    expect(post.title).toBe('Library hours extended to 9 pm');
    expect(cms.posts.size).toBe(1);
    const after = await desk.call('publishing.status', { documentId: story.documentId }, editor.token);
    expect(after[0]).toMatchObject({ publishedRevisionId: second, conflict: null });
    await expect(asEditor('publishing.cancel', { jobId })).rejects.toThrow('This job is already finished.');

    // Keep the CMS's version: recorded as seen, so the next publish over it is no conflict.
    cms.editInCms(post.id, 'Library hours: the CMS version');
    const third = await reapprove(desk.pool, story.documentId, articleContent({ headline: 'Library hours extended to 10 pm' }), editor.id, now + 2);
    await enqueue(desk.ctx, { documentId: story.documentId, action: 'publish', revisionId: third, personId: editor.id });
    const [conflict] = await until(() => jobsOf(story.documentId), (j) => j[0]?.state === 'conflict', 'the second conflict');
    expect(await asEditor('publishing.resolve', { jobId: conflict!.id, choice: 'keepRemote' })).toMatchObject({ state: 'cancelled', lastError: 'Kept the version in the CMS' });
    expect(post.title).toBe('Library hours: the CMS version');
    const fourth = await reapprove(desk.pool, story.documentId, articleContent({ headline: 'Library hours extended to 11 pm' }), editor.id, now + 3);
    await enqueue(desk.ctx, { documentId: story.documentId, action: 'publish', revisionId: fourth, personId: editor.id });
    await until(() => jobsOf(story.documentId), (j) => j[0]?.revisionId === fourth && j[0].state === 'done', 'the publish after keepRemote');
    expect(post.title).toBe('Library hours extended to 11 pm');
  });

  it('unpublish withdraws the post where it was published; a post deleted in the CMS waits as missing until an editor recreates or unlinks it', async () => {
    const target = await memoryTarget();
    const story = await approvedStory('Harbour festival postponed');
    await enqueue(desk.ctx, { documentId: story.documentId, action: 'publish', revisionId: story.revisionId, personId: editor.id });
    worker();
    await until(() => jobsOf(story.documentId), (j) => j[0]?.state === 'done', 'the publish');
    expect(await enqueue(desk.ctx, { documentId: story.documentId, action: 'unpublish', revisionId: null, personId: editor.id })).toBe(1);
    const withdrawn = await until(
      () => desk.call('publishing.status', { documentId: story.documentId }, editor.token),
      (s) => s[0]?.job?.action === 'unpublish' && s[0].job.state === 'done',
      'the unpublish',
    );
    expect(withdrawn[0]).toMatchObject({ targetId: target, remoteStatus: 'withdrawn' });
    expect([...cms.posts.values()].map((p) => p.status)).toEqual(['draft']);

    // Someone deletes the post in the CMS; the next publish finds it gone.
    cms.posts.clear();
    const again = await reapprove(desk.pool, story.documentId, articleContent({ headline: 'Harbour festival moves to June' }), editor.id, now + 1);
    await enqueue(desk.ctx, { documentId: story.documentId, action: 'publish', revisionId: again, personId: editor.id });
    const [gone] = await until(() => jobsOf(story.documentId), (j) => j[0]?.state === 'missing', 'the missing post');
    expect(gone!.lastError).toBe('The post is gone from the CMS: recreate it or unlink');
    await expect(asEditor('publishing.resolve', { jobId: gone!.id, choice: 'overwrite' })).rejects.toThrow('that choice applies to a job in conflict');
    await asEditor('publishing.resolve', { jobId: gone!.id, choice: 'recreate' });
    await until(() => jobsOf(story.documentId), (j) => j[0]?.state === 'done', 'the recreate');
    expect([...cms.posts.values()].map((p) => [p.title, p.revisionId])).toEqual([['Harbour festival moves to June', again]]);

    // Unlink forgets the post: nothing is sent, and the status no longer shows a remote post.
    cms.posts.clear();
    const third = await reapprove(desk.pool, story.documentId, articleContent({ headline: 'Harbour festival cancelled' }), editor.id, now + 2);
    await enqueue(desk.ctx, { documentId: story.documentId, action: 'publish', revisionId: third, personId: editor.id });
    const [missingAgain] = await until(() => jobsOf(story.documentId), (j) => j[0]?.state === 'missing', 'the missing post again');
    const unlinked = await asEditor('publishing.resolve', { jobId: missingAgain!.id, choice: 'unlink' });
    expect(unlinked).toMatchObject({ state: 'cancelled', lastError: 'Unlinked from the CMS post' });
    const status = await desk.call('publishing.status', { documentId: story.documentId }, editor.token);
    expect(status[0]).toMatchObject({ remoteUrl: null, remoteStatus: null });
    expect(cms.posts.size).toBe(0);
  });

  it('publishes the approved revision with its figure from the desk’s own blocks and assets: the same HTML as the workstation, the photo uploaded once', async () => {
    await memoryTarget();
    const bytes = fixtureBytes('harbor-dawn.jpg');
    const sha = await addAsset(desk.pool, { bytes, fileName: 'harbor-dawn.jpg', mime: 'image/jpeg', uploadedBy: reporter.id });
    const caption = await addApprovedDocument(desk.pool, {
      content: captionContent({ photo: sha, text: 'Fishing boats return at dawn.', credit: 'Lena Ortiz/Northwind Photo', altText: 'Six fishing boats at a quay' }),
      ownerId: reporter.id,
      now,
    });
    const story = await approvedStory('Harbour at dawn', { headline: 'Harbour at dawn', figures: [{ captionId: caption.documentId }] });
    await enqueue(desk.ctx, { documentId: story.documentId, action: 'publish', revisionId: story.revisionId, personId: editor.id });
    worker();
    await until(() => jobsOf(story.documentId), (j) => j[0]?.state === 'done', 'the publish');
    const post = [...cms.posts.values()][0]!;
    expect(post.revisionId).toBe(story.revisionId);
    expect(post.html).toContain('<p>The council voted on Tuesday to expand the harbour.</p>');
    expect(post.html).toMatch(
      /<figure><img src="https:\/\/cms\.example\/media\/fishing-boats-return-at-dawn-[0-9a-f]{8}\.jpg" alt="Six fishing boats at a quay" width="\d+" height="\d+"><figcaption>Fishing boats return at dawn\. <span class="credit">Photo: Lena Ortiz\/Northwind Photo<\/span><\/figcaption><\/figure>/,
    );
    expect(post.featured).toMatch(/^media-/);
    expect([...cms.media.values()]).toEqual([expect.objectContaining({ sha256: sha, alt: 'Six fishing boats at a quay' })]);
    // A caption edit approved later reaches the media item already on the CMS.
    const newWords = await reapprove(
      desk.pool,
      caption.documentId,
      captionContent({ photo: sha, text: 'Boats return at first light.', credit: 'Lena Ortiz/Northwind Photo', altText: 'Boats at a stone quay' }),
      editor.id,
      now + 1,
    );
    expect(await enqueue(desk.ctx, { documentId: caption.documentId, action: 'approve', revisionId: newWords, personId: editor.id })).toBe(1);
    await until(() => jobsOf(caption.documentId), (j) => j[0]?.state === 'done', 'the caption update');
    expect([...cms.media.values()]).toEqual([expect.objectContaining({ caption: 'Boats return at first light. Photo: Lena Ortiz/Northwind Photo', alt: 'Boats at a stone quay' })]);
  });

  it('a revision whose stored block no longer matches its hash is not published: the job fails saying so', async () => {
    await memoryTarget();
    const story = await approvedStory('Damaged story');
    const { rows } = await desk.pool.query<{ blocks: string[] }>('SELECT blocks FROM revisions WHERE id = $1', [story.revisionId]);
    const { compress } = await import('../../db/blocks.ts');
    await desk.pool.query('UPDATE blocks SET data = $2 WHERE hash = $1', [rows[0]!.blocks[1], compress('{"type":"paragraph","content":[{"type":"text","text":"forged"}]}')]);
    await enqueue(desk.ctx, { documentId: story.documentId, action: 'publish', revisionId: story.revisionId, personId: editor.id });
    worker();
    const [failed] = await until(() => jobsOf(story.documentId), (j) => j[0]?.state === 'failed', 'the job to fail');
    expect(failed!.lastError).toMatch(/^Part of this revision is damaged on the desk \(block [0-9a-f]{12} does not match its hash\); it cannot be published\.$/);
    expect(cms.posts.size).toBe(0);
  });
});

suite('a desk process killed mid-publish', () => {
  it('SIGKILL after the folder page is written but before the answer: another process takes the job over and the folder has exactly one page', async () => {
    const folder = tempDir('galley-desk-folder-');
    try {
      await desk.call('publishing.saveTarget', { name: 'Folder', config: { type: 'folder', folder: folder.dir } }, editor.token);
      const story = await approvedStory('Council backs harbour expansion');
      await enqueue(desk.ctx, { documentId: story.documentId, action: 'publish', revisionId: story.revisionId, personId: editor.id });
      // The child runs on the real clock; so does this test's worker from here on.
      desk.ctx.now = Date.now;
      // node --import tsx, not the tsx CLI: the CLI runs the script in a grandchild that a kill of its PID would leave alive.
      const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/deskPublishChild.ts'], {
        env: { ...process.env, DESK_DB_URL: desk.url, DESK_KEY_DIR: keys.dir, LEASE_MS: '1500', HANG_AFTER_CREATE: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      let out = '';
      let err = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      await until(async () => out, (o) => o.includes('created') || child.exitCode !== null, 'the child to create the page', 60_000);
      expect(out, err).toContain('created');
      const childId = /process (\S+)/.exec(out)![1]!;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      const [job] = await jobsOf(story.documentId);
      expect(await jobRow(job!.id)).toMatchObject({ state: 'sending', claimed_by: childId, attempts: 1 });
      expect(readdirSync(folder.dir).filter((f) => f.endsWith('.html'))).toHaveLength(1);

      // This process takes it over once the dead one's lease lapses.
      worker(desk.ctx, { pollMs: 100 });
      const [done] = await until(() => jobsOf(story.documentId), (j) => j[0]?.state === 'done', 'the second process to finish the job');
      expect(done!.attempts).toBe(2);
      const pages = readdirSync(folder.dir).filter((f) => f.endsWith('.html'));
      expect(pages).toEqual(['council-backs-harbour-expansion.html']);
      expect(readdirSync(folder.dir).filter((f) => f.endsWith('.json'))).toHaveLength(1);
      expect(readFileSync(join(folder.dir, pages[0]!), 'utf8')).toContain('Council backs harbour expansion');
      const status = await desk.call('publishing.status', { documentId: story.documentId }, editor.token);
      expect(status[0]).toMatchObject({ remoteStatus: 'published', publishedRevisionId: story.revisionId });
    } finally {
      folder.remove();
    }
  }, 90_000);
});

const wpUnavailable = missing ?? wordPressUnavailable();
if (wpUnavailable) console.warn(`[deskPublishing] WordPress kill test skipped: ${wpUnavailable}`);

describe.skipIf(wpUnavailable !== null)('a desk process killed mid-publish to a real WordPress', () => {
  let site: WordPressSite;
  let proxy: FaultProxy;
  beforeAll(async () => {
    const started = await startWordPress();
    if ('skipped' in started) throw new Error(started.skipped);
    site = started;
    proxy = await startFaultProxy(site.url);
  }, 120_000);
  afterAll(async () => {
    await proxy?.close();
    await site?.stop();
  });

  it('SIGKILL while WordPress holds the create: the post lands anyway, another process takes the job over and WordPress has exactly one post, with its photo', async () => {
    const auth = `Basic ${Buffer.from(`${site.username}:${site.appPassword}`).toString('base64')}`;
    await desk.call(
      'publishing.saveTarget',
      { name: 'Harbour Times', config: { type: 'wordpress', siteUrl: proxy.url, username: site.username }, secret: site.appPassword },
      editor.token,
    );
    const sha = await addAsset(desk.pool, { bytes: fixtureBytes('harbor-dawn.jpg'), fileName: 'harbor-dawn.jpg', mime: 'image/jpeg', uploadedBy: reporter.id });
    const caption = await addApprovedDocument(desk.pool, {
      content: captionContent({ photo: sha, text: 'Fishing boats return to the harbor at dawn.', credit: 'Lena Ortiz/Northwind Photo', altText: 'Six small fishing boats' }),
      ownerId: reporter.id,
      now,
    });
    const headline = 'Desk kill: council backs harbour expansion';
    const story = await approvedStory(headline, { headline, figures: [{ captionId: caption.documentId }] });
    await enqueue(desk.ctx, { documentId: story.documentId, action: 'publish', revisionId: story.revisionId, personId: editor.id });
    desk.ctx.now = Date.now;
    desk.ctx.adapterFactory = adapterFor;
    // WordPress gets the create only after the process that sent it is dead.
    proxy.faults.push({ kind: 'delay', method: 'POST', path: '/wp/v2/posts', ms: 3_000 });
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/deskPublishChild.ts'], {
      env: { ...process.env, DESK_DB_URL: desk.url, DESK_KEY_DIR: keys.dir, LEASE_MS: '1500' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    await until(
      async () => proxy.requests.some((r) => r.fault === 'delay') || child.exitCode !== null,
      (seen) => seen,
      'the child to send the create',
      60_000,
    );
    expect(child.exitCode, err).toBeNull();
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    await proxy.settled();

    worker(desk.ctx, { pollMs: 100 });
    const [done] = await until(() => jobsOf(story.documentId), (j) => j[0]?.state === 'done' || j[0]?.state === 'failed', 'the second process to finish the job', 60_000);
    expect(done, done?.lastError ?? '').toMatchObject({ state: 'done', attempts: 2 });
    const res = await fetch(`${site.url}/?rest_route=/wp/v2/posts&context=edit&per_page=100&status=publish,future,draft,pending,private`, { headers: { Authorization: auth } });
    const posts = (await res.json()) as { id: number; title: { raw: string }; content: { raw: string }; featured_media: number; meta: { galley_document_id: string } }[];
    const ours = posts.filter((p) => p.meta.galley_document_id === story.documentId);
    expect(ours, 'posts for this story').toHaveLength(1);
    expect(ours[0]!.title.raw).toBe(headline);
    expect(ours[0]!.content.raw).toContain('<span class="credit">Photo: Lena Ortiz/Northwind Photo</span>');
    expect(ours[0]!.featured_media).toBeGreaterThan(0);
  }, 120_000);
});
