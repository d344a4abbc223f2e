import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBackend } from '../../electron/backend.ts';
import { edited, killed, paragraphs, signIn, tempBackend } from '../support/backend.ts';

describe('documents', () => {
  let backend: ReturnType<typeof tempBackend>;
  beforeEach(() => {
    backend = tempBackend();
  });
  afterEach(() => backend.remove());

  it('a reporter writes an article and finds it on the desk, then after reopening the store', async () => {
    const amara = await signIn(backend, 'Amara Osei', 'reporter');
    const doc = await backend.invoke('documents.create', { kind: 'article' });
    expect(doc.content.kind).toBe('article');
    const content = edited(doc.content, {
      fields: { headline: 'Harbor board approves dredging plan', tags: ['harbor', 'council'] },
      body: paragraphs('The board voted 5-2 late Tuesday.', 'Fishermen say the timeline is too tight.'),
    });
    const saved = await backend.invoke('documents.saveWorking', { id: doc.id, version: doc.version, content });
    expect(saved).toMatchObject({ version: doc.version + 1, title: 'Harbor board approves dredging plan', wordCount: 13 });

    const desk = await backend.invoke('documents.list', {});
    expect(desk).toEqual([expect.objectContaining({ id: doc.id, title: 'Harbor board approves dredging plan', ownerName: amara.name })]);

    backend.close();
    const reopened = openBackend({ dataDir: backend.dataDir });
    const again = await reopened.invoke('documents.get', { id: doc.id });
    expect(again.content).toEqual(content);
    reopened.close();
  });

  it('refuses a save from an editor that started from an older version, keeping the newer text', async () => {
    await signIn(backend, 'Amara Osei', 'reporter');
    const doc = await backend.invoke('documents.create', { kind: 'article' });
    const first = edited(doc.content, { body: paragraphs('First window') });
    await backend.invoke('documents.saveWorking', { id: doc.id, version: doc.version, content: first });
    const stale = await backend.call('documents.saveWorking', {
      id: doc.id,
      version: doc.version,
      content: edited(doc.content, { body: paragraphs('Second window') }),
    });
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect((await backend.invoke('documents.get', { id: doc.id })).content.body).toEqual(first.body);
  });

  it('refuses bodies the editor could not have made: unknown nodes, script links', async () => {
    await signIn(backend, 'Amara Osei', 'reporter');
    const doc = await backend.invoke('documents.create', { kind: 'article' });
    const script = { type: 'doc', content: [{ type: 'script', content: [{ type: 'text', text: 'alert(1)' }] }] };
    const jsLink = {
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          content: [{ type: 'text', text: 'click', marks: [{ type: 'link', attrs: { href: 'java\nscript:alert(1)' } }] }],
        },
      ],
    };
    for (const body of [script, jsLink]) {
      const result = await backend.call('documents.saveWorking', { id: doc.id, version: doc.version, content: edited(doc.content, { body }) });
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    expect((await backend.invoke('documents.get', { id: doc.id })).version).toBe(doc.version);
  });

  it('a link saved with its own rel="opener", target and class is stored, versioned and published with only its address', async () => {
    await signIn(backend, 'Amara Osei', 'reporter');
    const doc = await backend.invoke('documents.create', { kind: 'article' });
    const attrs = { href: 'https://harbor.example/plan', rel: 'opener', target: '_blank', class: 'x', onclick: 'alert(1)' };
    const body = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'the plan', marks: [{ type: 'link', attrs }] }] }] };
    await backend.invoke('documents.saveWorking', { id: doc.id, version: doc.version, content: edited(doc.content, { body }) });
    const stored = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'the plan', marks: [{ type: 'link', attrs: { href: attrs.href } }] }] }] };
    expect((await backend.invoke('documents.get', { id: doc.id })).content.body).toEqual(stored);

    // The version cut from it, and the new document an import makes, hold the same.
    const version = await backend.invoke('revisions.checkpoint', { documentId: doc.id });
    const restored = await backend.invoke('revisions.restore', { documentId: doc.id, revisionId: version.id });
    expect(restored.content.body).toEqual(stored);
    const imported = await backend.invoke('imports.create', { text: 'Harbor plan\n\nRead the plan at https://harbor.example/plan today.\n' });
    expect(JSON.stringify(imported.content.body)).not.toMatch(/"rel"|"target"|"class"/);
  });

  it('refuses a body nested absurdly deep as bad input naming the body, keeping the saved text; a list nested 40 deep still saves', async () => {
    await signIn(backend, 'Amara Osei', 'reporter');
    const doc = await backend.invoke('documents.create', { kind: 'article' });
    const saved = edited(doc.content, { body: paragraphs('What the reporter wrote.') });
    const { version } = await backend.invoke('documents.saveWorking', { id: doc.id, version: doc.version, content: saved });

    const quotes = (depth: number) => {
      let node: object = { type: 'paragraph', content: [{ type: 'text', text: 'deep' }] };
      for (let i = 0; i < depth; i++) node = { type: 'blockquote', content: [node] };
      return { type: 'doc', content: [node] };
    };
    let deepAttrs: unknown = 'x';
    for (let i = 0; i < 10_000; i++) deepAttrs = [deepAttrs];
    const attrs = { type: 'doc', content: [{ type: 'paragraph', attrs: { x: deepAttrs } }] };
    for (const body of [quotes(150), quotes(1_000), quotes(100_000), attrs]) {
      const result = await backend.call('documents.saveWorking', { id: doc.id, version, content: edited(saved, { body: body as never }) });
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'invalid_input', issues: [{ path: 'content.body', message: expect.stringMatching(/^Nested more than 100 levels deep/) }] },
      });
    }
    expect((await backend.invoke('documents.get', { id: doc.id })).content).toEqual(saved);

    const item = (level: number, ...sublist: object[]) => ({
      type: 'bulletList',
      content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: `level ${level}` }] }, ...sublist] }],
    });
    let list = item(40);
    for (let level = 39; level >= 1; level--) list = item(level, list);
    const nested = edited(saved, { body: { type: 'doc', content: [list] } as never });
    await backend.invoke('documents.saveWorking', { id: doc.id, version, content: nested });
    expect((await backend.invoke('documents.get', { id: doc.id })).content).toEqual(nested);
  });

  it('refuses content of another kind', async () => {
    await signIn(backend, 'Amara Osei', 'reporter');
    const article = await backend.invoke('documents.create', { kind: 'article' });
    const bio = await backend.invoke('documents.create', { kind: 'bio' });
    const result = await backend.call('documents.saveWorking', { id: article.id, version: article.version, content: bio.content });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it("a reporter cannot edit another reporter's article until an editor assigns it to them", async () => {
    await signIn(backend, 'Amara Osei', 'reporter');
    const doc = await backend.invoke('documents.create', { kind: 'article' });
    const ben = await signIn(backend, 'Ben Okafor', 'reporter');
    const attempt = () =>
      backend.call('documents.saveWorking', { id: doc.id, version: doc.version, content: edited(doc.content, { body: paragraphs('Mine now') }) });
    expect(await attempt()).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await signIn(backend, 'Rosa Imbert', 'editor');
    const assigned = await backend.invoke('documents.assign', { id: doc.id, personId: ben.id });
    expect(assigned.assigneeName).toBe('Ben Okafor');
    await backend.invoke('session.switch', { personId: ben.id });
    expect(await attempt()).toMatchObject({ ok: true });
  });

  it('the photo desk edits captions; a reporter may read but not edit them', async () => {
    await signIn(backend, 'Lena Ortiz', 'photo_desk');
    const caption = await backend.invoke('documents.create', { kind: 'caption' });
    const content = edited(caption.content, { fields: { credit: 'Lena Ortiz / Port Alder Courier' } });
    await backend.invoke('documents.saveWorking', { id: caption.id, version: caption.version, content });
    await signIn(backend, 'Amara Osei', 'reporter');
    const read = await backend.invoke('documents.get', { id: caption.id });
    expect(read.content.fields).toMatchObject({ credit: 'Lena Ortiz / Port Alder Courier' });
    const edit = await backend.call('documents.saveWorking', { id: caption.id, version: read.version, content });
    expect(edit).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('an article’s figures open in one call: each caption, or why one cannot be shown, in the order asked', async () => {
    await signIn(backend, 'Lena Ortiz', 'photo_desk');
    const first = await backend.invoke('documents.create', { kind: 'caption' });
    await backend.invoke('documents.saveWorking', { id: first.id, version: first.version, content: edited(first.content, { fields: { credit: 'Lena Ortiz' } }) });
    const second = await backend.invoke('documents.create', { kind: 'caption' });
    await signIn(backend, 'Amara Osei', 'reporter');
    const gone = '00000000-0000-4000-8000-000000000000';
    const answers = await backend.invoke('documents.getMany', { ids: [second.id, gone, first.id] });
    expect(answers.map((a) => a.id)).toEqual([second.id, gone, first.id]);
    expect(answers[0]).toMatchObject({ document: { id: second.id, content: { kind: 'caption' } } });
    expect(answers[1]).toMatchObject({ error: { code: 'not_found' } });
    expect(answers[2]).toMatchObject({ document: { content: { fields: { credit: 'Lena Ortiz' } } } });
    // Bad input is refused whole, naming the problem.
    expect(await backend.call('documents.getMany', { ids: [] })).toMatchObject({ ok: false, error: { code: 'invalid_input', issues: [expect.objectContaining({ path: 'ids' })] } });
    expect(await backend.call('documents.getMany', { ids: Array.from({ length: 201 }, () => gone) })).toMatchObject({ ok: false, error: { code: 'invalid_input', issues: [expect.objectContaining({ path: 'ids' })] } });
  });

  it('moves a document to the trash and back, keeping its text', async () => {
    await signIn(backend, 'Amara Osei', 'reporter');
    const doc = await backend.invoke('documents.create', { kind: 'bio' });
    const content = edited(doc.content, { fields: { name: 'Amara Osei' } });
    await backend.invoke('documents.saveWorking', { id: doc.id, version: doc.version, content });
    await backend.invoke('documents.trash', { id: doc.id });
    expect(await backend.invoke('documents.list', {})).toEqual([]);
    expect((await backend.invoke('documents.list', { trashed: true })).map((d) => d.title)).toEqual(['Amara Osei']);
    const blocked = await backend.call('documents.saveWorking', { id: doc.id, version: doc.version + 1, content });
    expect(blocked).toMatchObject({ ok: false, error: { code: 'conflict' } });
    await backend.invoke('documents.restore', { id: doc.id });
    const back = await backend.invoke('documents.get', { id: doc.id });
    expect(back.trashedAt).toBeNull();
    expect(back.content).toEqual(content);
  });

  it('filters the desk by kind, status and words', async () => {
    await signIn(backend, 'Rosa Imbert', 'editor');
    const a = await backend.invoke('documents.create', { kind: 'article' });
    await backend.invoke('documents.create', { kind: 'caption' });
    await backend.invoke('documents.saveWorking', {
      id: a.id,
      version: a.version,
      content: edited(a.content, { fields: { headline: 'Dredging 100% approved' } }),
    });
    expect((await backend.invoke('documents.list', { kind: 'caption' })).map((d) => d.kind)).toEqual(['caption']);
    expect((await backend.invoke('documents.list', { status: 'published' })).length).toBe(0);
    expect((await backend.invoke('documents.list', { query: 'dredging' })).map((d) => d.id)).toEqual([a.id]);
    // LIKE wildcards in a query are literal characters.
    expect((await backend.invoke('documents.list', { query: '100%' })).map((d) => d.id)).toEqual([a.id]);
    expect((await backend.invoke('documents.list', { query: '_' })).length).toBe(0);
    // The stored JSON's own words (node and field names) are not content.
    expect((await backend.invoke('documents.list', { query: 'paragraph' })).length).toBe(0);
    expect((await backend.invoke('documents.list', { query: 'headline' })).length).toBe(0);
  });

  it('tells subscribers when a document changes', async () => {
    await signIn(backend, 'Amara Osei', 'reporter');
    const seen: string[] = [];
    const stop = backend.subscribe('documents.changed', ({ id }) => seen.push(id));
    const doc = await backend.invoke('documents.create', { kind: 'article' });
    stop();
    await backend.invoke('documents.trash', { id: doc.id });
    expect(seen).toEqual([doc.id]);
  });

  it('names the editor window whose save changed a document, so that window can skip refetching it', async () => {
    await signIn(backend, 'Amara Osei', 'reporter');
    const doc = await backend.invoke('documents.create', { kind: 'article' });
    const seen: unknown[] = [];
    const stop = backend.subscribe('documents.changed', (p) => seen.push(p));
    const first = await backend.invoke('documents.saveWorking', { id: doc.id, version: doc.version, session: 'window-one-1', content: edited(doc.content, { body: paragraphs('One.') }) });
    await backend.invoke('documents.saveWorking', { id: doc.id, version: first.version, content: edited(doc.content, { body: paragraphs('Two.') }) });
    await backend.invoke('documents.trash', { id: doc.id });
    stop();
    expect(seen).toEqual([{ id: doc.id, session: 'window-one-1' }, { id: doc.id }, { id: doc.id }]);
  });

  it('search finds the current text after every kind of change: saves, a restore, and a crash before any search', async () => {
    await signIn(backend, 'Amara Osei', 'reporter');
    const doc = await backend.invoke('documents.create', { kind: 'article' });
    const found = async (word: string) => (await backend.invoke('documents.list', { query: word })).map((d) => d.id);
    const save = async (version: number, text: string) =>
      (await backend.invoke('documents.saveWorking', { id: doc.id, version, content: edited(doc.content, { body: paragraphs(text) }) })).version;
    let version = await save(doc.version, 'The dredging vote passed.');
    const dredging = await backend.invoke('revisions.checkpoint', { documentId: doc.id });
    version = await save(version, 'The tidal survey came first.');
    expect(await found('dredging')).toEqual([]);
    expect(await found('tidal')).toEqual([doc.id]);

    // Restoring brings the old words back to search too.
    await backend.invoke('revisions.restore', { documentId: doc.id, revisionId: dredging.id });
    expect(await found('dredging')).toEqual([doc.id]);
    expect(await found('tidal')).toEqual([]);

    // A save that no search has followed yet, then the process dies (no clean close):
    // the next start's search still sees that text.
    version = (await backend.invoke('documents.get', { id: doc.id })).version;
    await save(version, 'The lighthouse keeper spoke.');
    killed(backend);
    backend = Object.assign(openBackend({ dataDir: backend.dataDir }), { remove: backend.remove });
    expect(await found('lighthouse')).toEqual([doc.id]);
    expect(await found('dredging')).toEqual([]);
  });

  it('a restored article still holds its slug, so another story using it is told', async () => {
    await signIn(backend, 'Amara Osei', 'reporter');
    const a = await backend.invoke('documents.create', { kind: 'article' });
    const b = await backend.invoke('documents.create', { kind: 'article' });
    await backend.invoke('documents.saveWorking', { id: a.id, version: a.version, content: edited(a.content, { fields: { headline: 'Harbor vote', slug: 'harbor-vote' } }) });
    const saved = await backend.invoke('revisions.checkpoint', { documentId: a.id });
    await backend.invoke('revisions.restore', { documentId: a.id, revisionId: saved.id });
    expect((await backend.invoke('documents.slugCheck', { slug: 'harbor-vote', exceptId: b.id })).takenBy).toEqual({ id: a.id, title: 'Harbor vote' });
  });

  it('an imported article holds its slug from the start, before anyone saves it', async () => {
    await signIn(backend, 'Amara Osei', 'reporter');
    const other = await backend.invoke('documents.create', { kind: 'article' });
    const imported = await backend.invoke('imports.create', { text: 'Harbor board approves dredging plan\n\nThe board voted 5-2 late Tuesday.\n' });
    expect(imported.content.kind === 'article' && imported.content.fields.slug).toBe('harbor-board-approves-dredging-plan');
    expect((await backend.invoke('documents.slugCheck', { slug: 'harbor-board-approves-dredging-plan', exceptId: other.id })).takenBy).toEqual({
      id: imported.id,
      title: 'Harbor board approves dredging plan',
    });
  });
});
