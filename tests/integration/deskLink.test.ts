import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deskCall } from '../../desk/dispatch.ts';
import { deskHandlers } from '../../desk/handlers.ts';
import { startPublishingWorker, type PublishingWorker } from '../../desk/publisher.ts';
import { openBackend, type Backend } from '../../electron/backend.ts';
import { unreachable } from '../../electron/services/desk/client.ts';
import { EXPIRED } from '../../electron/services/desk/link.ts';
import type { DeskCaller } from '../../electron/services/desk/types.ts';
import type { DeskEvent, DeskOperationName } from '../../shared/desk.ts';
import { addSession } from '../support/deskPeople.ts';
import { GalleyError } from '../../shared/errors.ts';
import { liveSlugRefusal } from '../../shared/slug.ts';
import { PUBLISHED_UNCHANGED } from '../../shared/workflow.ts';
import { edited, paragraphs, tempDir, refusal } from '../support/backend.ts';
import { openTestDesk, type TestDesk } from '../support/desk.ts';
import { startPostgres, type PgCluster } from '../support/postgres.ts';

/**
 * The workstation's link to the newsroom desk: two real workstation back ends (each its
 * own SQLite data folder) and a real desk (its dispatcher and people service on a
 * private PostgreSQL), joined in-process: the link is handed a DeskCaller that calls
 * the desk's dispatcher with the token the link holds, exactly what desk/server.ts does
 * for an HTTP call. "The desk is down" is that caller answering as the HTTP client does
 * when nothing listens (deskLinkHttp.test.ts tests the HTTP client itself).
 *
 */
let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPostgres();
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

/** The desk and the switches a test flips on the way to it. */
type Harness = {
  desk: TestDesk;
  down: boolean;
  /** The next call of this operation reaches the desk but its answer is lost on the way back. */
  loseAnswerOf: DeskOperationName | null;
  calls: { name: string; token: string | null }[];
  /** Runs as a call of this operation leaves, before the token is read: a race to stage. */
  onCall: { name: DeskOperationName; run: () => Promise<void> } | null;
  /** The desk's event socket as the link opened it (the in-process desk pushes none itself). */
  pushEvent: ((event: DeskEvent) => void) | null;
  tokens: Set<string>;
  connect: (address: string, token: () => string | null) => DeskCaller;
};

const desks: TestDesk[] = [];
const workers: PublishingWorker[] = [];

async function harness(clock: { now: number }): Promise<Harness> {
  const desk = await openTestDesk(cluster, { now: () => clock.now });
  desks.push(desk);
  const h: Harness = { desk, down: false, loseAnswerOf: null, calls: [], tokens: new Set(), onCall: null, pushEvent: null, connect: () => ({ call: () => Promise.reject(new Error('unset')) }) };
  h.connect = (address, token) => ({
    events(onEvent: (event: DeskEvent) => void) {
      h.pushEvent = onEvent;
      return { close: () => undefined };
    },
    async call(name, input) {
      if (h.down) throw unreachable(address);
      if (h.onCall?.name === name) {
        const staged = h.onCall;
        h.onCall = null;
        await staged.run();
      }
      const t = token();
      if (t) h.tokens.add(t);
      h.calls.push({ name, token: t });
      const result = await deskCall(desk.ctx, deskHandlers, name, input, { token: t, address: '127.0.0.1' });
      if (h.loseAnswerOf === name) {
        h.loseAnswerOf = null;
        throw unreachable(address);
      }
      if (!result.ok) throw GalleyError.fromBody(result.error);
      return result.value as never;
    },
  });
  return h;
}

/** The desk's audit trail of a document, oldest first: what the desk itself recorded. */
async function deskEvents(h: Harness, documentId: string) {
  const { rows } = await h.desk.pool.query<{ action: string; actor_id: string; revision_id: string | null }>(
    'SELECT action, actor_id, revision_id FROM workflow_events WHERE document_id = $1 ORDER BY id',
    [documentId],
  );
  return rows;
}

const ADDRESS = 'http://desk.newsroom.test:7400';
const opened: Backend[] = [];

function workstation(h: Harness, dir = tempDir('galley-ws-').dir): Backend {
  const backend = openBackend({
    dataDir: dir,
    outbox: false,
    desk: { connect: (a, t) => h.connect(a, t), retryFirstMs: 20, retryMostMs: 100, periodicMs: 60_000 },
  });
  opened.push(backend);
  return backend;
}

beforeEach(() => async () => {
  for (const w of workers.splice(0)) await w.stop();
  for (const b of opened.splice(0)) await b.shutdown().catch(() => undefined);
  for (const d of desks.splice(0)) await d.close();
});

async function until<T>(what: string, probe: () => Promise<T> | T, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T;
  do {
    last = await probe();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 20));
  } while (Date.now() < deadline);
  throw new Error(`Timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
}


const PASSWORD = 'correct horse battery staple';

/** A: the desk's administrator (an editor); B: a reporter who joined with an invite. */
async function newsroom(h: Harness, bDir?: string) {
  const a = workstation(h);
  const b = workstation(h, bDir);
  const connected = await a.invoke('desk.connect', { address: ADDRESS });
  expect(connected).toMatchObject({ state: 'signed-out', address: ADDRESS, needsSetup: true, person: null });
  const setUp = await a.invoke('desk.setup', { deskName: 'City desk', name: 'Ada Admin', username: 'ada', password: PASSWORD });
  expect(setUp).toMatchObject({ state: 'connected', deskName: 'City desk', needsSetup: false, person: { name: 'Ada Admin', role: 'editor', admin: true } });
  const { code } = await a.invoke('desk.invite', { name: 'Ben Reporter', username: 'ben', role: 'reporter' });
  expect((await b.invoke('desk.connect', { address: ADDRESS })).needsSetup).toBe(false);
  const joined = await b.invoke('desk.acceptInvite', { code, password: 'reporter-password-1' });
  expect(joined).toMatchObject({ state: 'connected', deskName: 'City desk', person: { name: 'Ben Reporter', role: 'reporter', admin: false } });
  return { a, b, admin: setUp.person!, reporter: joined.person! };
}

async function draft(backend: Backend, headline: string) {
  const doc = await backend.invoke('documents.create', { kind: 'article' });
  await backend.invoke('documents.saveWorking', {
    id: doc.id,
    version: doc.version,
    content: edited(doc.content, { fields: { headline }, body: paragraphs('The council voted on Tuesday to expand the harbour.') }),
  });
  return backend.invoke('documents.get', { id: doc.id });
}

describe('signing in to the desk', () => {
  it('setup on A, invite and accept on B: each workstation’s person is the desk’s, with the same id and the desk’s role', async () => {
    const h = await harness({ now: Date.now() });
    const { a, b, admin, reporter } = await newsroom(h);
    expect((await a.invoke('session.get', {})).person).toMatchObject({ id: admin.id, name: 'Ada Admin', role: 'editor' });
    expect((await b.invoke('session.get', {})).person).toMatchObject({ id: reporter.id, name: 'Ben Reporter', role: 'reporter' });
    const people = await a.invoke('desk.people', {});
    expect(people.map((p) => [p.name, p.role]).sort()).toEqual([
      ['Ada Admin', 'editor'],
      ['Ben Reporter', 'reporter'],
    ]);
    // The desk enforces administrators: the reporter's workstation only carries the request.
    const notAdmin = await refusal(b.invoke('desk.invite', { name: 'Cy', username: 'cy', role: 'editor' }));
    expect(notAdmin.code).toBe('forbidden');
    expect(notAdmin.message).toMatch(/administrators/);
  });

  it('while linked, Switch user and adding people are refused: a local switch cannot make anyone an editor of the desk', async () => {
    const h = await harness({ now: Date.now() });
    const { b, reporter } = await newsroom(h);
    const switched = await refusal(b.invoke('session.switch', { personId: reporter.id }));
    expect(switched.code).toBe('forbidden');
    expect(switched.message).toBe('This workstation is signed in to the newsroom desk as Ben Reporter; sign out in Settings → Newsroom desk to switch.');
    const created = await refusal(b.invoke('people.create', { name: 'Mallory', role: 'editor' }));
    expect(created.code).toBe('forbidden');
    expect((await b.invoke('people.list', {})).map((p) => p.name)).not.toContain('Mallory');
    expect((await b.invoke('session.get', {})).person?.role).toBe('reporter');
  });

  it('the session token is stored sealed: no settings row holds it in the clear, and a restart signs in with it', async () => {
    const h = await harness({ now: Date.now() });
    const dir = tempDir('galley-ws-').dir;
    const a = workstation(h, dir);
    await a.invoke('desk.connect', { address: ADDRESS });
    await a.invoke('desk.setup', { deskName: 'City desk', name: 'Ada Admin', username: 'ada', password: PASSWORD });
    await a.invoke('desk.people', {});
    expect(h.tokens.size).toBe(1);
    const [token] = [...h.tokens];
    const rows = a.db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
    expect(rows.some((r) => r.key === 'desk.token')).toBe(true);
    for (const row of rows) {
      expect(row.value).not.toContain(token);
      expect(Buffer.from(row.value, 'base64').toString('latin1')).not.toContain(token);
    }
    await a.shutdown();
    opened.splice(opened.indexOf(a), 1);
    const again = workstation(h, dir);
    const status = await until('the restarted workstation to reconnect', () => again.invoke('desk.status', {}), (s) => s.state === 'connected');
    expect(status.person?.name).toBe('Ada Admin');
    expect(h.calls.filter((c) => c.name === 'auth.me').at(-1)).toEqual({ name: 'auth.me', token });
  });

  it('a wrong password is refused with the desk’s words and nothing is stored', async () => {
    const h = await harness({ now: Date.now() });
    const { b } = await newsroom(h);
    await b.invoke('desk.signOut', {});
    const wrong = await refusal(b.invoke('desk.signIn', { username: 'ben', password: 'not the password' }));
    expect(wrong.code).toBe('unauthenticated');
    const status = await b.invoke('desk.status', {});
    expect(status).toMatchObject({ state: 'signed-out', person: null });
    expect(b.db.prepare("SELECT 1 FROM settings WHERE key = 'desk.token'").get()).toBeUndefined();
    expect(await b.invoke('desk.signIn', { username: 'ben', password: 'reporter-password-1' })).toMatchObject({ state: 'connected', person: { name: 'Ben Reporter' } });
  });
});

describe('the outbox: offline, each action exactly once', () => {
  it('a submit made offline waits, survives a restart, and reaches the desk once when it answers again (even when the first answer was lost)', async () => {
    const h = await harness({ now: Date.now() });
    const dir = tempDir('galley-ws-').dir;
    const a = workstation(h);
    await a.invoke('desk.connect', { address: ADDRESS });
    await a.invoke('desk.setup', { deskName: 'City desk', name: 'Ada Admin', username: 'ada', password: PASSWORD });
    const { code } = await a.invoke('desk.invite', { name: 'Ben Reporter', username: 'ben', role: 'reporter' });
    let b = workstation(h, dir);
    await b.invoke('desk.connect', { address: ADDRESS });
    const { person: reporter } = await b.invoke('desk.acceptInvite', { code, password: 'reporter-password-1' });
    const story = await draft(b, 'Harbour vote');

    h.down = true;
    const submitted = await b.invoke('workflow.transition', { documentId: story.id, action: 'submit' });
    // The reporter sees "Submitted" at once, desk or no desk.
    expect(submitted.status).toBe('submitted');
    const offline = await until('B to see the desk is away', () => b.invoke('desk.status', {}), (s) => s.state === 'offline');
    // The submit, and the revision it names (the sync engine's part of "Waiting to send").
    expect(offline.waiting).toBe(2);
    expect(offline.lastError).toMatch(/cannot be reached/);
    const [item] = await b.invoke('desk.outbox', {});
    expect(item).toMatchObject({ operation: 'workflow.act', summary: 'Submit for edit: Harbour vote', documentId: story.id, state: 'waiting' });
    // Working alone is refused while work waits: it would never be sent.
    expect((await refusal(b.invoke('desk.disconnect', {}))).message).toBe('2 changes are waiting to be sent to the desk; sign in and send them before working alone.');

    // The outbox is in SQLite: a restart keeps it.
    await b.shutdown();
    opened.splice(opened.indexOf(b), 1);
    b = workstation(h, dir);
    expect(await b.invoke('desk.outbox', {})).toMatchObject([{ id: item!.id, state: 'waiting' }]);

    // The desk comes back; the first send gets through but its answer is lost, so it is sent again.
    h.loseAnswerOf = 'workflow.act';
    h.down = false;
    const back = await until('B to send what waited', () => b.invoke('desk.status', {}), (s) => s.state === 'connected' && s.waiting === 0);
    expect(back.lastError).toBeNull();
    expect(await b.invoke('desk.outbox', {})).toEqual([]);
    const sends = h.calls.filter((c) => c.name === 'workflow.act');
    expect(sends.length).toBe(2);
    // The desk recorded one submit, by the reporter, of exactly the revision submitted here.
    expect(await deskEvents(h, story.id)).toEqual([{ action: 'submit', actor_id: reporter!.id, revision_id: submitted.revisionId! }]);
    expect((await h.desk.call('documents.get', { id: story.id }, [...h.tokens].at(-1))).status).toBe('submitted');
  });

  it('a desk refusal is shown with its reason and does not hold up what comes after it', async () => {
    const h = await harness({ now: Date.now() });
    const { b, admin } = await newsroom(h);
    const first = await draft(b, 'Refused story');
    const second = await draft(b, 'Fine story');
    await b.invoke('revisions.checkpoint', { documentId: first.id });
    await b.invoke('revisions.checkpoint', { documentId: second.id });
    await b.invoke('desk.syncNow', {});
    // On the desk, an editor moves the first story to the trash before B's submit arrives.
    const editorToken = await addSession(h.desk, admin.id);
    h.down = true;
    await h.desk.call('documents.trash', { key: 'trash-first-story', id: first.id }, editorToken);
    await b.invoke('workflow.transition', { documentId: first.id, action: 'submit' });
    await b.invoke('workflow.transition', { documentId: second.id, action: 'submit' });
    h.down = false;
    await b.invoke('desk.syncNow', {});
    const items = await until('the refusal to show', () => b.invoke('desk.outbox', {}), (list) => list.length === 1 && list[0]!.state === 'refused');
    expect(items[0]).toMatchObject({ documentId: first.id, summary: 'Submit for edit: Refused story', lastError: 'This document is in the trash; restore it first.' });
    expect(await deskEvents(h, first.id)).toEqual([]);
    expect((await deskEvents(h, second.id)).map((e) => e.action)).toEqual(['submit']);
    expect(await b.invoke('desk.status', {})).toMatchObject({ state: 'connected', waiting: 0 });
  });

  it('an action waits for the person who made it: someone else signing in here does not send it under their name', async () => {
    const h = await harness({ now: Date.now() });
    const { a, b } = await newsroom(h);
    const story = await draft(b, 'Ben’s story');
    h.down = true;
    await b.invoke('workflow.transition', { documentId: story.id, action: 'submit' });
    await until('B offline', () => b.invoke('desk.status', {}), (s) => s.state === 'offline');
    h.down = false;
    await b.invoke('desk.signOut', {});
    const { code } = await a.invoke('desk.invite', { name: 'Cy Reporter', username: 'cy', role: 'reporter' });
    await b.invoke('desk.acceptInvite', { code, password: 'reporter-password-2' });
    await b.invoke('desk.syncNow', {});
    expect(await deskEvents(h, story.id)).toEqual([]);
    expect(await b.invoke('desk.outbox', {})).toMatchObject([{ state: 'waiting', documentId: story.id }]);
    await b.invoke('desk.signOut', {});
    await b.invoke('desk.signIn', { username: 'ben', password: 'reporter-password-1' });
    await until('Ben’s submit to be tried', () => b.invoke('desk.outbox', {}), (items) => items[0]?.state !== 'waiting');
    // Sent once, and only under Ben's own session (after he signed in again).
    const names = h.calls.map((c) => c.name);
    expect(names.filter((n) => n === 'workflow.act')).toHaveLength(1);
    expect(names.lastIndexOf('auth.signIn')).toBeLessThan(names.indexOf('workflow.act'));
    expect(h.calls.find((c) => c.name === 'workflow.act')!.token).toBe([...h.tokens].at(-1));
  });
});

describe('sessions the desk ends', () => {
  it('a revoked person is signed out and the newsroom’s documents are read-only here; the refused text stays where it was', async () => {
    const h = await harness({ now: Date.now() });
    const { a, b, reporter } = await newsroom(h);
    const story = await draft(b, 'Last words');
    await a.invoke('desk.revoke', { personId: reporter.id });
    const status = await b.invoke('desk.syncNow', {});
    expect(status.state).toBe('signed-out');
    expect(status.person).toBeNull();
    expect(status.lastError).toMatch(/revoked your access/);
    expect(status.lastError).toMatch(/read-only/);
    const save = await refusal(
      b.invoke('documents.saveWorking', { id: story.id, version: story.version, content: edited(story.content, { fields: { headline: 'Changed after revoke' } }) }),
    );
    expect(save.code).toBe('forbidden');
    expect(save.message).toMatch(/read-only/);
    expect((await b.invoke('documents.get', { id: story.id })).title).toBe('Last words');
    // Signing in again is refused by the desk, and the state says so.
    expect((await refusal(b.invoke('desk.signIn', { username: 'ben', password: 'reporter-password-1' }))).code).toBe('unauthenticated');
  });

  it('revoked while a sync was on its way: the desk’s revoked reason stays, not the “sign in first” its tokenless call came back with', async () => {
    const h = await harness({ now: Date.now() });
    const { a, b, reporter } = await newsroom(h);
    expect(h.pushEvent).not.toBeNull();
    // As B's next pass leaves, the desk revokes B and says so on the socket; the pass's
    // call then goes out with no token.
    h.onCall = {
      name: 'auth.me',
      run: async () => {
        await a.invoke('desk.revoke', { personId: reporter.id });
        h.pushEvent!({ type: 'signedOut', reason: 'An administrator revoked your access to this desk.' });
      },
    };
    const status = await b.invoke('desk.syncNow', {});
    expect(h.calls.at(-1)).toMatchObject({ name: 'auth.me', token: null });
    expect(status.state).toBe('signed-out');
    expect(status.lastError).toMatch(/revoked your access/);
    expect(status.lastError).toMatch(/read-only/);
    expect((await b.invoke('desk.status', {})).lastError).toMatch(/revoked/);
  });

  it('an expired session signs out with a plain message; local saves go on and wait to be sent', async () => {
    const clock = { now: Date.now() };
    const h = await harness(clock);
    const { b } = await newsroom(h);
    const story = await draft(b, 'Long story');
    clock.now += 31 * 24 * 3600_000;
    const status = await b.invoke('desk.syncNow', {});
    expect(status).toMatchObject({ state: 'signed-out', lastError: EXPIRED, person: null });
    const saved = await b.invoke('documents.saveWorking', {
      id: story.id,
      version: story.version,
      content: edited(story.content, { fields: { headline: 'Longer story' } }),
    });
    expect(saved.version).toBe(story.version + 1);
    await b.invoke('workflow.transition', { documentId: story.id, action: 'submit' });
    expect(await b.invoke('desk.outbox', {})).toMatchObject([{ operation: 'workflow.act', state: 'waiting' }]);
    expect(await b.invoke('desk.status', {})).toMatchObject({ state: 'signed-out', lastError: EXPIRED });
    // Signing in again sends it.
    await b.invoke('desk.signIn', { username: 'ben', password: 'reporter-password-1' });
    await until('the submit to be sent', () => b.invoke('desk.status', {}), (s) => s.state === 'connected' && s.waiting === 0);
    expect((await deskEvents(h, story.id)).map((e) => e.action)).toEqual(['submit']);
  });

  it('signing out keeps local work; disconnecting with nothing waiting makes the workstation work alone again', async () => {
    const h = await harness({ now: Date.now() });
    const { b } = await newsroom(h);
    const story = await draft(b, 'Kept');
    expect(await b.invoke('desk.signOut', {})).toMatchObject({ state: 'signed-out', person: null, lastError: null });
    expect((await b.invoke('documents.get', { id: story.id })).title).toBe('Kept');
    // The desk no longer accepts that session.
    const tokens = [...h.tokens];
    const me = await deskCall(h.desk.ctx, deskHandlers, 'auth.me', {}, { token: tokens.at(-1)!, address: '127.0.0.1' });
    expect(me.ok).toBe(false);
    expect(await b.invoke('desk.disconnect', {})).toMatchObject({ state: 'alone', address: null, person: null });
    expect(b.db.prepare("SELECT key FROM settings WHERE key LIKE 'desk.%'").all()).toEqual([]);
    // Alone again: Switch user works as before.
    const me2 = (await b.invoke('session.get', {})).person!;
    expect((await b.invoke('session.switch', { personId: me2.id })).person.id).toBe(me2.id);
  });
});

describe('what the desk decides', () => {
  it('a role changed on the desk is this workstation’s role after the next check with the desk', async () => {
    const h = await harness({ now: Date.now() });
    const { a, b, reporter } = await newsroom(h);
    await a.invoke('desk.setRole', { personId: reporter.id, role: 'editor' });
    expect((await b.invoke('session.get', {})).person?.role).toBe('reporter');
    const status = await b.invoke('desk.syncNow', {});
    expect(status.person?.role).toBe('editor');
    expect((await b.invoke('session.get', {})).person).toMatchObject({ id: reporter.id, role: 'editor' });
  });

  it('the desk’s lock decides who edits; with the desk away the local lock stands in', async () => {
    const h = await harness({ now: Date.now() });
    const { a, b } = await newsroom(h);
    const story = await draft(b, 'Locked story');
    await b.invoke('revisions.checkpoint', { documentId: story.id });
    expect(await b.invoke('locks.acquire', { documentId: story.id, session: 'window-b-1234' })).toMatchObject({ held: true, holderName: 'Ben Reporter' });
    await b.invoke('desk.syncNow', {});
    // The heartbeat once the story is on the desk takes the desk's lock.
    expect(await b.invoke('locks.acquire', { documentId: story.id, session: 'window-b-1234' })).toMatchObject({ held: true, holderName: 'Ben Reporter' });
    await a.invoke('desk.syncNow', {});
    // A never saw B's lock locally: the answer is the desk's.
    expect(await a.invoke('locks.acquire', { documentId: story.id, session: 'window-a-1234' })).toMatchObject({ held: false, holderName: 'Ben Reporter', elsewhere: false });
    h.down = true;
    expect(await a.invoke('locks.acquire', { documentId: story.id, session: 'window-a-1234' })).toMatchObject({ held: true, holderName: 'Ada Admin' });
    expect((await a.invoke('desk.status', {})).state).toBe('offline');
  });

  it('a comment reaches the desk with the id it has here', async () => {
    const h = await harness({ now: Date.now() });
    const { b, reporter } = await newsroom(h);
    const story = await draft(b, 'Commented story');
    await b.invoke('revisions.checkpoint', { documentId: story.id });
    const comment = await b.invoke('comments.add', { documentId: story.id, body: 'Check the vote count', quote: 'The council', from: 1, to: 12 });
    await until('the comment to be sent', () => b.invoke('desk.syncNow', {}), (s) => s.waiting === 0);
    const { rows } = await h.desk.pool.query('SELECT id, body, author_id FROM comments WHERE document_id = $1', [story.id]);
    expect(rows).toEqual([{ id: comment.id, body: 'Check the vote count', author_id: reporter.id }]);
  });

  it('publishing is the desk’s: targets come from it (secrets sealed there), no local job is made, and offline the last answer stands', async () => {
    const h = await harness({ now: Date.now() });
    const { a } = await newsroom(h);
    const folder = tempDir('galley-desk-folder-').dir;
    const target = await a.invoke('publishing.saveTarget', { name: 'Desk folder', config: { type: 'folder', folder } });
    const targets = await a.invoke('publishing.targets', {});
    expect(targets.secretStorage).toBe('desk');
    expect(targets.targets.map((t) => t.id)).toEqual([target.id]);

    const bio = await a.invoke('documents.create', { kind: 'bio' });
    await a.invoke('documents.saveWorking', {
      id: bio.id,
      version: bio.version,
      content: edited(bio.content, { fields: { name: 'Amara Osei', email: 'amara.osei@example.org' }, body: paragraphs('Amara Osei covers the harbour.') }),
    });
    const submitted = await a.invoke('workflow.transition', { documentId: bio.id, action: 'submit' });
    const approved = await a.invoke('workflow.transition', { documentId: bio.id, action: 'approve', revisionId: submitted.revisionId! });
    await a.invoke('workflow.transition', { documentId: bio.id, action: 'publish', revisionId: approved.approvedRevisionId! });
    await until('the steps to reach the desk', () => a.invoke('desk.syncNow', {}), (s) => s.waiting === 0);
    expect(await a.invoke('desk.outbox', {})).toEqual([]);
    expect((await deskEvents(h, bio.id)).map((e) => e.action)).toEqual(['submit', 'approve', 'publish']);
    // The desk publishes exactly the approved revision; this workstation made no job of its own.
    expect((await deskEvents(h, bio.id)).at(-1)!.revision_id).toBe(approved.approvedRevisionId);
    expect(a.db.prepare('SELECT COUNT(*) AS n FROM publish_jobs').get()).toEqual({ n: 0 });
    const { rows } = await h.desk.pool.query('SELECT action, revision_id FROM publish_jobs WHERE document_id = $1', [bio.id]);
    expect(rows).toEqual([{ action: 'bio', revision_id: approved.approvedRevisionId }]);
    const status = await a.invoke('publishing.status', { documentId: bio.id });

    h.down = true;
    expect(await a.invoke('publishing.targets', {})).toEqual(targets);
    expect(await a.invoke('publishing.status', { documentId: bio.id })).toEqual(status);
    const offline = await refusal(a.invoke('publishing.removeTarget', { id: target.id }));
    expect(offline.code).toBe('unavailable');
    expect(offline.message).toMatch(/Publishing is done by the newsroom desk/);
  });
});

describe('a story live on the desk (issue #18)', () => {
  /** The desk sends what it is asked to: a folder target and its own publishing worker. */
  async function publishingDesk(h: Harness, a: Backend) {
    await a.invoke('publishing.saveTarget', { name: 'Desk folder', config: { type: 'folder', folder: tempDir('galley-desk-folder-').dir } });
    // The byline's bio, which the pre-publish check at A looks for.
    const bio = await a.invoke('documents.create', { kind: 'bio' });
    await a.invoke('documents.saveWorking', { id: bio.id, version: bio.version, content: edited(bio.content, { fields: { name: 'Ben Reporter', email: 'ben@example.org' }, body: paragraphs('Ben covers the harbour.') }) });
    const worker = startPublishingWorker(h.desk.ctx, { pollMs: 50 });
    workers.push(worker);
  }

  async function story(backend: Backend, headline: string, slug: string) {
    const doc = await backend.invoke('documents.create', { kind: 'article' });
    await backend.invoke('documents.saveWorking', {
      id: doc.id,
      version: doc.version,
      content: edited(doc.content, { fields: { headline, slug, byline: 'Ben Reporter' }, body: paragraphs('The council voted on Tuesday to expand the harbour.') }),
    });
    return backend.invoke('documents.get', { id: doc.id });
  }

  /** B writes and submits it, the editor at A approves and publishes (or schedules) it. */
  async function publishedBy(h: Harness, a: Backend, b: Backend, headline: string, slug: string, publishAt?: number) {
    const doc = await story(b, headline, slug);
    const submitted = await b.invoke('workflow.transition', { documentId: doc.id, action: 'submit' });
    await until('B to send the story', () => b.invoke('desk.syncNow', {}), (s) => s.waiting === 0);
    await until('A to have it', async () => (await a.invoke('desk.syncNow', {}), a.invoke('documents.get', { id: doc.id })), (d) => d.status === 'submitted');
    const approved = await a.invoke('workflow.transition', { documentId: doc.id, action: 'approve', revisionId: submitted.revisionId! });
    await a.invoke('workflow.transition', {
      documentId: doc.id,
      action: publishAt ? 'schedule' : 'publish',
      revisionId: approved.approvedRevisionId!,
      ...(publishAt ? { publishAt } : {}),
    });
    await until('A to send the steps', () => a.invoke('desk.syncNow', {}), (s) => s.waiting === 0);
    return doc;
  }

  async function deskPost(h: Harness, documentId: string) {
    const { rows } = await h.desk.pool.query<{ status: string }>('SELECT status FROM remote_posts WHERE document_id = $1', [documentId]);
    return rows[0]?.status ?? null;
  }

  it('published unchanged: the desk refuses Approve and Submit for edit again, as the workstation does; a linked workstation says so, and a story scheduled on the desk is not', async () => {
    const h = await harness({ now: Date.now() });
    const { a, b, admin } = await newsroom(h);
    await publishingDesk(h, a);
    const doc = await publishedBy(h, a, b, 'Harbour vote', 'harbour-vote');
    await until('the desk to publish it', () => deskPost(h, doc.id), (s) => s === 'published');

    const token = await addSession(h.desk, admin.id);
    const onDesk = await h.desk.call('documents.get', { id: doc.id }, token);
    expect(onDesk.status).toBe('published');
    for (const action of ['approve', 'submit'] as const) {
      const refused = await h.desk.call('workflow.act', { key: `again-${action}-${doc.id}`, documentId: doc.id, action, revisionId: onDesk.headRevisionId! }, token).catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: 'conflict', message: PUBLISHED_UNCHANGED });
    }
    expect((await deskEvents(h, doc.id)).map((e) => e.action)).toEqual(['submit', 'approve', 'publish']);

    // B, linked, pulled it: the same answer from its mirrored rows.
    const atB = await until('B to pull the publish', async () => (await b.invoke('desk.syncNow', {}), b.invoke('documents.get', { id: doc.id })), (d) => d.status === 'published');
    expect(atB.publishedUnchanged).toBe(true);
    expect((await refusal(b.invoke('workflow.transition', { documentId: doc.id, action: 'submit' }))).message).toBe(PUBLISHED_UNCHANGED);

    // Scheduled on the desk (held there for the folder): not out yet, so not "unchanged".
    const later = await publishedBy(h, a, b, 'Ferry timetable', 'ferry-timetable', h.desk.ctx.now() + 3600_000);
    const laterAtB = await until('B to pull the schedule', async () => (await b.invoke('desk.syncNow', {}), b.invoke('documents.get', { id: later.id })), (d) => d.status === 'published');
    expect(laterAtB.publishedUnchanged).toBe(false);
    const laterOnDesk = await h.desk.call('documents.get', { id: later.id }, token);
    const again = await h.desk.call('workflow.act', { key: `reapprove-${later.id}`, documentId: later.id, action: 'approve', revisionId: laterOnDesk.headRevisionId! }, token);
    expect(again.status).toBe('approved');
  });

  it('a linked workstation freezes the live slug from the desk’s word, after a restart offline too; an unlocked change reaches the desk, one pushed without the unlock is refused there and shown with its reason, and holds nothing else up', async () => {
    const h = await harness({ now: Date.now() });
    const dir = tempDir('galley-ws-').dir;
    const { a, b: first } = await newsroom(h, dir);
    let b = first;
    await publishingDesk(h, a);
    const doc = await publishedBy(h, a, b, 'Harbour vote', 'harbour-vote');
    await until('the desk to publish it', () => deskPost(h, doc.id), (s) => s === 'published');
    await until('B to hear of it', async () => (await b.invoke('desk.syncNow', {}), b.invoke('documents.get', { id: doc.id })), (d) => d.status === 'published');

    const moved = async (backend: Backend, slug: string, unlock = false) => {
      const now = await backend.invoke('documents.get', { id: doc.id });
      return backend.invoke('documents.saveWorking', { id: doc.id, version: now.version, content: edited(now.content, { fields: { slug } }), ...(unlock ? { unlockSlug: true as const } : {}) });
    };
    const locked = liveSlugRefusal('harbour-vote');
    expect(await refusal(moved(b, 'harbour-vote-moved'))).toMatchObject({ code: 'conflict', message: locked });

    // Restarted with the desk away: the desk's word was kept, not only remembered.
    h.down = true;
    await b.shutdown();
    opened.splice(opened.indexOf(b), 1);
    b = workstation(h, dir);
    expect(await refusal(moved(b, 'harbour-vote-moved'))).toMatchObject({ code: 'conflict', message: locked });
    h.down = false;

    // Unlocked by the person: the change travels with its revision and the desk takes it.
    await moved(b, 'harbour-vote-2026', true);
    await b.invoke('revisions.checkpoint', { documentId: doc.id });
    await until('B to send it', () => b.invoke('desk.syncNow', {}), (s) => s.waiting === 0);
    const token = await addSession(h.desk, (await b.invoke('desk.status', {})).person!.id);
    expect((await h.desk.call('documents.get', { id: doc.id }, token)).slug).toBe('harbour-vote-2026');
    expect(await b.invoke('desk.outbox', {})).toEqual([]);

    // A workstation that has not heard the story is live (here: its note of it wiped)
    // moves the slug without the unlock; the desk refuses that version, and a story sent
    // in the same push still lands.
    b.db.prepare('UPDATE documents SET desk_live = 0 WHERE id = ?').run(doc.id);
    await moved(b, 'harbour-vote-oops');
    await b.invoke('revisions.checkpoint', { documentId: doc.id });
    const other = await story(b, 'Ferry timetable', 'ferry-timetable');
    await b.invoke('revisions.checkpoint', { documentId: other.id });
    await b.invoke('desk.syncNow', {});
    const items = await until('the refusal to show', () => b.invoke('desk.outbox', {}), (list) => list.some((i) => i.state === 'refused'));
    expect(items).toMatchObject([
      { operation: 'sync.push', documentId: doc.id, state: 'refused', summary: 'Send version: Harbour vote', lastError: liveSlugRefusal('harbour-vote-2026') },
    ]);
    expect((await h.desk.call('documents.get', { id: doc.id }, token)).slug).toBe('harbour-vote-2026');
    expect((await h.desk.call('documents.get', { id: other.id }, token)).slug).toBe('ferry-timetable');
    expect(await b.invoke('desk.status', {})).toMatchObject({ state: 'connected', waiting: 0 });
  });
});
