import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getAsset } from '../../db/assets.ts';
import { insertOutboxItem } from '../../db/desk.ts';
import { insertPerson } from '../../db/people.ts';
import { getSetting, setSetting } from '../../db/settings.ts';
import { adapterFor } from '../../electron/cms/index.ts';
import type { ServiceContext } from '../../electron/services/context.ts';
import { pendingRevisionCount, pullChanges, pushRevisions } from '../../electron/services/desk/sync.ts';
import type { DeskCaller } from '../../electron/services/desk/types.ts';
import { keyFileBox } from '../../electron/services/secrets.ts';
import type { DeskInput, DeskOperationName, DeskOutput, DeskPerson } from '../../shared/desk.ts';
import type { DocumentContent } from '../../shared/documents.ts';
import type { EventName } from '../../shared/contract.ts';
import { GalleyError } from '../../shared/errors.ts';
import { Prose, rng, vocabulary } from '../bench/prose.ts';
import { paragraphs, tempBackend } from '../support/backend.ts';
import { openTestDesk, type TestDesk } from '../support/desk.ts';
import { recordChange, tx } from '../../desk/db/pool.ts';
import { addPerson } from '../support/deskPeople.ts';
import { startPostgres, type PgCluster } from '../support/postgres.ts';

/**
 * The workstation's sync engine (electron/services/desk/{push,pull,apply}.ts) against a
 * real desk: the desk's own dispatcher and handlers on a private PostgreSQL
 * (tests/support/desk.ts, in-process instead of HTTP: the link helper tests the HTTP
 * client), and real workstation back ends on real SQLite files in their own folders.
 * Each workstation's person is the desk person (same id), as signing in makes them.
 */
let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPostgres();
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

type Station = {
  backend: ReturnType<typeof tempBackend>;
  ctx: ServiceContext;
  person: DeskPerson;
  token: string;
  desk: DeskCaller;
  events: { name: EventName; payload: unknown }[];
  /** Every call this workstation made to the desk, with its body's size in bytes as JSON. */
  calls: { name: DeskOperationName; bytes: number; input: unknown }[];
};

let desk: TestDesk;
const stations: Station[] = [];

beforeEach(async () => {
  desk = await openTestDesk(cluster);
});
afterEach(async () => {
  for (const s of stations.splice(0)) s.backend.remove();
  await desk.close();
});

/** A workstation back end whose person at the keyboard is this desk person. */
async function station(name: string, role: DeskPerson['role']): Promise<Station> {
  const { person, token } = await addPerson(desk, { name, role });
  // Autosave waits an hour: every revision in these tests is one the test cut.
  const backend = tempBackend({ outbox: false, autosave: { pauseMs: 3_600_000, maxIntervalMs: 3_600_000 } });
  insertPerson(backend.db, { id: person.id, name: person.name, role: person.role, createdAt: person.createdAt });
  setSetting(backend.db, 'session.currentPersonId', person.id);
  const events: Station['events'] = [];
  const calls: Station['calls'] = [];
  // The sync functions' context on the same database as the back end (the back end
  // does not hand its own out); events are recorded instead of sent to windows.
  const ctx: ServiceContext = {
    db: backend.db,
    dataDir: backend.dataDir,
    now: Date.now,
    emit: (name, payload) => events.push({ name, payload }),
    afterWorkingChange: () => undefined,
    secrets: keyFileBox(backend.dataDir),
    adapterFactory: adapterFor,
    outbox: { kick: () => undefined },
  };
  const caller: DeskCaller = {
    call: async <K extends DeskOperationName>(op: K, input: DeskInput<K>) => {
      calls.push({ name: op, bytes: Buffer.byteLength(JSON.stringify(input)), input });
      return desk.call(op, input, token) as Promise<DeskOutput<K>>;
    },
  };
  const s = { backend, ctx, person, token, desk: caller, events, calls };
  stations.push(s);
  return s;
}

const words = new Prose(vocabulary(), rng(17));

/** An article of about `n` words in paragraphs of about 50. */
function longStory(n: number, headline = 'Harbour vote splits the council'): DocumentContent {
  const sentences = words.sentences(n);
  const paras: string[] = [];
  for (let i = 0; i < sentences.length; i += 3) paras.push(sentences.slice(i, i + 3).join(' '));
  return article(headline, paras);
}

function article(headline: string, paras: string[]): DocumentContent {
  return {
    kind: 'article',
    fields: { slug: '', headline, dek: '', byline: '', section: '', tags: [], contributorLine: '', wordBudget: null },
    body: paragraphs(...paras),
  } as DocumentContent;
}

function bodyTexts(content: DocumentContent): string[] {
  return (content.body.content ?? []).map((n) => ((n.content ?? []) as { text?: string }[]).map((t) => t.text ?? '').join(''));
}

function withParagraph(content: DocumentContent, index: number, text: string): DocumentContent {
  const texts = bodyTexts(content);
  texts[index] = text;
  return { ...content, body: paragraphs(...texts) } as DocumentContent;
}

/** Writes `content` as the working copy and cuts a saved version of it. */
async function write(s: Station, id: string, content: DocumentContent, note = 'Saved'): Promise<string> {
  const doc = await s.backend.invoke('documents.get', { id });
  await s.backend.invoke('documents.saveWorking', { id, version: doc.version, content: content as never });
  return (await s.backend.invoke('revisions.checkpoint', { documentId: id, note })).id;
}

async function newStory(s: Station, content: DocumentContent): Promise<{ id: string; revisionId: string }> {
  const doc = await s.backend.invoke('documents.create', { kind: 'article' });
  return { id: doc.id, revisionId: await write(s, doc.id, content, 'First draft') };
}

const count = (s: Station, table: string) => (s.backend.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('pushing revisions and pulling them on another workstation', () => {
  it("puts A's story on B's desk list with A's text, and a one-sentence edit to a 5,000-word story uploads under 2,000 bytes", async () => {
    const a = await station('Ada Reporter', 'reporter');
    const b = await station('Eli Editor', 'editor');
    const content = longStory(5_000);
    const story = await newStory(a, content);
    expect(pendingRevisionCount(a.ctx)).toBe(1);

    const first = await pushRevisions(a.ctx, a.desk);
    expect(first).toMatchObject({ pushed: 1, aside: [] });
    expect(pendingRevisionCount(a.ctx)).toBe(0);
    const onDesk = await desk.call('documents.get', { id: story.id }, b.token);
    expect(onDesk).toMatchObject({ headRevisionId: story.revisionId, ownerId: a.person.id, title: 'Harbour vote splits the council' });

    await pullChanges(b.ctx, b.desk);
    const list = await b.backend.invoke('documents.list', {});
    expect(list.map((d) => [d.id, d.title, d.ownerName])).toContainEqual([story.id, 'Harbour vote splits the council', 'Ada Reporter']);
    const onB = await b.backend.invoke('documents.get', { id: story.id });
    expect(bodyTexts(onB.content)).toEqual(bodyTexts(content));
    expect(onB.revisionId).toBe(story.revisionId);
    expect((await b.backend.invoke('revisions.list', { documentId: story.id })).map((r) => r.id)).toEqual([story.revisionId]);

    // One sentence changed in paragraph 40 of ~100.
    const texts = bodyTexts(content);
    expect(texts.length).toBeGreaterThan(80);
    const edit = withParagraph(content, 40, texts[40]!.replace(/\.$/, ', said the harbour master.'));
    const second = await write(a, story.id, edit, 'Quote added');
    a.calls.length = 0;
    expect(await pushRevisions(a.ctx, a.desk)).toMatchObject({ pushed: 1 });
    const pushes = a.calls.filter((c) => c.name === 'sync.push');
    expect(pushes).toHaveLength(1);
    const body = pushes[0]!.input as DeskInput<'sync.push'>;
    expect(body.blocks).toHaveLength(1);
    expect(body.documents).toEqual([]);
    expect(pushes[0]!.bytes).toBeLessThanOrEqual(2_000);

    const versionBefore = (await b.backend.invoke('documents.get', { id: story.id })).version;
    b.events.length = 0;
    await pullChanges(b.ctx, b.desk);
    const updated = await b.backend.invoke('documents.get', { id: story.id });
    expect(bodyTexts(updated.content)[40]).toMatch(/said the harbour master\.$/);
    expect(updated.version).toBeGreaterThan(versionBefore);
    expect(updated.revisionId).toBe(second);
    expect(b.events).toContainEqual({ name: 'documents.changed', payload: { id: story.id } });
    // B fetched only the one new block, not the story again.
    const fetched = b.calls.filter((c) => c.name === 'sync.blocks').at(-1)!.input as DeskInput<'sync.blocks'>;
    expect(fetched.hashes).toHaveLength(1);
  });

  it('applies a page twice with no second effect, and a push whose answer was lost is sent again under the same key', async () => {
    const a = await station('Ada Reporter', 'reporter');
    const b = await station('Eli Editor', 'editor');
    const story = await newStory(a, article('Ferry timetable', ['The ferry runs hourly.', 'Fares stay the same.']));
    await write(a, story.id, article('Ferry timetable', ['The ferry runs every 40 minutes.', 'Fares stay the same.']));

    // The desk takes the push, but its answer never arrives.
    const lost: DeskCaller = {
      call: async (name, input) => {
        const answer = await a.desk.call(name, input);
        if (name === 'sync.push') throw new GalleyError('unavailable', 'The desk did not answer in time.');
        return answer;
      },
    };
    await expect(pushRevisions(a.ctx, lost)).rejects.toMatchObject({ code: 'unavailable' });
    expect(pendingRevisionCount(a.ctx)).toBe(2);
    await pushRevisions(a.ctx, a.desk);
    expect(pendingRevisionCount(a.ctx)).toBe(0);
    const keys = a.calls.filter((c) => c.name === 'sync.push').map((c) => (c.input as { key: string }).key);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    const { rows } = await desk.pool.query('SELECT COUNT(*)::int AS n FROM revisions WHERE document_id = $1', [story.id]);
    expect(rows[0].n).toBe(2);

    await pullChanges(b.ctx, b.desk);
    const snapshot = () => ({
      documents: b.backend.db.prepare('SELECT id, status, working, working_version, head_revision_id, desk_head_revision_id FROM documents ORDER BY id').all(),
      revisions: count(b, 'revisions'),
      blocks: count(b, 'blocks'),
      events: count(b, 'workflow_events'),
      people: b.backend.db.prepare('SELECT id, name, role FROM people ORDER BY id').all(),
    });
    const once = snapshot();
    const cursor = getSetting(b.backend.db, 'desk.cursor');
    // The same pages again, as after a crash between applying and remembering them.
    setSetting(b.backend.db, 'desk.cursor', '0');
    const again = await pullChanges(b.ctx, b.desk);
    expect(again.applied).toBeGreaterThan(0);
    expect(snapshot()).toEqual(once);
    expect(getSetting(b.backend.db, 'desk.cursor')).toBe(cursor);
  });

  it('sends the blocks the desk says it lacks with the same batch under the same key', async () => {
    const a = await station('Ada Reporter', 'reporter');
    const story = await newStory(a, article('Water main', ['A main burst on King Street.', 'Repairs take a day.']));
    // The first push arrives without its blocks (as if they were lost on the way).
    let first = true;
    const lossy: DeskCaller = {
      call: async (name, input) => {
        if (name === 'sync.push' && first) {
          first = false;
          return a.desk.call(name, { ...(input as DeskInput<'sync.push'>), blocks: [] } as never);
        }
        return a.desk.call(name, input);
      },
    };
    expect(await pushRevisions(a.ctx, lossy)).toEqual({ pushed: 1, aside: [], refused: [] });
    const pushes = a.calls.filter((c) => c.name === 'sync.push').map((c) => c.input as DeskInput<'sync.push'>);
    expect(pushes).toHaveLength(2);
    expect(pushes[1]!.key).toBe(pushes[0]!.key); // one batch, one key: the desk keeps a key that lacked blocks free
    // What reached the desk: first no blocks, then the three (fields and two paragraphs) it asked for.
    expect(pushes[0]!.blocks).toEqual([]);
    expect(pushes[1]!.blocks).toHaveLength(3);
    expect(pushes[1]!.revisions!.map((r) => r.id)).toEqual([story.revisionId]);
    expect((await desk.call('documents.get', { id: story.id }, a.token)).headRevisionId).toBe(story.revisionId);
  });

  it('splits a story of more blocks than one push may carry over several calls of at most 2,000 blocks', async () => {
    const a = await station('Ada Reporter', 'reporter');
    const b = await station('Eli Editor', 'editor');
    const paras = Array.from({ length: 2_600 }, (_, i) => `Line ${i} of the results table.`);
    const story = await newStory(a, article('Every result, ward by ward', paras));
    expect(await pushRevisions(a.ctx, a.desk)).toEqual({ pushed: 1, aside: [], refused: [] });
    const pushes = a.calls.filter((c) => c.name === 'sync.push').map((c) => c.input as DeskInput<'sync.push'>);
    expect(pushes.length).toBeGreaterThan(1);
    for (const p of pushes) expect(p.blocks!.length).toBeLessThanOrEqual(2_000);
    expect(new Set(pushes.flatMap((p) => p.blocks!.map((blk) => blk.hash))).size).toBe(2_601);

    await pullChanges(b.ctx, b.desk);
    expect(b.calls.filter((c) => c.name === 'sync.blocks').every((c) => (c.input as DeskInput<'sync.blocks'>).hashes.length <= 2_000)).toBe(true);
    expect(bodyTexts((await b.backend.invoke('documents.get', { id: story.id })).content)).toEqual(paras);
  }, 60_000);

  it("sends only the signed-in person's revisions: another person's wait for their own session", async () => {
    const a = await station('Ada Reporter', 'reporter');
    const story = await newStory(a, article('Ferry timetable', ['The ferry runs hourly.']));
    // Someone else at this workstation (before it joined the desk) wrote on another story.
    insertPerson(a.backend.db, { id: 'local-person-1', name: 'Old Hand', role: 'reporter', createdAt: 1 });
    setSetting(a.backend.db, 'session.currentPersonId', 'local-person-1');
    const theirs = await newStory(a, article('Old notes', ['Kept here.']));
    setSetting(a.backend.db, 'session.currentPersonId', a.person.id);
    expect(pendingRevisionCount(a.ctx)).toBe(1);

    expect(await pushRevisions(a.ctx, a.desk)).toEqual({ pushed: 1, aside: [], refused: [] });
    const sent = a.calls.filter((c) => c.name === 'sync.push').flatMap((c) => (c.input as DeskInput<'sync.push'>).revisions!.map((r) => r.id));
    expect(sent).toEqual([story.revisionId]);
    expect(a.backend.db.prepare('SELECT desk_state AS s FROM revisions WHERE id = ?').get(Buffer.from(theirs.revisionId, 'hex'))).toEqual({ s: null });
  });
});

describe('two people, one story', () => {
  it("keeps A's offline work aside while B holds the story; B's History says so, Compare shows it and Restore takes it in", async () => {
    const a = await station('Ada Reporter', 'reporter');
    const b = await station('Eli Editor', 'editor');
    const story = await newStory(a, article('Bridge closure', ['The bridge closes on Monday.', 'Buses will divert.']));
    await pushRevisions(a.ctx, a.desk);
    await pullChanges(b.ctx, b.desk);

    // B takes the story on the desk; A, offline, keeps writing.
    await desk.call('locks.acquire', { documentId: story.id, session: 'editor-window-1', claim: true }, b.token);
    const offline = await write(a, story.id, article('Bridge closure', ['The bridge closes on Monday for two weeks.', 'Buses will divert.']), 'On the train');
    expect(pendingRevisionCount(a.ctx)).toBe(1);
    const pushed = await pushRevisions(a.ctx, a.desk);
    expect(pushed).toEqual({ pushed: 0, aside: [offline], refused: [] });
    expect(pendingRevisionCount(a.ctx)).toBe(0);
    // A's own text stays on A's screen.
    expect(bodyTexts((await a.backend.invoke('documents.get', { id: story.id })).content)[0]).toBe('The bridge closes on Monday for two weeks.');

    await pullChanges(b.ctx, b.desk);
    const history = await b.backend.invoke('revisions.list', { documentId: story.id });
    expect(history.find((r) => r.id === offline)).toMatchObject({ aside: true, offlineBy: 'Ada Reporter', authorName: 'Ada Reporter', note: 'On the train' });
    expect(history.find((r) => r.id === story.revisionId)?.aside).toBeUndefined();
    // B's copy is still the story's line, not A's aside version.
    const onB = await b.backend.invoke('documents.get', { id: story.id });
    expect(bodyTexts(onB.content)[0]).toBe('The bridge closes on Monday.');
    expect(onB.revisionId).toBe(story.revisionId);

    const redline = await b.backend.invoke('revisions.compare', { documentId: story.id, fromId: story.revisionId, toId: offline });
    expect(redline.wordsAdded).toBe(3);
    expect(JSON.stringify(redline.body)).toContain('for two weeks');

    // Taking it in is the existing Restore this version; B's restore goes onto the line.
    const restored = await b.backend.invoke('revisions.restore', { documentId: story.id, revisionId: offline });
    expect(bodyTexts(restored.content)[0]).toBe('The bridge closes on Monday for two weeks.');
    expect(await pushRevisions(b.ctx, b.desk)).toMatchObject({ pushed: 1, aside: [] });
    const head = (await desk.call('documents.get', { id: story.id }, a.token)).headRevisionId;
    expect(head).toBe(restored.revisionId);

    // A's copy follows the line again: its aside work is on the desk, nothing waits here.
    await pullChanges(a.ctx, a.desk);
    const onA = await a.backend.invoke('documents.get', { id: story.id });
    expect(onA.revisionId).toBe(head);
    expect(bodyTexts(onA.content)[0]).toBe('The bridge closes on Monday for two weeks.');
  });

  it("keeps unsent work on the workstation when the desk's head moves elsewhere", async () => {
    const a = await station('Ada Reporter', 'reporter');
    const b = await station('Eli Editor', 'editor');
    const story = await newStory(a, article('Library hours', ['Open till six.']));
    await pushRevisions(a.ctx, a.desk);
    await pullChanges(b.ctx, b.desk);
    await write(b, story.id, article('Library hours', ['Open till eight on Thursdays.']));
    await pushRevisions(b.ctx, b.desk);

    // A typed and has not cut a version (nothing pushed yet).
    const doc = await a.backend.invoke('documents.get', { id: story.id });
    await a.backend.invoke('documents.saveWorking', { id: story.id, version: doc.version, content: article('Library hours', ['Open till six, and on Sundays.']) as never });
    await pullChanges(a.ctx, a.desk);
    const onA = await a.backend.invoke('documents.get', { id: story.id });
    expect(bodyTexts(onA.content)).toEqual(['Open till six, and on Sundays.']);
    expect(onA.version).toBe(doc.version + 1);
    // B's version is in A's History to compare.
    expect((await a.backend.invoke('revisions.list', { documentId: story.id })).length).toBe(2);
  });
});

describe("the newsroom's workflow, comments and people", () => {
  it("shows the desk's events in the review queue, audit trail and notifications, once each, and its comments", async () => {
    const a = await station('Ada Reporter', 'reporter');
    const b = await station('Eli Editor', 'editor');
    const story = await newStory(a, article('Harbour vote', ['The council voted 7–2.']));
    await pushRevisions(a.ctx, a.desk);
    // Submitted here (the local step), then sent to the desk as the desk outbox does.
    await a.backend.invoke('workflow.transition', { documentId: story.id, action: 'submit' });
    await desk.call('workflow.act', { key: 'submit-key-0001', documentId: story.id, action: 'submit', revisionId: story.revisionId }, a.token);

    await pullChanges(b.ctx, b.desk);
    expect((await b.backend.invoke('documents.list', { status: 'submitted' })).map((d) => d.id)).toEqual([story.id]);
    expect((await b.backend.invoke('workflow.events', { documentId: story.id })).map((e) => [e.action, e.actorName])).toEqual([['submit', 'Ada Reporter']]);

    await desk.call('workflow.act', { key: 'changes-key-01', documentId: story.id, action: 'requestChanges', revisionId: story.revisionId, note: 'Who voted against?' }, b.token);
    await desk.call(
      'comments.add',
      { key: 'comment-key-01', id: 'comment-1', documentId: story.id, body: 'Name them.', quote: '7–2', from: 22, to: 25, createdAt: Date.now() },
      b.token,
    );
    a.events.length = 0;
    await pullChanges(a.ctx, a.desk);
    const onA = await a.backend.invoke('documents.get', { id: story.id });
    expect(onA.status).toBe('changes_requested');
    // A's own submit is listed once: matched with the desk's record of it.
    expect((await a.backend.invoke('workflow.events', { documentId: story.id })).map((e) => [e.action, e.actorName])).toEqual([
      ['requestChanges', 'Eli Editor'],
      ['submit', 'Ada Reporter'],
    ]);
    const notes = await a.backend.invoke('notifications.list', {});
    expect(notes.items.map((n) => [n.action, n.actorName, n.note])).toContainEqual(['requestChanges', 'Eli Editor', 'Who voted against?']);
    expect((await a.backend.invoke('comments.list', { documentId: story.id })).map((c) => [c.authorName, c.body, c.quote])).toEqual([['Eli Editor', 'Name them.', '7–2']]);
    expect(a.events).toContainEqual({ name: 'comments.changed', payload: { documentId: story.id } });

    // Pulled again from the start: still once each.
    setSetting(a.backend.db, 'desk.cursor', '0');
    await pullChanges(a.ctx, a.desk);
    expect((await a.backend.invoke('workflow.events', { documentId: story.id })).length).toBe(2);
    expect((await a.backend.invoke('comments.list', { documentId: story.id })).length).toBe(1);
  });

  it('a reply to a comment goes through the desk to the other workstation under its thread; the desk refuses a reply to a comment on another story or to a reply', async () => {
    const a = await station('Ada Reporter', 'reporter');
    const b = await station('Eli Editor', 'editor');
    const story = await newStory(a, article('Harbour vote', ['The council voted 7–2.']));
    const other = await newStory(a, article('Ferry fares', ['Fares rise.']));
    await pushRevisions(a.ctx, a.desk);
    await desk.call('comments.add', { key: 'comment-key-01', id: 'comment-1', documentId: story.id, body: 'Name them.', quote: '7–2', from: 22, to: 25, createdAt: Date.now() }, b.token);
    await pullChanges(a.ctx, a.desk);

    // A replies locally; the desk gets what the outbox sends for it (forward.ts).
    const reply = await a.backend.invoke('comments.reply', { parentId: 'comment-1', body: 'Smith and Jones.' });
    await desk.call(
      'comments.add',
      { key: 'reply-key-0001', id: reply.id, documentId: reply.documentId, body: reply.body, quote: reply.quote, from: reply.from, to: reply.to, createdAt: reply.createdAt, parentId: 'comment-1' },
      a.token,
    );
    b.events.length = 0;
    await pullChanges(b.ctx, b.desk);
    expect((await b.backend.invoke('comments.list', { documentId: story.id })).map((c) => [c.authorName, c.body, c.parentId])).toEqual([
      ['Eli Editor', 'Name them.', null],
      ['Ada Reporter', 'Smith and Jones.', 'comment-1'],
    ]);
    expect(b.events).toContainEqual({ name: 'comments.changed', payload: { documentId: story.id } });

    const wrongStory = await desk.call(
      'comments.add',
      { key: 'reply-key-0002', id: 'reply-2', documentId: other.id, body: 'Hm.', quote: '', from: 0, to: 0, createdAt: Date.now(), parentId: 'comment-1' },
      a.token,
    ).catch((e: unknown) => e);
    expect(wrongStory).toBeInstanceOf(GalleyError);
    expect((wrongStory as GalleyError).code).toBe('not_found');
    const toReply = await desk.call(
      'comments.add',
      { key: 'reply-key-0003', id: 'reply-3', documentId: story.id, body: 'Hm.', quote: '', from: 0, to: 0, createdAt: Date.now(), parentId: reply.id },
      b.token,
    ).catch((e: unknown) => e);
    expect((toReply as GalleyError).code).toBe('invalid_input');
    // Pulled again from the start: the thread is still one comment and one reply.
    setSetting(b.backend.db, 'desk.cursor', '0');
    await pullChanges(b.ctx, b.desk);
    expect((await b.backend.invoke('comments.list', { documentId: story.id })).length).toBe(2);
  });

  it('keeps a step that still waits in the desk outbox on screen: the older status from the desk does not undo it', async () => {
    const a = await station('Ada Reporter', 'reporter');
    const story = await newStory(a, article('Harbour vote', ['The council voted 7–2.']));
    await pushRevisions(a.ctx, a.desk);
    // Submitted here while the desk is away: the step waits in the outbox.
    await a.backend.invoke('workflow.transition', { documentId: story.id, action: 'submit' });
    insertOutboxItem(a.backend.db, {
      id: 'outbox-item-0001',
      operation: 'workflow.act',
      payload: { documentId: story.id, action: 'submit', revisionId: story.revisionId },
      summary: 'Submit',
      documentId: story.id,
      personId: a.person.id,
      createdAt: Date.now(),
    });
    // Someone else's change to the story's shared state reaches the feed meanwhile.
    await desk.pool.query(`UPDATE documents SET updated_at = updated_at + 1 WHERE id = $1`, [story.id]);
    await tx(desk.pool, (client) => recordChange(client, 'document', story.id, Date.now()));
    await pullChanges(a.ctx, a.desk);
    expect((await a.backend.invoke('documents.get', { id: story.id })).status).toBe('submitted');
    // Once the step has gone, the desk's state is the story's state again.
    a.backend.db.prepare('DELETE FROM desk_outbox').run();
    setSetting(a.backend.db, 'desk.cursor', '0');
    await pullChanges(a.ctx, a.desk);
    expect((await a.backend.invoke('documents.get', { id: story.id })).status).toBe('draft');
  });

  it("changes the local role of the person at the keyboard when the desk changes it, and says so", async () => {
    const a = await station('Ada Reporter', 'reporter');
    await pullChanges(a.ctx, a.desk);
    await tx(desk.pool, async (client) => {
      await client.query(`UPDATE people SET role = 'editor' WHERE id = $1`, [a.person.id]);
      await recordChange(client, 'person', a.person.id, Date.now());
    });
    a.events.length = 0;
    await pullChanges(a.ctx, a.desk);
    expect((await a.backend.invoke('session.get', {})).person).toMatchObject({ id: a.person.id, role: 'editor' });
    expect(a.events).toContainEqual({ name: 'session.changed', payload: { personId: a.person.id } });
  });
});

describe('catching up and bad answers', () => {
  it('brings a workstation that was away while 1,000 revisions were made up to date in one pullChanges', async () => {
    const a = await station('Ada Reporter', 'reporter');
    const b = await station('Eli Editor', 'editor');
    const story = await newStory(a, article('Live: election night', ['Polls close at ten.']));
    let last = story.revisionId;
    let doc = await a.backend.invoke('documents.get', { id: story.id });
    for (let i = 1; i < 1_000; i++) {
      const saved = await a.backend.invoke('documents.saveWorking', {
        id: story.id,
        version: doc.version,
        content: article('Live: election night', ['Polls close at ten.', `Update ${i}: ${i * 17} ballots counted.`]) as never,
      });
      doc = { ...doc, version: saved.version };
      last = (await a.backend.invoke('revisions.checkpoint', { documentId: story.id })).id;
    }
    expect(pendingRevisionCount(a.ctx)).toBe(1_000);
    const pushed = await pushRevisions(a.ctx, a.desk);
    expect(pushed.pushed).toBe(1_000);
    expect(a.calls.filter((c) => c.name === 'sync.push').length).toBeGreaterThanOrEqual(2); // at most 500 a push

    const result = await pullChanges(b.ctx, b.desk);
    expect(result.applied).toBeGreaterThanOrEqual(1_000);
    expect(b.calls.filter((c) => c.name === 'sync.pull').length).toBeGreaterThan(1); // several pages, one call of ours
    const onB = await b.backend.invoke('documents.get', { id: story.id });
    expect(onB.revisionId).toBe(last);
    expect(bodyTexts(onB.content)).toEqual(['Polls close at ten.', 'Update 999: 16983 ballots counted.']);
    expect((await b.backend.invoke('revisions.list', { documentId: story.id })).length).toBe(1_000);
  }, 120_000);

  it('applies nothing from a page the desk garbled, keeps the cursor, and says the desk is unavailable', async () => {
    const a = await station('Ada Reporter', 'reporter');
    const b = await station('Eli Editor', 'editor');
    const first = await newStory(a, article('Tram strike', ['Trams stop at noon.']));
    await pushRevisions(a.ctx, a.desk);
    await pullChanges(b.ctx, b.desk);
    const cursor = getSetting(b.backend.db, 'desk.cursor');
    await write(a, first.id, article('Tram strike', ['Trams stop at noon; buses run.']));
    await newStory(a, article('Second story', ['Another one.']));
    await pushRevisions(a.ctx, a.desk);

    const before = {
      documents: b.backend.db.prepare('SELECT * FROM documents ORDER BY id').all(),
      revisions: count(b, 'revisions'),
      blocks: count(b, 'blocks'),
    };
    const garbled = (change: (answer: DeskOutput<'sync.pull'>) => unknown, blocks?: (answer: DeskOutput<'sync.blocks'>) => unknown): DeskCaller => ({
      call: async (name, input) => {
        const answer = await b.desk.call(name, input);
        if (name === 'sync.pull') return change(structuredClone(answer as DeskOutput<'sync.pull'>)) as never;
        if (name === 'sync.blocks' && blocks) return blocks(structuredClone(answer as DeskOutput<'sync.blocks'>)) as never;
        return answer;
      },
    });
    const cases: DeskCaller[] = [
      // Not the contract's shape at all.
      garbled(() => ({ changes: 'everything', cursor: 'soon' })),
      // A revision whose record does not match its blocks.
      garbled((page) => {
        const r = page.changes.find((c) => c.type === 'revision');
        if (r?.type === 'revision') r.revision.contentHash = 'f'.repeat(64);
        return page;
      }),
      // Blocks whose bytes do not match their hashes.
      garbled(
        (page) => page,
        (answer) => ({ ...answer, blocks: answer.blocks.map((blk) => ({ ...blk, data: Buffer.from('not brotli').toString('base64') })) }),
      ),
      // Changes out of order.
      garbled((page) => ({ ...page, changes: [...page.changes].reverse() })),
    ];
    for (const caller of cases) {
      await expect(pullChanges(b.ctx, caller)).rejects.toMatchObject({ code: 'unavailable' });
      expect(getSetting(b.backend.db, 'desk.cursor')).toBe(cursor);
      expect(b.backend.db.prepare('SELECT * FROM documents ORDER BY id').all()).toEqual(before.documents);
      expect(count(b, 'revisions')).toBe(before.revisions);
      expect(count(b, 'blocks')).toBe(before.blocks);
    }
    // The desk answering properly again: everything arrives.
    await pullChanges(b.ctx, b.desk);
    expect((await b.backend.invoke('documents.list', {})).map((d) => d.title).sort()).toEqual(['Second story', 'Tram strike']);
  });
});

describe('photos', () => {
  it("sends a caption's photo to the desk before the caption, and another workstation fetches and imports it", async () => {
    const c = await station('Pia Photo', 'photo_desk');
    const b = await station('Eli Editor', 'editor');
    const bytes = new Uint8Array(readFileSync(new URL('../fixtures/images/harbor-dawn.jpg', import.meta.url)));
    const asset = await c.backend.invoke('assets.import', { fileName: 'harbor-dawn.jpg', data: bytes });
    const caption = await c.backend.invoke('captions.createFromPhoto', { sha256: asset.sha256 });
    await c.backend.invoke('revisions.checkpoint', { documentId: caption.id, note: 'Captioned' });
    await pushRevisions(c.ctx, c.desk);
    const order = c.calls.map((x) => x.name);
    expect(order.indexOf('assets.put')).toBeGreaterThanOrEqual(0);
    expect(order.indexOf('assets.put')).toBeLessThan(order.indexOf('sync.push'));

    expect(getAsset(b.backend.db, asset.sha256)).toBeUndefined();
    // The first time, the photo does not come (the desk fails that call): the caption does.
    const flaky: DeskCaller = {
      call: async (name, input) => {
        if (name === 'assets.get') throw new GalleyError('unavailable', 'The desk did not answer in time.');
        return b.desk.call(name, input);
      },
    };
    await pullChanges(b.ctx, flaky);
    expect((await b.backend.invoke('documents.get', { id: caption.id })).title).toBe(caption.title);
    expect(getAsset(b.backend.db, asset.sha256)).toBeUndefined();
    // The next pull, with nothing new in the feed, fetches it.
    await pullChanges(b.ctx, b.desk);
    expect(getAsset(b.backend.db, asset.sha256)).toMatchObject({ sha256: asset.sha256, originalName: 'harbor-dawn.jpg' });
    const onB = await b.backend.invoke('documents.get', { id: caption.id });
    expect(onB.content.kind === 'caption' && onB.content.fields.photo).toBe(asset.sha256);
    // Thumbnails work: the photo was imported the ordinary way.
    expect((await b.backend.invoke('assets.get', { sha256: asset.sha256 })).width).toBe(asset.width);
  });
});
