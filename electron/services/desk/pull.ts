import { createHash } from 'node:crypto';
import { getAsset } from '../../../db/assets.ts';
import { blockIdOf, deskAsset, photosToFetch, revisionHashes } from '../../../db/deskSync.ts';
import { documentKind } from '../../../db/documents.ts';
import { getPerson } from '../../../db/people.ts';
import { getRevision } from '../../../db/revisions.ts';
import { getSetting } from '../../../db/settings.ts';
import { contentHashOf, expandRefs, openWireBlock, revisionIdOf, WireError } from '../../../desk/wire.ts';
import { deskContract, MOST_BLOCKS_PER_CALL, type Change, type DeskDocument, type DeskOutput, type DeskPerson } from '../../../shared/desk.ts';
import type { DocumentKind } from '../../../shared/documents.ts';
import { GalleyError } from '../../../shared/errors.ts';
import { importAsset } from '../assets.ts';
import type { ServiceContext } from '../context.ts';
import { currentPerson } from '../people.ts';
import { applyPage, CURSOR, type Emits, type PreparedPage } from './apply.ts';
import type { DeskCaller } from './types.ts';

/**
 * Pulling from the desk (issue #17, item 6): the change feed from the stored cursor, a
 * page at a time until the desk says there is no more. Each page is checked whole and
 * everything it needs fetched (blocks this workstation lacks, documents and people it
 * names) before anything is stored; then it is applied in one transaction with the new
 * cursor (apply.ts). A page that does not check out — the desk answered garbage — stops
 * the pull with 'unavailable' and leaves the store and the cursor as they were.
 */

export type PullResult = { applied: number; cursor: number };

const garbage = (why: string) =>
  new GalleyError('unavailable', `The desk sent changes this workstation cannot use (${why}); nothing of them was applied, and the next sync asks again.`);

export function storedCursor(ctx: ServiceContext): number {
  const n = Number(getSetting(ctx.db, CURSOR) ?? 0);
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
}

/** The page as the contract describes it, and in order after `since`. */
function checkPage(raw: unknown, since: number): DeskOutput<'sync.pull'> {
  const parsed = deskContract['sync.pull'].output.safeParse(raw);
  if (!parsed.success) throw garbage(parsed.error.issues.map((i) => `${i.path.join('.') || 'answer'}: ${i.message}`).slice(0, 3).join('; '));
  const page = parsed.data;
  if (page.cursor < since) throw garbage(`its cursor ${page.cursor} is before ${since}`);
  let last = since;
  for (const c of page.changes) {
    if (c.seq <= last || c.seq > page.cursor) throw garbage(`change ${c.seq} is out of order`);
    last = c.seq;
  }
  if (page.more && page.cursor === since) throw garbage('it says there is more but moved nowhere');
  return page;
}

async function prepare(ctx: ServiceContext, desk: DeskCaller, page: DeskOutput<'sync.pull'>): Promise<PreparedPage> {
  const changes = page.changes;
  const pageDocs = new Map<string, DeskDocument>();
  const pagePeople = new Set<string>();
  for (const c of changes) {
    if (c.type === 'document') pageDocs.set(c.document.id, c.document);
    if (c.type === 'person') pagePeople.add(c.person.id);
  }

  // Documents named by the page that are neither in it nor here.
  const docIdOf = (c: Change): string | null =>
    c.type === 'revision' ? c.revision.documentId : c.type === 'comment' ? c.comment.documentId : c.type === 'event' ? c.event.documentId : null;
  const unknownDocs = new Set<string>();
  for (const c of changes) {
    const id = docIdOf(c);
    if (id && !pageDocs.has(id) && documentKind(ctx.db, id) === undefined) unknownDocs.add(id);
  }
  const documents: DeskDocument[] = [];
  for (const id of unknownDocs) {
    try {
      documents.push(await desk.call('documents.get', { id }));
    } catch (error) {
      // Gone from the desk: its entries are skipped (apply needs the document).
      if (!(error instanceof GalleyError && error.code === 'not_found')) throw error;
    }
  }
  const kindOf = (id: string): DocumentKind | undefined => pageDocs.get(id)?.kind ?? documents.find((d) => d.id === id)?.kind ?? documentKind(ctx.db, id);

  // Each revision's full block list, from its parent's (earlier in the page, or here).
  const revisionHashesById = new Map<string, string[]>();
  const parentHashes = (id: string): string[] | null => {
    const inPage = revisionHashesById.get(id);
    if (inPage) return inPage;
    const local = getRevision(ctx.db, id);
    return local ? revisionHashes(ctx.db, local) : null;
  };
  const wanted = new Set<string>();
  for (const c of changes) {
    if (c.type !== 'revision') continue;
    const r = c.revision;
    const kind = kindOf(r.documentId);
    if (!kind) continue;
    const parent = r.parentId ? parentHashes(r.parentId) : null;
    if (r.parentId && !parent && r.blocks.some((b) => typeof b !== 'string')) {
      // Its parent is not here (removed by retention before it was pulled): this version
      // cannot be rebuilt here, and waiting would stop every later change. Skipped.
      continue;
    }
    let hashes: string[];
    try {
      hashes = expandRefs(r.blocks, parent);
    } catch (error) {
      if (error instanceof WireError) throw garbage(`revision ${r.id}: ${error.message}`);
      throw error;
    }
    if (contentHashOf(kind, hashes) !== r.contentHash) throw garbage(`revision ${r.id} does not match its blocks`);
    const id = revisionIdOf(r);
    if (id !== r.id) throw garbage(`revision ${r.id} does not match its record`);
    revisionHashesById.set(r.id, hashes);
    for (const h of hashes) if (blockIdOf(ctx.db, h) === undefined) wanted.add(h);
  }

  // The blocks this workstation lacks, checked against their hashes.
  const blocks = new Map<string, Buffer>();
  const list = [...wanted];
  for (let i = 0; i < list.length; i += MOST_BLOCKS_PER_CALL) {
    const chunk = list.slice(i, i + MOST_BLOCKS_PER_CALL);
    const answer = deskContract['sync.blocks'].output.safeParse(await desk.call('sync.blocks', { hashes: chunk }));
    if (!answer.success) throw garbage('its blocks are not in the expected form');
    for (const b of answer.data.blocks) {
      if (!wanted.has(b.hash)) continue;
      const bytes = Buffer.from(b.data, 'base64');
      try {
        openWireBlock(b.hash, bytes);
      } catch (error) {
        if (error instanceof WireError) throw garbage(error.message);
        throw error;
      }
      blocks.set(b.hash, bytes);
    }
    const lacking = chunk.filter((h) => !blocks.has(h));
    if (lacking.length) throw garbage(`it lacks ${lacking.length} block(s) its revisions use`);
  }

  // People named by the page that are neither in it nor here.
  const named = new Set<string>();
  for (const d of [...pageDocs.values(), ...documents]) {
    named.add(d.ownerId);
    if (d.assigneeId) named.add(d.assigneeId);
  }
  for (const c of changes) {
    if (c.type === 'revision') named.add(c.revision.authorId);
    if (c.type === 'comment') named.add(c.comment.authorId);
    if (c.type === 'event') named.add(c.event.actorId);
    if (c.type === 'asset') named.add(c.asset.uploadedBy);
  }
  const unknownPeople = [...named].filter((id) => !pagePeople.has(id) && !getPerson(ctx.db, id));
  let people: DeskPerson[] = [];
  if (unknownPeople.length) {
    const everyone = await desk.call('people.list', {});
    people = everyone.filter((p) => unknownPeople.includes(p.id));
  }
  return { changes, cursor: page.cursor, blocks, revisionHashes: revisionHashesById, documents, people };
}

function emitAll(ctx: ServiceContext, emits: Emits): void {
  for (const id of emits.documents) ctx.emit('documents.changed', { id });
  for (const documentId of emits.revisions) ctx.emit('revisions.changed', { documentId });
  for (const documentId of emits.comments) ctx.emit('comments.changed', { documentId });
  for (const documentId of emits.publishing) ctx.emit('publishing.changed', { documentId });
  if (emits.session) ctx.emit('session.changed', { personId: emits.session });
}

export async function pullChanges(ctx: ServiceContext, desk: DeskCaller): Promise<PullResult> {
  let cursor = storedCursor(ctx);
  let applied = 0;
  for (;;) {
    const page = checkPage(await desk.call('sync.pull', { since: cursor }), cursor);
    const prepared = await prepare(ctx, desk, page);
    const emits = applyPage(ctx, prepared, currentPerson(ctx)?.id ?? null);
    cursor = page.cursor;
    applied += page.changes.length;
    emitAll(ctx, emits);
    if (!page.more) break;
  }
  await fetchPhotos(ctx, desk);
  return { applied, cursor };
}

/**
 * Photos that captions and bios here show, that the desk holds and this workstation
 * lacks: fetched after each pull (a few at a time), so one that failed to arrive is
 * tried again on the next.
 */
async function fetchPhotos(ctx: ServiceContext, desk: DeskCaller): Promise<void> {
  for (const sha of photosToFetch(ctx.db, PHOTOS_PER_PULL)) {
    try {
      await fetchPhoto(ctx, desk, sha);
    } catch {
      // Not fatal: the text is here, and the next pull tries the photo again.
    }
  }
}

const PHOTOS_PER_PULL = 50;

/**
 * A photo the desk holds and this workstation does not: fetched, checked against its
 * SHA-256, and imported the way any photo is (so thumbnails and previews exist).
 */
export async function fetchPhoto(ctx: ServiceContext, desk: DeskCaller, sha256: string): Promise<boolean> {
  if (getAsset(ctx.db, sha256)) return true;
  const got = await desk.call('assets.get', { sha256 });
  const bytes = Buffer.from(got.data, 'base64');
  if (createHash('sha256').update(bytes).digest('hex') !== sha256) throw garbage(`photo ${sha256} does not match its bytes`);
  const person = getPerson(ctx.db, got.uploadedBy ?? deskAsset(ctx.db, sha256)?.uploadedBy ?? '') ?? currentPerson(ctx);
  if (!person) return false;
  await importAsset(ctx, { person }, { fileName: got.fileName, data: new Uint8Array(bytes) });
  return true;
}
