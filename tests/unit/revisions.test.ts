import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBackend } from '../../electron/backend.ts';
import { splitContent } from '../../electron/services/revisions.ts';
import { canonicalJson } from '../../shared/canonical.ts';
import type { DocumentContent, DocumentRecord } from '../../shared/documents.ts';
import { edited, killed, paragraphs, signIn, tempBackend } from '../support/backend.ts';

let clock = 1_800_000_000_000;
const tick = () => (clock += 1000);

describe('revisions', () => {
  let backend: ReturnType<typeof tempBackend>;
  let doc: DocumentRecord;
  beforeEach(async () => {
    backend = tempBackend({ now: tick, autosave: { pauseMs: 60_000, maxIntervalMs: 3_600_000 } });
    await signIn(backend, 'Amara Osei', 'reporter');
    doc = await backend.invoke('documents.create', { kind: 'article' });
  });
  afterEach(() => backend.remove());

  async function write(content: DocumentContent): Promise<void> {
    const current = await backend.invoke('documents.get', { id: doc.id });
    await backend.invoke('documents.saveWorking', { id: doc.id, version: current.version, content });
  }
  async function checkpoint(content: DocumentContent, note?: string) {
    await write(content);
    return backend.invoke('revisions.checkpoint', { documentId: doc.id, ...(note ? { note } : {}) });
  }

  it('hashes canonically: key order does not change the hash', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 0, y: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[1,{"y":null,"z":0}]},"b":1}');
    const a = edited(doc.content, { fields: { headline: 'H', dek: 'D' }, body: paragraphs('One') });
    const reordered = JSON.parse(JSON.stringify({ body: a.body, fields: { ...a.fields }, kind: a.kind }));
    reordered.fields = Object.fromEntries(Object.entries(reordered.fields).reverse());
    reordered.body = { content: reordered.body.content, type: 'doc' };
    expect(splitContent(reordered).contentHash).toBe(splitContent(a).contentHash);
    expect(splitContent(edited(a, { fields: { headline: 'H2' } })).contentHash).not.toBe(splitContent(a).contentHash);
  });

  it('rebuilds every revision exactly as it was saved', async () => {
    const saved: { id: string; content: DocumentContent }[] = [];
    const paras = ['The board voted 5-2.', 'Fishermen objected.', 'Work begins in spring.'];
    for (let i = 0; i < 12; i++) {
      paras[i % 3] = `${paras[i % 3]} Edit ${i}.`;
      const content = edited(doc.content, {
        fields: { headline: `Harbor vote ${i % 4}`, tags: ['harbor', `t${i}`] },
        body: {
          type: 'doc',
          content: [
            { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Vote' }] },
            ...paragraphs(...paras).content,
            { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: `Item ${i}`, marks: [{ type: 'bold' }] }] }] }] },
          ],
        },
      });
      const rev = await checkpoint(content);
      saved.push({ id: rev.id, content });
    }
    // Read back through a fresh process-like reopen: nothing comes from memory.
    backend.close();
    const reopened = openBackend({ dataDir: backend.dataDir });
    for (const { id, content } of saved) {
      const other = saved.find((s) => s.id !== id)!;
      const redline = await reopened.invoke('revisions.compare', { documentId: doc.id, fromId: id, toId: id });
      expect(redline.wordsAdded + redline.wordsRemoved).toBe(0);
      const restored = await reopened.invoke('revisions.restore', { documentId: doc.id, revisionId: id });
      expect(restored.content).toEqual(content);
      expect(other).toBeDefined();
    }
    reopened.close();
  });

  it('stores identical content once: unchanged paragraphs share blocks, an unchanged autosave is not cut', async () => {
    const base = edited(doc.content, { body: paragraphs('Para one is here.', 'Para two is here.', 'Para three is here.') });
    await checkpoint(base);
    const blocksAfterFirst = (backend.db.prepare('SELECT COUNT(*) AS n FROM blocks').get() as { n: number }).n;
    await checkpoint(edited(base, { body: paragraphs('Para one is here.', 'Para two changed.', 'Para three is here.') }));
    const blocksAfterSecond = (backend.db.prepare('SELECT COUNT(*) AS n FROM blocks').get() as { n: number }).n;
    expect(blocksAfterSecond - blocksAfterFirst).toBe(1);
    // Same content again as a checkpoint: a new revision (the label is news) but no new block.
    await checkpoint(edited(base, { body: paragraphs('Para one is here.', 'Para two changed.', 'Para three is here.') }), 'Same');
    expect((backend.db.prepare('SELECT COUNT(*) AS n FROM blocks').get() as { n: number }).n).toBe(blocksAfterSecond);
    const before = (await backend.invoke('revisions.list', { documentId: doc.id })).length;
    backend.close(); // closing flushes pending autosaves; nothing changed since the checkpoint
    const reopened = openBackend({ dataDir: backend.dataDir });
    expect((await reopened.invoke('revisions.list', { documentId: doc.id })).length).toBe(before);
    reopened.close();
  });

  it('lists history newest first with author, label, note and words added and removed', async () => {
    await checkpoint(edited(doc.content, { body: paragraphs('The board voted late Tuesday.') }), 'First draft');
    await checkpoint(edited(doc.content, { body: paragraphs('The harbor board voted Tuesday.') }));
    const history = await backend.invoke('revisions.list', { documentId: doc.id });
    expect(history.map((r) => [r.label, r.note, r.authorName])).toEqual([
      ['checkpoint', null, 'Amara Osei'],
      ['checkpoint', 'First draft', 'Amara Osei'],
    ]);
    expect(history[1]).toMatchObject({ wordsAdded: 5, wordsRemoved: 0, words: 5 });
    expect(history[0]).toMatchObject({ wordsAdded: 1, wordsRemoved: 1, words: 5 });
    expect(history[0]!.parentId).toBe(history[1]!.id);
  });

  it('restore makes a new revision equal to the chosen one and deletes nothing', async () => {
    const first = edited(doc.content, { fields: { headline: 'Original' }, body: paragraphs('First text.') });
    const r1 = await checkpoint(first, 'v1');
    await checkpoint(edited(first, { fields: { headline: 'Changed' }, body: paragraphs('Second text.') }), 'v2');
    const restored = await backend.invoke('revisions.restore', { documentId: doc.id, revisionId: r1.id });
    expect(restored.content).toEqual(first);
    const history = await backend.invoke('revisions.list', { documentId: doc.id });
    expect(history.map((r) => r.label)).toEqual(['restored', 'checkpoint', 'checkpoint']);
    expect(history[0]!.note).toMatch(/Restored the saved version of .* \(“v1”\)/);
    const redline = await backend.invoke('revisions.compare', { documentId: doc.id, fromId: r1.id, toId: history[0]!.id });
    expect(redline.wordsAdded + redline.wordsRemoved).toBe(0);
    expect((await backend.invoke('documents.get', { id: doc.id })).content).toEqual(first);
  });

  it('compares word by word in fields and body, and reads a moved paragraph as a move', async () => {
    const a = await checkpoint(
      edited(doc.content, {
        fields: { headline: 'Board approves dredging plan', dek: 'Vote is 5-2' },
        body: paragraphs('Alpha paragraph stays put.', 'Bravo paragraph will move to the end.', 'Charlie paragraph gets an edit today.'),
      }),
    );
    const b = await checkpoint(
      edited(doc.content, {
        fields: { headline: 'Board rejects dredging plan', dek: 'Vote is 5-2' },
        body: {
          type: 'doc',
          content: [
            ...paragraphs('Alpha paragraph stays put.', 'Charlie paragraph gets a small edit today.').content,
            { type: 'paragraph', content: [{ type: 'text', text: 'Delta is ' }, { type: 'text', text: 'new', marks: [{ type: 'bold' }] }] },
            ...paragraphs('Bravo paragraph will move to the end.').content,
          ],
        },
      }),
    );
    const redline = await backend.invoke('revisions.compare', { documentId: doc.id, fromId: a.id, toId: b.id });
    expect(redline.fields.map((f) => f.label)).toEqual(['Headline']);
    const headline = redline.fields[0]!.segments;
    expect(headline.filter((s) => s.op === 'del').map((s) => s.text.trim())).toEqual(['approves']);
    expect(headline.filter((s) => s.op === 'ins').map((s) => s.text.trim())).toEqual(['rejects']);

    // Either reading is honest: here Charlie moved up (and was edited) past Bravo.
    expect(redline.body.map((blk) => blk.status)).toEqual(['same', 'moved-to', 'inserted', 'same', 'moved-from']);
    const charlie = redline.body[1]!.lines[0]!.segments;
    expect(charlie.filter((s) => s.op === 'del').map((s) => s.text.trim())).toEqual(['an']);
    expect(charlie.filter((s) => s.op === 'ins').map((s) => s.text.trim())).toEqual(['a small']);
    const delta = redline.body[2]!.lines[0]!.segments;
    expect(delta).toContainEqual({ op: 'ins', text: 'new', marks: ['bold'] });
  });

  it('refuses to compare revisions of different documents', async () => {
    const a = await checkpoint(edited(doc.content, { body: paragraphs('Mine.') }));
    const other = await backend.invoke('documents.create', { kind: 'article' });
    await backend.invoke('documents.saveWorking', { id: other.id, version: other.version, content: edited(other.content, { body: paragraphs('Other.') }) });
    const b = await backend.invoke('revisions.checkpoint', { documentId: other.id });
    const result = await backend.call('revisions.compare', { documentId: doc.id, fromId: a.id, toId: b.id });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    if (!result.ok) expect(result.error.message).toMatch(/different documents/);
  });

  it('reports a corrupted block with the document and versions it affects, instead of empty text', async () => {
    const r1 = await checkpoint(edited(doc.content, { fields: { headline: 'Harbor vote' }, body: paragraphs('Damaged soon.', 'Fine.') }));
    await checkpoint(edited(doc.content, { fields: { headline: 'Harbor vote' }, body: paragraphs('Damaged soon.', 'Fine, edited.') }));
    const file = `${backend.dataDir}/galley.db`;
    const raw = new Database(file);
    const blockId = (raw.prepare("SELECT id FROM blocks ORDER BY id LIMIT 1 OFFSET 1").get() as { id: number }).id;
    const { brotliCompressSync } = await import('node:zlib');
    raw.prepare('UPDATE blocks SET data = ? WHERE id = ?').run(brotliCompressSync(Buffer.from('{"type":"paragraph"}')), blockId);
    raw.close();
    const result = await backend.call('revisions.restore', { documentId: doc.id, revisionId: r1.id });
    expect(result).toMatchObject({ ok: false, error: { code: 'damaged' } });
    if (!result.ok) {
      expect(result.error.message).toMatch(/"Harbor vote" is damaged/);
      expect(result.error.message).toMatch(/Affected versions: 2/);
      expect(result.error.issues).toHaveLength(2);
    }
    // The working copy is untouched and still opens.
    expect((await backend.invoke('documents.get', { id: doc.id })).content.fields).toMatchObject({ headline: 'Harbor vote' });
  });

  it('a reporter saves a new version after a shared paragraph was damaged on disk: the new version and the old ones read whole again', async () => {
    const shared = 'The harbor board met on Tuesday.';
    const v1 = await checkpoint(edited(doc.content, { fields: { headline: 'Harbor vote' }, body: paragraphs(shared, 'First draft.') }));
    const v2 = await checkpoint(edited(doc.content, { fields: { headline: 'Harbor vote' }, body: paragraphs(shared, 'Second draft.') }));
    // Damage the one row both versions share, from outside the back end (as a bad disk would).
    const { hashText } = await import('../../db/blocks.ts');
    const sharedHash = hashText(canonicalJson(paragraphs(shared).content[0]));
    const raw = new Database(`${backend.dataDir}/galley.db`);
    expect(raw.prepare('UPDATE blocks SET data = ? WHERE hash = ?').run(Buffer.from('bit rot'), sharedHash).changes).toBe(1);
    raw.close();
    expect((await backend.call('revisions.compare', { documentId: doc.id, fromId: v1.id, toId: v2.id })).ok).toBe(false);

    // The working copy still holds the intact paragraph; the next version is cut from it.
    const v3 = await checkpoint(edited(doc.content, { fields: { headline: 'Harbor vote' }, body: paragraphs(shared, 'Third draft.') }));
    for (const id of [v1.id, v2.id, v3.id]) {
      const result = await backend.call('revisions.compare', { documentId: doc.id, fromId: id, toId: id });
      expect(result, `version ${id.slice(0, 8)} reads whole`).toMatchObject({ ok: true });
    }
    const restored = await backend.invoke('revisions.restore', { documentId: doc.id, revisionId: v1.id });
    expect(restored.content.body).toEqual(paragraphs(shared, 'First draft.'));
    const { checkStore } = await import('../../db/check.ts');
    expect(checkStore(backend.db).ok).toBe(true);
  });

  it('cuts the autosave a crash prevented when the back end starts again', async () => {
    await write(edited(doc.content, { body: paragraphs('Typed, then the power went out.') }));
    expect(await backend.invoke('revisions.list', { documentId: doc.id })).toHaveLength(0);
    // No close(): as after a kill, the pending autosave never ran.
    killed(backend);
    const reopened = openBackend({ dataDir: backend.dataDir });
    const history = await reopened.invoke('revisions.list', { documentId: doc.id });
    expect(history.map((r) => r.label)).toEqual(['autosave']);
    reopened.close();
  });

  it('autosaves after a pause in typing, and during long typing at the maximum interval', async () => {
    backend.remove();
    let now = 1_900_000_000_000;
    backend = tempBackend({ now: () => now, autosave: { pauseMs: 30, maxIntervalMs: 10_000 } });
    await signIn(backend, 'Amara Osei', 'reporter');
    doc = await backend.invoke('documents.create', { kind: 'article' });
    await write(edited(doc.content, { body: paragraphs('A pause follows.') }));
    await new Promise((r) => setTimeout(r, 120));
    expect((await backend.invoke('revisions.list', { documentId: doc.id })).map((r) => r.label)).toEqual(['autosave']);
    // Continuous typing: saves every second of the clock, never a 30 ms pause in real time.
    for (let i = 0; i < 12; i++) {
      now += 1000;
      await write(edited(doc.content, { body: paragraphs(`Typing ${i}`) }));
    }
    expect((await backend.invoke('revisions.list', { documentId: doc.id })).length).toBe(2);
  });

  it('retention never removes labelled revisions and thins old autosaves to one an hour', async () => {
    backend.remove();
    let now = 1_700_000_000_000;
    backend = tempBackend({ now: () => now, autosave: { pauseMs: 3_600_000, maxIntervalMs: 1 } });
    await signIn(backend, 'Rosa Imbert', 'editor');
    doc = await backend.invoke('documents.create', { kind: 'article' });
    // 3 hours of autosaves every 10 minutes, with a checkpoint in the middle.
    for (let i = 0; i < 18; i++) {
      now += 10 * 60_000;
      await write(edited(doc.content, { body: paragraphs(`Version ${i}`) }));
      if (i === 7) await backend.invoke('revisions.checkpoint', { documentId: doc.id, note: 'Keep me' });
    }
    const before = await backend.invoke('revisions.list', { documentId: doc.id });
    // The first save starts the interval clock; every later one is past the 1 ms maximum.
    expect(before.filter((r) => r.label === 'autosave').length).toBe(17);
    expect((await backend.invoke('revisions.prune', {})).removed).toBe(0); // default: keep everything
    await backend.invoke('settings.update', { retention: { mode: 'thin-autosaves', olderThanDays: 1 } });
    now += 2 * 24 * 3_600_000;
    const result = await backend.invoke('revisions.prune', {});
    const after = await backend.invoke('revisions.list', { documentId: doc.id });
    expect(result.removed).toBeGreaterThan(10);
    expect(after.filter((r) => r.label === 'checkpoint').map((r) => r.note)).toEqual(['Keep me']);
    expect(after[0]!.id).toBe(before[0]!.id); // the head survives
    const hours = new Set(after.filter((r) => r.label === 'autosave').map((r) => Math.floor(r.createdAt / 3_600_000)));
    expect(hours.size).toBe(after.filter((r) => r.label === 'autosave').length);
    // Every remaining revision still rebuilds, and its parent chain is whole.
    const ids = new Set(after.map((r) => r.id));
    for (const r of after) {
      if (r.parentId) expect(ids.has(r.parentId)).toBe(true);
      expect((await backend.call('revisions.compare', { documentId: doc.id, fromId: r.id, toId: after[0]!.id })).ok).toBe(true);
    }
    expect(result.blocksFreed).toBeGreaterThan(0);
  });

  it('only editors change retention', async () => {
    const result = await backend.call('settings.update', { retention: { mode: 'thin-autosaves', olderThanDays: 30 } });
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('db:check', () => {
  it('finds a sound store sound, and names the damaged block, revisions and document', async () => {
    const { checkStore, formatReport } = await import('../../db/check.ts');
    const backend = tempBackend();
    await signIn(backend, 'Amara Osei', 'reporter');
    const doc = await backend.invoke('documents.create', { kind: 'article' });
    const content = edited(doc.content, { fields: { headline: 'Ferry vote' }, body: paragraphs('One.', 'Two.') });
    await backend.invoke('documents.saveWorking', { id: doc.id, version: doc.version, content });
    await backend.invoke('revisions.checkpoint', { documentId: doc.id });
    expect(checkStore(backend.db).ok).toBe(true);
    backend.db.prepare('UPDATE blocks SET data = ? WHERE id = 2').run(Buffer.from('garbage'));
    const report = checkStore(backend.db);
    expect(report.ok).toBe(false);
    expect(report.blocks.damaged).toEqual([{ id: 2, reason: 'it cannot be decompressed' }]);
    expect(report.revisions.damaged).toEqual([expect.objectContaining({ documentId: doc.id, title: 'Ferry vote', blockIds: [2] })]);
    expect(formatReport(report)).toMatch(/Blocks: 3 checked, 1 damaged/);
    backend.remove();
  });
});
