import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { brotliDecompressSync } from 'node:zlib';
import { assetPath, getAsset } from '../../../db/assets.ts';
import { blockBytes, deskAsset, recordDeskAsset, revisionHashes, setDeskState, waitingRevisionCount, waitingRevisionIds } from '../../../db/deskSync.ts';
import { recordRefusedPush } from '../../../db/desk.ts';
import { deskLinkOf, getDocumentRow, setDeskHead } from '../../../db/documents.ts';
import { getRevision, type RevisionRow } from '../../../db/revisions.ts';
import { getSetting, setSetting } from '../../../db/settings.ts';
import { encodeRefs } from '../../../desk/wire.ts';
import { MOST_BLOCKS_PER_CALL, type DeskInput, type DeskOutput, type DocumentHeader, type WireBlock, type WireRevision } from '../../../shared/desk.ts';
import { GalleyError } from '../../../shared/errors.ts';
import type { ServiceContext } from '../context.ts';
import { currentPerson } from '../people.ts';
import type { DeskCaller } from './types.ts';

/**
 * Pushing to the desk (issue #17, item 6): every revision cut here that the desk has
 * not accepted, oldest first, in batches; each revision's blocks relative to its
 * parent, and only the blocks its parent does not have (the desk holds the parent's).
 *
 * A batch is remembered (settings, under BATCH) with its idempotency key before it is
 * sent, and sent again as it was under the same key until an answer arrives: an
 * answer lost on the way back does not make the desk store the work twice.
 */

/** The most revisions one sync.push carries (shared/desk.ts). */
export const MOST_REVISIONS_PER_PUSH = 500;
const BATCH = 'desk.push.batch';
/** Rounds of one pushRevisions before giving up (each round sends or learns something). */
const MOST_ROUNDS = 1_000;

type Batch = { key: string; personId: string; revisionIds: string[]; blockHashes: string[] };

export type PushResult = {
  pushed: number;
  /** Revisions the desk kept beside the story's line ("edited offline by …"). */
  aside: string[];
  /** Revisions the desk will never take, with its reason. */
  refused: { id: string; code: string; message: string }[];
};

const rowOf = (ctx: ServiceContext, id: string): RevisionRow | undefined => getRevision(ctx.db, id);

/** The next batch: revisions waiting, oldest first, as many as fit the desk's limits. */
function nextBatch(ctx: ServiceContext, authorId: string): Batch | null {
  const ids = waitingRevisionIds(ctx.db, authorId, MOST_REVISIONS_PER_PUSH);
  if (ids.length === 0) return null;
  const blocks = new Set<string>();
  const chosen: string[] = [];
  const inBatch = new Set<string>();
  const hashes = new Map<string, string[]>();
  for (const id of ids) {
    const row = rowOf(ctx, id)!;
    // A parent made by someone else that still waits (for their session) comes first:
    // until it is on the desk, this one would be refused for lacking it.
    const parentRow = row.parentId ? rowOf(ctx, row.parentId) : undefined;
    if (parentRow && parentRow.deskState === null && !inBatch.has(parentRow.id)) continue;
    const own = hashesOf(ctx, row, hashes);
    const parent = hashesOf(ctx, parentRow, hashes);
    const inParent = new Set(parent);
    const fresh = own.filter((h) => !inParent.has(h) && !blocks.has(h));
    // A revision whose new blocks do not fit this call goes out with the next; one that
    // alone needs more than a call holds goes out with as many as fit: the desk answers
    // `missing` for the rest, which the next rounds send.
    if (chosen.length > 0 && blocks.size + fresh.length > MOST_BLOCKS_PER_CALL) break;
    for (const h of fresh) if (blocks.size < MOST_BLOCKS_PER_CALL) blocks.add(h);
    chosen.push(id);
    inBatch.add(id);
  }
  if (chosen.length === 0) return null; // all of it waits on other people's versions
  return { key: randomUUID(), personId: authorId, revisionIds: chosen, blockHashes: [...blocks] };
}

function hashesOf(ctx: ServiceContext, row: RevisionRow | undefined, cache: Map<string, string[]>): string[] {
  if (!row) return [];
  let list = cache.get(row.id);
  if (!list) cache.set(row.id, (list = revisionHashes(ctx.db, row)));
  return list;
}

/** The sync.push body for a batch, built the same way every time it is sent. */
function bodyOf(ctx: ServiceContext, batch: Batch): DeskInput<'sync.push'> {
  const cache = new Map<string, string[]>();
  const documents = new Map<string, DocumentHeader>();
  const revisions: WireRevision[] = [];
  for (const id of batch.revisionIds) {
    const row = rowOf(ctx, id);
    if (!row) continue; // removed since (retention): nothing to send
    const link = deskLinkOf(ctx.db, row.documentId);
    if (link && !link.deskKnown && !documents.has(row.documentId)) {
      documents.set(row.documentId, { id: row.documentId, kind: link.kind, ownerId: link.ownerId, createdAt: link.createdAt });
    }
    const parent = row.parentId ? rowOf(ctx, row.parentId) : undefined;
    revisions.push({
      id: row.id,
      documentId: row.documentId,
      parentId: row.parentId,
      authorId: row.authorId,
      createdAt: row.createdAt,
      label: row.label,
      note: row.note,
      contentHash: row.contentHash,
      words: row.words,
      wordsAdded: row.wordsAdded,
      wordsRemoved: row.wordsRemoved,
      blocks: encodeRefs(hashesOf(ctx, row, cache), parent ? hashesOf(ctx, parent, cache) : null),
      ...(row.slugUnlocked ? { slugUnlocked: true as const } : {}),
    });
  }
  const blocks: WireBlock[] = [];
  for (const hash of batch.blockHashes) {
    const data = blockBytes(ctx.db, hash);
    if (data) blocks.push({ hash, data: data.toString('base64') });
  }
  return { key: batch.key, documents: [...documents.values()], revisions, blocks };
}

/**
 * Photos named by the captions and bios in a batch that the desk does not hold yet go
 * up first, so a caption never arrives on another workstation without its photo.
 */
async function sendPhotos(ctx: ServiceContext, desk: DeskCaller, batch: Batch): Promise<void> {
  const wanted = new Set<string>();
  for (const id of batch.revisionIds) {
    const row = rowOf(ctx, id);
    const kind = row && deskLinkOf(ctx.db, row.documentId)?.kind;
    if (!row || (kind !== 'caption' && kind !== 'bio')) continue;
    const fieldsHash = revisionHashes(ctx.db, row)[0];
    const bytes = fieldsHash ? blockBytes(ctx.db, fieldsHash) : undefined;
    if (!bytes) continue;
    const fields = JSON.parse(brotliDecompressSync(bytes).toString('utf8')) as { photo?: string; headshot?: string };
    const sha = kind === 'caption' ? fields.photo : fields.headshot;
    if (sha && !deskAsset(ctx.db, sha) && getAsset(ctx.db, sha)) wanted.add(sha);
  }
  if (wanted.size === 0) return;
  const { held } = await desk.call('assets.has', { sha256s: [...wanted] });
  for (const sha of held) {
    const a = getAsset(ctx.db, sha)!;
    recordDeskAsset(ctx.db, { sha256: sha, fileName: a.originalName, mime: a.mime, size: a.size, uploadedBy: a.createdBy, createdAt: a.createdAt });
  }
  for (const sha of wanted) {
    if (held.includes(sha)) continue;
    const a = getAsset(ctx.db, sha)!;
    let data: Buffer;
    try {
      data = readFileSync(assetPath(ctx.dataDir, sha, a.mime));
    } catch {
      continue; // the original is missing here (db:check reports it); the caption still goes
    }
    const put = await desk.call('assets.put', { sha256: sha, fileName: a.originalName, mime: a.mime, data: data.toString('base64') });
    recordDeskAsset(ctx.db, put);
  }
}

/**
 * Records the desk's answer to a batch in one transaction, with what comes next: the
 * same batch under the same key carrying the blocks the desk said it lacks (the desk
 * keeps such a key free, so the resend gets a fresh answer), or nothing.
 */
function record(ctx: ServiceContext, batch: Batch, answer: DeskOutput<'sync.push'>, result: PushResult, next: Batch | null): void {
  let refusedShown = false;
  ctx.db.transaction(() => {
    for (const a of answer.accepted) {
      const row = rowOf(ctx, a.id);
      if (!row) continue;
      setDeskState(ctx.db, a.id, a.aside ? 'aside' : 'pushed');
      setDeskHead(ctx.db, row.documentId, a.aside ? null : a.id);
      if (a.aside) result.aside.push(a.id);
      else result.pushed++;
    }
    for (const r of answer.refused) {
      if (!batch.revisionIds.includes(r.id)) continue;
      setDeskState(ctx.db, r.id, 'refused');
      result.refused.push(r);
      // Shown in Desk → Waiting to send with the desk's words, as a refused action is:
      // otherwise the story would silently never reach the desk.
      const row = rowOf(ctx, r.id);
      const doc = row && getDocumentRow(ctx.db, row.documentId);
      if (row && doc) {
        const summary = `Send version: ${doc.title.trim() || 'Untitled'}`;
        if (recordRefusedPush(ctx.db, { id: randomUUID(), documentId: row.documentId, revisionId: r.id, summary, personId: batch.personId, reason: r.message, createdAt: ctx.now() })) refusedShown = true;
      }
    }
    setSetting(ctx.db, BATCH, next ? JSON.stringify(next) : '');
  })();
  if (refusedShown) ctx.emit('desk.changed', {});
  for (const documentId of new Set(answer.accepted.map((a) => rowOf(ctx, a.id)?.documentId).filter(Boolean) as string[])) {
    ctx.emit('revisions.changed', { documentId });
  }
}

function savedBatch(ctx: ServiceContext): Batch | null {
  const raw = getSetting(ctx.db, BATCH);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as Batch;
  } catch {
    return null;
  }
}

export async function pushRevisions(
  ctx: ServiceContext,
  desk: DeskCaller,
  options: { onBody?: (body: DeskInput<'sync.push'>) => void } = {},
): Promise<PushResult> {
  const result: PushResult = { pushed: 0, aside: [], refused: [] };
  const me = currentPerson(ctx);
  if (!me) return result;
  let lastMissing = '';
  let stuck = 0;
  for (let round = 0; round < MOST_ROUNDS; round++) {
    let batch = savedBatch(ctx);
    // A batch another person's session left unanswered is theirs to resend: the desk
    // knows any of it that arrived by its revision ids, whatever key comes next.
    if (batch && batch.personId !== me.id) batch = null;
    if (!batch) {
      batch = nextBatch(ctx, me.id);
      if (!batch) break;
      // Stored before it is sent: a resend after a lost answer reuses the key.
      setSetting(ctx.db, BATCH, JSON.stringify(batch));
    }
    await sendPhotos(ctx, desk, batch);
    const body = bodyOf(ctx, batch);
    options.onBody?.(body);
    const answer = await desk.call('sync.push', body);
    const before = waitingRevisionCount(ctx.db, me.id);
    const lacking = answer.missing.filter((h) => blockBytes(ctx.db, h));
    const next = lacking.length ? { ...batch, blockHashes: lacking.slice(0, MOST_BLOCKS_PER_CALL) } : null;
    record(ctx, batch, answer, result, next);
    if (lacking.length < answer.missing.length) {
      throw new GalleyError('damaged', `The desk asked for ${answer.missing.length - lacking.length} block(s) this workstation does not hold; run "npm run db:check".`);
    }
    // Each round takes something onto the desk or learns which blocks it lacks; the
    // same answer again and again means it is not taking the work (tried later).
    const missingNow = [...answer.missing].sort().join(',');
    const progressed = waitingRevisionCount(ctx.db, me.id) < before || (missingNow !== '' && missingNow !== lastMissing);
    lastMissing = missingNow;
    if (progressed) stuck = 0;
    else if (++stuck >= 3) {
      throw new GalleyError('unavailable', 'The desk keeps answering the push without taking it; the work stays here and is sent later.');
    }
  }
  return result;
}

/** The person at the keyboard's revisions the desk has not accepted yet. */
export function pendingRevisionCount(ctx: ServiceContext): number {
  const me = currentPerson(ctx);
  return me ? waitingRevisionCount(ctx.db, me.id) : 0;
}
