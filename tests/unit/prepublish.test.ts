import { describe, expect, it } from 'vitest';
import { emptyContent, type DocumentContent } from '../../shared/documents.ts';
import { bylineNames, prePublishChecks } from '../../shared/prepublish.ts';
import { DEFAULT_STYLE } from '../../shared/style/houseStyle.ts';
import type { RichNode } from '../../shared/richtext.ts';
import { signIn, tempBackend, edited, paragraphs } from '../support/backend.ts';

const article = (fields: Record<string, unknown>, body: RichNode = paragraphs('The council voted.')) => edited(emptyContent('article'), { fields, body });
const failing = (content: DocumentContent, captions = new Map(), bioNames = ['Amara Osei']) =>
  prePublishChecks({ content, captions, bioNames, style: DEFAULT_STYLE }).filter((c) => !c.ok).map((c) => c.message);

describe('pre-publish checks', () => {
  it('pass for a complete article', () => {
    expect(failing(article({ headline: 'Vote delayed', byline: 'Amara Osei' }))).toEqual([]);
  });

  it('say what is missing: headline, body, byline', () => {
    expect(failing(article({ headline: ' ', byline: '' }, { type: 'doc', content: [{ type: 'paragraph' }] }))).toEqual([
      'Write a headline.',
      'The body is empty: write the story.',
      'Add a byline (the writer’s name, from the bios).',
    ]);
  });

  it('name a byline without a bio, and split several names', () => {
    expect(bylineNames('Amara Osei and Ben Okafor, Lena Ortiz')).toEqual(['Amara Osei', 'Ben Okafor', 'Lena Ortiz']);
    expect(failing(article({ headline: 'H', byline: 'Amara Osei and Ben Okafor' }))).toEqual([
      'No bio for “Ben Okafor”: add one (New bio) or correct the byline.',
    ]);
  });

  it('refuse unapproved captions and blocking house-style errors', () => {
    const body: RichNode = { type: 'doc', content: [...paragraphs('Cost is TK.').content!, { type: 'figure', attrs: { captionId: 'c1', captionOverride: null } }] };
    const captions = new Map([['c1', { status: 'draft' as const, title: 'Boats at dawn' }]]);
    expect(failing(article({ headline: 'H', byline: 'Amara Osei' }, body), captions)).toEqual([
      'Caption “Boats at dawn” is draft: the photo desk must submit it and an editor approve it.',
      'Fix 1 blocking house-style error: TK placeholder left in: fill it or cut it.',
    ]);
  });

  it('run in the back end on the approved revision, with real captions', async () => {
    const backend = tempBackend();
    await signIn(backend, 'Rosa Imbert', 'editor');
    const caption = await backend.invoke('documents.create', { kind: 'caption' });
    await backend.invoke('documents.saveWorking', { id: caption.id, version: caption.version, content: edited(caption.content, { body: paragraphs('Boats.') }) });
    const doc = await backend.invoke('documents.create', { kind: 'article' });
    const body: RichNode = { type: 'doc', content: [...paragraphs('Story.').content!, { type: 'figure', attrs: { captionId: caption.id, captionOverride: null } }] };
    await backend.invoke('documents.saveWorking', { id: doc.id, version: doc.version, content: edited(doc.content, { fields: { headline: 'H', byline: 'Nobody' }, body }) });
    const checks = await backend.invoke('workflow.prepublish', { documentId: doc.id });
    expect(checks.filter((c) => !c.ok).map((c) => c.id)).toEqual(['bio:Nobody', `caption:${caption.id}`]);
    expect(checks.find((c) => c.id === `caption:${caption.id}`)?.documentId).toBe(caption.id);
    const submitted = await backend.invoke('workflow.transition', { documentId: caption.id, action: 'submit' });
    await backend.invoke('workflow.transition', { documentId: caption.id, action: 'approve', revisionId: submitted.revisionId! });
    const after = await backend.invoke('workflow.prepublish', { documentId: doc.id });
    expect(after.filter((c) => !c.ok).map((c) => c.id)).toEqual(['bio:Nobody']);
    backend.remove();
  });
});
