import { createHash } from 'node:crypto';
import { DamagedBlockError, deleteUnusedBlocks, hashText, packIds, putBlock, readBlocks, unpackIds } from '../../db/blocks.ts';
import { documentKind, getDocumentRow, headRevisionId, lastEditor, setHead, takeSlugUnlock, updateWorking } from '../../db/documents.ts';
import {
  autosavesBefore,
  deleteRevision,
  headRevisionIds,
  getRevision,
  insertRevision,
  listRevisions,
  toRevisionSummary,
  type RevisionRow,
} from '../../db/revisions.ts';
import { waitsOnParent } from '../../db/deskSync.ts';
import { canonicalJson } from '../../shared/canonical.ts';
import type { Output, ParsedInput } from '../../shared/contract.ts';
import type { DocumentContent, DocumentKind } from '../../shared/documents.ts';
import { GalleyError } from '../../shared/errors.ts';
import { canEdit, editRefusal } from '../../shared/permissions.ts';
import {
  KEPT_LABELS,
  REVISION_LABEL_TEXT,
  type Redline,
  type Retention,
  type RevisionLabel,
  type RevisionSummary,
} from '../../shared/revisions.ts';
import { countWords, plainText, type RichNode } from '../../shared/richtext.ts';
import { keepLiveSlug } from './liveSlug.ts';
import type { ServiceContext, SignedIn } from './context.ts';
import { getDocument, loadRow, storedWorking, toRecord } from './documents.ts';
import { compareBodies, compareFields, type Block } from './redline.ts';

const sha256hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** A document's content as blocks: the fields first, then each top-level body node. */
export function splitContent(content: DocumentContent) {
  const texts = [canonicalJson(content.fields), ...(content.body.content ?? []).map((n) => canonicalJson(n))];
  const hashes = texts.map(hashText);
  const contentHash = sha256hex(`${content.kind}\n${hashes.map((h) => h.toString('hex')).join('\n')}`);
  return { texts, hashes, contentHash };
}

/**
 * Reassembles content from verified blocks. Every block passed its hash check, so it
 * is byte for byte what was validated when it was written; parsing it again with the
 * schema would only cost time on every load.
 */
function rebuild(kind: DocumentKind, texts: string[]): DocumentContent {
  const [fields, ...nodes] = texts.map((t) => JSON.parse(t) as unknown);
  return { kind, fields, body: { type: 'doc', content: nodes } } as DocumentContent;
}

function damaged(ctx: ServiceContext, documentId: string, error: DamagedBlockError): GalleyError {
  const affected = listRevisions(ctx.db, documentId).filter((r) => unpackIds(r.blockIds).includes(error.problem.blockId));
  const doc = getDocumentRow(ctx.db, documentId);
  const when = affected.map((r) => new Date(r.createdAt).toISOString().replace('T', ' ').slice(0, 16)).join(', ');
  return new GalleyError(
    'damaged',
    `Part of the stored history of "${doc?.title || documentId}" is damaged (block ${error.problem.blockId}: ${error.problem.reason}). ` +
      `Affected versions: ${affected.length} (${when} UTC). The current text is not affected. Run "npm run db:check" for a full report.`,
    affected.map((r) => ({ path: `revisions.${r.id}`, message: `${REVISION_LABEL_TEXT[r.label]} of ${new Date(r.createdAt).toISOString()}` })),
  );
}

function kindOf(ctx: ServiceContext, documentId: string): DocumentKind {
  const kind = documentKind(ctx.db, documentId);
  if (!kind) throw new GalleyError('not_found', 'That document does not exist (it may have been removed).');
  return kind;
}

export function loadRevisionContent(ctx: ServiceContext, row: RevisionRow): DocumentContent {
  const kind = kindOf(ctx, row.documentId);
  try {
    return rebuild(kind, readBlocks(ctx.db, unpackIds(row.blockIds)));
  } catch (error) {
    if (error instanceof DamagedBlockError) throw damaged(ctx, row.documentId, error);
    throw error;
  }
}

// Words per body block, by block hash: a cut re-counts only the blocks that changed.
const blockWords = new Map<string, number>();
function countBodyWords(nodes: RichNode[], hashes: Buffer[]): number {
  let total = 0;
  nodes.forEach((node, i) => {
    const key = hashes[i + 1]!.toString('hex');
    let n = blockWords.get(key);
    if (n === undefined) {
      n = countWords(plainText({ type: 'doc', content: [node] }));
      if (blockWords.size > 20_000) blockWords.clear();
      blockWords.set(key, n);
    }
    total += n;
  });
  return total;
}

/** Word counts of what changed from `parent` to the new blocks, reading only blocks that differ. */
function wordDelta(ctx: ServiceContext, parent: RevisionRow | undefined, ids: number[], texts: string[], content: DocumentContent, words: number) {
  const nodes = content.body.content ?? [];
  if (!parent) return { added: words, removed: 0 };
  const parentIds = unpackIds(parent.blockIds);
  const known = new Map<number, string>();
  ids.forEach((id, i) => known.set(id, texts[i]!));
  const missing = parentIds.filter((id) => !known.has(id));
  const read = readBlocks(ctx.db, missing);
  missing.forEach((id, i) => known.set(id, read[i]!));
  const parentContent = rebuild(content.kind, parentIds.map((id) => known.get(id)!));
  const toBlocks = (list: number[], body: RichNode[]): Block[] => list.slice(1).map((id, i) => ({ hash: String(id), node: body[i]! }));
  const body = compareBodies(toBlocks(parentIds, parentContent.body.content ?? []), toBlocks(ids, nodes), { summaryOnly: true });
  const fields = parentIds[0] === ids[0] ? { added: 0, removed: 0 } : compareFields(parentContent, content);
  return { added: body.added + fields.added, removed: body.removed + fields.removed };
}

/**
 * Cuts a revision of a document. Without `content`, from its stored working copy. An
 * autosave identical to the head is not cut (nothing changed); a labelled revision
 * always is, since the label itself is the news.
 */
export function cutRevision(
  ctx: ServiceContext,
  input: { documentId: string; authorId: string; label: RevisionLabel; note?: string | null; content?: DocumentContent },
): RevisionRow | undefined {
  return ctx.db.transaction(() => {
    const doc = { id: input.documentId, kind: kindOf(ctx, input.documentId) };
    const content = input.content ?? toRecord(loadRow(ctx, doc.id)).content;
    const fromWorking = input.content === undefined;
    const headId = headRevisionId(ctx.db, doc.id);
    const head = headId ? getRevision(ctx.db, headId) : undefined;
    const { texts, hashes, contentHash } = splitContent(content);
    if (input.label === 'autosave' && head?.contentHash === contentHash) {
      if (fromWorking) setHead(ctx.db, doc.id, head.id, true);
      return undefined;
    }
    const ids = texts.map((text, i) => putBlock(ctx.db, hashes[i]!, text));
    const words = countBodyWords(content.body.content ?? [], hashes);
    let delta = { added: 0, removed: 0 };
    try {
      delta = wordDelta(ctx, head, ids, texts, content, words);
    } catch (error) {
      // A damaged parent must not stop new work being saved; its counts are unknown.
      if (!(error instanceof DamagedBlockError)) throw error;
    }
    const createdAt = ctx.now();
    const note = input.note?.trim() || null;
    const id = sha256hex(
      canonicalJson({ documentId: doc.id, parentId: head?.id ?? null, contentHash, authorId: input.authorId, createdAt, label: input.label, note }),
    );
    const row = {
      id,
      documentId: doc.id,
      parentId: head?.id ?? null,
      authorId: input.authorId,
      createdAt,
      label: input.label,
      note,
      contentHash,
      blockIds: packIds(ids),
      words,
      wordsAdded: delta.added,
      wordsRemoved: delta.removed,
      // Only a cut of the working copy carries its unlock; the flag then leaves the copy.
      slugUnlocked: fromWorking && takeSlugUnlock(ctx.db, doc.id),
    };
    insertRevision(ctx.db, row);
    setHead(ctx.db, doc.id, id, fromWorking);
    ctx.emit('revisions.changed', { documentId: doc.id });
    return getRevision(ctx.db, id)!;
  })();
}

function mustEdit(ctx: ServiceContext, caller: SignedIn, documentId: string) {
  const row = loadRow(ctx, documentId);
  if (!canEdit(caller.person, row)) throw new GalleyError('forbidden', editRefusal(caller.person, row));
  if (row.trashedAt !== null) throw new GalleyError('conflict', 'This document is in the trash; restore it first.');
  return row;
}

function revisionOf(ctx: ServiceContext, documentId: string, revisionId: string, field: string): RevisionRow {
  const row = getRevision(ctx.db, revisionId);
  if (!row) throw new GalleyError('not_found', 'That version does not exist.', [{ path: field, message: 'Unknown revision' }]);
  if (row.documentId !== documentId) {
    throw new GalleyError(
      'invalid_input',
      'Those versions belong to different documents; compare two versions of the same document.',
      [{ path: field, message: 'Revision of another document' }],
    );
  }
  return row;
}

export function listHistory(ctx: ServiceContext, input: ParsedInput<'revisions.list'>): RevisionSummary[] {
  loadRow(ctx, input.documentId);
  return listRevisions(ctx.db, input.documentId).map(toRevisionSummary);
}

export function checkpoint(ctx: ServiceContext, caller: SignedIn, input: ParsedInput<'revisions.checkpoint'>): RevisionSummary {
  const doc = mustEdit(ctx, caller, input.documentId);
  // The caller wants the text on their screen kept (an editor about to approve what
  // they read): if someone has saved since, that text is gone and this would keep theirs.
  if (input.version !== undefined && input.version !== doc.version) {
    throw new GalleyError(
      'conflict',
      'The text changed after you opened it, so the version you read cannot be kept; reopen the document to read the latest text.',
      [{ path: 'version', message: `The working copy is at version ${doc.version}` }],
    );
  }
  const row = cutRevision(ctx, { documentId: input.documentId, authorId: caller.person.id, label: 'checkpoint', note: input.note ?? null });
  return toRevisionSummary(row!);
}

export function restore(ctx: ServiceContext, caller: SignedIn, input: ParsedInput<'revisions.restore'>): Output<'revisions.restore'> {
  const doc = mustEdit(ctx, caller, input.documentId);
  const chosen = revisionOf(ctx, input.documentId, input.revisionId, 'revisionId');
  const content = keepLiveSlug(ctx, doc.id, loadRevisionContent(ctx, chosen));
  ctx.db.transaction(() => {
    // The text on screen becomes a version first (unless one holds it already), so the
    // restore's parent is what was current before, and Undo restores exactly that.
    if (doc.workingDirty) cutRevision(ctx, { documentId: doc.id, authorId: lastEditor(ctx.db, doc.id) ?? caller.person.id, label: 'autosave' });
    const version = updateWorking(ctx.db, { id: doc.id, version: doc.version, ...storedWorking(content), by: caller.person.id, now: ctx.now() });
    if (version === undefined) throw new GalleyError('conflict', 'The document changed while restoring; try again.');
    const when = new Date(chosen.createdAt).toISOString().replace('T', ' ').slice(0, 16);
    cutRevision(ctx, {
      documentId: doc.id,
      authorId: caller.person.id,
      label: 'restored',
      note: `Restored the ${REVISION_LABEL_TEXT[chosen.label].toLowerCase()} of ${when} UTC${chosen.note ? ` (“${chosen.note}”)` : ''}`,
    });
  })();
  ctx.afterWorkingChange(doc.id);
  return getDocument(ctx, { id: doc.id });
}

export function compare(ctx: ServiceContext, input: ParsedInput<'revisions.compare'>): Redline {
  loadRow(ctx, input.documentId);
  const from = revisionOf(ctx, input.documentId, input.fromId, 'fromId');
  const to = input.toId === 'working' ? null : revisionOf(ctx, input.documentId, input.toId, 'toId');
  const a = loadRevisionContent(ctx, from);
  const b = to ? loadRevisionContent(ctx, to) : toRecord(loadRow(ctx, input.documentId)).content;
  // Blocks are matched by identity: stored block ids between two revisions (an id
  // stands for one content hash), canonical JSON when the working copy is involved.
  const blocks = (row: RevisionRow | null, c: DocumentContent): Block[] => {
    const nodes = c.body.content ?? [];
    if (!to || !row) return nodes.map((node) => ({ hash: canonicalJson(node), node }));
    return unpackIds(row.blockIds)
      .slice(1)
      .map((id, i) => ({ hash: String(id), node: nodes[i]! }));
  };
  const body = compareBodies(blocks(from, a), blocks(to, b));
  const fields = compareFields(a, b);
  return {
    documentId: input.documentId,
    from: toRevisionSummary(from),
    to: to ? toRevisionSummary(to) : null,
    fields: fields.fields,
    body: body.blocks,
    wordsAdded: body.added + fields.added,
    wordsRemoved: body.removed + fields.removed,
  };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Applies the retention setting: labelled revisions (and every document's head) are
 * never touched; autosaves older than the limit are thinned to the last one of each
 * hour. Blocks no revision uses any more are then freed.
 */
export function prune(ctx: ServiceContext, retention: Retention): { removed: number; blocksFreed: number } {
  if (retention.mode === 'keep-all') return { removed: 0, blocksFreed: 0 };
  const cutoff = ctx.now() - retention.olderThanDays * DAY;
  return ctx.db.transaction(() => {
    const heads = headRevisionIds(ctx.db);
    const keptHour = new Set<string>();
    let removed = 0;
    for (const r of autosavesBefore(ctx.db, cutoff)) {
      const hour = `${r.documentId}:${Math.floor(r.createdAt / HOUR)}`;
      if (heads.has(r.id) || !keptHour.has(hour)) {
        keptHour.add(hour);
        continue;
      }
      // Re-read the parent: an earlier deletion may have re-linked this revision.
      const current = getRevision(ctx.db, r.id)!;
      if (KEPT_LABELS.includes(current.label)) continue;
      // With a desk, a version waiting to be sent, or the parent of one, stays: a revision's
      // id includes its parent's, so re-linking a waiting child would make the desk refuse it.
      if (ctx.desk?.linked() && (current.deskState === null || waitsOnParent(ctx.db, current.id))) continue;
      deleteRevision(ctx.db, { id: current.id, parentId: current.parentId });
      removed++;
    }
    return { removed, blocksFreed: deleteUnusedBlocks(ctx.db) };
  })();
}
