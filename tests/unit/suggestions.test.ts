import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { articleFrom } from '../../electron/services/publishRules.ts';
import { listSuggestions } from '../../shared/editor/suggestions.ts';
import { prePublishChecks } from '../../shared/prepublish.ts';
import { DEFAULT_STYLE } from '../../shared/style/houseStyle.ts';
import type { DocumentContent, DocumentRecord } from '../../shared/documents.ts';
import type { RichNode } from '../../shared/richtext.ts';
import { edited, refusal, signIn, tempBackend } from '../support/backend.ts';

let clock = 1_800_000_000_000;
const tick = () => (clock += 1000);
const who = { authorId: 'p-rosa', authorName: 'Rosa Imbert', time: 1_800_000_000_000 };

/** "Dredging starts in May." with "in May" suggested for cutting and " Ships wait." suggested as an addition. */
function suggestedBody(): RichNode {
  return {
    type: 'doc',
    content: [
      {
        type: 'paragraph',
        content: [
          { type: 'text', text: 'Dredging starts ' },
          { type: 'text', text: 'in May', marks: [{ type: 'deletion', attrs: { id: 1, ...who } }] },
          { type: 'text', text: '.' },
          { type: 'text', text: ' Ships wait.', marks: [{ type: 'insertion', attrs: { id: 2, ...who } }] },
        ],
      },
    ],
  };
}

describe('suggested edits in stored revisions', () => {
  let backend: ReturnType<typeof tempBackend>;
  let doc: DocumentRecord;
  beforeEach(async () => {
    backend = tempBackend({ now: tick, autosave: { pauseMs: 60_000, maxIntervalMs: 3_600_000 } });
    await signIn(backend, 'Rosa Imbert', 'editor');
    doc = await backend.invoke('documents.create', { kind: 'article' });
  });
  afterEach(() => backend.remove());

  async function write(content: DocumentContent) {
    const current = await backend.invoke('documents.get', { id: doc.id });
    return backend.invoke('documents.saveWorking', { id: doc.id, version: current.version, content });
  }

  it('an editor’s suggestions round-trip through save, a revision and compare, with author and time', async () => {
    const plain = edited(doc.content, { fields: { headline: 'Dredging' }, body: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Dredging starts in May.' }] }] } });
    await write(plain);
    const first = await backend.invoke('revisions.checkpoint', { documentId: doc.id });
    await write(edited(plain, { body: suggestedBody() }));
    const second = await backend.invoke('revisions.checkpoint', { documentId: doc.id });
    const stored = await backend.invoke('documents.get', { id: doc.id });
    expect(stored.content.body).toEqual(suggestedBody());
    expect(listSuggestions(stored.content.body).map((s) => [s.kind, s.authorNames, s.text])).toEqual([
      ['deletion', ['Rosa Imbert'], 'in May'],
      ['insertion', ['Rosa Imbert'], 'Ships wait.'],
    ]);
    const redline = await backend.invoke('revisions.compare', { documentId: doc.id, fromId: first.id, toId: second.id });
    const segments = redline.body.flatMap((b) => b.lines.flatMap((l) => l.segments));
    expect(segments.filter((s) => s.suggestion).map((s) => [s.suggestion!.kind, s.suggestion!.by, s.text.trim()])).toEqual([
      ['deletion', 'Rosa Imbert', 'in May'],
      ['insertion', 'Rosa Imbert', 'Ships wait.'],
    ]);
  });

  it('refuses a suggestion carrying anything but its id, author and time', async () => {
    const bad = suggestedBody();
    (bad.content![0]!.content![1]!.marks![0]!.attrs as Record<string, unknown>).onclick = 'alert(1)';
    const error = await refusal(write(edited(doc.content, { body: bad })));
    expect(error.message).toMatch(/deletion suggestion must carry its id, author and time, and nothing else/);
    const noAuthor = suggestedBody();
    noAuthor.content![0]!.content![3]!.marks![0]!.attrs = { id: 2 };
    expect((await refusal(write(edited(doc.content, { body: noAuthor })))).message).toMatch(/insertion suggestion/);
  });

  it('the pre-publish check lists suggestions not yet accepted or rejected, and approval is refused', async () => {
    const content = edited(doc.content, { fields: { headline: 'Dredging', byline: '' }, body: suggestedBody() });
    const checks = prePublishChecks({ content, captions: new Map(), bioNames: [], style: DEFAULT_STYLE });
    const check = checks.find((c) => c.id === 'suggestions');
    expect(check).toMatchObject({ ok: false, message: '2 suggestions not yet accepted or rejected: accept or reject them in Suggestions, beside the body.' });
    await write(content);
    const submitted = await backend.invoke('workflow.transition', { documentId: doc.id, action: 'submit' });
    const error = await refusal(backend.invoke('workflow.transition', { documentId: doc.id, action: 'approve', revisionId: submitted.revisionId! }));
    expect(error.message).toBe('Accept or reject the suggested edits before approving: 2 suggestions not yet accepted or rejected.');
    expect((await backend.invoke('documents.get', { id: doc.id })).status).toBe('submitted');
  });

  it('publishing refuses a body holding suggestions, so no suggestion markup reaches a CMS', async () => {
    const content = edited(doc.content, { fields: { headline: 'Dredging' }, body: suggestedBody() });
    const error = await refusal(articleFrom(content, { documentId: doc.id, revisionId: 'r1', publishAt: null }, async () => null, async () => null, null));
    expect(error.message).toBe('This story cannot be published: 2 suggestions not yet accepted or rejected.');
  });
});
