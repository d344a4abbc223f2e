import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBackend, type Backend } from '../../electron/backend.ts';
import { adapterFor } from '../../electron/cms/index.ts';
import { CmsError } from '../../electron/cms/types.ts';
import type { TargetStatus } from '../../shared/publishing.ts';
import { edited, paragraphs, signIn, tempDir } from '../support/backend.ts';
import { startFakeGhost } from '../support/fakeGhost.ts';
import { memoryCms } from '../support/memoryCms.ts';
import { approvedArticle, approvedCaption, ensureBio, readForReview, reapproveWith } from '../support/newsroom.ts';

/**
 * The outbox and its worker, on a real SQLite file. The CMS is either the real folder
 * adapter or a CMS in memory (tests/support/memoryCms.ts) that fails exactly when told
 * to, so each of the worker's decisions is checked on its own.
 */
let dir: ReturnType<typeof tempDir>;
let now: number;
let cms: ReturnType<typeof memoryCms>;
let backend: Backend;

function open(): Backend {
  return openBackend({
    dataDir: dir.dir,
    now: () => now,
    adapterFactory: (config, secret) => (config.type === 'folder' ? adapterFor(config, secret) : cms.adapter),
  });
}

beforeEach(() => {
  dir = tempDir('galley-publish-');
  now = Date.parse('2026-11-28T09:00:00Z');
  cms = memoryCms();
  backend = open();
});
afterEach(async () => {
  await backend.shutdown();
  dir.remove();
});

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < 400; i++) {
    await backend.outbox.idle();
    last = await read();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`Timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
}

const statusOf = (documentId: string) => backend.invoke('publishing.status', { documentId });
const state = (rows: TargetStatus[], name = 'Memory CMS') => rows.find((r) => r.targetName === name)?.job?.state;

/** Replaces the default folder target by one in memory. */
async function useMemoryCms(): Promise<string> {
  const { targets } = await backend.invoke('publishing.targets', {});
  for (const t of targets) await backend.invoke('publishing.removeTarget', { id: t.id });
  const target = await backend.invoke('publishing.saveTarget', { name: 'Memory CMS', config: { type: 'webhook', siteUrl: 'https://cms.example/hook' }, secret: 's3cret' });
  return target.id;
}

describe('publish targets', () => {
  it('a fresh install publishes to a folder in the data folder', async () => {
    await signIn(backend, 'Eda Editor', 'editor');
    const { targets } = await backend.invoke('publishing.targets', {});
    expect(targets).toHaveLength(1);
    expect(targets[0]).toMatchObject({ name: 'Folder', config: { type: 'folder', folder: join(dir.dir, 'published') }, hasSecret: false });
  });

  it('seal secrets at rest, never return them, and only editors manage targets', async () => {
    await signIn(backend, 'Eda Editor', 'editor');
    const password = 'abcd EFGH ijkl MNOP qrst UVWX';
    const saved = await backend.invoke('publishing.saveTarget', { name: 'Harbour Times', config: { type: 'wordpress', siteUrl: 'https://news.example.org', username: 'desk' }, secret: password });
    expect(saved).toMatchObject({ hasSecret: true });
    expect(JSON.stringify(saved)).not.toContain(password);
    const listed = await backend.invoke('publishing.targets', {});
    expect(JSON.stringify(listed)).not.toContain(password);
    expect(listed.secretStorage).toBe('key-file');
    // Not in the database file in the clear, and the key file is the owner's alone.
    const row = backend.db.prepare('SELECT secret FROM publish_targets WHERE id = ?').get(saved.id) as { secret: Buffer };
    expect(row.secret.toString('latin1')).not.toContain(password);
    expect(readFileSync(join(dir.dir, 'galley.db')).toString('latin1')).not.toContain(password);
    expect(statSync(join(dir.dir, 'secret.key')).mode & 0o777).toBe(0o600);
    // Saving without a secret keeps the stored one; a type that needs one refuses none.
    let seen = '';
    await backend.shutdown();
    backend = openBackend({ dataDir: dir.dir, adapterFactory: (_c, secret) => ({ ...cms.adapter, verify: async () => ((seen = secret), { account: 'x', warnings: [] }) }) });
    await backend.invoke('publishing.saveTarget', { id: saved.id, name: 'Harbour Times', config: { type: 'wordpress', siteUrl: 'https://news.example.org', username: 'desk' } });
    await backend.invoke('publishing.testTarget', { id: saved.id, config: { type: 'wordpress', siteUrl: 'https://news.example.org', username: 'desk' } });
    expect(seen).toBe(password);
    await expect(backend.invoke('publishing.saveTarget', { name: 'No password', config: { type: 'wordpress', siteUrl: 'https://x.example', username: 'desk' } })).rejects.toThrow(
      'Application password is required',
    );
    await expect(backend.invoke('publishing.saveTarget', { name: 'Bad', config: { type: 'ghost', siteUrl: 'javascript:alert(1)' }, secret: 'k' })).rejects.toThrow(/http:\/\/ or https:\/\//);
    await signIn(backend, 'Rey Reporter', 'reporter');
    await expect(backend.invoke('publishing.saveTarget', { name: 'Mine', config: { type: 'folder', folder: '/tmp/x' } })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(backend.invoke('publishing.removeTarget', { id: saved.id })).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('approving what the editor read', () => {
  it('the reporter saves new text while the editor reads: Approve of the read version is refused and says so; the current one is approved and exactly it is published', async () => {
    await signIn(backend, 'Eda Editor', 'editor');
    await useMemoryCms();
    await approvedArticle(backend); // a bio for the byline, and an article to copy
    const reporter = await signIn(backend, 'Amara Osei', 'reporter');
    const doc = await backend.invoke('documents.create', { kind: 'article' });
    const fields = { headline: 'Council backs harbour expansion', byline: 'Amara Osei', section: 'Local' };
    await backend.invoke('documents.saveWorking', { id: doc.id, version: doc.version, content: edited(doc.content, { fields, body: paragraphs('The council voted 7-2.') }) });
    await backend.invoke('workflow.transition', { documentId: doc.id, action: 'submit' });

    // The editor opens it and reads the submitted text.
    const editor = await signIn(backend, 'Rosa Imbert', 'editor');
    const read = await backend.invoke('documents.get', { id: doc.id });
    expect(read.revisionId).not.toBeNull();

    // Meanwhile the reporter changes it.
    await backend.invoke('session.switch', { personId: reporter.id });
    const changed = edited(read.content, { body: paragraphs('The council voted 7-2. Opponents plan to sue.') });
    await backend.invoke('documents.saveWorking', { id: doc.id, version: read.version, content: changed });

    await backend.invoke('session.switch', { personId: editor.id });
    for (const action of ['approve', 'requestChanges'] as const) {
      const refused = await backend.call('workflow.transition', { documentId: doc.id, action, note: 'Fine.', revisionId: read.revisionId! });
      expect(refused).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/^The text changed after the version you reviewed \(Amara Osei saved it at \d\d:\d\d UTC\)\. Compare the changes/) } });
    }
    const unchanged = await backend.invoke('documents.get', { id: doc.id });
    expect(unchanged).toMatchObject({ status: 'submitted', approvedRevisionId: null });
    // Without naming what was read, nothing is approved either.
    expect(await backend.call('workflow.transition', { documentId: doc.id, action: 'approve' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    // What the refusal offers: the changes since the version read.
    const since = await backend.invoke('revisions.compare', { documentId: doc.id, fromId: read.revisionId!, toId: 'working' });
    expect(since.wordsAdded).toBe(4);

    // The editor reads the current text (kept as a version of exactly it) and approves that.
    const current = await readForReview(backend, doc.id);
    const approved = await backend.invoke('workflow.transition', { documentId: doc.id, action: 'approve', revisionId: current });
    expect(approved.status).toBe('approved');
    const published = await backend.invoke('workflow.transition', { documentId: doc.id, action: 'publish', revisionId: approved.approvedRevisionId! });
    expect(published.status).toBe('published');
    const rows = await until(() => statusOf(doc.id), (r) => state(r) === 'done', 'the post');
    expect(rows[0]).toMatchObject({ publishedRevisionId: approved.approvedRevisionId, job: { action: 'publish', revisionId: approved.approvedRevisionId } });
    const post = [...cms.posts.values()].find((p) => p.documentId === doc.id)!;
    expect(post).toMatchObject({ revisionId: approved.approvedRevisionId });
    expect(post.html).toContain('Opponents plan to sue.');
  });

  it('Publish naming an approved revision that is no longer the approved one is refused', async () => {
    await signIn(backend, 'Eda Editor', 'editor');
    await useMemoryCms();
    const article = await approvedArticle(backend);
    const v2 = await reapproveWith(backend, article.id, { fields: { dek: 'Seven votes to two.' } });
    const refused = await backend.call('workflow.transition', { documentId: article.id, action: 'publish', revisionId: article.approvedRevisionId! });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining('Another version was approved since you looked') } });
    expect(await statusOf(article.id)).toEqual([]); // no job was written
    const published = await backend.invoke('workflow.transition', { documentId: article.id, action: 'publish', revisionId: v2.approvedRevisionId! });
    expect(published.status).toBe('published');
  });
});

describe('a saved secret goes only where it was given', () => {
  /** A back end whose adapters record which address each secret would be sent to. */
  function recording() {
    const sent: { to: string; secret: string; staffToken: string }[] = [];
    const reopen = async () => {
      await backend.shutdown();
      backend = openBackend({
        dataDir: dir.dir,
        now: () => now,
        adapterFactory: (config, secret, options) => ({
          ...cms.adapter,
          verify: async () => {
            sent.push({ to: config.type === 'folder' ? config.folder : `${config.type} ${config.siteUrl}${config.type === 'wordpress' ? ` as ${config.username}` : ''}`, secret, staffToken: options?.staffToken ?? '' });
            return { account: 'x', warnings: [] };
          },
        }),
      });
    };
    return { sent, reopen };
  }

  it('an editor changes a saved target’s Site URL, username or type: the stored password is not sent there', async () => {
    const { sent, reopen } = recording();
    await reopen();
    await signIn(backend, 'Eda Editor', 'editor');
    const wp = { type: 'wordpress' as const, siteUrl: 'https://news.example.org', username: 'desk' };
    const saved = await backend.invoke('publishing.saveTarget', { name: 'Harbour Times', config: wp, secret: 'the real password' });

    const elsewhere = { ...wp, siteUrl: 'https://attacker.example' };
    await expect(backend.invoke('publishing.testTarget', { id: saved.id, config: elsewhere })).rejects.toThrow(
      'Enter the Application password again: the site URL or username changed, and Galley sends a stored secret only to the site it was given for.',
    );
    await expect(backend.invoke('publishing.testTarget', { id: saved.id, config: { ...wp, username: 'someone-else' } })).rejects.toThrow(/Application password again/);
    await expect(backend.invoke('publishing.testTarget', { id: saved.id, config: { type: 'ghost', siteUrl: wp.siteUrl } })).rejects.toThrow(
      'Enter the Admin API key again: the CMS type changed',
    );
    await expect(backend.invoke('publishing.saveTarget', { id: saved.id, name: 'Harbour Times', config: elsewhere })).rejects.toThrow(/Application password again/);
    expect(sent).toEqual([]);
    // Nothing saved changed: the target still points at its own site with its own password.
    const [target] = (await backend.invoke('publishing.targets', {})).targets.filter((t) => t.id === saved.id);
    expect(target).toMatchObject({ config: wp, hasSecret: true });

    // The same site (a trailing slash, the host's case) keeps it; test-by-id uses the stored configuration.
    await backend.invoke('publishing.testTarget', { id: saved.id, config: { ...wp, siteUrl: 'https://NEWS.example.org/' } });
    expect(sent).toEqual([{ to: 'wordpress https://news.example.org as desk', secret: 'the real password', staffToken: '' }]);
    // With the password typed again, the new address is fine.
    await backend.invoke('publishing.saveTarget', { id: saved.id, name: 'Harbour Times', config: elsewhere, secret: 'a new password' });
    await backend.invoke('publishing.testTarget', { id: saved.id, config: elsewhere });
    expect(sent.at(-1)).toEqual({ to: 'wordpress https://attacker.example as desk', secret: 'a new password', staffToken: '' });
  });

  it('a Ghost target keeps its Staff access token sealed, never shows it, and drops it with a new site', async () => {
    const { sent, reopen } = recording();
    await reopen();
    await signIn(backend, 'Eda Editor', 'editor');
    const ghost = { type: 'ghost' as const, siteUrl: 'https://ghost.example.org' };
    const token = '64f0c0ffee00000000000001:' + 'ab'.repeat(32);
    const saved = await backend.invoke('publishing.saveTarget', { name: 'Ghost', config: ghost, secret: 'key:' + 'cd'.repeat(32), staffToken: token });
    expect(saved).toMatchObject({ hasSecret: true, hasStaffToken: true });
    expect(JSON.stringify(await backend.invoke('publishing.targets', {}))).not.toContain(token);
    expect(readFileSync(join(dir.dir, 'galley.db')).toString('latin1')).not.toContain(token);
    await backend.invoke('publishing.testTarget', { id: saved.id, config: ghost });
    expect(sent.at(-1)!.staffToken).toBe(token);
    // A new address with a new Admin API key: the old staff token does not follow it there.
    const moved = await backend.invoke('publishing.saveTarget', { id: saved.id, name: 'Ghost', config: { ...ghost, siteUrl: 'https://other.example' }, secret: 'key:' + 'ef'.repeat(32) });
    expect(moved).toMatchObject({ hasSecret: true, hasStaffToken: false });
  });
});

describe('publishing through the outbox', () => {
  it('holds a scheduled story for the folder until its time, and cancels jobs of a removed target', async () => {
    await signIn(backend, 'Eda Editor', 'editor');
    const article = await approvedArticle(backend);
    const at = now + 3_600_000;
    await backend.invoke('workflow.transition', { documentId: article.id, action: 'schedule', publishAt: at });
    let rows = await until(() => statusOf(article.id), (r) => state(r, 'Folder') === 'scheduled', 'the held job');
    expect(rows[0]!.job!.publishAt).toBe(at);
    await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(join(dir.dir, 'published', 'council-backs-harbour-expansion.html'))).toBe(false);
    now = at + 1;
    backend.outbox.kick();
    rows = await until(() => statusOf(article.id), (r) => state(r, 'Folder') === 'done', 'the scheduled publish');
    expect(existsSync(join(dir.dir, 'published', 'council-backs-harbour-expansion.html'))).toBe(true);

    const other = await approvedArticle(backend, { headline: 'Ferry fares rise' });
    await backend.invoke('workflow.transition', { documentId: other.id, action: 'schedule', publishAt: now + 3_600_000 });
    const target = (await backend.invoke('publishing.targets', {})).targets[0]!;
    await backend.invoke('publishing.removeTarget', { id: target.id });
    const job = backend.db.prepare('SELECT state, last_error AS lastError FROM publish_jobs WHERE document_id = ?').get(other.id);
    expect(job).toEqual({ state: 'cancelled', lastError: 'The publish target was removed' });
  });


  it('an editor schedules a story for tomorrow, then publishes it now: the folder page is written now', async () => {
    await signIn(backend, 'Eda Editor', 'editor');
    const article = await approvedArticle(backend);
    await backend.invoke('workflow.transition', { documentId: article.id, action: 'schedule', publishAt: now + 86_400_000 });
    await until(() => statusOf(article.id), (r) => state(r, 'Folder') === 'scheduled', 'the held job');
    // Plans change: approve again and Publish now.
    await backend.invoke('workflow.transition', { documentId: article.id, action: 'approve', revisionId: await readForReview(backend, article.id) });
    await backend.invoke('workflow.transition', { documentId: article.id, action: 'publish' });
    const rows = await until(() => statusOf(article.id), (r) => state(r, 'Folder') === 'done', 'the publish now');
    expect(rows[0]!.job!.publishAt).toBeNull();
    expect(existsSync(join(dir.dir, 'published', 'council-backs-harbour-expansion.html'))).toBe(true);
    // The held schedule was replaced, not left to publish again tomorrow.
    const jobs = backend.db.prepare('SELECT state, last_error AS lastError FROM publish_jobs WHERE document_id = ? ORDER BY id').all(article.id);
    expect(jobs).toEqual([
      { state: 'cancelled', lastError: 'Replaced by a later Publish, Schedule or Unpublish' },
      { state: 'done', lastError: null },
    ]);
  });

  it('an editor unpublishes a story scheduled for tomorrow: the folder never writes it', async () => {
    await signIn(backend, 'Eda Editor', 'editor');
    const article = await approvedArticle(backend);
    await backend.invoke('workflow.transition', { documentId: article.id, action: 'schedule', publishAt: now + 86_400_000 });
    await until(() => statusOf(article.id), (r) => state(r, 'Folder') === 'scheduled', 'the held job');
    await backend.invoke('workflow.transition', { documentId: article.id, action: 'unpublish' });
    expect(state(await statusOf(article.id), 'Folder')).toBe('cancelled');
    now += 86_400_000 + 1;
    backend.outbox.kick();
    await backend.outbox.idle();
    expect(existsSync(join(dir.dir, 'published', 'council-backs-harbour-expansion.html'))).toBe(false);
  });

  it('publishes the approved revision to the folder: page, ninjs and photo', async () => {
    await signIn(backend, 'Eda Editor', 'editor');
    const caption = await approvedCaption(backend);
    const article = await approvedArticle(backend, { captionId: caption.id, headline: 'Council backs <harbour> expansion' });
    // A later edit to the working copy is not what gets published.
    const published = await backend.invoke('workflow.transition', { documentId: article.id, action: 'publish' });
    expect(published.status).toBe('published');
    const rows = await until(() => statusOf(article.id), (r) => state(r, 'Folder') === 'done', 'the folder job');
    expect(rows[0]!.remoteStatus).toBe('published');
    const folder = join(dir.dir, 'published');
    const page = readFileSync(join(folder, 'council-backs-harbour-expansion.html'), 'utf8');
    expect(page).toContain('Council backs &lt;harbour&gt; expansion');
    expect(page).toMatch(/<figure><img src="photos\/[^"]+\.jpg" alt="Six small fishing boats[^"]*"/);
    expect(page).toContain('<span class="credit">Photo: Lena Ortiz/Northwind Photo</span>');
    expect(page).not.toContain('data-caption-id');
    expect(page).not.toMatch(/<script/i);
    const ninjs = JSON.parse(readFileSync(join(folder, 'council-backs-harbour-expansion.json'), 'utf8'));
    expect(ninjs.headlines[0].value).toBe('Council backs <harbour> expansion');
    // History shows the moment it was published; the audit trail names the approved revision.
    const events = await backend.invoke('workflow.events', { documentId: article.id });
    expect(events[0]).toMatchObject({ action: 'publish', revisionId: article.approvedRevisionId });
    const history = await backend.invoke('revisions.list', { documentId: article.id });
    expect(history.map((r) => r.label)).toContain('published');
  });

  it('refuses to publish what is not approved, or fails its checks, and leaves no job', async () => {
    await signIn(backend, 'Eda Editor', 'editor');
    await useMemoryCms();
    const caption = await backend.invoke('documents.create', { kind: 'caption' });
    const article = await approvedArticle(backend, { captionId: caption.id });
    await expect(backend.invoke('workflow.transition', { documentId: article.id, action: 'publish' })).rejects.toThrow(/Fix these before publishing: Caption/);
    const draft = await backend.invoke('documents.create', { kind: 'article' });
    await expect(backend.invoke('workflow.transition', { documentId: draft.id, action: 'publish' })).rejects.toThrow(/draft document cannot be published/);
    await signIn(backend, 'Rey Reporter', 'reporter');
    await expect(backend.invoke('workflow.transition', { documentId: article.id, action: 'publish' })).rejects.toMatchObject({ code: 'forbidden' });
    expect(backend.db.prepare('SELECT COUNT(*) AS n FROM publish_jobs').get()).toEqual({ n: 0 });
  });

  it('after a lost response to a create, finds the earlier post instead of creating a second', async () => {
    await signIn(backend, 'Eda Editor', 'editor');
    await useMemoryCms();
    const article = await approvedArticle(backend);
    cms.failNext({ method: 'createArticle', error: new CmsError('retry', 'connection reset'), after: true });
    await backend.invoke('workflow.transition', { documentId: article.id, action: 'publish' });
    let rows = await until(() => statusOf(article.id), (r) => state(r) === 'retrying', 'a retry');
    expect(rows[0]!.job!.lastError).toContain('connection reset');
    now = rows[0]!.job!.nextAttemptAt! + 1;
    backend.outbox.kick();
    rows = await until(() => statusOf(article.id), (r) => state(r) === 'done', 'the retry');
    expect(cms.posts.size).toBe(1);
    expect(cms.calls.filter((c) => c === 'createArticle')).toHaveLength(1);
    expect(rows[0]!.remoteUrl).toBe('https://cms.example/council-backs-harbour-expansion');
  });

  it('honours Retry-After, pauses on refused credentials and resumes when they are fixed', async () => {
    await signIn(backend, 'Eda Editor', 'editor');
    const targetId = await useMemoryCms();
    const article = await approvedArticle(backend);
    cms.failNext({ method: 'findExisting', error: new CmsError('retry', 'CMS answered 429', { status: 429, retryAfterMs: 120_000 }) });
    await backend.invoke('workflow.transition', { documentId: article.id, action: 'publish' });
    let rows = await until(() => statusOf(article.id), (r) => state(r) === 'retrying', 'a retry');
    expect(rows[0]!.job!.nextAttemptAt! - now).toBeGreaterThanOrEqual(120_000);
    cms.failNext({ method: 'findExisting', error: new CmsError('auth', 'the CMS refused the credentials (401)', { status: 401 }) });
    now += 121_000;
    backend.outbox.kick();
    rows = await until(() => statusOf(article.id), (r) => state(r) === 'paused', 'the pause');
    expect((await backend.invoke('publishing.targets', {})).targets[0]!.pausedReason).toContain('refused the credentials');
    // New credentials lift the pause and the job goes out.
    await backend.invoke('publishing.saveTarget', { id: targetId, name: 'Memory CMS', config: { type: 'webhook', siteUrl: 'https://cms.example/hook' }, secret: 'new' });
    rows = await until(() => statusOf(article.id), (r) => state(r) === 'done', 'the resumed job');
    expect(cms.posts.size).toBe(1);
  });

  it('fails with the CMS’s message on a permanent error; Retry sends it again', async () => {
    await signIn(backend, 'Eda Editor', 'editor');
    await useMemoryCms();
    const article = await approvedArticle(backend);
    cms.failNext({ method: 'createArticle', error: new CmsError('permanent', 'Creating the post: Invalid parameter(s): slug', { status: 400 }) });
    await backend.invoke('workflow.transition', { documentId: article.id, action: 'publish' });
    const rows = await until(() => statusOf(article.id), (r) => state(r) === 'failed', 'the failure');
    expect(rows[0]!.job!.lastError).toBe('Creating the post: Invalid parameter(s): slug');
    await backend.invoke('publishing.retry', { jobId: rows[0]!.job!.id });
    await until(() => statusOf(article.id), (r) => state(r) === 'done', 'the retried job');
    expect(cms.posts.size).toBe(1);
  });

  it('updates the same post after a re-approval, and never overwrites a post changed in the CMS', async () => {
    await signIn(backend, 'Eda Editor', 'editor');
    await useMemoryCms();
    const article = await approvedArticle(backend);
    await backend.invoke('workflow.transition', { documentId: article.id, action: 'publish' });
    await until(() => statusOf(article.id), (r) => state(r) === 'done', 'the first publish');
    const [post] = [...cms.posts.values()];

    const v2 = await reapproveWith(backend, article.id, { fields: { headline: 'Council backs harbour expansion, 7-2' } });
    await backend.invoke('workflow.transition', { documentId: v2.id, action: 'publish' });
    await until(() => statusOf(article.id), (r) => state(r) === 'done' && r[0]!.publishedRevisionId === v2.approvedRevisionId, 'the update');
    expect(cms.posts.size).toBe(1);
    expect(post!.title).toBe('Council backs harbour expansion, 7-2');

    cms.editInCms(post!.id, 'Edited on the website');
    const v3 = await reapproveWith(backend, article.id, { fields: { headline: 'Harbour expansion approved' } });
    await backend.invoke('workflow.transition', { documentId: v3.id, action: 'publish' });
    const rows = await until(() => statusOf(article.id), (r) => state(r) === 'conflict', 'the conflict');
    expect(rows[0]!.conflict).toMatchObject({ remoteTitle: 'Edited on the website', localTitle: 'Harbour expansion approved' });
    expect(post!.title).toBe('Edited on the website');
    await backend.invoke('publishing.resolve', { jobId: rows[0]!.job!.id, choice: 'overwrite' });
    await until(() => statusOf(article.id), (r) => state(r) === 'done', 'the overwrite');
    expect(post!.title).toBe('Harbour expansion approved');
    expect(cms.posts.size).toBe(1);

    // Keeping the CMS's version: it stays, and the next update goes through without a new conflict.
    cms.editInCms(post!.id, 'Edited on the website again');
    const v4 = await reapproveWith(backend, article.id, { fields: { dek: 'Seven votes to two.' } });
    await backend.invoke('workflow.transition', { documentId: v4.id, action: 'publish' });
    const again = await until(() => statusOf(article.id), (r) => state(r) === 'conflict', 'the second conflict');
    await backend.invoke('publishing.resolve', { jobId: again[0]!.job!.id, choice: 'keepRemote' });
    expect(post!.title).toBe('Edited on the website again');
    expect(state(await statusOf(article.id))).toBe('cancelled');
    const v5 = await reapproveWith(backend, article.id, { fields: { headline: 'Harbour expansion: the vote' } });
    await backend.invoke('workflow.transition', { documentId: v5.id, action: 'publish' });
    await until(() => statusOf(article.id), (r) => state(r) === 'done', 'the update after keeping');
    expect(post!.title).toBe('Harbour expansion: the vote');
  });

  it('asks to recreate or unlink when the post is gone from the CMS', async () => {
    await signIn(backend, 'Eda Editor', 'editor');
    await useMemoryCms();
    const article = await approvedArticle(backend);
    await backend.invoke('workflow.transition', { documentId: article.id, action: 'publish' });
    await until(() => statusOf(article.id), (r) => state(r) === 'done', 'the publish');
    cms.posts.clear();
    const v2 = await reapproveWith(backend, article.id, { fields: { dek: 'Updated.' } });
    await backend.invoke('workflow.transition', { documentId: v2.id, action: 'publish' });
    const rows = await until(() => statusOf(article.id), (r) => state(r) === 'missing', 'missing');
    await backend.invoke('publishing.resolve', { jobId: rows[0]!.job!.id, choice: 'recreate' });
    await until(() => statusOf(article.id), (r) => state(r) === 'done', 'the recreate');
    expect(cms.posts.size).toBe(1);
  });

  it('after a crash mid-send, sends the job again on restart without a duplicate', async () => {
    await signIn(backend, 'Eda Editor', 'editor');
    await useMemoryCms();
    const article = await approvedArticle(backend);
    await backend.invoke('workflow.transition', { documentId: article.id, action: 'publish' });
    await until(() => statusOf(article.id), (r) => state(r) === 'done', 'the publish');
    // Simulate a crash after the CMS created the post but before Galley recorded it.
    backend.db.exec(`UPDATE publish_jobs SET state = 'sending'; DELETE FROM remote_posts;`);
    await backend.shutdown();
    backend = open();
    await until(() => statusOf(article.id), (r) => state(r) === 'done' && r[0]!.remoteUrl !== null, 'the resumed job');
    expect(cms.posts.size).toBe(1);
    expect(cms.calls.filter((c) => c === 'createArticle')).toHaveLength(1);
  });

  it('schedules, unpublishes, and sends caption edits to the media items already uploaded', async () => {
    await signIn(backend, 'Eda Editor', 'editor');
    await useMemoryCms();
    const caption = await approvedCaption(backend);
    const article = await approvedArticle(backend, { captionId: caption.id });
    await expect(backend.invoke('workflow.transition', { documentId: article.id, action: 'schedule', publishAt: now - 1000 })).rejects.toThrow(/at least a minute from now/);
    const at = now + 86_400_000;
    await backend.invoke('workflow.transition', { documentId: article.id, action: 'schedule', publishAt: at });
    await until(() => statusOf(article.id), (r) => state(r) === 'done', 'the scheduled publish');
    const [post] = [...cms.posts.values()];
    expect(post!.publishAt).toBe(at);
    expect((await statusOf(article.id))[0]!.remoteStatus).toBe('scheduled');
    expect(cms.media.size).toBe(1);
    expect(post!.featured).toBe([...cms.media.keys()][0]);

    // The photo desk corrects the credit; the re-approved caption updates the media item.
    await reapproveWith(backend, caption.id, { fields: { credit: 'Lena Ortiz/Harbour Times' } });
    await until(() => statusOf(caption.id), (r) => state(r) === 'done', 'the caption update');
    expect([...cms.media.values()][0]!.caption).toContain('Photo: Lena Ortiz/Harbour Times');

    await backend.invoke('workflow.transition', { documentId: article.id, action: 'unpublish' });
    await until(() => statusOf(article.id), (r) => state(r) === 'done' && r[0]!.remoteStatus === 'withdrawn', 'the unpublish');
    expect(post!.status).toBe('draft');
    expect((await backend.invoke('documents.get', { id: article.id })).status).toBe('withdrawn');
  });

  it('publishes a bio to the author’s profile', async () => {
    await signIn(backend, 'Eda Editor', 'editor');
    await useMemoryCms();
    const article = await approvedArticle(backend);
    const bio = (await backend.invoke('documents.list', { kind: 'bio' }))[0]!;
    const submitted = await backend.invoke('workflow.transition', { documentId: bio.id, action: 'submit' });
    await backend.invoke('workflow.transition', { documentId: bio.id, action: 'approve', revisionId: submitted.revisionId! });
    await backend.invoke('workflow.transition', { documentId: bio.id, action: 'publish' });
    await until(() => statusOf(bio.id), (r) => state(r) === 'done', 'the bio');
    expect(cms.bios.get('amara.osei@example.org')).toBe('Amara Osei covers the harbour.');
    expect(article.status).toBe('approved');
  });
});

describe('bios to Ghost', () => {
  it('a bio published to Ghost without a Staff access token fails once with what to do; given one, it goes out', async () => {
    const ghost = await startFakeGhost();
    try {
      const amara = ghost.addUser({ name: 'Amara Osei', email: 'amara.osei@example.org', role: 'Author', bio: 'Old bio.' });
      const admin = ghost.addUser({ name: 'Oda Owner', email: 'oda@example.org', role: 'Administrator' });
      await backend.shutdown();
      backend = openBackend({ dataDir: dir.dir, now: () => now, adapterFactory: adapterFor });
      const eda = await signIn(backend, 'Eda Editor', 'editor');
      const { targets } = await backend.invoke('publishing.targets', {});
      for (const t of targets) await backend.invoke('publishing.removeTarget', { id: t.id });
      const target = await backend.invoke('publishing.saveTarget', { name: 'Ghost', config: { type: 'ghost', siteUrl: ghost.url }, secret: ghost.adminKey });
      const bio = await ensureBio(backend);
      await backend.invoke('workflow.transition', { documentId: bio.id, action: 'submit' });
      await backend.invoke('workflow.transition', { documentId: bio.id, action: 'approve', revisionId: await readForReview(backend, bio.id) });
      await backend.invoke('workflow.transition', { documentId: bio.id, action: 'publish' });
      const rows = await until(() => statusOf(bio.id), (r) => state(r, 'Ghost') === 'failed' || state(r, 'Ghost') === 'retrying', 'the bio job to stop');
      // Ghost's 501 is an answer, not an outage: one attempt, and the reason says what to do.
      expect(rows[0]!.job).toMatchObject({ state: 'failed', attempts: 1 });
      expect(rows[0]!.job!.lastError).toContain('Ghost needs a Staff access token for staff bios');
      expect(ghost.requests.filter((r) => r.method === 'PUT').map((r) => r.status)).toEqual([501]);
      expect(ghost.users().find((u) => u.id === amara.id)!.bio).toBe('Old bio.');
      // The target was not paused: articles still go.
      expect((await backend.invoke('publishing.targets', {})).targets[0]!.pausedReason).toBeNull();

      await signIn(backend, 'Rey Reporter', 'reporter');
      await expect(backend.invoke('publishing.setStaffToken', { targetId: target.id, staffToken: admin.staffToken })).rejects.toMatchObject({ code: 'forbidden' });
      await backend.invoke('session.switch', { personId: eda.id });
      await expect(backend.invoke('publishing.setStaffToken', { targetId: target.id, staffToken: 'a Content API key' })).rejects.toThrow(
        'staffToken: A Staff access token looks like <id>:<secret>',
      );
      const given = await backend.invoke('publishing.setStaffToken', { targetId: target.id, staffToken: admin.staffToken });
      expect(given).toMatchObject({ hasStaffToken: true, hasSecret: true });
      await until(() => statusOf(bio.id), (r) => state(r, 'Ghost') === 'done', 'the bio with the staff token');
      expect(ghost.users().find((u) => u.id === amara.id)!.bio).toBe('Amara Osei covers the harbour.');
    } finally {
      await ghost.close();
    }
  });
});
