import type pg from 'pg';
import type { DeskParsedInput, DeskOutput, DeskPerson, WireRevision } from '../../shared/desk.ts';
import { documentTitle, KIND_LABELS } from '../../shared/documents.ts';
import { GalleyError } from '../../shared/errors.ts';
import { liveSlugRefusal, slugIsLive } from '../../shared/slug.ts';
import { canCreate, canEdit, createRefusal, editRefusal } from '../../shared/permissions.ts';
import type { DeskContext, DeskCaller } from '../context.ts';
import { signedIn } from '../dispatch.ts';
import { once } from '../db/idempotency.ts';
import { recordChange } from '../db/pool.ts';
import { contentHashOf, contentOf, expandRefs, openWireBlock, revisionIdOf, WireError } from '../wire.ts';
import { LOCK_LAPSE_MS } from './locks.ts';
import { blockTexts, documentRow, recordEvent, type DocumentRow } from './rows.ts';

type PushAnswer = DeskOutput<'sync.push'>;

/** The most text one push may unpack to (a 5,000-word story is about 40 KB). */
export const MOST_PUSH_TEXT = 64 * 1024 * 1024;

/**
 * sync.push: new documents, the blocks the desk lacks, and revision records, in one
 * transaction under the call's idempotency key. Blocks are checked first (a block whose
 * bytes do not match its hash refuses the whole push, so nothing half-arrives); each
 * revision is then checked on its own (its id and content hash recomputed, its author
 * the caller, the caller allowed to edit) and lands on the story's line only when it
 * continues the desk's head and nobody else holds the lock; otherwise it is kept aside
 * for the holder to compare and take in, never merged.
 */
export async function push(ctx: DeskContext, input: DeskParsedInput<'sync.push'>, caller: DeskCaller): Promise<PushAnswer> {
  const person = signedIn(caller);
  // Verified before the transaction: decompressing is CPU work that need not hold locks.
  const sent = new Map<string, { text: string; bytes: Buffer }>();
  let unpacked = 0;
  for (const block of input.blocks) {
    if (sent.has(block.hash)) continue;
    const bytes = Buffer.from(block.data, 'base64');
    let text: string;
    try {
      text = openWireBlock(block.hash, bytes);
    } catch (error) {
      if (error instanceof WireError) throw new GalleyError('invalid_input', error.message, [{ path: `blocks.${block.hash}`, message: 'Hash does not match' }]);
      throw error;
    }
    // Each block is capped, and so is their sum: 2,000 small bombs must not fill the memory either.
    unpacked += text.length;
    if (unpacked > MOST_PUSH_TEXT) {
      throw new GalleyError('invalid_input', `This push unpacks to more than ${MOST_PUSH_TEXT / 1024 / 1024} MB of text; send it in smaller batches. Nothing was stored.`, [
        { path: 'blocks', message: 'Too large' },
      ]);
    }
    sent.set(block.hash, { text, bytes });
  }
  // A push answered "missing" is resent under the same key with those blocks: its key
  // stays free until an answer without missing blocks (a push is idempotent by content anyway).
  return once(
    ctx.pool,
    { key: input.key, personId: person.id, operation: 'sync.push', now: ctx.now() },
    (client) => pushIn(client, ctx, person, input, sent),
    (answer) => answer.missing.length === 0,
  );
}

async function pushIn(
  client: pg.PoolClient,
  ctx: DeskContext,
  person: DeskPerson,
  input: DeskParsedInput<'sync.push'>,
  sent: Map<string, { text: string; bytes: Buffer }>,
): Promise<PushAnswer> {
  const now = ctx.now();
  const answer: PushAnswer = { accepted: [], missing: [], refused: [] };
  const refuse = (id: string, code: string, message: string) => answer.refused.push({ id, code, message });

  // Locks in one order for every writer (documents by id, then new documents and blocks
  // by key, the change feed's lock last): two pushes touching the same stories or the
  // same blocks wait for each other instead of deadlocking.
  const docIds = [...new Set([...input.documents.map((d) => d.id), ...input.revisions.map((r) => r.documentId)])].sort();
  const { rows: locked } = await client.query<DocumentRow>('SELECT * FROM documents WHERE id = ANY($1) ORDER BY id FOR UPDATE', [docIds]);
  const docs = new Map(locked.map((row) => [row.id, row]));
  const changedDocs = new Set<string>();
  for (const header of [...input.documents].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    // Kind and owner are the desk's: a push never changes them.
    if (docs.has(header.id)) continue;
    if (!canCreate(person.role, header.kind)) {
      refuse(header.id, 'forbidden', createRefusal(person.role, header.kind));
      continue;
    }
    if (header.ownerId !== person.id) {
      if (person.role !== 'editor') {
        refuse(header.id, 'forbidden', `A new ${KIND_LABELS[header.kind].toLowerCase()} belongs to the person who sends it; only an editor may create one for someone else.`);
        continue;
      }
      const { rows } = await client.query<{ revoked_at: number | null }>('SELECT revoked_at FROM people WHERE id = $1', [header.ownerId]);
      if (!rows[0] || rows[0].revoked_at !== null) {
        refuse(header.id, 'not_found', 'The owner named for this document is not a person on the desk.');
        continue;
      }
    }
    const { rows } = await client.query<DocumentRow>(
      `INSERT INTO documents (id, kind, status, owner_id, created_at, updated_at) VALUES ($1, $2, 'draft', $3, $4, $5)
       ON CONFLICT (id) DO NOTHING RETURNING *`,
      [header.id, header.kind, header.ownerId, header.createdAt, now],
    );
    // Two pushes creating the same document at once: the other one won; use its row.
    const row = rows[0] ?? (await documentRow(client, header.id, true))!;
    docs.set(row.id, row);
    if (rows[0]) changedDocs.add(row.id);
  }

  for (const hash of [...sent.keys()].sort()) {
    await client.query('INSERT INTO blocks (hash, data) VALUES ($1, $2) ON CONFLICT (hash) DO NOTHING', [hash, sent.get(hash)!.bytes]);
  }

  // The revisions this push names (as itself or as a parent) that the desk holds, and
  // every named block hash it holds: each looked up once, not per revision.
  const known = await knownRevisions(client, input.revisions);
  // Revisions waiting for blocks: their children in this push wait too.
  const waiting = new Set<string>();
  const held = await heldHashes(client, input.revisions, sent);

  for (const wire of input.revisions) {
    if (wire.parentId !== null && waiting.has(wire.parentId)) {
      waiting.add(wire.id);
      continue;
    }
    const outcome = await pushRevision(client, person, wire, { docs, known, held, sent, now });
    if (outcome.kind === 'accepted') {
      answer.accepted.push({ id: wire.id, aside: outcome.aside });
      if (outcome.documentChanged) changedDocs.add(wire.documentId);
    } else if (outcome.kind === 'missing') {
      waiting.add(wire.id);
      for (const h of outcome.hashes) if (!answer.missing.includes(h)) answer.missing.push(h);
    } else refuse(wire.id, outcome.code, outcome.message);
  }

  for (const id of changedDocs) await recordChange(client, 'document', id, now);
  return answer;
}

type Outcome =
  | { kind: 'accepted'; aside: boolean; documentChanged: boolean }
  | { kind: 'missing'; hashes: string[] }
  | { kind: 'refused'; code: string; message: string };

type KnownRevision = { aside: boolean; blocks: string[]; document_id: string };

async function knownRevisions(client: pg.PoolClient, revisions: readonly WireRevision[]): Promise<Map<string, KnownRevision>> {
  const ids = [...new Set(revisions.flatMap((r) => (r.parentId ? [r.id, r.parentId] : [r.id])))];
  if (ids.length === 0) return new Map();
  const { rows } = await client.query<KnownRevision & { id: string }>('SELECT id, aside, blocks, document_id FROM revisions WHERE id = ANY($1)', [ids]);
  return new Map(rows.map((r) => [r.id, r]));
}

async function heldHashes(client: pg.PoolClient, revisions: readonly WireRevision[], sent: Map<string, unknown>): Promise<Set<string>> {
  const named = new Set<string>();
  for (const r of revisions) for (const ref of r.blocks) if (typeof ref === 'string' && !sent.has(ref)) named.add(ref);
  if (named.size === 0) return new Set();
  const { rows } = await client.query<{ hash: string }>('SELECT hash FROM blocks WHERE hash = ANY($1)', [[...named]]);
  return new Set(rows.map((r) => r.hash));
}

async function pushRevision(
  client: pg.PoolClient,
  person: DeskPerson,
  wire: WireRevision,
  s: { docs: Map<string, DocumentRow>; known: Map<string, KnownRevision>; held: Set<string>; sent: Map<string, { text: string }>; now: number },
): Promise<Outcome> {
  const stored = s.known.get(wire.id);
  // Sent again (its answer was lost): the same answer, stored once.
  if (stored) return { kind: 'accepted', aside: stored.aside, documentChanged: false };
  // Every document this push names was locked (or created) above.
  let doc = s.docs.get(wire.documentId);
  if (!doc) return { kind: 'refused', code: 'not_found', message: 'This revision’s document is not on the desk: send its document header with it.' };
  if (wire.authorId !== person.id) {
    return { kind: 'refused', code: 'forbidden', message: 'A revision’s author must be the person sending it; this one names someone else.' };
  }
  if (!canEdit(person, { kind: doc.kind, ownerId: doc.owner_id, assigneeId: doc.assignee_id })) {
    return { kind: 'refused', code: 'forbidden', message: editRefusal(person, { kind: doc.kind, ownerId: doc.owner_id, assigneeId: doc.assignee_id }) };
  }

  let parentHashes: string[] | null = null;
  if (wire.parentId !== null) {
    const parent = s.known.get(wire.parentId);
    if (!parent || parent.document_id !== doc.id) {
      return { kind: 'refused', code: 'conflict', message: `Its parent version ${wire.parentId.slice(0, 10)} is not on the desk; send it first.` };
    }
    parentHashes = parent.blocks;
  }
  let hashes: string[];
  try {
    hashes = expandRefs(wire.blocks, parentHashes);
  } catch (error) {
    if (error instanceof WireError) return { kind: 'refused', code: 'invalid_input', message: error.message };
    throw error;
  }
  if (hashes.length === 0) return { kind: 'refused', code: 'invalid_input', message: 'A revision has at least its fields block.' };

  // Blocks from the parent's runs are on the desk already; named hashes must be held or sent.
  const missing = [...new Set(wire.blocks.filter((r): r is string => typeof r === 'string' && !s.sent.has(r) && !s.held.has(r)))];
  if (missing.length) return { kind: 'missing', hashes: missing };

  const contentHash = contentHashOf(doc.kind, hashes);
  if (contentHash !== wire.contentHash) {
    return { kind: 'refused', code: 'invalid_input', message: `The content hash of revision ${wire.id.slice(0, 10)} does not match its blocks; it was not stored.` };
  }
  const id = revisionIdOf({ ...wire, contentHash });
  if (id !== wire.id) {
    return { kind: 'refused', code: 'invalid_input', message: `Revision ${wire.id.slice(0, 10)} does not match its own record (the id is recomputed from it); it was not stored.` };
  }

  const lockedOut = doc.lock_holder !== null && doc.lock_holder !== person.id && doc.lock_seen_at !== null && s.now - doc.lock_seen_at < LOCK_LAPSE_MS;
  const onLine = wire.parentId === doc.head_revision_id && !lockedOut && doc.trashed_at === null;
  // The head moves by one version: unless its fields block changed, neither did title or slug (a caption's title is its text).
  const shown = !onLine
    ? null
    : doc.kind !== 'caption' && parentHashes?.[0] === hashes[0]
      ? { title: doc.title, slug: doc.slug }
      : await titleOf(client, doc, hashes, s.sent);
  // A story on a site keeps its address unless the person unlocked the slug (as the
  // workstation's back end refuses such a save: electron/services/liveSlug.ts). Checked
  // here too, because only the desk knows for sure that the story is live: a workstation
  // that has not heard yet, or one from before the unlock travelled, would move it.
  if (shown && doc.kind === 'article' && shown.slug !== doc.slug && !wire.slugUnlocked && (await slugLive(client, doc.id))) {
    return { kind: 'refused', code: 'conflict', message: liveSlugRefusal(doc.slug) };
  }
  await client.query(
    `INSERT INTO revisions (id, document_id, parent_id, author_id, created_at, label, note, content_hash, blocks, words, words_added, words_removed, aside, pushed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
    [wire.id, doc.id, wire.parentId, wire.authorId, wire.createdAt, wire.label, wire.note, contentHash, hashes, wire.words, wire.wordsAdded, wire.wordsRemoved, !onLine, s.now],
  );
  s.known.set(wire.id, { aside: !onLine, blocks: hashes, document_id: doc.id });
  await recordChange(client, 'revision', wire.id, s.now);
  if (!shown) return { kind: 'accepted', aside: true, documentChanged: false };

  const { rows } = await client.query<DocumentRow>(
    `UPDATE documents SET head_revision_id = $2, title = $3, slug = $4, word_count = $5, updated_at = $6 WHERE id = $1 RETURNING *`,
    [doc.id, wire.id, shown.title, shown.slug, wire.words, s.now],
  );
  doc = rows[0]!;
  doc = await approvalStale(client, person, doc, contentHash, s.now);
  s.docs.set(doc.id, doc);
  return { kind: 'accepted', aside: false, documentChanged: true };
}

/** Whether the desk has the story on a site now (shared/slug.ts LIVE_REMOTE_STATUSES). */
async function slugLive(client: pg.PoolClient, documentId: string): Promise<boolean> {
  const { rows } = await client.query<{ status: string }>('SELECT status FROM remote_posts WHERE document_id = $1', [documentId]);
  return slugIsLive(rows.map((r) => ({ remoteStatus: r.status })));
}

/** The story list's line and slug, from the head's blocks (as electron/services/documents.ts derives them). */
async function titleOf(client: pg.PoolClient, doc: DocumentRow, hashes: string[], sent: Map<string, { text: string }>): Promise<{ title: string; slug: string }> {
  // A caption's title is the start of its text; the others' come from the fields block alone.
  const needed = doc.kind === 'caption' ? hashes : hashes.slice(0, 1);
  const lacking = needed.filter((h) => !sent.has(h));
  const stored = await blockTexts(client, lacking);
  const texts = needed.map((h) => sent.get(h)?.text ?? stored.get(h)!);
  try {
    const content = contentOf(doc.kind, texts);
    const fields = content.fields as { slug?: unknown };
    return { title: documentTitle(content), slug: doc.kind === 'article' && typeof fields.slug === 'string' ? fields.slug : '' };
  } catch {
    // Blocks are JSON but need not be well-formed content; the title then stays empty.
    return { title: '', slug: '' };
  }
}

/**
 * An approval names one revision: once the head's text differs from it, the approval
 * is stale and the document goes back to submitted (keeping which revision was
 * approved), as electron/services/workflow.ts afterEdit does on a workstation.
 */
async function approvalStale(client: pg.PoolClient, person: DeskPerson, doc: DocumentRow, contentHash: string, now: number): Promise<DocumentRow> {
  if (doc.status !== 'approved') return doc;
  if (doc.approved_revision_id) {
    const { rows } = await client.query<{ content_hash: string }>('SELECT content_hash FROM revisions WHERE id = $1', [doc.approved_revision_id]);
    if (rows[0]?.content_hash === contentHash) return doc;
  }
  const { rows } = await client.query<DocumentRow>(`UPDATE documents SET status = 'submitted' WHERE id = $1 RETURNING *`, [doc.id]);
  const eventId = await recordEvent(client, {
    documentId: doc.id,
    actorId: person.id,
    action: 'approvalStale',
    fromStatus: 'approved',
    toStatus: 'submitted',
    revisionId: doc.approved_revision_id,
    note: 'Edited after approval',
    createdAt: now,
  });
  await recordChange(client, 'event', String(eventId), now);
  return rows[0]!;
}
