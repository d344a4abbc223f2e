import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DocumentKind, Status } from '../../shared/documents.ts';
import { STATUSES } from '../../shared/documents.ts';
import { ROLES, type Person, type Role } from '../../shared/people.ts';
import { TRANSITIONS, WORKFLOW_ACTIONS, transitionRefusal } from '../../shared/workflow.ts';
import { edited, paragraphs, signIn, tempBackend } from '../support/backend.ts';
import { readForReview } from '../support/newsroom.ts';

const person = (role: Role, id = 'me'): Person => ({ id, name: role, role, createdAt: 0 });

describe('the workflow state machine', () => {
  // Every action × role × kind × status: allowed exactly when the table says so.
  for (const action of WORKFLOW_ACTIONS) {
    for (const role of ROLES) {
      for (const kind of ['article', 'caption', 'bio'] as DocumentKind[]) {
        it(`${role} ${action} a ${kind}: allowed only from ${TRANSITIONS[action].from.join('/')}${TRANSITIONS[action].roles[kind].includes(role) ? '' : ' — never'}`, () => {
          for (const status of STATUSES as readonly Status[]) {
            const refusal = transitionRefusal(person(role), { kind, status, ownerId: 'me', assigneeId: null }, action, 'a note');
            const allowed = TRANSITIONS[action].roles[kind].includes(role) && TRANSITIONS[action].from.includes(status);
            expect(refusal === null, `${status}: ${refusal}`).toBe(allowed);
          }
        });
      }
    }
  }

  it('requires a note to request changes, and a reporter submits only their own article', () => {
    const doc = { kind: 'article' as const, status: 'submitted' as Status, ownerId: 'me', assigneeId: null };
    expect(transitionRefusal(person('editor'), doc, 'requestChanges', '  ')).toMatch(/needs a note/);
    expect(transitionRefusal(person('reporter', 'other'), { ...doc, status: 'draft' }, 'submit')).toMatch(/Only its writer or an editor/);
  });
});

describe('workflow in the back end', () => {
  let backend: ReturnType<typeof tempBackend>;
  beforeEach(() => {
    backend = tempBackend();
  });
  afterEach(() => backend.remove());

  it('an editor approves revision N, the reporter edits, the approval goes stale; a fresh approval names the new revision', async () => {
    const reporter = await signIn(backend, 'Amara Osei', 'reporter');
    const doc = await backend.invoke('documents.create', { kind: 'article' });
    await backend.invoke('documents.saveWorking', { id: doc.id, version: doc.version, content: edited(doc.content, { body: paragraphs('First.') }) });
    const submitted = await backend.invoke('workflow.transition', { documentId: doc.id, action: 'submit' });
    expect(submitted.status).toBe('submitted');
    // A reporter calling approve directly is refused by the back end.
    expect(await backend.call('workflow.transition', { documentId: doc.id, action: 'approve' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const editor = await signIn(backend, 'Rosa Imbert', 'editor');
    expect(await backend.call('workflow.transition', { documentId: doc.id, action: 'requestChanges' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const approved = await backend.invoke('workflow.transition', { documentId: doc.id, action: 'approve', note: 'Good to go', revisionId: submitted.revisionId! });
    expect(approved.status).toBe('approved');
    const history = await backend.invoke('revisions.list', { documentId: doc.id });
    expect(approved.approvedRevisionId).toBe(history[0]!.id);
    expect(history[0]).toMatchObject({ label: 'approved', note: 'Good to go', authorName: 'Rosa Imbert' });

    await backend.invoke('session.switch', { personId: reporter.id });
    const current = await backend.invoke('documents.get', { id: doc.id });
    const events: unknown[] = [];
    const stop = backend.subscribe('documents.changed', (p) => events.push(p));
    const session = 'window-of-amara';
    await backend.invoke('documents.saveWorking', { id: doc.id, version: current.version, session, content: edited(current.content, { body: paragraphs('First, edited.') }) });
    stop();
    // The save names its window (the text changed); the stale approval is news to every
    // window, that one included, so it comes without a session.
    expect(events).toEqual([{ id: doc.id, session }, { id: doc.id }]);
    const stale = await backend.invoke('documents.get', { id: doc.id });
    expect(stale.status).toBe('submitted');
    expect(stale.approvedRevisionId).toBe(approved.approvedRevisionId);

    await backend.invoke('session.switch', { personId: editor.id });
    const again = await backend.invoke('workflow.transition', { documentId: doc.id, action: 'approve', revisionId: await readForReview(backend, doc.id) });
    expect(again.approvedRevisionId).not.toBe(approved.approvedRevisionId);
    const trail = await backend.invoke('workflow.events', { documentId: doc.id });
    expect(trail.map((e) => [e.action, e.fromStatus, e.toStatus, e.actorName])).toEqual([
      ['approve', 'submitted', 'approved', 'Rosa Imbert'],
      ['approvalStale', 'approved', 'submitted', 'Amara Osei'],
      ['approve', 'submitted', 'approved', 'Rosa Imbert'],
      ['submit', 'draft', 'submitted', 'Amara Osei'],
    ]);
  });

  it('an editor who read text no version holds yet keeps exactly that text as a version to approve, or is told it changed', async () => {
    const reporter = await signIn(backend, 'Amara Osei', 'reporter');
    const doc = await backend.invoke('documents.create', { kind: 'article' });
    const submitted = await backend.invoke('workflow.transition', { documentId: doc.id, action: 'submit' });
    expect(submitted.revisionId).toBe((await backend.invoke('revisions.list', { documentId: doc.id }))[0]!.id);
    // The reporter keeps typing: the working copy holds text no revision has yet.
    await backend.invoke('documents.saveWorking', { id: doc.id, version: submitted.version, content: edited(submitted.content, { body: paragraphs('More.') }) });
    const editor = await signIn(backend, 'Rosa Imbert', 'editor');
    const read = await backend.invoke('documents.get', { id: doc.id });
    expect(read.revisionId).toBeNull();

    await backend.invoke('session.switch', { personId: reporter.id });
    await backend.invoke('documents.saveWorking', { id: doc.id, version: read.version, content: edited(read.content, { body: paragraphs('More, and more.') }) });
    await backend.invoke('session.switch', { personId: editor.id });
    const refused = await backend.call('revisions.checkpoint', { documentId: doc.id, version: read.version });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining('The text changed after you opened it') } });

    const reread = await backend.invoke('documents.get', { id: doc.id });
    const kept = await backend.invoke('revisions.checkpoint', { documentId: doc.id, version: reread.version });
    expect((await backend.invoke('documents.get', { id: doc.id })).revisionId).toBe(kept.id);
    const approved = await backend.invoke('workflow.transition', { documentId: doc.id, action: 'approve', revisionId: kept.id });
    expect(approved.content.body).toEqual(paragraphs('More, and more.'));
  });

  it('saving the same text again after approval keeps the approval', async () => {
    await signIn(backend, 'Rosa Imbert', 'editor');
    const doc = await backend.invoke('documents.create', { kind: 'article' });
    const content = edited(doc.content, { body: paragraphs('Same.') });
    await backend.invoke('documents.saveWorking', { id: doc.id, version: doc.version, content });
    const submitted = await backend.invoke('workflow.transition', { documentId: doc.id, action: 'submit' });
    const approved = await backend.invoke('workflow.transition', { documentId: doc.id, action: 'approve', revisionId: submitted.revisionId! });
    await backend.invoke('documents.saveWorking', { id: doc.id, version: approved.version, content });
    expect((await backend.invoke('documents.get', { id: doc.id })).status).toBe('approved');
  });

  it('tells the writer when their story is sent back or approved, until they mark it read', async () => {
    const reporter = await signIn(backend, 'Amara Osei', 'reporter');
    const doc = await backend.invoke('documents.create', { kind: 'article' });
    const submitted = await backend.invoke('workflow.transition', { documentId: doc.id, action: 'submit' });
    expect(await backend.invoke('notifications.list', {})).toEqual({ items: [], unread: 0 });
    await signIn(backend, 'Rosa Imbert', 'editor');
    await backend.invoke('workflow.transition', { documentId: doc.id, action: 'requestChanges', note: 'Say how much.', revisionId: submitted.revisionId! });
    expect((await backend.invoke('notifications.list', {})).unread).toBe(0); // not the editor's own news
    await backend.invoke('session.switch', { personId: reporter.id });
    const news = await backend.invoke('notifications.list', {});
    expect(news.unread).toBe(1);
    expect(news.items[0]).toMatchObject({ action: 'requestChanges', actorName: 'Rosa Imbert', note: 'Say how much.', unread: true });
    expect((await backend.invoke('notifications.markRead', {})).unread).toBe(0);
  });

  it('comments need text to hang on, keep anchors saved with the working copy, and resolve', async () => {
    await signIn(backend, 'Rosa Imbert', 'editor');
    const doc = await backend.invoke('documents.create', { kind: 'article' });
    expect(await backend.call('comments.add', { documentId: doc.id, body: 'Hm', quote: '', from: 3, to: 3 })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const c = await backend.invoke('comments.add', { documentId: doc.id, body: 'Which date?', quote: 'in March', from: 12, to: 20 });
    await backend.invoke('documents.saveWorking', {
      id: doc.id,
      version: doc.version,
      content: edited(doc.content, { body: paragraphs('Ferry fares rise in March.') }),
      anchors: [{ id: c.id, from: 18, to: 26, detached: false }],
    });
    expect((await backend.invoke('comments.list', { documentId: doc.id }))[0]).toMatchObject({ from: 18, to: 26, detached: false });
    const resolved = await backend.invoke('comments.resolve', { id: c.id });
    expect(resolved).toMatchObject({ resolvedByName: 'Rosa Imbert' });
    // Comments are not content: the document's revisions do not change.
    expect(await backend.invoke('revisions.list', { documentId: doc.id })).toEqual([]);
  });

  it('locks: one holder at a time; others read; an editor takes over and the holder’s saved work becomes a revision; saves from elsewhere are refused', async () => {
    const amara = await signIn(backend, 'Amara Osei', 'reporter');
    const doc = await backend.invoke('documents.create', { kind: 'article' });
    expect(await backend.invoke('locks.acquire', { documentId: doc.id, session: 'window-a1', claim: true })).toMatchObject({ held: true });
    await backend.invoke('documents.saveWorking', { id: doc.id, version: doc.version, session: 'window-a1', content: edited(doc.content, { body: paragraphs('Amara’s words.') }) });
    // Her other window only looks; a claim from it takes the lock.
    expect(await backend.invoke('locks.acquire', { documentId: doc.id, session: 'window-a2' })).toMatchObject({ held: false, elsewhere: true });

    await signIn(backend, 'Rosa Imbert', 'editor');
    expect(await backend.invoke('locks.acquire', { documentId: doc.id, session: 'window-r1', claim: true })).toMatchObject({ held: false, holderName: 'Amara Osei' });
    const current = await backend.invoke('documents.get', { id: doc.id });
    const refused = await backend.call('documents.saveWorking', { id: doc.id, version: current.version, session: 'window-r1', content: current.content });
    expect(refused).toMatchObject({ ok: false, error: { code: 'locked', message: expect.stringContaining('Amara Osei is editing this document now') } });
    expect(await backend.invoke('locks.takeOver', { documentId: doc.id, session: 'window-r1' })).toMatchObject({ held: true });
    const [kept] = await backend.invoke('revisions.list', { documentId: doc.id });
    expect(kept).toMatchObject({ label: 'checkpoint', authorName: 'Amara Osei', note: 'Saved when Rosa Imbert took over from Amara Osei' });

    await backend.invoke('session.switch', { personId: amara.id });
    const late = await backend.call('documents.saveWorking', { id: doc.id, version: current.version, session: 'window-a1', content: current.content });
    expect(late).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(await backend.call('locks.takeOver', { documentId: doc.id, session: 'window-a1' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('a person is never locked out by their own earlier lock: a lapsed one is theirs to take, a live one from another window is taken over', async () => {
    let now = 1_000_000;
    const clocked = tempBackend({ now: () => now, outbox: false });
    try {
      await signIn(clocked, 'Amara Osei', 'reporter');
      const doc = await clocked.invoke('documents.create', { kind: 'article' });
      await clocked.invoke('locks.acquire', { documentId: doc.id, session: 'window-a1', claim: true });
      // Her window from before is live: a new window claims it, or takes it over.
      expect(await clocked.invoke('locks.acquire', { documentId: doc.id, session: 'window-a2' })).toMatchObject({ held: false, elsewhere: true });
      expect(await clocked.invoke('locks.takeOver', { documentId: doc.id, session: 'window-a2' })).toMatchObject({ held: true });
      // That window stops checking in; after the lapse a plain check-in (no claim) gets it, and her save goes through.
      now += 91_000;
      expect(await clocked.invoke('locks.acquire', { documentId: doc.id, session: 'window-a3' })).toMatchObject({ held: true });
      const saved = await clocked.invoke('documents.saveWorking', { id: doc.id, version: doc.version, session: 'window-a3', content: edited(doc.content, { body: paragraphs('Her fix.') }) });
      expect(saved.version).toBeGreaterThan(doc.version);
      // The window that lost it is refused as locked (it waits for the lock), not as a clash of versions.
      expect(await clocked.call('documents.saveWorking', { id: doc.id, version: saved.version, session: 'window-a2', content: doc.content })).toMatchObject({ ok: false, error: { code: 'locked', message: expect.stringContaining('You are editing it in another window') } });
    } finally {
      clocked.remove();
    }
  });
});
