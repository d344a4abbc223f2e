import { DamagedBlockError, packIds, readBlocks, unpackIds } from '../../../db/blocks.ts';
import { upsertComment } from '../../../db/comments.ts';
import { blockIdOf, hasWaitingActions, putCheckedBlock, recordDeskAsset, setDeskState } from '../../../db/deskSync.ts';
import {
  applyDeskState,
  deskLinkOf,
  documentKind,
  insertDeskDocument,
  markWorkingDirty,
  replaceWorkingFromDesk,
  setDeskHead,
  setDeskLive,
  setDeskPublishAt,
  type DeskSharedState,
} from '../../../db/documents.ts';
import { upsertPerson } from '../../../db/desk.ts';
import { ensurePerson, getPerson, personByName } from '../../../db/people.ts';
import { getRevision, insertRevision } from '../../../db/revisions.ts';
import { setSetting } from '../../../db/settings.ts';
import { recordDeskEvent } from '../../../db/workflow.ts';
import { contentOf } from '../../../desk/wire.ts';
import type { Change, DeskDocument, DeskPerson } from '../../../shared/desk.ts';
import { DocumentContent, emptyContent } from '../../../shared/documents.ts';
import { slugIsLive } from '../../../shared/slug.ts';
import type { ServiceContext } from '../context.ts';
import { storedWorking } from '../documents.ts';
import { splitContent } from '../revisions.ts';

/**
 * Applying one page of the desk's change feed to the local store, in ONE SQLite
 * transaction together with the new cursor: either the whole page is stored and the
 * cursor moves past it, or nothing is and the page comes again. Every step is an
 * upsert (people, documents' shared state, comments), an insert of something immutable
 * (revisions, blocks), or keyed by the desk's id (events), so applying a page twice
 * changes nothing the second time.
 */

export const CURSOR = 'desk.cursor';

/** What the network half fetched for a page before it is applied (all checked). */
export type PreparedPage = {
  changes: Change[];
  cursor: number;
  /** Blocks this workstation lacked, by hash: bytes as the desk sent them, checked against the hash. */
  blocks: Map<string, Buffer>;
  /** Each pulled revision's full ordered block hashes. */
  revisionHashes: Map<string, string[]>;
  /** Documents the page refers to that neither the page nor this workstation has. */
  documents: DeskDocument[];
  /** People the page refers to that neither the page nor this workstation has. */
  people: DeskPerson[];
};

export type Emits = {
  documents: Set<string>;
  revisions: Set<string>;
  comments: Set<string>;
  publishing: Set<string>;
  session: string | null;
};

const stateOf = (d: DeskDocument): DeskSharedState => ({
  id: d.id,
  status: d.status,
  ownerId: d.ownerId,
  assigneeId: d.assigneeId,
  approvedRevisionId: d.approvedRevisionId,
  headRevisionId: d.headRevisionId,
  trashedAt: d.trashedAt,
  updatedAt: d.updatedAt,
});

export function applyPage(ctx: ServiceContext, page: PreparedPage, currentPersonId: string | null): Emits {
  const emits: Emits = { documents: new Set(), revisions: new Set(), comments: new Set(), publishing: new Set(), session: null };
  const db = ctx.db;
  const now = ctx.now();
  ctx.db.transaction(() => {
    // People first: every other record names them.
    const people = [...page.people, ...page.changes.flatMap((c) => (c.type === 'person' ? [c.person] : []))];
    for (const p of people) {
      const before = getPerson(db, p.id);
      upsertPerson(db, { id: p.id, name: p.name, role: p.role, createdAt: p.createdAt });
      // The person at the keyboard got a new role (or name): windows ask again what they may do.
      if (p.id === currentPersonId && before && (before.role !== p.role || before.name !== p.name)) emits.session = p.id;
    }
    const named = (id: string, name: string) => ensurePerson(db, id, name, now);

    // Documents: the shared state as of the pull (the last entry of a document wins).
    const touched = new Set<string>();
    const created = new Set<string>();
    const docs = [...page.documents, ...page.changes.flatMap((c) => (c.type === 'document' ? [c.document] : []))];
    for (const d of docs) {
      named(d.ownerId, 'Someone on the desk');
      if (d.assigneeId) named(d.assigneeId, 'Someone on the desk');
      if (documentKind(db, d.id) === undefined) {
        const stored = storedWorking(emptyContent(d.kind));
        insertDeskDocument(db, { ...stateOf(d), kind: d.kind, working: stored.working, title: d.title, wordCount: d.wordCount, createdAt: d.createdAt });
        created.add(d.id);
        emits.documents.add(d.id);
      } else if (hasWaitingActions(db, d.id)) {
        // A step taken here waits in the desk outbox: the desk has not heard of it yet,
        // so its older status must not undo what the person sees. Only its head is noted.
        setDeskHead(db, d.id, d.headRevisionId);
      } else if (applyDeskState(db, stateOf(d))) {
        emits.documents.add(d.id);
      }
      // Where the story is on the sites is the desk's alone (a step waiting here does not
      // change it): kept for the live slug and "published unchanged" (migration 0014).
      const live = setDeskLive(db, d.id, slugIsLive(d.published.map((p) => ({ remoteStatus: p.status }))));
      // A desk from before publishAt says nothing of schedules: what is stored stands.
      const plan = d.publishAt !== undefined && setDeskPublishAt(db, d.id, d.publishAt);
      if (live || plan) emits.documents.add(d.id);
      touched.add(d.id);
    }

    for (const change of page.changes) {
      switch (change.type) {
        case 'revision': {
          const r = change.revision;
          const hashes = page.revisionHashes.get(r.id);
          if (!hashes || documentKind(db, r.documentId) === undefined) break;
          const state = r.aside ? 'aside' : 'pushed';
          if (getRevision(db, r.id)) {
            setDeskState(db, r.id, state);
            break;
          }
          named(r.authorId, 'Someone on the desk');
          const ids = hashes.map((h) => {
            const bytes = page.blocks.get(h);
            if (bytes) return putCheckedBlock(db, h, bytes);
            // The network half fetched every block not held here; one gone since undoes the page.
            const id = blockIdOf(db, h);
            if (id === undefined) throw new Error(`Block ${h} of revision ${r.id} is neither held nor fetched`);
            return id;
          });
          insertRevision(db, {
            id: r.id,
            documentId: r.documentId,
            parentId: r.parentId,
            authorId: r.authorId,
            createdAt: r.createdAt,
            label: r.label,
            note: r.note,
            contentHash: r.contentHash,
            blockIds: packIds(ids),
            words: r.words,
            wordsAdded: r.wordsAdded,
            wordsRemoved: r.wordsRemoved,
            deskState: state,
          });
          emits.revisions.add(r.documentId);
          touched.add(r.documentId);
          break;
        }
        case 'comment': {
          const c = change.comment;
          if (documentKind(db, c.documentId) === undefined) break;
          named(c.authorId, c.authorName);
          // The feed names who resolved a comment, not their id: the person by that name here.
          const resolvedBy = c.resolvedByName ? (personByName(db, c.resolvedByName)?.id ?? null) : null;
          const row = { id: c.id, documentId: c.documentId, authorId: c.authorId, body: c.body, quote: c.quote, from: c.from, to: c.to };
          if (upsertComment(db, { ...row, detached: c.detached, createdAt: c.createdAt, resolvedAt: c.resolvedAt, resolvedBy, parentId: c.parentId })) {
            emits.comments.add(c.documentId);
          }
          break;
        }
        case 'event': {
          const e = change.event;
          if (documentKind(db, e.documentId) === undefined) break;
          named(e.actorId, e.actorName);
          if (recordDeskEvent(db, e)) emits.documents.add(e.documentId);
          break;
        }
        case 'asset':
          named(change.asset.uploadedBy, 'Someone on the desk');
          recordDeskAsset(db, change.asset);
          break;
        case 'publishing':
          emits.publishing.add(change.documentId);
          break;
        case 'person':
        case 'document':
          break;
      }
    }

    for (const id of touched) settle(ctx, id, created.has(id), emits);
    setSetting(db, CURSOR, String(page.cursor));
  })();
  return emits;
}

/** Whether `ancestorId` is `fromId` or one of its ancestors here. */
function descendsFrom(ctx: ServiceContext, fromId: string, ancestorId: string): boolean {
  let id: string | null = fromId;
  for (let steps = 0; id && steps < 100_000; steps++) {
    if (id === ancestorId) return true;
    id = getRevision(ctx.db, id)?.parentId ?? null;
  }
  return false;
}

/**
 * Brings a document's working copy to the desk's head revision when nothing here is
 * waiting to be sent: the copy is exactly the local head and that head is on the
 * desk already (on its line, or kept aside there). Work not sent yet is kept as it is:
 * it is pushed and, if it no longer fits the line, lands aside for the holder — never
 * lost, never silently merged.
 */
function settle(ctx: ServiceContext, id: string, fresh: boolean, emits: Emits): void {
  const link = deskLinkOf(ctx.db, id);
  const deskHead = link?.deskHeadRevisionId;
  if (!link || !deskHead || deskHead === link.headRevisionId) return;
  const target = getRevision(ctx.db, deskHead);
  if (!target) return; // arrives with a later page
  if (!fresh && link.headRevisionId !== null) {
    if (link.workingDirty) return;
    const head = getRevision(ctx.db, link.headRevisionId);
    if (head && head.deskState !== 'pushed' && head.deskState !== 'aside') return;
    // A feed entry older than work this workstation already sent: the desk is not behind us.
    if (head && descendsFrom(ctx, head.id, deskHead)) return;
  } else if (!fresh && link.workingDirty) return;
  let texts: string[];
  try {
    texts = readBlocks(ctx.db, unpackIds(target.blockIds));
  } catch (error) {
    // A damaged local block (db:check reports it) must not stop every later change.
    if (error instanceof DamagedBlockError) return;
    throw error;
  }
  const parsed = DocumentContent.safeParse(contentOf(link.kind, texts));
  if (!parsed.success) return; // the desk holds content this version cannot show: keep what is here
  const { content, ...stored } = storedWorking(parsed.data);
  replaceWorkingFromDesk(ctx.db, { id, ...stored, revisionId: target.id, by: target.authorId, now: ctx.now() });
  // What the editor would show differs from the revision (written under an older
  // schema): the copy is marked unsaved, so the next autosave records what is shown.
  if (splitContent(content).contentHash !== target.contentHash) markWorkingDirty(ctx.db, id);
  emits.documents.add(id);
  emits.revisions.add(id);
}
