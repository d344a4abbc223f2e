import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend, type Backend } from '../../electron/backend.ts';
import type { DocumentRecord } from '../../shared/documents.ts';
import { GalleyError } from '../../shared/errors.ts';
import { edited, paragraphs, tempDir } from '../support/backend.ts';
import { deskServerMissing, startDeskServer, type RunningDeskServer } from '../support/deskServer.ts';
import { HARBOR_PHOTO, readForReview, storyBody } from '../support/newsroom.ts';
import { postgresMissing, startPostgres, type PgCluster } from '../support/postgres.ts';
import { startWordPress, wordPressUnavailable, type WordPressSite } from '../support/wordpress.ts';

/**
 * Issue #17's newsroom, all real parts: a private PostgreSQL, TWO desk processes
 * (`desk/start.ts` as child processes) on its one database, and three workstation back
 * ends — reporter (A), editor (B), photo desk (C) — each with its own data folder,
 * talking to the desk over HTTP and its event socket. The story goes submit → request
 * changes → an offline edit and resubmit while every desk process is down → approve the
 * exact revision → publish, with the desk process sending it killed mid-publish. The
 * folder target and a real local WordPress each end with exactly one post.
 */
const missing = postgresMissing() ?? deskServerMissing();
if (missing) console.warn(`Skipping the newsroom desk scenario: ${missing}`);
const noWordPress = wordPressUnavailable();
if (noWordPress) console.warn(`The newsroom desk scenario publishes to the Folder target only: ${noWordPress}`);

const PASSWORD = 'correct horse battery staple';

async function until<T>(what: string, probe: () => Promise<T> | T, ok: (v: T) => boolean, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T | undefined;
  let lastError: unknown;
  do {
    try {
      last = await probe();
      if (ok(last)) return last;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 50));
  } while (Date.now() < deadline);
  throw new Error(`Timed out waiting for ${what}; last: ${JSON.stringify(last)} ${lastError ? String(lastError) : ''}`);
}

function pages(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.html')) out.push(path);
    }
  };
  walk(folder);
  return out;
}

describe.skipIf(missing !== null)('the newsroom desk: three workstations, two desk processes, one PostgreSQL', () => {
  let cluster: PgCluster;
  let databaseUrl: string;
  let deskDir: string;
  let desks: RunningDeskServer[] = [];
  let wordpress: WordPressSite | null = null;
  const workstations: Backend[] = [];
  const folder = tempDir('galley-desk-folder-').dir;

  const startDesk = (port?: number) => startDeskServer({ databaseUrl, dataDir: deskDir, port });

  beforeAll(async () => {
    // A killed process's claim on a publishing job lapses after 3 s here (a minute by default).
    process.env.GALLEY_DESK_PUBLISH_LEASE_MS = '3000';
    cluster = await startPostgres();
    databaseUrl = await cluster.createDatabase('newsroom');
    deskDir = tempDir('galley-desk-data-').dir;
    // One at a time: the first migrates the database.
    desks = [await startDesk(), await startDesk()];
    if (!noWordPress) {
      const site = await startWordPress();
      if ('skipped' in site) console.warn(`The newsroom desk scenario publishes to the Folder target only: ${site.skipped}`);
      else wordpress = site;
    }
  }, 240_000);

  afterAll(async () => {
    delete process.env.GALLEY_DESK_PUBLISH_LEASE_MS;
    for (const w of workstations) await w.shutdown().catch(() => undefined);
    for (const d of desks) await d.stop('SIGKILL').catch(() => undefined);
    await wordpress?.stop();
    await cluster?.stop();
  }, 120_000);

  function workstation(): Backend {
    // Quick reconnects so "the desk comes back" is noticed in well under a second.
    const backend = openBackend({ dataDir: tempDir('galley-ws-').dir, desk: { retryFirstMs: 100, retryMostMs: 500 } });
    workstations.push(backend);
    return backend;
  }

  async function deskQuery<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      return (await client.query<T>(text, values)).rows;
    } finally {
      await client.end();
    }
  }

  async function synced(w: Backend) {
    return until('the workstation to be connected with nothing waiting', () => w.invoke('desk.syncNow', {}), (l) => l.state === 'connected' && l.waiting === 0);
  }

  it('carries one story from reporter to editor to two CMSs, through an outage and a killed desk process', async () => {
    const [p1, p2] = desks as [RunningDeskServer, RunningDeskServer];
    const reporter = workstation();
    const editor = workstation();
    const photoDesk = workstation();

    // The editor's workstation creates the desk on process 2; the others join on process 1.
    expect((await editor.invoke('desk.connect', { address: p2.url })).needsSetup).toBe(true);
    const created = await editor.invoke('desk.setup', { deskName: 'City desk', name: 'Edith Editor', username: 'edith', password: PASSWORD });
    expect(created).toMatchObject({ state: 'connected', deskName: 'City desk', person: { name: 'Edith Editor', role: 'editor', admin: true } });
    const reporterInvite = await editor.invoke('desk.invite', { name: 'Rui Reporter', username: 'rui', role: 'reporter' });
    const photoInvite = await editor.invoke('desk.invite', { name: 'Pia Photo', username: 'pia', role: 'photo_desk' });
    await reporter.invoke('desk.connect', { address: p1.url });
    expect((await reporter.invoke('desk.acceptInvite', { code: reporterInvite.code, password: 'reporter-password-1' })).person?.role).toBe('reporter');
    await photoDesk.invoke('desk.connect', { address: p1.url });
    expect((await photoDesk.invoke('desk.acceptInvite', { code: photoInvite.code, password: 'photo-password-12' })).person?.role).toBe('photo_desk');
    // The desk decides roles: the reporter's workstation cannot make anyone an editor.
    await expect(reporter.invoke('people.create', { name: 'Sneaky', role: 'editor' })).rejects.toBeInstanceOf(GalleyError);

    // Publish targets live on the desk (secrets sealed there).
    await editor.invoke('publishing.saveTarget', { name: 'Archive folder', config: { type: 'folder', folder } });
    if (wordpress) {
      await editor.invoke('publishing.saveTarget', {
        name: 'Newsroom WordPress',
        config: { type: 'wordpress', siteUrl: wordpress.url, username: wordpress.username },
        secret: wordpress.appPassword,
      });
    }

    // The photo desk on C captions a photo.
    const asset = await photoDesk.invoke('assets.import', { fileName: 'harbor-dawn.jpg', data: new Uint8Array(readFileSync(HARBOR_PHOTO)) });
    let caption = await photoDesk.invoke('captions.createFromPhoto', { sha256: asset.sha256 });
    await photoDesk.invoke('documents.saveWorking', {
      id: caption.id,
      version: caption.version,
      content: edited(caption.content, { fields: { credit: 'Pia Photo / City Desk' }, body: paragraphs('Fishing boats leave the harbour at dawn.') }),
    });
    caption = await photoDesk.invoke('workflow.transition', { documentId: caption.id, action: 'submit' });
    await synced(photoDesk);
    await until('the caption in the editor’s review queue', () => editor.invoke('documents.list', { status: 'submitted' }), (l) => l.some((d) => d.id === caption.id));
    await editor.invoke('workflow.transition', { documentId: caption.id, action: 'approve', revisionId: await readForReview(editor, caption.id) });
    await synced(editor);

    // The reporter on A keeps a bio for their byline, and writes the story with that photo.
    const bio = await reporter.invoke('documents.create', { kind: 'bio' });
    await reporter.invoke('documents.saveWorking', {
      id: bio.id,
      version: bio.version,
      content: edited(bio.content, { fields: { name: 'Rui Reporter', email: 'rui@example.org' }, body: paragraphs('Rui Reporter covers the harbour.') }),
    });
    await reporter.invoke('revisions.checkpoint', { documentId: bio.id });
    await until('the caption on the reporter’s workstation', () => reporter.invoke('documents.list', { kind: 'caption' }), (l) => l.some((d) => d.id === caption.id && d.status === 'approved'));
    let story = await reporter.invoke('documents.create', { kind: 'article' });
    const body = storyBody(caption.id, 'The council voted on Tuesday to expand the harbour.', 'Work starts in spring.');
    await reporter.invoke('documents.saveWorking', {
      id: story.id,
      version: story.version,
      content: edited(story.content, { fields: { headline: 'Council backs harbour expansion', dek: 'A 7-2 vote.', byline: 'Rui Reporter', section: 'Local', tags: ['harbour'] }, body }),
    });
    story = await reporter.invoke('workflow.transition', { documentId: story.id, action: 'submit', note: 'Ready for the evening.' });
    await synced(reporter);

    // B: it is in the editor's review queue; they send it back.
    await until('the story in the editor’s review queue', () => editor.invoke('documents.list', { status: 'submitted' }), (l) => l.some((d) => d.id === story.id));
    await editor.invoke('workflow.transition', { documentId: story.id, action: 'requestChanges', note: 'Name the councillors.', revisionId: await readForReview(editor, story.id) });
    await synced(editor);
    await until('the request on the reporter’s workstation', () => reporter.invoke('documents.get', { id: story.id }), (d) => d.status === 'changes_requested');

    // A, with every desk process stopped, edits and resubmits; both wait to be sent.
    const ports = [p1.port, p2.port];
    await p1.stop();
    await p2.stop();
    let current: DocumentRecord = await reporter.invoke('documents.get', { id: story.id });
    const fixed = edited(current.content, { body: storyBody(caption.id, 'The council voted 7-2 on Tuesday, with Councillors Ames and Bo against, to expand the harbour.', 'Work starts in spring.') });
    await reporter.invoke('documents.saveWorking', { id: story.id, version: current.version, content: fixed });
    current = await reporter.invoke('workflow.transition', { documentId: story.id, action: 'submit', note: 'Names added.' });
    expect(current.status).toBe('submitted');
    const offline = await until('the reporter to see the desk is gone', () => reporter.invoke('desk.syncNow', {}), (l) => l.state === 'offline');
    expect(offline.waiting).toBeGreaterThan(0);
    expect((await reporter.invoke('desk.outbox', {})).some((item) => item.operation === 'workflow.act' && item.state === 'waiting')).toBe(true);

    // The desk comes back (same addresses); the resubmission goes out exactly once.
    desks = [await startDesk(ports[0]), await startDesk(ports[1])];
    await synced(reporter);
    const submits = await deskQuery<{ n: number }>(`SELECT count(*)::int AS n FROM workflow_events WHERE document_id = $1 AND action = 'submit'`, [story.id]);
    expect(submits[0]!.n).toBe(2);

    // B approves exactly the revision it read, and publishes.
    const reviewed = await until('the edited story on the editor’s workstation', () => editor.invoke('documents.get', { id: story.id }), (d) => d.status === 'submitted' && JSON.stringify(d.content).includes('Councillors Ames'));
    const revisionId = await readForReview(editor, reviewed.id);
    await editor.invoke('workflow.transition', { documentId: story.id, action: 'approve', revisionId });
    await synced(editor);
    // The desk holds the approval the editor's workstation recorded (the "approved" version
    // cut from the text they read): the same revision id, with exactly the read content.
    const approvedHere = (await editor.invoke('documents.get', { id: story.id })).approvedRevisionId!;
    const [deskDoc] = await deskQuery<{ approved_revision_id: string; status: string }>('SELECT approved_revision_id, status FROM documents WHERE id = $1', [story.id]);
    expect(deskDoc).toEqual({ approved_revision_id: approvedHere, status: 'approved' });
    const hashes = await deskQuery<{ id: string; content_hash: string }>('SELECT id, content_hash FROM revisions WHERE id = ANY($1)', [[approvedHere, revisionId]]);
    expect(hashes).toHaveLength(2);
    expect(new Set(hashes.map((h) => h.content_hash)).size).toBe(1);
    await editor.invoke('workflow.transition', { documentId: story.id, action: 'publish', revisionId: approvedHere });
    await editor.invoke('desk.syncNow', {});

    // Kill the desk process that is sending it (or, if neither has claimed it yet, one of them).
    const claimed = await until(
      'a desk process to claim the publish',
      () => deskQuery<{ claimed_by: string | null; state: string }>(`SELECT claimed_by, state FROM publish_jobs WHERE document_id = $1 AND action = 'publish'`, [story.id]),
      (rows) => rows.length > 0 && rows.some((r) => r.claimed_by !== null || r.state === 'done'),
      30_000,
    );
    const byPid = claimed.map((r) => r.claimed_by?.split(':')[1]).find(Boolean);
    const victim = desks.find((d) => String(d.process.pid) === byPid) ?? desks[0]!;
    await victim.stop('SIGKILL');

    const done = await until(
      'every publish job of the story done',
      () => deskQuery<{ state: string; last_error: string | null }>(`SELECT state, last_error FROM publish_jobs WHERE document_id = $1 AND action = 'publish'`, [story.id]),
      (rows) => rows.length === (wordpress ? 2 : 1) && rows.every((r) => r.state === 'done'),
      90_000,
    );
    expect(done.every((r) => r.state === 'done')).toBe(true);

    // Exactly one page in the folder, exactly one post in WordPress.
    const written = pages(folder).filter((p) => readFileSync(p, 'utf8').includes('Councillors Ames'));
    expect(written).toHaveLength(1);
    if (wordpress) {
      const response = await fetch(`${wordpress.url}/?${new URLSearchParams({ rest_route: '/wp/v2/posts', context: 'edit', galley_document_id: story.id, status: 'publish,future,draft,pending,private' })}`, {
        headers: { Authorization: `Basic ${Buffer.from(`${wordpress.username}:${wordpress.appPassword}`).toString('base64')}` },
      });
      const posts = (await response.json()) as { id: number; content: { raw: string } }[];
      expect(posts).toHaveLength(1);
      expect(posts[0]!.content.raw).toContain('Councillors Ames');
    }

    // The crashed process comes back at its address, as a newsroom would restart it: the
    // reporter's and the photo desk's workstations are linked to the first process, and
    // when that was the one killed they have had no desk to pull from since. (Which one
    // claims the job is a race; this test failed in CI when the first one won it.)
    const victimAt = desks.indexOf(victim);
    desks[victimAt] = await startDesk(victim.port);

    // The published story is published on every workstation, and A's figure shows C's caption and photo.
    await until('the published state on the reporter’s workstation', () => reporter.invoke('documents.get', { id: story.id }), (d) => d.status === 'published');
    const onA = await reporter.invoke('documents.get', { id: caption.id });
    expect(JSON.stringify(onA.content.body)).toContain('Fishing boats leave the harbour at dawn.');
    expect(onA.content.fields).toMatchObject({ credit: 'Pia Photo / City Desk', photo: asset.sha256 });
    const thumbnail = await until('the photo on the reporter’s workstation', () => reporter.invoke('assets.image', { sha256: asset.sha256, size: 'thumb' }), (i) => i.dataUrl.startsWith('data:image/'));
    expect(thumbnail.width).toBeGreaterThan(0);
  }, 300_000);
});
