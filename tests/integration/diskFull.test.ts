import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkStore } from '../../db/check.ts';
import { openBackend, type Backend } from '../../electron/backend.ts';
import type { DocumentContent, DocumentRecord } from '../../shared/documents.ts';
import { edited, paragraphs, signIn } from '../support/backend.ts';
import { dataFolderOn, mountSmallDisk, type SmallDisk } from '../support/tmpfs.ts';

// A real file system filled to the last byte (a small tmpfs), not a faked error.
describe('a full disk', () => {
  let small: SmallDisk | undefined;
  let dataDir: string;
  let backend: Backend;
  let doc: DocumentRecord;

  beforeEach(async (ctx) => {
    const disk = mountSmallDisk(24);
    if ('unavailable' in disk) {
      console.warn(`[disk full] skipped: ${disk.unavailable}`);
      return ctx.skip();
    }
    small = disk;
    dataDir = dataFolderOn(small);
    backend = openBackend({ dataDir, outbox: false, autosave: { pauseMs: 3_600_000, maxIntervalMs: 3_600_000 } });
    await signIn(backend, 'Amara Osei', 'reporter');
    doc = await backend.invoke('documents.create', { kind: 'article' });
  });
  afterEach(() => {
    if (!small) return;
    if (backend.db.open) backend.close();
    small.free();
    small.unmount();
    small = undefined;
  });

  const draft = (n: number): DocumentContent =>
    edited(doc.content, {
      fields: { headline: 'Harbor vote' },
      // Every draft differs from the last everywhere, so each save must write new pages.
      body: paragraphs(...Array.from({ length: 40 }, (_, i) => `Draft ${n}, paragraph ${i}: ${'the board met and voted on the dredging plan. '.repeat(20)}`)),
    });

  it('a reporter saves on a full disk: told so in a sentence, and the text saved before and its versions are intact after space is freed', async () => {
    const saved = edited(doc.content, { fields: { headline: 'Harbor vote' }, body: paragraphs('Saved before the disk filled.') });
    let version = (await backend.invoke('documents.saveWorking', { id: doc.id, version: doc.version, content: saved })).version;
    const v1 = await backend.invoke('revisions.checkpoint', { documentId: doc.id, note: 'Before the disk filled' });

    small!.fill();
    // Free pages inside the database may take a few saves; then a save must find no room.
    let lastSaved = saved;
    let refusal: Awaited<ReturnType<Backend['call']>> | undefined;
    for (let n = 0; n < 50 && !refusal; n++) {
      const result = await backend.call('documents.saveWorking', { id: doc.id, version, content: draft(n) });
      if (result.ok) {
        version = (result.value as { version: number }).version;
        lastSaved = draft(n);
      } else refusal = result;
    }
    expect(refusal).toEqual({
      ok: false,
      error: {
        code: 'disk_full',
        message: `The disk is full, so this was not saved. Free some space on the disk that holds Galley's data folder (${dataDir}); everything saved before is intact.`,
      },
    });
    // A version cannot be cut either, and says the same.
    expect(await backend.call('revisions.checkpoint', { documentId: doc.id })).toMatchObject({ ok: false, error: { code: 'disk_full' } });
    // Still full: what was saved reads back whole.
    expect((await backend.invoke('documents.get', { id: doc.id })).content).toEqual(lastSaved);

    small!.free();
    await backend.invoke('documents.saveWorking', { id: doc.id, version, content: draft(99) });
    backend.close();

    // A fresh start on the same folder: the save after freeing, and every version, whole.
    backend = openBackend({ dataDir, outbox: false });
    expect((await backend.invoke('documents.get', { id: doc.id })).content).toEqual(draft(99));
    const history = await backend.invoke('revisions.list', { documentId: doc.id });
    expect(history.map((r) => r.note)).toContain('Before the disk filled');
    const redline = await backend.invoke('revisions.compare', { documentId: doc.id, fromId: v1.id, toId: 'working' });
    expect(redline.from.id).toBe(v1.id);
    expect(checkStore(backend.db, { dataDir }).ok).toBe(true);
  });

  it('the photo desk imports a photo on a full disk: told so, and nothing half-imported stays to take space', async () => {
    const photo = new Uint8Array(readFileSync(new URL('../fixtures/images/harbor-dawn.jpg', import.meta.url)));
    small!.fill();
    const result = await backend.call('assets.import', { fileName: 'harbor-dawn.jpg', data: photo });
    expect(result).toMatchObject({ ok: false, error: { code: 'disk_full', message: expect.stringMatching(/^The disk is full, so this was not saved\./) } });
    const assets = join(dataDir, 'assets');
    expect(existsSync(assets) ? readdirSync(assets, { recursive: true, withFileTypes: true }).filter((f) => f.isFile()).map((f) => f.name) : []).toEqual([]);

    small!.free();
    const asset = await backend.invoke('assets.import', { fileName: 'harbor-dawn.jpg', data: photo });
    expect(checkStore(backend.db, { dataDir }).photos).toMatchObject({ checked: 1, originals: [], derived: [] });
    expect(asset.originalName).toBe('harbor-dawn.jpg');
  });
});
