import { refusal } from '../support/backend.ts';
import { createHash, randomUUID } from 'node:crypto';
import { brotliCompressSync, constants as zlib } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Change } from '../../shared/desk.ts';
import { encodeBlock } from '../../desk/wire.ts';
import { openTestDesk, type TestDesk } from '../support/desk.ts';
import { addPerson, addSession, revokePerson } from '../support/deskPeople.ts';
import { articleContent, captionContent, StoryWriter } from '../support/deskWire.ts';
import { postgresMissing, startPostgres, type PgCluster } from '../support/postgres.ts';

const missing = postgresMissing();
if (missing) console.warn(`[deskSync] skipped: ${missing}`);


async function count(desk: TestDesk, table: string): Promise<number> {
  const { rows } = await desk.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0]!.n;
}

describe.skipIf(missing !== null)('the desk: documents, revisions and workflow (real PostgreSQL)', () => {
  let cluster: PgCluster;
  const desks: TestDesk[] = [];
  beforeAll(async () => {
    cluster = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    for (const d of desks) await d.close();
    await cluster?.stop();
  });

  async function newsroom(options: { now?: () => number } = {}) {
    const desk = await openTestDesk(cluster, options);
    desks.push(desk);
    const reporter = await addPerson(desk, { name: 'Amara Osei', role: 'reporter' });
    const other = await addPerson(desk, { name: 'Ben Okafor', role: 'reporter' });
    const editor = await addPerson(desk, { name: 'Chidi Eze', role: 'editor', admin: true });
    const photo = await addPerson(desk, { name: 'Dana Photo', role: 'photo_desk' });
    return { desk, reporter, other, editor, photo };
  }

  async function pullAll(desk: TestDesk, token: string, since = 0): Promise<Change[]> {
    const out: Change[] = [];
    let cursor = since;
    for (;;) {
      const page = await desk.call('sync.pull', { since: cursor, limit: 1000 }, token);
      out.push(...page.changes);
      cursor = page.cursor;
      if (!page.more) return out;
    }
  }

  it('takes a new story (document, blocks, revision) and shows it in the feed', async () => {
    const { desk, reporter } = await newsroom();
    const story = new StoryWriter('article', reporter.person.id);
    const v1 = story.cut(articleContent('Council votes on budget', ['The council met.', 'It voted.'], { slug: 'council-budget' }), { label: 'checkpoint' });
    const answer = await desk.call('sync.push', story.push([v1], true), reporter.token);
    expect(answer).toEqual({ accepted: [{ id: v1.revision.id, aside: false }], missing: [], refused: [] });

    const changes = await pullAll(desk, reporter.token);
    const doc = changes.find((c) => c.type === 'document');
    const rev = changes.find((c) => c.type === 'revision');
    expect(doc?.type === 'document' && doc.document).toMatchObject({
      id: story.id,
      kind: 'article',
      status: 'draft',
      ownerId: reporter.person.id,
      title: 'Council votes on budget',
      slug: 'council-budget',
      wordCount: 5,
      headRevisionId: v1.revision.id,
    });
    expect(rev?.type === 'revision' && rev.revision).toMatchObject({ id: v1.revision.id, aside: false, blocks: v1.hashes, contentHash: v1.revision.contentHash });
    expect(await count(desk, 'blocks')).toBe(3);
  });

  it('takes a story holding an editor’s suggested edits (marks kept, author and time), and refuses to approve it until they are decided', async () => {
    const { desk, reporter, editor } = await newsroom();
    const story = new StoryWriter('article', reporter.person.id);
    const content = articleContent('Dredging starts', ['Dredging starts in May.']);
    const who = { authorId: editor.person.id, authorName: 'Chidi Eze', time: 1_800_000_000_000 };
    content.body = {
      type: 'doc',
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Dredging starts.' }, { type: 'text', text: ' Ships wait.', marks: [{ type: 'insertion', attrs: { id: 1, ...who } }] }] }],
    };
    const v1 = story.cut(content, { label: 'checkpoint' });
    expect(await desk.call('sync.push', story.push([v1], true), reporter.token)).toEqual({ accepted: [{ id: v1.revision.id, aside: false }], missing: [], refused: [] });
    const fetched = await desk.call('sync.blocks', { hashes: [v1.hashes[1]!] }, editor.token);
    expect(fetched.blocks).toEqual(v1.blocks.filter((b) => b.hash === v1.hashes[1]));
    await desk.call('workflow.act', { key: randomUUID(), documentId: story.id, action: 'submit', revisionId: v1.revision.id }, reporter.token);
    const refused = await refusal(desk.call('workflow.act', { key: randomUUID(), documentId: story.id, action: 'approve', revisionId: v1.revision.id }, editor.token));
    expect(refused.message).toBe('Accept or reject the suggested edits before approving: 1 suggestion not yet accepted or rejected.');
  });

  it('takes an edit that sends only the changed block and runs of the parent, and moves the head', async () => {
    const { desk, reporter } = await newsroom();
    const story = new StoryWriter('article', reporter.person.id);
    const paragraphs = Array.from({ length: 30 }, (_, i) => `Paragraph ${i} of the long story.`);
    const v1 = story.cut(articleContent('Long story', paragraphs));
    await desk.call('sync.push', story.push([v1], true), reporter.token);
    const edited = [...paragraphs];
    edited[12] = 'Paragraph twelve, corrected.';
    const v2 = story.cut(articleContent('Long story', edited));
    expect(v2.blocks).toHaveLength(1);
    expect(v2.revision.blocks).toEqual([[0, 13], v2.hashes[13], [14, 17]]);
    const answer = await desk.call('sync.push', story.push([v2]), reporter.token);
    expect(answer.accepted).toEqual([{ id: v2.revision.id, aside: false }]);
    expect((await desk.call('documents.get', { id: story.id }, reporter.token)).headRevisionId).toBe(v2.revision.id);

    // Another workstation catches up: the revision comes as runs of its parent, and the one new block on request.
    const changes = await pullAll(desk, reporter.token);
    const rev2 = changes.find((c) => c.type === 'revision' && c.revision.id === v2.revision.id);
    expect(rev2?.type === 'revision' && rev2.revision.blocks).toEqual([[0, 13], v2.hashes[13], [14, 17]]);
    const unknown = 'f'.repeat(64);
    const fetched = await desk.call('sync.blocks', { hashes: [v2.hashes[13]!, unknown] }, reporter.token);
    expect(fetched.missing).toEqual([unknown]);
    expect(fetched.blocks).toEqual(v2.blocks);
  });

  it('refuses a whole push when a block does not match its hash, storing nothing', async () => {
    const { desk, reporter } = await newsroom();
    const story = new StoryWriter('article', reporter.person.id);
    const v1 = story.cut(articleContent('Tampered', ['Good words.', 'More words.']));
    const input = story.push([v1], true);
    const forged = Buffer.from(brotliCompressSync(Buffer.from('{"type":"paragraph","content":[{"type":"text","text":"Bad words."}]}'))).toString('base64');
    input.blocks![1] = { hash: input.blocks![1]!.hash, data: forged };
    const error = await refusal(desk.call('sync.push', input, reporter.token));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toBe(`Block ${input.blocks![1]!.hash} does not match its bytes; nothing was stored.`);
    expect(await count(desk, 'blocks')).toBe(0);
    expect(await count(desk, 'documents')).toBe(0);
    expect(await count(desk, 'revisions')).toBe(0);
    expect(await count(desk, 'changes')).toBe(0);
    // Many blocks each under the per-block cap but together huge (each compresses to a few bytes) are refused too.
    const bombs = Array.from({ length: 10 }, (_, i) => {
      const text = `"${String(i).repeat(7 * 1024 * 1024)}"`;
      const data = brotliCompressSync(Buffer.from(text), { params: { [zlib.BROTLI_PARAM_QUALITY]: 1 } });
      return { hash: createHash('sha256').update(text).digest('hex'), data: data.toString('base64') };
    });
    expect((await refusal(desk.call('sync.push', { key: randomUUID(), blocks: bombs }, reporter.token))).message).toMatch(/more than 64 MB/);
    expect(await count(desk, 'blocks')).toBe(0);
    // The key was not used up: the corrected push under the same key goes through.
    const again = await desk.call('sync.push', { ...story.push([v1], true), key: input.key }, reporter.token);
    expect(again.accepted).toHaveLength(1);
  });

  it('refuses a revision with a forged author, a recomputed id that differs, or on someone else’s article', async () => {
    const { desk, reporter, other } = await newsroom();
    const story = new StoryWriter('article', reporter.person.id);
    const v1 = story.cut(articleContent('Mine', ['My words.']));
    await desk.call('sync.push', story.push([v1], true), reporter.token);

    // Another reporter sends a version authored as the owner: refused, not stored.
    const forged = story.cut(articleContent('Mine', ['Words put in my mouth.']), { authorId: reporter.person.id });
    const a = await desk.call('sync.push', story.push([forged]), other.token);
    expect(a.accepted).toEqual([]);
    expect(a.refused).toEqual([{ id: forged.revision.id, code: 'forbidden', message: expect.stringMatching(/author must be the person sending it/) }]);

    // Authored honestly, but not theirs to edit.
    story.head = v1;
    const theirs = story.cut(articleContent('Mine', ['Words put in my mouth.']), { authorId: other.person.id });
    const b = await desk.call('sync.push', story.push([theirs]), other.token);
    expect(b.refused).toEqual([{ id: theirs.revision.id, code: 'forbidden', message: 'Reporter may edit only their own articles; this one belongs to someone else.' }]);

    // A record whose fields do not give its id (here the word count is honest but the note was changed after hashing).
    story.head = v1;
    const v2 = story.cut(articleContent('Mine', ['My words, again.']));
    const c = await desk.call('sync.push', { ...story.push([v2]), revisions: [{ ...v2.revision, note: 'changed' }] }, reporter.token);
    expect(c.refused).toEqual([{ id: v2.revision.id, code: 'invalid_input', message: expect.stringMatching(/does not match its own record/) }]);

    expect(await count(desk, 'revisions')).toBe(1);
    expect((await desk.call('documents.get', { id: story.id }, reporter.token)).headRevisionId).toBe(v1.revision.id);
  });

  it('checks who may create what: a reporter cannot create a caption or an article owned by someone else', async () => {
    const { desk, reporter, other, editor, photo } = await newsroom();
    const caption = new StoryWriter('caption', reporter.person.id);
    const c1 = caption.cut(captionContent('A cat on a wall.'));
    const a = await desk.call('sync.push', caption.push([c1], true), reporter.token);
    expect(a.refused.map((r) => [r.id, r.code])).toEqual([
      [caption.id, 'forbidden'],
      [c1.revision.id, 'not_found'],
    ]);
    const forOther = new StoryWriter('article', reporter.person.id, { ownerId: other.person.id });
    const b = await desk.call('sync.push', forOther.push([], true), reporter.token);
    expect(b.refused[0]).toMatchObject({ id: forOther.id, code: 'forbidden' });
    // An editor may create one for a reporter; the photo desk creates captions.
    const assigned = new StoryWriter('article', editor.person.id, { ownerId: other.person.id });
    expect((await desk.call('sync.push', assigned.push([], true), editor.token)).refused).toEqual([]);
    const byPhoto = new StoryWriter('caption', photo.person.id);
    const p1 = byPhoto.cut(captionContent('A cat on a wall, asleep.'));
    expect((await desk.call('sync.push', byPhoto.push([p1], true), photo.token)).accepted).toEqual([{ id: p1.revision.id, aside: false }]);
    expect((await desk.call('documents.get', { id: byPhoto.id }, photo.token)).title).toBe('A cat on a wall, asleep.');
    // A header sent again cannot change the owner or kind.
    const again = await desk.call('sync.push', { key: randomUUID(), documents: [{ ...assigned.header(), ownerId: editor.person.id, kind: 'bio' }] }, editor.token);
    expect(again.refused).toEqual([]);
    expect(await desk.call('documents.get', { id: assigned.id }, editor.token)).toMatchObject({ ownerId: other.person.id, kind: 'article' });
  });

  it('keeps a version on a stale parent aside, leaving the head alone', async () => {
    const { desk, reporter, editor } = await newsroom();
    const story = new StoryWriter('article', reporter.person.id);
    const v1 = story.cut(articleContent('Split', ['First.']));
    await desk.call('sync.push', story.push([v1], true), reporter.token);
    const byEditor = story.cut(articleContent('Split', ['First, edited by the desk.']), { authorId: editor.person.id });
    expect((await desk.call('sync.push', story.push([byEditor]), editor.token)).accepted).toEqual([{ id: byEditor.revision.id, aside: false }]);
    // The reporter, offline, also edited v1.
    const offline = story.cut(articleContent('Split', ['First, edited offline.']), { parent: v1 });
    const answer = await desk.call('sync.push', story.push([offline]), reporter.token);
    expect(answer.accepted).toEqual([{ id: offline.revision.id, aside: true }]);
    const doc = await desk.call('documents.get', { id: story.id }, reporter.token);
    expect(doc.headRevisionId).toBe(byEditor.revision.id);
    const changes = await pullAll(desk, editor.token);
    const aside = changes.find((c) => c.type === 'revision' && c.revision.id === offline.revision.id);
    expect(aside?.type === 'revision' && aside.revision).toMatchObject({ aside: true, authorId: reporter.person.id, parentId: v1.revision.id });
  });

  it('keeps a version aside while someone else holds the lock, and lands it once the lock is the sender’s', async () => {
    let clock = 1_800_000_000_000;
    const { desk, reporter, editor } = await newsroom({ now: () => clock });
    const story = new StoryWriter('article', reporter.person.id);
    const v1 = story.cut(articleContent('Locked', ['First.']));
    await desk.call('sync.push', story.push([v1], true), reporter.token);
    expect(await desk.call('locks.acquire', { documentId: story.id, session: 'editor-window' }, editor.token)).toMatchObject({ held: true, holderId: editor.person.id });
    const v2 = story.cut(articleContent('Locked', ['First, while locked out.']));
    expect((await desk.call('sync.push', story.push([v2]), reporter.token)).accepted).toEqual([{ id: v2.revision.id, aside: true }]);
    expect((await desk.call('documents.get', { id: story.id }, reporter.token)).headRevisionId).toBe(v1.revision.id);
    // The editor's lease lapses 90 s after their last heartbeat; then the reporter's next version lands.
    clock += 90_000;
    const v3 = story.cut(articleContent('Locked', ['First, after the lock lapsed.']), { parent: v1 });
    expect((await desk.call('sync.push', story.push([v3]), reporter.token)).accepted).toEqual([{ id: v3.revision.id, aside: false }]);
  });

  it('answers a resent push key with the first answer and stores once; lists blocks it lacks', async () => {
    const { desk, reporter } = await newsroom();
    const story = new StoryWriter('article', reporter.person.id);
    const v1 = story.cut(articleContent('Resent', ['Once.']));
    const input = story.push([v1], true);
    const first = await desk.call('sync.push', input, reporter.token);
    const changes = await count(desk, 'changes');
    const second = await desk.call('sync.push', input, reporter.token);
    expect(second).toEqual(first);
    expect(await count(desk, 'changes')).toBe(changes);
    expect(await count(desk, 'revisions')).toBe(1);
    // The same revision under a new key: accepted again as before, nothing new stored.
    expect((await desk.call('sync.push', story.push([v1], true), reporter.token)).accepted).toEqual(first.accepted);
    expect(await count(desk, 'changes')).toBe(changes);

    // Without its new block, a revision waits (as do its children); with it, it lands.
    const v2 = story.cut(articleContent('Resent', ['Once.', 'Twice.']));
    const v3 = story.cut(articleContent('Resent', ['Once.', 'Twice.', 'Thrice.']));
    const key = randomUUID();
    const lacking = await desk.call('sync.push', { key, revisions: [v2.revision, v3.revision], blocks: v3.blocks }, reporter.token);
    expect(lacking).toEqual({ accepted: [], missing: [v2.hashes[2]], refused: [] });
    // Resent under the same key with the missing block: the key was not used up by the incomplete answer.
    const complete = await desk.call('sync.push', { ...story.push([v2, v3]), key }, reporter.token);
    expect(complete.accepted).toEqual([
      { id: v2.revision.id, aside: false },
      { id: v3.revision.id, aside: false },
    ]);
    expect((await desk.call('documents.get', { id: story.id }, reporter.token)).headRevisionId).toBe(v3.revision.id);
  });

  it('takes concurrent pushes that touch the same stories and blocks in different orders (no deadlock, nothing lost)', async () => {
    const { desk, reporter, editor } = await newsroom();
    const a = new StoryWriter('article', reporter.person.id);
    const b = new StoryWriter('article', reporter.person.id);
    await desk.call('sync.push', { key: randomUUID(), documents: [a.header(), b.header()] }, reporter.token);
    const shared = ['A paragraph both stories quote.', 'Another shared paragraph.'];
    for (let round = 0; round < 5; round++) {
      // Each person edits both stories on the same heads, in opposite orders: one version of each lands, the other goes aside.
      const baseA = a.head;
      const baseB = b.head;
      const ea = a.cut(articleContent('A', [...shared, `A by the editor ${round}.`]), { authorId: editor.person.id, parent: baseA });
      const eb = b.cut(articleContent('B', [...shared, `B by the editor ${round}.`]), { authorId: editor.person.id, parent: baseB });
      const rb = b.cut(articleContent('B', [...shared.slice().reverse(), `B by the reporter ${round}.`]), { parent: baseB });
      const ra = a.cut(articleContent('A', [...shared.slice().reverse(), `A by the reporter ${round}.`]), { parent: baseA });
      const fromEditor = { key: randomUUID(), revisions: [ea.revision, eb.revision], blocks: [...ea.blocks, ...eb.blocks].reverse() };
      const fromReporter = { key: randomUUID(), revisions: [rb.revision, ra.revision], blocks: [...rb.blocks, ...ra.blocks] };
      const [byEditor, byReporter] = await Promise.all([desk.call('sync.push', fromEditor, editor.token), desk.call('sync.push', fromReporter, reporter.token)]);
      expect([byEditor.accepted.length, byReporter.accepted.length]).toEqual([2, 2]);
      const landed = [...byEditor.accepted, ...byReporter.accepted].filter((x) => !x.aside).map((x) => x.id);
      expect(landed).toHaveLength(2);
      const docA = await desk.call('documents.get', { id: a.id }, editor.token);
      const docB = await desk.call('documents.get', { id: b.id }, editor.token);
      expect(landed.sort()).toEqual([docA.headRevisionId, docB.headRevisionId].sort());
      a.head = docA.headRevisionId === ea.revision.id ? ea : ra;
      b.head = docB.headRevisionId === eb.revision.id ? eb : rb;
    }
    expect(await count(desk, 'revisions')).toBe(20);
  });

  it('runs the workflow on the desk’s head: submit, a stale approval refused, approval pinned, stale after an edit', async () => {
    let clock = Date.UTC(2026, 11, 2, 9, 30);
    const { desk, reporter, editor } = await newsroom({ now: () => clock });
    const story = new StoryWriter('article', reporter.person.id);
    const v1 = story.cut(articleContent('Review me', ['Draft text.']));
    const act = (token: string, input: Record<string, unknown>) => desk.call('workflow.act', { key: randomUUID(), documentId: story.id, ...input } as never, token);

    // Acting before the text is on the desk: send the story first.
    const early = await refusal(desk.call('workflow.act', { key: randomUUID(), documentId: story.id, action: 'submit', revisionId: v1.revision.id }, reporter.token));
    expect(early.code).toBe('not_found');
    await desk.call('sync.push', story.push([], true), reporter.token);
    const unsent = await refusal(act(reporter.token, { action: 'submit', revisionId: v1.revision.id }));
    expect(unsent.code).toBe('conflict');
    expect(unsent.message).toMatch(/send the story first/);
    await desk.call('sync.push', story.push([v1]), reporter.token);
    expect((await act(reporter.token, { action: 'submit', revisionId: v1.revision.id })).status).toBe('submitted');

    const notYours = await refusal(act(reporter.token, { action: 'approve', revisionId: v1.revision.id }));
    expect(notYours).toMatchObject({ code: 'forbidden', message: 'Reporter may not approve a article.' });

    // The reporter saves while the editor reads v1.
    clock += 60_000;
    const v2 = story.cut(articleContent('Review me', ['Draft text, improved.']));
    await desk.call('sync.push', story.push([v2]), reporter.token);
    const stale = await refusal(act(editor.token, { action: 'approve', revisionId: v1.revision.id }));
    expect(stale.code).toBe('conflict');
    expect(stale.message).toBe('The text changed after the version you reviewed (Amara Osei saved it at 09:31 UTC). Compare the changes, then approve again if they are fine.');
    const approved = await act(editor.token, { action: 'approve', revisionId: v2.revision.id, note: 'Good.' });
    expect(approved).toMatchObject({ status: 'approved', approvedRevisionId: v2.revision.id });

    // Publishing needs a target; then names exactly the approved revision.
    expect((await refusal(act(editor.token, { action: 'publish' }))).message).toMatch(/no publish target/);
    await desk.pool.query(`INSERT INTO publish_targets (id, name, type, config, created_at, updated_at) VALUES ('t1', 'Folder', 'folder', '{}', 0, 0)`);
    expect((await refusal(act(editor.token, { action: 'publish', revisionId: v1.revision.id }))).message).toMatch(/Another version was approved/);
    expect((await refusal(act(editor.token, { action: 'schedule', publishAt: clock + 1_000 }))).message).toMatch(/at least a minute from now/);

    // An edit after approval makes it stale: back to submitted, the approved revision kept.
    const v3 = story.cut(articleContent('Review me', ['Draft text, improved again.']));
    await desk.call('sync.push', story.push([v3]), reporter.token);
    expect(await desk.call('documents.get', { id: story.id }, reporter.token)).toMatchObject({ status: 'submitted', approvedRevisionId: v2.revision.id });
    expect((await refusal(act(editor.token, { action: 'publish' }))).message).toMatch(/cannot be published; it must be approved/);
    await act(editor.token, { action: 'approve', revisionId: v3.revision.id });
    const published = await act(editor.token, { action: 'publish', revisionId: v3.revision.id });
    expect(published.status).toBe('published');

    const trail = await desk.call('workflow.events', { documentId: story.id }, reporter.token);
    expect(trail.map((e) => [e.action, e.actorName, e.revisionId])).toEqual([
      ['publish', 'Chidi Eze', v3.revision.id],
      ['approve', 'Chidi Eze', v3.revision.id],
      ['approvalStale', 'Amara Osei', v2.revision.id],
      ['approve', 'Chidi Eze', v2.revision.id],
      ['submit', 'Amara Osei', v1.revision.id],
    ]);

    // The reporter hears of the approvals (not of their own steps).
    const news = await desk.call('notifications.list', {}, reporter.token);
    expect(news.items.map((n) => [n.action, n.actorName, n.title, n.unread])).toEqual([
      ['approve', 'Chidi Eze', 'Review me', true],
      ['approve', 'Chidi Eze', 'Review me', true],
    ]);
    expect(news.unread).toBe(2);
    expect((await desk.call('notifications.markRead', {}, reporter.token)).unread).toBe(0);
    await act(editor.token, { action: 'unpublish' });
    await act(reporter.token, { action: 'submit', revisionId: v3.revision.id });
    await act(editor.token, { action: 'requestChanges', revisionId: v3.revision.id, note: 'Add a quote.' });
    const later = await desk.call('notifications.list', {}, reporter.token);
    expect(later.unread).toBe(1);
    expect(later.items[0]).toMatchObject({ action: 'requestChanges', note: 'Add a quote.', unread: true });
    expect((await desk.call('notifications.list', {}, editor.token)).items).toEqual([]);
  });

  it('approves a version with the head’s text that the editor’s workstation cut (aside while the reporter holds the lock)', async () => {
    const { desk, reporter, editor } = await newsroom();
    const story = new StoryWriter('article', reporter.person.id);
    const content = articleContent('Pinned', ['The text the editor read.']);
    const v1 = story.cut(content);
    await desk.call('sync.push', story.push([v1], true), reporter.token);
    await desk.call('workflow.act', { key: randomUUID(), documentId: story.id, action: 'submit', revisionId: v1.revision.id }, reporter.token);
    await desk.call('locks.acquire', { documentId: story.id, session: 'reporter-window' }, reporter.token);
    // The editor's workstation marks the approval with its own version of the same text.
    const marked = story.cut(content, { authorId: editor.person.id, label: 'approved', parent: v1 });
    expect((await desk.call('sync.push', story.push([marked]), editor.token)).accepted).toEqual([{ id: marked.revision.id, aside: true }]);
    const doc = await desk.call('workflow.act', { key: randomUUID(), documentId: story.id, action: 'approve', revisionId: marked.revision.id }, editor.token);
    expect(doc).toMatchObject({ status: 'approved', approvedRevisionId: marked.revision.id, headRevisionId: v1.revision.id });
  });

  it('answers a resent workflow step with the first answer, acting once', async () => {
    const { desk, reporter } = await newsroom();
    const story = new StoryWriter('article', reporter.person.id);
    const v1 = story.cut(articleContent('Once', ['Submitted once.']));
    await desk.call('sync.push', story.push([v1], true), reporter.token);
    const input = { key: randomUUID(), documentId: story.id, action: 'submit' as const, revisionId: v1.revision.id };
    const first = await desk.call('workflow.act', input, reporter.token);
    const second = await desk.call('workflow.act', input, reporter.token);
    expect(second).toEqual(first);
    expect(await desk.call('workflow.events', { documentId: story.id }, reporter.token)).toHaveLength(1);
  });

  it('refuses to publish an article whose figure’s caption is not approved', async () => {
    const { desk, reporter, editor, photo } = await newsroom();
    await desk.pool.query(`INSERT INTO publish_targets (id, name, type, config, created_at, updated_at) VALUES ('t1', 'Folder', 'folder', '{}', 0, 0)`);
    const caption = new StoryWriter('caption', photo.person.id);
    const c1 = caption.cut(captionContent('The mayor at the vote.'));
    await desk.call('sync.push', caption.push([c1], true), photo.token);
    const story = new StoryWriter('article', reporter.person.id);
    const content = articleContent('With a photo', ['Text.']);
    content.body.content!.push({ type: 'figure', attrs: { captionId: caption.id, captionOverride: null } });
    const v1 = story.cut(content);
    await desk.call('sync.push', story.push([v1], true), reporter.token);
    const step = (token: string, documentId: string, action: string, revisionId?: string) =>
      desk.call('workflow.act', { key: randomUUID(), documentId, action, revisionId } as never, token);
    await step(reporter.token, story.id, 'submit', v1.revision.id);
    await step(editor.token, story.id, 'approve', v1.revision.id);
    const refused = await refusal(step(editor.token, story.id, 'publish'));
    expect(refused.code).toBe('conflict');
    expect(refused.message).toBe('Fix these before publishing: Caption “The mayor at the vote.” is draft: the photo desk must submit it and an editor approve it.');
    await step(photo.token, caption.id, 'submit', c1.revision.id);
    await step(editor.token, caption.id, 'approve', c1.revision.id);
    expect((await step(editor.token, story.id, 'publish')).status).toBe('published');
  });

  it('adds and resolves comments, idempotent by key and by id', async () => {
    const { desk, reporter, editor } = await newsroom();
    const story = new StoryWriter('article', reporter.person.id);
    await desk.call('sync.push', story.push([story.cut(articleContent('Commented', ['Some text here.']))], true), reporter.token);
    const id = randomUUID();
    const input = { key: randomUUID(), id, documentId: story.id, body: 'Check this figure.', quote: 'text', from: 5, to: 9, createdAt: 1234 };
    const c = await desk.call('comments.add', input, editor.token);
    expect(c).toMatchObject({ id, authorId: editor.person.id, authorName: 'Chidi Eze', body: 'Check this figure.', resolvedAt: null });
    expect(await desk.call('comments.add', input, editor.token)).toEqual(c);
    expect(await desk.call('comments.add', { ...input, key: randomUUID() }, editor.token)).toEqual(c);
    expect((await refusal(desk.call('comments.add', { ...input, key: randomUUID() }, reporter.token))).code).toBe('conflict');
    expect((await refusal(desk.call('comments.add', { ...input, key: randomUUID(), id: randomUUID(), to: 5 }, editor.token))).code).toBe('invalid_input');
    const resolved = await desk.call('comments.resolve', { key: randomUUID(), id }, reporter.token);
    expect(resolved).toMatchObject({ resolvedByName: 'Amara Osei' });
    const changes = await pullAll(desk, reporter.token);
    const comment = changes.filter((ch) => ch.type === 'comment');
    expect(comment).toHaveLength(1);
    expect(comment[0]!.type === 'comment' && comment[0]!.comment.resolvedByName).toBe('Amara Osei');
  });

  it('leases locks: heartbeat, elsewhere, lapse after 90 s, take-over by an editor', async () => {
    let clock = 1_800_000_000_000;
    const { desk, reporter, other, editor } = await newsroom({ now: () => clock });
    const story = new StoryWriter('article', reporter.person.id);
    await desk.call('sync.push', story.push([story.cut(articleContent('Locks', ['Text.']))], true), reporter.token);
    const lock = (token: string, session: string, claim?: boolean) => desk.call('locks.acquire', { documentId: story.id, session, claim }, token);

    expect(await lock(reporter.token, 'laptop-1')).toEqual({ held: true, holderName: 'Amara Osei', holderId: reporter.person.id, since: clock, elsewhere: false });
    expect((await refusal(lock(other.token, 'other-session'))).code).toBe('forbidden');
    expect(await lock(editor.token, 'desk-window')).toMatchObject({ held: false, holderName: 'Amara Osei', elsewhere: false });
    // The same person on another workstation: elsewhere, until they claim it.
    expect(await lock(reporter.token, 'laptop-2')).toMatchObject({ held: false, elsewhere: true });
    expect(await lock(reporter.token, 'laptop-2', true)).toMatchObject({ held: true });
    expect(await lock(reporter.token, 'laptop-1')).toMatchObject({ held: false, elsewhere: true });

    // Heartbeats keep it; 90 s of silence lets it go.
    clock += 80_000;
    expect(await lock(reporter.token, 'laptop-2')).toMatchObject({ held: true });
    clock += 80_000;
    expect(await lock(editor.token, 'desk-window')).toMatchObject({ held: false });
    clock += 10_000;
    expect(await lock(editor.token, 'desk-window')).toMatchObject({ held: true, holderName: 'Chidi Eze' });

    // A reporter cannot take over from an editor; an editor takes over anyone, and the feed hears of it.
    expect((await refusal(desk.call('locks.takeOver', { documentId: story.id, session: 'laptop-2' }, reporter.token))).message).toBe(
      'Only an editor can take this over from Chidi Eze.',
    );
    await desk.call('locks.release', { documentId: story.id, session: 'desk-window' }, editor.token);
    expect(await lock(reporter.token, 'laptop-2')).toMatchObject({ held: true });
    const before = (await desk.call('sync.pull', { since: 0, limit: 1000 }, editor.token)).cursor;
    expect(await desk.call('locks.takeOver', { documentId: story.id, session: 'desk-window' }, editor.token)).toMatchObject({ held: true, holderId: editor.person.id });
    const after = await desk.call('sync.pull', { since: before }, reporter.token);
    expect(after.changes.map((c) => c.type)).toEqual(['document']);
    expect(await lock(reporter.token, 'laptop-2')).toMatchObject({ held: false, holderName: 'Chidi Eze' });
    // A release by someone who does not hold it changes nothing.
    await desk.call('locks.release', { documentId: story.id, session: 'laptop-2' }, reporter.token);
    expect(await lock(editor.token, 'desk-window')).toMatchObject({ held: true });
  });

  it('pages the feed in order, once per document per page, with a cursor that resumes', async () => {
    const { desk, reporter } = await newsroom();
    const story = new StoryWriter('article', reporter.person.id);
    const versions = Array.from({ length: 6 }, (_, i) => story.cut(articleContent(`Take ${i}`, [`Version ${i}.`])));
    for (const v of versions) await desk.call('sync.push', story.push([v], v === versions[0]), reporter.token);
    // The feed: revision, document — six times.
    const whole = await desk.call('sync.pull', { since: 0 }, reporter.token);
    expect(whole.more).toBe(false);
    expect(whole.changes.map((c) => c.type)).toEqual(['revision', 'revision', 'revision', 'revision', 'revision', 'revision', 'document']);
    expect(whole.changes.map((c) => c.seq)).toEqual([...whole.changes.map((c) => c.seq)].sort((a, b) => a - b));
    const doc = whole.changes.at(-1)!;
    expect(doc.type === 'document' && doc.document.title).toBe('Take 5');
    expect(whole.cursor).toBe(12);

    const page1 = await desk.call('sync.pull', { since: 0, limit: 5 }, reporter.token);
    expect(page1).toMatchObject({ cursor: 5, more: true });
    // seq 1–5 are revision, document, revision, document, revision: the document once, at its last seq.
    expect(page1.changes.map((c) => [c.type, c.seq])).toEqual([
      ['revision', 1],
      ['revision', 3],
      ['document', 4],
      ['revision', 5],
    ]);
    const page2 = await desk.call('sync.pull', { since: page1.cursor, limit: 5 }, reporter.token);
    expect(page2.changes[0]!.seq).toBeGreaterThan(page1.cursor);
    const page3 = await desk.call('sync.pull', { since: page2.cursor, limit: 5 }, reporter.token);
    expect(page3).toMatchObject({ cursor: 12, more: false });
    const revs = [...page1.changes, ...page2.changes, ...page3.changes].filter((c) => c.type === 'revision').map((c) => c.type === 'revision' && c.revision.id);
    expect(revs).toEqual(versions.map((v) => v.revision.id));
    expect(await desk.call('sync.pull', { since: 12 }, reporter.token)).toEqual({ changes: [], cursor: 12, more: false });
  });

  it('keeps photos by their SHA-256, once, refusing bytes that do not match', async () => {
    const { desk, photo, reporter } = await newsroom();
    const bytes = Buffer.from('not really a jpeg, but bytes all the same');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const bad = await refusal(desk.call('assets.put', { sha256, fileName: 'cat.jpg', mime: 'image/jpeg', data: Buffer.from('other bytes').toString('base64') }, photo.token));
    expect(bad.code).toBe('invalid_input');
    expect(await count(desk, 'assets')).toBe(0);
    const put = await desk.call('assets.put', { sha256, fileName: 'cat.jpg', mime: 'image/jpeg', data: bytes.toString('base64') }, photo.token);
    expect(put).toMatchObject({ sha256, fileName: 'cat.jpg', size: bytes.length, uploadedBy: photo.person.id });
    expect(await desk.call('assets.put', { sha256, fileName: 'again.jpg', mime: 'image/jpeg', data: bytes.toString('base64') }, reporter.token)).toEqual(put);
    expect(await desk.call('assets.has', { sha256s: [sha256, 'a'.repeat(64)] }, reporter.token)).toEqual({ held: [sha256] });
    expect(Buffer.from((await desk.call('assets.get', { sha256 }, reporter.token)).data, 'base64').equals(bytes)).toBe(true);
    expect((await refusal(desk.call('assets.get', { sha256: 'a'.repeat(64) }, reporter.token))).code).toBe('not_found');
    const feed = await pullAll(desk, reporter.token);
    expect(feed.filter((c) => c.type === 'asset')).toHaveLength(1);
  });

  it('assigns, trashes and restores with the right people; a trashed document takes versions only aside', async () => {
    const { desk, reporter, other, editor } = await newsroom();
    const story = new StoryWriter('article', reporter.person.id);
    const v1 = story.cut(articleContent('Assigned', ['Text.']));
    await desk.call('sync.push', story.push([v1], true), reporter.token);
    expect((await refusal(desk.call('documents.assign', { key: randomUUID(), id: story.id, personId: other.person.id }, reporter.token))).code).toBe('forbidden');
    expect((await refusal(desk.call('documents.assign', { key: randomUUID(), id: story.id, personId: 'nobody' }, editor.token))).code).toBe('not_found');
    expect((await desk.call('documents.assign', { key: randomUUID(), id: story.id, personId: other.person.id }, editor.token)).assigneeId).toBe(other.person.id);
    // The assignee may now edit it.
    const v2 = story.cut(articleContent('Assigned', ['Text, by the assignee.']), { authorId: other.person.id });
    expect((await desk.call('sync.push', story.push([v2]), other.token)).accepted).toEqual([{ id: v2.revision.id, aside: false }]);

    expect((await refusal(desk.call('documents.trash', { key: randomUUID(), id: story.id }, other.token))).code).toBe('forbidden');
    expect((await desk.call('documents.trash', { key: randomUUID(), id: story.id }, reporter.token)).trashedAt).not.toBeNull();
    const v3 = story.cut(articleContent('Assigned', ['Written while it was in the trash.']));
    expect((await desk.call('sync.push', story.push([v3]), reporter.token)).accepted).toEqual([{ id: v3.revision.id, aside: true }]);
    expect((await refusal(desk.call('workflow.act', { key: randomUUID(), documentId: story.id, action: 'submit', revisionId: v2.revision.id }, reporter.token))).message).toMatch(/in the trash/);
    expect((await desk.call('documents.restore', { key: randomUUID(), id: story.id }, editor.token)).trashedAt).toBeNull();

    await revokePerson(desk, other.person.id);
    expect((await refusal(desk.call('documents.assign', { key: randomUUID(), id: story.id, personId: other.person.id }, editor.token))).code).toBe('conflict');
  });

  it('refuses calls without a live session: none, unknown, expired, revoked', async () => {
    const { desk, reporter, other } = await newsroom();
    expect((await refusal(desk.call('sync.pull', { since: 0 }))).code).toBe('unauthenticated');
    expect((await refusal(desk.call('sync.pull', { since: 0 }, 'not-a-session-token'))).code).toBe('unauthenticated');
    const expired = await addSession(desk, reporter.person.id, undefined, desk.ctx.now() - 1);
    expect((await refusal(desk.call('sync.pull', { since: 0 }, expired))).message).toMatch(/expired/);
    await revokePerson(desk, other.person.id);
    const story = new StoryWriter('article', other.person.id);
    const error = await refusal(desk.call('sync.push', story.push([story.cut(articleContent('Revoked', ['No.']))], true), other.token));
    expect(error.code).toBe('unauthenticated');
    expect(await count(desk, 'documents')).toBe(0);
    // A block sent on its own is stored only once verified (encodeBlock makes a good one).
    const good = encodeBlock('{"x":1}');
    expect((await desk.call('sync.push', { key: randomUUID(), blocks: [good] }, reporter.token)).refused).toEqual([]);
    expect(await count(desk, 'blocks')).toBe(1);
  });
});
