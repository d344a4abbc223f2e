import { randomUUID } from 'node:crypto';
import {
  deskPosts,
  getDocumentRow,
  insertDocument,
  listDocuments,
  markSlugUnlocked,
  setAssignee,
  storedSlug,
  slugHolder,
  setTrashed,
  toSummary,
  updateWorking,
  type DocumentRow,
} from '../../db/documents.ts';
import type { Output, ParsedInput } from '../../shared/contract.ts';
import {
  DocumentContent,
  KIND_LABELS,
  bodyWordCount,
  documentTitle,
  emptyContent,
  searchableText,
  type DocumentRecord,
} from '../../shared/documents.ts';
import { GalleyError, issuesFromZod } from '../../shared/errors.ts';
import { StaleBase, applyDelta, type WorkingDelta } from '../../shared/workingDelta.ts';
import { canCreate, canEdit, createRefusal, editRefusal } from '../../shared/permissions.ts';
import { getPerson } from '../../db/people.ts';
import { indexDocument } from '../../db/search.ts';
import { updateAnchors } from '../../db/comments.ts';
import { sameContent } from '../../db/revisions.ts';
import { publishesLater } from '../../db/publishing.ts';
import type { ServiceContext, SignedIn } from './context.ts';
import { assertSlugKept } from './liveSlug.ts';
import { normaliseRichDoc } from './richtext.ts';

export function loadRow(ctx: ServiceContext, id: string): DocumentRow {
  const row = getDocumentRow(ctx.db, id);
  if (!row) throw new GalleyError('not_found', 'That document does not exist (it may have been removed).');
  return row;
}

export function toRecord(row: DocumentRow): DocumentRecord {
  // The stored working copy was validated when written; parsing again guards against a
  // hand-edited or damaged database reaching the editor as garbage.
  const parsed = DocumentContent.safeParse(JSON.parse(row.working));
  if (!parsed.success) {
    throw new GalleyError('internal', `The saved copy of "${row.title || row.id}" is damaged and cannot be opened.`);
  }
  return { ...toSummary(row), version: row.version, revisionId: row.workingDirty ? null : row.headRevisionId, content: parsed.data };
}

/**
 * What a documents row stores for a working copy, all derived from the content in one
 * place: a writer that derived one column itself got it wrong (a restore once stored
 * no slug, freeing it for another story). The body is stored as the editor schema
 * rebuilds it (normaliseRichDoc), whoever sent it: that is the one gate every save,
 * restore, new document and import passes.
 */
export function storedWorking(content: DocumentContent) {
  const normalised = { ...content, body: normaliseRichDoc(content.body) };
  return {
    /** The content as stored, which the workflow compares with the approval. */
    content: normalised,
    working: JSON.stringify(normalised),
    title: documentTitle(content),
    wordCount: bodyWordCount(content),
    slug: content.kind === 'article' ? content.fields.slug : null,
  };
}

function mustEdit(ctx: ServiceContext, caller: SignedIn, row: DocumentRow): void {
  if (!canEdit(caller.person, row)) throw new GalleyError('forbidden', editRefusal(caller.person, row));
}

export function createDocument(
  ctx: ServiceContext,
  caller: SignedIn,
  input: ParsedInput<'documents.create'>,
): DocumentRecord {
  if (!canCreate(caller.person.role, input.kind)) {
    throw new GalleyError('forbidden', createRefusal(caller.person.role, input.kind));
  }
  return insertWithContent(ctx, caller.person.id, emptyContent(input.kind));
}

/** A new document holding `content` from the start (a caption made from a photo, an import). */
export function insertWithContent(ctx: ServiceContext, ownerId: string, content: DocumentContent): DocumentRecord {
  const id = randomUUID();
  const stored = storedWorking(content);
  ctx.db.transaction(() => {
    insertDocument(ctx.db, { id, kind: content.kind, ownerId, ...stored, now: ctx.now() });
    indexDocument(ctx.db, id, stored.title, searchableText(content));
  })();
  ctx.emit('documents.changed', { id });
  return toRecord(loadRow(ctx, id));
}

export function getDocument(ctx: ServiceContext, input: ParsedInput<'documents.get'>): DocumentRecord {
  const row = loadRow(ctx, input.id);
  const record = toRecord(row);
  return row.status === 'published' ? { ...record, publishedUnchanged: publishedUnchanged(ctx, row) } : record;
}

/**
 * Published and not edited since (shared/workflow.ts, PUBLISHED_UNCHANGED): the head
 * revision holds the working copy and has the published (approved) revision's content.
 */
export function publishedUnchanged(ctx: ServiceContext, row: DocumentRow): boolean {
  if (row.status !== 'published' || row.workingDirty || !row.headRevisionId || !row.approvedRevisionId) return false;
  // Scheduled and not out yet: approving again (then Publish now) is how plans change.
  // Linked to a desk, the schedule is the desk's: its publish time as last heard (migration 0014).
  const deskPlan = ctx.desk?.linked() ? deskPosts(ctx.db, row.id).publishAt : null;
  const later = publishesLater(ctx.db, row.id, ctx.now()) || (deskPlan !== null && deskPlan > ctx.now());
  return sameContent(ctx.db, row.headRevisionId, row.approvedRevisionId) && !later;
}

/**
 * Several documents in one call: an article's figures open with one request instead of
 * one each. A missing or damaged document is answered for itself, not for the batch.
 */
export function getDocuments(ctx: ServiceContext, input: ParsedInput<'documents.getMany'>): Output<'documents.getMany'> {
  return input.ids.map((id) => {
    try {
      return { id, document: getDocument(ctx, { id }) };
    } catch (error) {
      if (error instanceof GalleyError) return { id, error: error.toBody() };
      throw error;
    }
  });
}

export function listDesk(ctx: ServiceContext, input: ParsedInput<'documents.list'>): Output<'documents.list'> {
  return listDocuments(ctx.db, input);
}

/** Refusal of a save made against an older copy than the one stored. */
const CHANGED_ELSEWHERE =
  'This document was changed elsewhere since you opened it (another window?). Reopen it to see the latest text; your text is still in this editor.';

/**
 * Saves the working copy, sent whole or as a delta against the stored copy (see
 * shared/workingDelta.ts). Returns the answer and the content stored, which the
 * workflow checks against the approval.
 */
export function saveWorking(
  ctx: ServiceContext,
  caller: SignedIn,
  input: ParsedInput<'documents.saveWorking'>,
): { saved: Output<'documents.saveWorking'>; content: DocumentContent } {
  const row = loadRow(ctx, input.id);
  mustEdit(ctx, caller, row);
  if (row.trashedAt !== null) {
    throw new GalleyError('conflict', 'This document is in the trash; restore it before editing.');
  }
  const content = input.delta ? fromDelta(row, input.version, input.delta) : input.content!;
  if (content.kind !== row.kind) {
    throw new GalleyError('invalid_input', `content.kind: this document is a ${KIND_LABELS[row.kind].toLowerCase()}`, [
      { path: 'content.kind', message: `Expected ${row.kind}` },
    ]);
  }
  assertSlugKept(ctx, row.id, content, input.unlockSlug === true);
  // A slug moved with the unlock is remembered until a revision is cut from this copy,
  // which carries it to the desk (the desk refuses a live slug changed without one).
  const unlockedChange = input.unlockSlug === true && content.kind === 'article' && content.fields.slug !== storedSlug(ctx.db, row.id);
  const { content: storedContent, ...stored } = storedWorking(content);
  const { title, wordCount } = stored;
  const now = ctx.now();
  const version = ctx.db.transaction(() => {
    const v = updateWorking(ctx.db, { id: row.id, version: input.version, ...stored, by: caller.person.id, now });
    // Anchors travel with the text they were mapped against, in the same transaction.
    // (The search index catches up before the next search: see indexStaleDocuments.)
    if (v !== undefined && input.anchors?.length) updateAnchors(ctx.db, row.id, input.anchors);
    if (v !== undefined && unlockedChange) markSlugUnlocked(ctx.db, row.id);
    return v;
  })();
  if (version === undefined) throw new GalleyError('conflict', CHANGED_ELSEWHERE);
  ctx.emit('documents.changed', { id: row.id, ...(input.session ? { session: input.session } : {}) });
  ctx.afterWorkingChange(row.id);
  return { saved: { version, updatedAt: now, title, wordCount }, content: storedContent };
}

/**
 * The content a delta describes, built on the copy stored at `version` and validated
 * with the same schema as a whole save, so a delta can store nothing a whole save could
 * not. Unchanged blocks come from the stored copy as they were stored.
 */
function fromDelta(row: DocumentRow, version: number, delta: WorkingDelta): DocumentContent {
  if (row.version !== version) throw new GalleyError('conflict', CHANGED_ELSEWHERE);
  let base: DocumentContent;
  try {
    // Validated when it was written; the result is validated whole below.
    base = JSON.parse(row.working) as DocumentContent;
  } catch {
    throw new GalleyError('internal', `The saved copy of "${row.title || row.id}" is damaged and cannot be edited.`);
  }
  for (const key of Object.keys(delta.fields)) {
    if (!Object.hasOwn(base.fields, key)) {
      throw new GalleyError('invalid_input', `delta.fields.${key}: not a field of a ${KIND_LABELS[row.kind].toLowerCase()}`, [
        { path: `delta.fields.${key}`, message: `Unknown field` },
      ]);
    }
  }
  let assembled: unknown;
  try {
    assembled = applyDelta(base, delta);
  } catch (error) {
    if (!(error instanceof StaleBase)) throw error;
    throw new GalleyError('conflict', `These changes do not fit the saved copy (${error.message}); send the whole content.`, [
      { path: error.path, message: error.message },
    ]);
  }
  const parsed = DocumentContent.safeParse(assembled);
  if (!parsed.success) {
    // Named as in a whole save (content.fields.headline: …): it is the same content.
    const issues = issuesFromZod(parsed.error).map((issue) => ({ ...issue, path: `content.${issue.path}` }));
    throw new GalleyError('invalid_input', `Invalid input for documents.saveWorking — ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
  }
  return parsed.data;
}

function owns(caller: SignedIn, row: DocumentRow): boolean {
  return caller.person.role === 'editor' || row.ownerId === caller.person.id;
}

export function trashDocument(ctx: ServiceContext, caller: SignedIn, input: ParsedInput<'documents.trash'>) {
  const row = loadRow(ctx, input.id);
  if (!owns(caller, row)) throw new GalleyError('forbidden', 'Only its owner or an editor may move a document to the trash.');
  if (row.trashedAt === null) setTrashed(ctx.db, row.id, { at: ctx.now(), by: caller.person.id });
  ctx.emit('documents.changed', { id: row.id });
  return toSummary(loadRow(ctx, row.id));
}

export function restoreDocument(ctx: ServiceContext, caller: SignedIn, input: ParsedInput<'documents.restore'>) {
  const row = loadRow(ctx, input.id);
  if (!owns(caller, row)) throw new GalleyError('forbidden', 'Only its owner or an editor may restore a document.');
  setTrashed(ctx.db, row.id, null);
  ctx.emit('documents.changed', { id: row.id });
  return toSummary(loadRow(ctx, row.id));
}

export function assignDocument(ctx: ServiceContext, input: ParsedInput<'documents.assign'>) {
  const row = loadRow(ctx, input.id);
  if (input.personId !== null && !getPerson(ctx.db, input.personId)) {
    throw new GalleyError('not_found', 'No such person at this workstation.', [{ path: 'personId', message: 'Unknown person' }]);
  }
  setAssignee(ctx.db, row.id, input.personId, ctx.now());
  ctx.emit('documents.changed', { id: row.id });
  return toSummary(loadRow(ctx, row.id));
}

export function slugCheck(ctx: ServiceContext, input: ParsedInput<'documents.slugCheck'>): Output<'documents.slugCheck'> {
  const holder = slugHolder(ctx.db, input.slug, input.exceptId);
  return { takenBy: holder ? { id: holder.id, title: holder.title } : null };
}
