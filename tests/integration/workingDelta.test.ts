import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBackend } from '../../electron/backend.ts';
import type { GalleyClient } from '../../shared/contract.ts';
import type { DocumentContent, DocumentRecord } from '../../shared/documents.ts';
import { deltaBase, makeDelta } from '../../shared/workingDelta.ts';
import { sendWorking } from '../../renderer/src/documents/workingSave.ts';
import { edited, paragraphs, signIn, tempBackend } from '../support/backend.ts';
import { readForReview } from '../support/newsroom.ts';

/** A story of `count` paragraphs of about 250 words each, every one different. */
function longStory(count: number): string[] {
  const words = ['harbor', 'board', 'dredging', 'vote', 'council', 'fishermen', 'timeline', 'spring', 'channel', 'permit'];
  return Array.from({ length: count }, (_, p) =>
    Array.from({ length: 250 }, (_, w) => `${words[(p * 7 + w * 3) % words.length]}${(p * 250 + w) % 97}`).join(' ') + '.',
  );
}

/**
 * The renderer's save (renderer/src/documents/workingSave.ts) over the in-process
 * transport, noting what each call sends: the bytes are those JSON would carry.
 */
function recordingClient(backend: ReturnType<typeof tempBackend>) {
  const sent: { bytes: number; input: Record<string, unknown> }[] = [];
  const client: GalleyClient = {
    call: (name, input) => {
      if (name === 'documents.saveWorking') sent.push({ bytes: JSON.stringify(input).length, input: input as Record<string, unknown> });
      return backend.invoke(name, input);
    },
    subscribe: (event, fn) => backend.subscribe(event, fn),
  };
  return { client, sent };
}

describe('working-copy saves that send only what changed', () => {
  let backend: ReturnType<typeof tempBackend>;
  let doc: DocumentRecord;
  let story: string[];
  let saved: DocumentContent;
  beforeEach(async () => {
    backend = tempBackend();
    await signIn(backend, 'Amara Osei', 'reporter');
    doc = await backend.invoke('documents.create', { kind: 'article' });
    story = longStory(80);
    saved = edited(doc.content, { fields: { headline: 'Harbor board approves dredging plan' }, body: paragraphs(...story) });
    const first = await backend.invoke('documents.saveWorking', { id: doc.id, version: doc.version, content: saved });
    doc = { ...doc, version: first.version, content: saved };
  });
  afterEach(() => backend.remove());

  it('a reporter changes one word of a 20,000-word story: the save carries that paragraph (under 4 KB, not the 200 KB story) and the story reads back exactly', async () => {
    const changed = [...story];
    changed[40] = changed[40]!.replace(/^\S+/, 'Tuesday');
    const content = edited(saved, { fields: { headline: 'Harbor board approves dredging' }, body: paragraphs(...changed) });
    const { client, sent } = recordingClient(backend);

    const { saved: answer } = await sendWorking(client, { id: doc.id, version: doc.version, content }, deltaBase(doc.version, saved));

    expect(sent).toHaveLength(1);
    expect(sent[0]!.input.content).toBeUndefined();
    expect(JSON.stringify(saved).length).toBeGreaterThan(150_000);
    expect(sent[0]!.bytes).toBeLessThan(4_000);
    expect(answer).toMatchObject({ version: doc.version + 1, title: 'Harbor board approves dredging', wordCount: 20_000 });
    expect((await backend.invoke('documents.get', { id: doc.id })).content).toEqual(content);
    backend.close();
    const reopened = openBackend({ dataDir: backend.dataDir });
    expect((await reopened.invoke('documents.get', { id: doc.id })).content).toEqual(content);
    reopened.close();
  });

  it('a reporter types a new paragraph, deletes one and moves another: each save reads back exactly', async () => {
    const { client, sent } = recordingClient(backend);
    let base = deltaBase(doc.version, saved);
    let version = doc.version;
    const steps: string[][] = [];
    let text = [...story];
    text = [...text.slice(0, 10), 'A new paragraph typed here.', ...text.slice(10)];
    steps.push(text);
    text = text.filter((_, i) => i !== 30);
    steps.push(text);
    text = [text[50]!, ...text.slice(0, 50), ...text.slice(51)];
    steps.push(text);
    for (const step of steps) {
      const content = edited(saved, { body: paragraphs(...step) });
      const result = await sendWorking(client, { id: doc.id, version, content }, base);
      ({ base } = result);
      version = result.saved.version;
      expect((await backend.invoke('documents.get', { id: doc.id })).content).toEqual(content);
    }
    expect(sent.map((s) => s.input.content)).toEqual([undefined, undefined, undefined]);
    expect(Math.max(...sent.map((s) => s.bytes))).toBeLessThan(4_000);
  });

  it('an editor whose idea of the saved copy does not fit it is refused naming the delta, and saves the whole story instead', async () => {
    const content = edited(saved, { body: paragraphs(...story.slice(0, 79), 'The last paragraph, rewritten.') });
    // This window believes the saved copy at this version is three paragraphs long.
    const wrong = deltaBase(doc.version, edited(saved, { body: paragraphs(...story.slice(0, 2), 'Other.') }));
    const refused = await backend.call('documents.saveWorking', { id: doc.id, version: doc.version, delta: makeDelta(wrong, content)! });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict', issues: [{ path: 'delta.baseBlocks' }] } });
    expect((await backend.invoke('documents.get', { id: doc.id })).content).toEqual(saved);

    const { client, sent } = recordingClient(backend);
    const { saved: answer } = await sendWorking(client, { id: doc.id, version: doc.version, content }, wrong);
    expect(sent.map((s) => (s.input.content ? 'whole' : 'delta'))).toEqual(['delta', 'whole']);
    expect(answer.version).toBe(doc.version + 1);
    expect((await backend.invoke('documents.get', { id: doc.id })).content).toEqual(content);
  });

  it('changes made against an older version are refused as changed elsewhere, and the newer text stays', async () => {
    const other = edited(saved, { body: paragraphs(...story.slice(0, 79), 'Another window wrote this.') });
    await backend.invoke('documents.saveWorking', { id: doc.id, version: doc.version, content: other });
    const mine = edited(saved, { body: paragraphs(...story.slice(0, 79), 'This window wrote this.') });
    const stale = await backend.call('documents.saveWorking', { id: doc.id, version: doc.version, delta: makeDelta(deltaBase(doc.version, saved), mine)! });
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining('changed elsewhere') } });
    expect((await backend.invoke('documents.get', { id: doc.id })).content).toEqual(other);
  });

  it('a delta is checked like a whole save: unknown fields, missing blocks, over-long headlines, scripts and runaway bodies are refused by name', async () => {
    const base = deltaBase(doc.version, saved);
    const kept = { from: 0, count: 80 };
    const cases = [
      [{ baseBlocks: 80, fields: { colour: 'red' }, blocks: [kept] }, 'invalid_input', 'delta.fields.colour'],
      [{ baseBlocks: 80, fields: {}, blocks: [{ from: 40, count: 41 }] }, 'conflict', 'delta.blocks.0'],
      [{ baseBlocks: 80, fields: { headline: 'x'.repeat(501) }, blocks: [kept] }, 'invalid_input', 'content.fields.headline'],
      [{ baseBlocks: 80, fields: {}, blocks: [kept, { type: 'script', content: [{ type: 'text', text: 'alert(1)' }] }] }, 'invalid_input', 'content.body'],
      [{ baseBlocks: 80, fields: {}, blocks: Array.from({ length: 2_000 }, () => kept) }, 'invalid_input', 'delta.blocks'],
    ] as const;
    for (const [delta, code, path] of cases) {
      const result = await backend.call('documents.saveWorking', { id: doc.id, version: base.version, delta });
      expect(result, path).toMatchObject({ ok: false, error: { code, issues: [expect.objectContaining({ path })] } });
    }
    const both = await backend.call('documents.saveWorking', { id: doc.id, version: base.version, content: saved, delta: { baseBlocks: 80, fields: {}, blocks: [kept] } });
    expect(both).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('either the whole content or a delta') } });
    const stored = await backend.invoke('documents.get', { id: doc.id });
    expect(stored).toMatchObject({ version: doc.version, content: saved });
  });

  it('an approved story edited by a delta save goes back to Submitted', async () => {
    await signIn(backend, 'Rosa Imbert', 'editor');
    await backend.invoke('workflow.transition', { documentId: doc.id, action: 'submit' });
    const approved = await backend.invoke('workflow.transition', { documentId: doc.id, action: 'approve', revisionId: await readForReview(backend, doc.id) });
    const content = edited(saved, { body: paragraphs(...story.slice(0, 79), 'Edited after approval.') });
    await backend.invoke('documents.saveWorking', { id: doc.id, version: approved.version, delta: makeDelta(deltaBase(approved.version, saved), content)! });
    expect((await backend.invoke('documents.get', { id: doc.id })).status).toBe('submitted');
  });
});
