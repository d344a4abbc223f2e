import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBackend, type Backend } from '../../electron/backend.ts';
import { adapterFor } from '../../electron/cms/index.ts';
import { PUBLISHED_UNCHANGED } from '../../shared/workflow.ts';
import { edited, paragraphs, refusal, signIn, tempDir } from '../support/backend.ts';
import { memoryCms } from '../support/memoryCms.ts';
import { approvedArticle, approvedCaption, readForReview } from '../support/newsroom.ts';

/**
 * Publish asks once (issue #18, items 11 and 12): the preview is what the CMS gets,
 * built by the outbox's own functions; a published story that nobody edited offers no
 * Approve or Submit for edit; a restore can be undone.
 */
let dir: ReturnType<typeof tempDir>;
let cms: ReturnType<typeof memoryCms>;
let backend: Backend;

beforeEach(() => {
  dir = tempDir('galley-safe-publish-');
  cms = memoryCms();
  backend = openBackend({ dataDir: dir.dir, adapterFactory: (config, secret) => (config.type === 'folder' ? adapterFor(config, secret) : cms.adapter) });
});
afterEach(async () => {
  await backend.shutdown();
  dir.remove();
});

async function until(ok: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    await backend.outbox.idle();
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`Timed out waiting for ${what}`);
}
const done = (documentId: string, target: string) => async () =>
  (await backend.invoke('publishing.status', { documentId })).find((r) => r.targetName === target)?.job?.state === 'done';

describe('the publish preview', () => {
  it('is byte for byte the page the folder target writes, names the approved version and who approved it, and sends nothing', async () => {
    const editor = await signIn(backend, 'Rosa Imbert', 'editor');
    const article = await approvedArticle(backend, { headline: 'Ferry fares <rise>', dek: 'A 4% rise from January.' });
    const { targets } = await backend.invoke('publishing.targets', {});
    const preview = await backend.invoke('publishing.preview', { documentId: article.id });
    expect(preview).toMatchObject({
      revisionId: article.approvedRevisionId,
      approval: { byName: editor.name },
      targets: [{ id: targets[0]!.id, name: 'Folder', type: 'folder' }],
      targetId: targets[0]!.id,
      title: 'Ferry fares <rise>',
      slug: 'ferry-fares-rise',
    });
    expect(preview.meta).toContainEqual({ name: 'Dek', value: 'A 4% rise from January.' });
    expect(preview.html).toContain('<p>The council voted on Tuesday to expand the harbour.</p>');
    // Nothing went anywhere: no job, no page.
    expect(await backend.invoke('publishing.status', { documentId: article.id })).toEqual([]);

    await backend.invoke('workflow.transition', { documentId: article.id, action: 'publish', revisionId: preview.revisionId });
    await until(done(article.id, 'Folder'), 'the folder job');
    expect(readFileSync(join(dir.dir, 'published', 'ferry-fares-rise.html'), 'utf8')).toBe(preview.page);
  });

  it('with a photo already on the target, the body is the HTML the CMS adapter received, photo address included', async () => {
    await signIn(backend, 'Rosa Imbert', 'editor');
    const { targets } = await backend.invoke('publishing.targets', {});
    for (const t of targets) await backend.invoke('publishing.removeTarget', { id: t.id });
    const target = await backend.invoke('publishing.saveTarget', { name: 'Harbour Times', config: { type: 'webhook', siteUrl: 'https://cms.example/hook' }, secret: 's3cret' });
    const caption = await approvedCaption(backend);
    const first = await approvedArticle(backend, { captionId: caption.id, headline: 'First story' });
    await backend.invoke('workflow.transition', { documentId: first.id, action: 'publish' });
    await until(done(first.id, 'Harbour Times'), 'the first story');

    const second = await approvedArticle(backend, { captionId: caption.id, headline: 'Second story' });
    const preview = await backend.invoke('publishing.preview', { documentId: second.id, targetId: target.id });
    expect(preview.page).toBeNull();
    expect(preview.html).toMatch(/<figure><img src="[^"]+" alt="Six small fishing boats/);
    await backend.invoke('workflow.transition', { documentId: second.id, action: 'publish', revisionId: preview.revisionId });
    await until(done(second.id, 'Harbour Times'), 'the second story');
    const sent = (await cms.adapter.findExisting({ documentId: second.id, slug: 'second-story' }))!;
    expect((await cms.adapter.readRemote(sent))!.html).toBe(preview.html);
  });

  it('is refused for a story with no approved version, and to a reporter', async () => {
    await signIn(backend, 'Rosa Imbert', 'editor');
    const draft = await backend.invoke('documents.create', { kind: 'article' });
    expect((await refusal(backend.invoke('publishing.preview', { documentId: draft.id }))).message).toMatch(/no approved revision/);
    await signIn(backend, 'Amara Osei', 'reporter');
    expect((await refusal(backend.invoke('publishing.preview', { documentId: draft.id }))).code).toBe('forbidden');
  });
});

describe('a published story', () => {
  it('refuses Submit for edit and Approve until someone edits it; after an edit both are offered again', async () => {
    await signIn(backend, 'Rosa Imbert', 'editor');
    const article = await approvedArticle(backend);
    const published = await backend.invoke('workflow.transition', { documentId: article.id, action: 'publish' });
    expect(published).toMatchObject({ status: 'published', publishedUnchanged: true });
    for (const action of ['submit', 'approve'] as const) {
      const why = await refusal(backend.invoke('workflow.transition', { documentId: article.id, action, revisionId: published.revisionId! }));
      expect(why).toMatchObject({ code: 'conflict', message: PUBLISHED_UNCHANGED });
    }
    const current = await backend.invoke('documents.get', { id: article.id });
    expect(current.publishedUnchanged).toBe(true);
    await backend.invoke('documents.saveWorking', { id: article.id, version: current.version, content: edited(current.content, { body: paragraphs('A corrected first line.') }) });
    expect((await backend.invoke('documents.get', { id: article.id })).publishedUnchanged).toBe(false);
    const approved = await backend.invoke('workflow.transition', { documentId: article.id, action: 'approve', revisionId: await readForReview(backend, article.id) });
    expect(approved.status).toBe('approved');
  });
});

describe('a scheduled story, not out yet', () => {
  it('still offers Approve, so an editor can approve again and Publish now', async () => {
    await signIn(backend, 'Rosa Imbert', 'editor');
    const article = await approvedArticle(backend);
    const scheduled = await backend.invoke('workflow.transition', { documentId: article.id, action: 'schedule', publishAt: Date.now() + 86_400_000 });
    expect(scheduled).toMatchObject({ status: 'published', publishedUnchanged: false });
    const approved = await backend.invoke('workflow.transition', { documentId: article.id, action: 'approve', revisionId: await readForReview(backend, article.id) });
    expect(approved.status).toBe('approved');
  });
});

describe('Restore this version', () => {
  it('keeps the unsaved text as a version first, so restoring the restore’s parent undoes it', async () => {
    await signIn(backend, 'Amara Osei', 'reporter');
    const doc = await backend.invoke('documents.create', { kind: 'article' });
    const one = await backend.invoke('documents.saveWorking', { id: doc.id, version: doc.version, content: edited(doc.content, { body: paragraphs('First draft.') }) });
    const checkpoint = await backend.invoke('revisions.checkpoint', { documentId: doc.id });
    await backend.invoke('documents.saveWorking', { id: doc.id, version: one.version, content: edited(doc.content, { body: paragraphs('Second draft, not yet a version.') }) });

    const restored = await backend.invoke('revisions.restore', { documentId: doc.id, revisionId: checkpoint.id });
    expect(JSON.stringify(restored.content.body)).toContain('First draft.');
    const [head, before] = await backend.invoke('revisions.list', { documentId: doc.id });
    expect(head).toMatchObject({ label: 'restored', parentId: before!.id });

    const undone = await backend.invoke('revisions.restore', { documentId: doc.id, revisionId: head!.parentId! });
    expect(JSON.stringify(undone.content.body)).toContain('Second draft, not yet a version.');
  });
});
