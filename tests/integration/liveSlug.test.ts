import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DocumentRecord } from '../../shared/documents.ts';
import { edited, paragraphs, signIn, tempBackend } from '../support/backend.ts';

/** A published story's slug is its live address: the back end keeps it unless unlocked. */
describe('a published story’s slug', () => {
  let backend: ReturnType<typeof tempBackend>;
  beforeEach(() => {
    backend = tempBackend();
  });
  afterEach(async () => {
    await backend.shutdown();
    backend.remove();
  });

  /** An article published to the fresh install's Folder target, with the post written. */
  async function published(): Promise<DocumentRecord> {
    await signIn(backend, 'Eda Editor', 'editor');
    const bio = await backend.invoke('documents.create', { kind: 'bio' });
    await backend.invoke('documents.saveWorking', { id: bio.id, version: bio.version, content: edited(bio.content, { fields: { name: 'Eda Editor', email: 'eda@example.org' }, body: paragraphs('Eda edits the harbour desk.') }) });
    const created = await backend.invoke('documents.create', { kind: 'article' });
    // A draft kept under another slug, before the desk settled on one.
    const draft = edited(created.content, { fields: { headline: 'Harbour plan', slug: 'harbour-plan-draft', byline: 'Eda Editor' }, body: paragraphs('Draft.') });
    await backend.invoke('documents.saveWorking', { id: created.id, version: created.version, content: draft });
    await backend.invoke('revisions.checkpoint', { documentId: created.id, note: 'Draft' });
    const doc = await backend.invoke('documents.get', { id: created.id });
    const content = edited(doc.content, { fields: { headline: 'Council backs harbour plan', slug: 'council-backs-harbour-plan', byline: 'Eda Editor' }, body: paragraphs('The vote was 7-2.') });
    await backend.invoke('documents.saveWorking', { id: doc.id, version: doc.version, content });
    const submitted = await backend.invoke('workflow.transition', { documentId: doc.id, action: 'submit' });
    const approved = await backend.invoke('workflow.transition', { documentId: doc.id, action: 'approve', revisionId: submitted.revisionId! });
    await backend.invoke('workflow.transition', { documentId: doc.id, action: 'publish', revisionId: approved.approvedRevisionId! });
    for (let i = 0; i < 400; i++) {
      await backend.outbox.idle();
      const rows = await backend.invoke('publishing.status', { documentId: doc.id });
      if (rows.some((r) => r.remoteStatus === 'published')) return backend.invoke('documents.get', { id: doc.id });
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('The story was not published');
  }

  it('is refused a change without the unlock, with a reason; the headline and the rest still save', async () => {
    const doc = await published();
    const renamed = edited(doc.content, { fields: { headline: 'Council backs bigger harbour plan', slug: 'council-backs-bigger-harbour-plan' } });
    const refused = await backend.call('documents.saveWorking', { id: doc.id, version: doc.version, content: renamed });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringContaining('its slug “council-backs-harbour-plan” is its address on the site. Use Unlock slug') },
    });
    const headlineOnly = edited(doc.content, { fields: { headline: 'Council backs bigger harbour plan' } });
    const saved = await backend.invoke('documents.saveWorking', { id: doc.id, version: doc.version, content: headlineOnly });
    const after = await backend.invoke('documents.get', { id: doc.id });
    expect(after.content.fields).toMatchObject({ headline: 'Council backs bigger harbour plan', slug: 'council-backs-harbour-plan' });

    const unlocked = await backend.invoke('documents.saveWorking', { id: doc.id, version: saved.version, content: renamed, unlockSlug: true });
    expect(unlocked.version).toBe(saved.version + 1);
    expect((await backend.invoke('documents.get', { id: doc.id })).content.fields).toMatchObject({ slug: 'council-backs-bigger-harbour-plan' });
  });

  it('survives restoring a version from before publishing that had another slug', async () => {
    const doc = await published();
    const revisions = await backend.invoke('revisions.list', { documentId: doc.id });
    const draft = revisions.find((r) => r.note === 'Draft')!;
    const restored = await backend.invoke('revisions.restore', { documentId: doc.id, revisionId: draft.id });
    // The words come back; the address stays.
    expect(restored.content.fields).toMatchObject({ headline: 'Harbour plan', slug: 'council-backs-harbour-plan' });
  });

  it('follows edits again once the story is withdrawn everywhere', async () => {
    const doc = await published();
    await backend.invoke('workflow.transition', { documentId: doc.id, action: 'unpublish' });
    for (let i = 0; i < 400; i++) {
      await backend.outbox.idle();
      const rows = await backend.invoke('publishing.status', { documentId: doc.id });
      if (rows.every((r) => r.remoteStatus !== 'published')) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const fresh = await backend.invoke('documents.get', { id: doc.id });
    const renamed = edited(fresh.content, { fields: { slug: 'harbour-plan-withdrawn' } });
    const saved = await backend.invoke('documents.saveWorking', { id: doc.id, version: fresh.version, content: renamed });
    expect(saved.version).toBe(fresh.version + 1);
  });
});
