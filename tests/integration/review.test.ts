import { afterEach, describe, expect, it } from 'vitest';
import type { Backend } from '../../electron/backend.ts';
import { QUEUE_DONE_FOR_MS } from '../../shared/reviewQueue.ts';
import { edited, paragraphs, signIn, tempBackend } from '../support/backend.ts';

/**
 * Issue #18: replies to comments, and an editor's review queue (workflow.queue), on a
 * real back end and SQLite file. The clock is the test's, so "oldest first" and "acted
 * on lately" do not depend on how fast the machine is.
 */
let backend: (Backend & { remove: () => void }) | null = null;
afterEach(() => {
  backend?.remove();
  backend = null;
});

function withClock() {
  let now = Date.UTC(2026, 11, 2, 9, 0, 0);
  const b = tempBackend({ now: () => now });
  backend = b;
  return { b, tick: (ms = 60_000) => (now += ms), now: () => now };
}

async function story(b: Backend, headline: string, words: string, wordBudget: number | null = null) {
  const doc = await b.invoke('documents.create', { kind: 'article' });
  await b.invoke('documents.saveWorking', { id: doc.id, version: doc.version, content: edited(doc.content, { fields: { headline, wordBudget }, body: paragraphs(words) }) });
  return doc.id;
}

describe('replies to comments', () => {
  it('a reporter replies to an editor’s comment; a reply to the reply joins the same thread; replies survive a reopen of the list', async () => {
    const { b, tick } = withClock();
    const editor = await signIn(b, 'Rosa Imbert', 'editor');
    await signIn(b, 'Amara Osei', 'reporter');
    const id = await story(b, 'Ferry fares rise', 'Fares rise in March.');
    await b.invoke('session.switch', { personId: editor.id });
    const comment = await b.invoke('comments.add', { documentId: id, body: 'Which March?', quote: 'March', from: 16, to: 21 });
    expect(comment.parentId).toBeNull();

    const reporter = (await b.invoke('people.list', {})).find((p) => p.name === 'Amara Osei')!;
    await b.invoke('session.switch', { personId: reporter.id });
    tick();
    const reply = await b.invoke('comments.reply', { parentId: comment.id, body: 'This March, 2027.' });
    tick();
    await b.invoke('session.switch', { personId: editor.id });
    const second = await b.invoke('comments.reply', { parentId: reply.id, body: 'Say so in the text.' });

    expect(reply).toMatchObject({ parentId: comment.id, documentId: id, authorName: 'Amara Osei', quote: 'March', from: 16, to: 21 });
    // Answering a reply answers the thread, so a conversation stays one list.
    expect(second.parentId).toBe(comment.id);
    const list = await b.invoke('comments.list', { documentId: id });
    expect(list.map((c) => [c.body, c.parentId])).toEqual([
      ['Which March?', null],
      ['This March, 2027.', comment.id],
      ['Say so in the text.', comment.id],
    ]);
  });

  it('refuses an empty reply and a reply to a comment that does not exist', async () => {
    const { b } = withClock();
    await signIn(b, 'Rosa Imbert', 'editor');
    const id = await story(b, 'Ferry fares rise', 'Fares rise in March.');
    const comment = await b.invoke('comments.add', { documentId: id, body: 'Which March?', quote: 'March', from: 16, to: 21 });
    const empty = await b.call('comments.reply', { parentId: comment.id, body: '   ' });
    expect(empty.ok).toBe(false);
    const missing = await b.call('comments.reply', { parentId: 'no-such-comment', body: 'Hello' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await b.invoke('comments.list', { documentId: id })).toHaveLength(1);
  });
});

describe('the review queue', () => {
  it('lists submitted stories oldest submission first, with who submitted, when, words, budget and open comment threads', async () => {
    const { b, tick } = withClock();
    const editor = await signIn(b, 'Rosa Imbert', 'editor');
    const reporter = await signIn(b, 'Amara Osei', 'reporter');
    const ferry = await story(b, 'Ferry fares rise', 'Fares rise in March for everyone.', 800);
    const bridge = await story(b, 'Bridge closes', 'The bridge closes.');
    const draft = await story(b, 'Still a draft', 'Not yet.');
    // The bridge is submitted first, then the ferry: the bridge waits longest.
    const bridgeAt = tick();
    await b.invoke('workflow.transition', { documentId: bridge, action: 'submit', note: 'Short one' });
    const ferryAt = tick();
    await b.invoke('workflow.transition', { documentId: ferry, action: 'submit' });

    await b.invoke('session.switch', { personId: editor.id });
    const thread = await b.invoke('comments.add', { documentId: ferry, body: 'Source?', quote: 'Fares', from: 1, to: 6 });
    await b.invoke('comments.reply', { parentId: thread.id, body: 'The council.' });
    const resolved = await b.invoke('comments.add', { documentId: ferry, body: 'Typo', quote: 'rise', from: 7, to: 11 });
    await b.invoke('comments.resolve', { id: resolved.id });
    await b.invoke('comments.add', { documentId: ferry, body: 'Which March?', quote: 'March', from: 15, to: 20 });

    const queue = await b.invoke('workflow.queue', {});
    expect(queue.map((q) => q.title)).toEqual(['Bridge closes', 'Ferry fares rise']);
    expect(queue.some((q) => q.id === draft)).toBe(false);
    expect(queue[0]).toMatchObject({ state: 'waiting', submittedByName: 'Amara Osei', submittedAt: bridgeAt, wordCount: 3, wordBudget: null, openComments: 0 });
    // Two open threads: the reply is not a thread and the resolved one is not open.
    expect(queue[1]).toMatchObject({ state: 'waiting', submittedByName: reporter.name, submittedAt: ferryAt, wordCount: 6, wordBudget: 800, openComments: 2 });
  });

  it('puts stories assigned to the editor first', async () => {
    const { b, tick } = withClock();
    const editor = await signIn(b, 'Rosa Imbert', 'editor');
    await signIn(b, 'Amara Osei', 'reporter');
    const older = await story(b, 'Older story', 'One.');
    const mine = await story(b, 'Assigned story', 'Two.');
    tick();
    await b.invoke('workflow.transition', { documentId: older, action: 'submit' });
    tick();
    await b.invoke('workflow.transition', { documentId: mine, action: 'submit' });
    await b.invoke('session.switch', { personId: editor.id });
    await b.invoke('documents.assign', { id: mine, personId: editor.id });
    const queue = await b.invoke('workflow.queue', {});
    expect(queue.map((q) => [q.title, q.assignedToYou])).toEqual([
      ['Assigned story', true],
      ['Older story', false],
    ]);
  });

  it('a story the editor approves or sends back stays in their queue marked done, after the waiting ones, until it is resubmitted or the day is over', async () => {
    const { b, tick } = withClock();
    const editor = await signIn(b, 'Rosa Imbert', 'editor');
    const reporter = await signIn(b, 'Amara Osei', 'reporter');
    const first = await story(b, 'First in', 'One.');
    const second = await story(b, 'Second in', 'Two.');
    const third = await story(b, 'Third in', 'Three.');
    for (const id of [first, second, third]) {
      tick();
      await b.invoke('workflow.transition', { documentId: id, action: 'submit' });
    }
    await b.invoke('session.switch', { personId: editor.id });
    const opened = await b.invoke('documents.get', { id: first });
    tick();
    await b.invoke('workflow.transition', { documentId: first, action: 'approve', revisionId: opened.revisionId! });
    const sent = await b.invoke('documents.get', { id: second });
    tick();
    await b.invoke('workflow.transition', { documentId: second, action: 'requestChanges', note: 'Shorter.', revisionId: sent.revisionId! });

    let queue = await b.invoke('workflow.queue', {});
    expect(queue.map((q) => [q.title, q.state])).toEqual([
      ['Third in', 'waiting'],
      ['Second in', 'changesRequested'],
      ['First in', 'approved'],
    ]);

    // Resubmitted: it waits again. Much later, the approved one has left the queue.
    await b.invoke('session.switch', { personId: reporter.id });
    tick();
    await b.invoke('workflow.transition', { documentId: second, action: 'submit' });
    await b.invoke('session.switch', { personId: editor.id });
    queue = await b.invoke('workflow.queue', {});
    // Resubmitted after the third was submitted: now the newest submission, so last.
    expect(queue.map((q) => [q.title, q.state])).toEqual([
      ['Third in', 'waiting'],
      ['Second in', 'waiting'],
      ['First in', 'approved'],
    ]);
    tick(QUEUE_DONE_FOR_MS + 1);
    queue = await b.invoke('workflow.queue', {});
    expect(queue.map((q) => q.title)).toEqual(['Third in', 'Second in']);
  });

  it('is for editors only', async () => {
    const { b } = withClock();
    await signIn(b, 'Amara Osei', 'reporter');
    const refused = await b.call('workflow.queue', {});
    expect(refused).toMatchObject({ ok: false });
  });
});
