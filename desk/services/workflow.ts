import type pg from 'pg';
import type { DeskParsedInput, DeskDocument } from '../../shared/desk.ts';
import { STATUS_LABELS } from '../../shared/documents.ts';
import { GalleyError } from '../../shared/errors.ts';
import { countSuggestions, pendingSuggestionsMessage } from '../../shared/editor/suggestions.ts';
import { figureCaptionIds } from '../../shared/prepublish.ts';
import type { RichNode } from '../../shared/richtext.ts';
import { PUBLISHED_UNCHANGED, TRANSITIONS, transitionRefusal, type WorkflowEvent } from '../../shared/workflow.ts';
import type { DeskCaller, DeskContext } from '../context.ts';
import { signedIn } from '../dispatch.ts';
import { once } from '../db/idempotency.ts';
import { recordChange } from '../db/pool.ts';
import { enqueuePublishing } from './publishing.ts';
import { blockTexts, deskDocument, documentEvents, holderOf, mustDocument, personName, recordEvent, revisionRows, utcTime, type DocumentRow, type RevisionRow } from './rows.ts';

/**
 * workflow.act: the desk is the authority for every step. The rules are
 * shared/workflow.ts's, checked against the desk's person and the desk's state; each
 * step names the revision it is about (what was submitted, what the editor read), so
 * an approval is pinned to exactly the text reviewed and publishing sends exactly that.
 */
export async function act(ctx: DeskContext, input: DeskParsedInput<'workflow.act'>, caller: DeskCaller): Promise<DeskDocument> {
  const person = signedIn(caller);
  let enqueued = 0;
  const doc = await once(ctx.pool, { key: input.key, personId: person.id, operation: 'workflow.act', now: ctx.now() }, async (client) => {
    const row = await mustDocument(client, input.documentId, true);
    if (row.trashed_at !== null) throw new GalleyError('conflict', 'This document is in the trash; restore it first.');
    const t = TRANSITIONS[input.action];
    const refusal = transitionRefusal(person, { ...holderOf(row), publishedUnchanged: await publishedUnchanged(client, row, ctx.now()) }, input.action, input.note);
    if (refusal === PUBLISHED_UNCHANGED) throw new GalleyError('conflict', refusal);
    if (refusal) {
      const code = !t.roles[row.kind].includes(person.role) || refusal.startsWith('Only its writer') ? 'forbidden' : t.from.includes(row.status) ? 'invalid_input' : 'conflict';
      throw new GalleyError(code, refusal, code === 'invalid_input' ? [{ path: 'note', message: 'A note is required' }] : undefined);
    }
    const now = ctx.now();
    const publishes = input.action === 'publish' || input.action === 'schedule';
    let revisionId: string | null = null;
    if (input.action === 'submit' || input.action === 'approve' || input.action === 'requestChanges') {
      revisionId = (await mustBeHead(client, row, input)).id;
      // As on the workstation: an approval never names text with suggested edits in it.
      if (input.action === 'approve') {
        const pending = await pendingSuggestions(client, revisionId);
        if (pending) throw new GalleyError('conflict', `Accept or reject the suggested edits before approving: ${pendingSuggestionsMessage(pending)}.`);
      }
    } else if (publishes) {
      await mustPublish(client, ctx, row, input);
      revisionId = row.approved_revision_id;
    }
    const note = input.note?.trim() || null;
    const publishAt = input.action === 'schedule' ? (input.publishAt ?? null) : null;
    await client.query(
      `UPDATE documents SET status = $2, approved_revision_id = CASE WHEN $3::text IS NULL THEN approved_revision_id ELSE $3 END, updated_at = $4 WHERE id = $1`,
      [row.id, t.to, input.action === 'approve' ? revisionId : null, now],
    );
    const eventId = await recordEvent(client, {
      documentId: row.id,
      actorId: person.id,
      action: input.action,
      fromStatus: row.status,
      toStatus: t.to,
      revisionId,
      note: publishAt ? [note, `Scheduled for ${new Date(publishAt).toISOString()}`].filter(Boolean).join(' — ') : note,
      createdAt: now,
    });
    // The outbox jobs are written in the same transaction as the step that asks for them.
    if (publishes) {
      enqueued = await enqueuePublishing(client, ctx, { documentId: row.id, action: input.action as 'publish' | 'schedule', revisionId, publishAt, personId: person.id });
    } else if (input.action === 'unpublish' && row.kind === 'article') {
      enqueued = await enqueuePublishing(client, ctx, { documentId: row.id, action: 'unpublish', revisionId: null, publishAt: null, personId: person.id });
    } else if (input.action === 'approve' && row.kind === 'caption') {
      // An approved caption updates the photo's credit and alt text wherever it is already
      // on a CMS, as the workstation's outbox does.
      enqueued = await enqueuePublishing(client, ctx, { documentId: row.id, action: 'approve', revisionId, publishAt: null, personId: person.id });
    }
    await recordChange(client, 'event', String(eventId), now);
    await recordChange(client, 'document', row.id, now);
    return deskDocument(client, row.id);
  });
  // A resend answered from the idempotency store enqueued nothing new; waking is harmless either way.
  if (enqueued > 0 || input.action === 'publish' || input.action === 'schedule' || input.action === 'unpublish') ctx.kickPublishing();
  return doc;
}

/**
 * Published and not edited since (shared/workflow.ts, PUBLISHED_UNCHANGED), from the
 * desk's rows as electron/services/documents.ts publishedUnchanged() works it out from
 * the workstation's: the head has the approved revision's text, and no publish is still
 * to come (a schedule not reached yet: approving again, then Publish now, is how plans
 * change). The desk's publish jobs hold the schedule (publish_at), whether the job waits
 * here or the CMS already holds the post as scheduled.
 */
async function publishedUnchanged(client: pg.PoolClient, row: DocumentRow, now: number): Promise<boolean> {
  if (row.status !== 'published' || !row.head_revision_id || !row.approved_revision_id) return false;
  const { rows } = await client.query<{ same: boolean; later: boolean }>(
    `SELECT (SELECT content_hash FROM revisions WHERE id = $1) = (SELECT content_hash FROM revisions WHERE id = $2) AS same,
            EXISTS (SELECT 1 FROM publish_jobs WHERE document_id = $3 AND action = 'publish' AND publish_at > $4 AND state != 'cancelled') AS later`,
    [row.head_revision_id, row.approved_revision_id, row.id, now],
  );
  return rows[0]?.same === true && !rows[0].later;
}

/**
 * Submit, Approve and Request changes judge the desk's head: the workstation pushes its
 * text first, then acts naming that revision. A revision the desk has not got is "send
 * the story first" (the workstation retries after pushing); any other text than the head
 * means someone saved after what was read, and the step is refused rather than judging
 * words nobody reviewed (the messages of electron/services/workflow.ts).
 */
async function mustBeHead(client: pg.PoolClient, row: DocumentRow, input: DeskParsedInput<'workflow.act'>): Promise<RevisionRow> {
  const label = TRANSITIONS[input.action].label;
  if (!input.revisionId) {
    const what = input.action === 'submit' ? 'the revision you submit' : 'the revision you reviewed';
    throw new GalleyError('invalid_input', `${label} must name ${what}.`, [{ path: 'revisionId', message: 'Required' }]);
  }
  const revisions = await revisionRows(client, [input.revisionId, ...(row.head_revision_id ? [row.head_revision_id] : [])]);
  const named = revisions.get(input.revisionId);
  if (!named) {
    throw new GalleyError('conflict', `The desk does not have that version of this document yet; send the story first, then ${label.toLowerCase()}.`, [
      { path: 'revisionId', message: 'Not on the desk' },
    ]);
  }
  if (named.document_id !== row.id) {
    throw new GalleyError('not_found', 'That version is not a version of this document.', [{ path: 'revisionId', message: 'Revision of another document' }]);
  }
  const head = row.head_revision_id ? revisions.get(row.head_revision_id) : undefined;
  if (head && (head.id === named.id || head.content_hash === named.content_hash)) return head.id === named.id ? head : named;
  if (input.action === 'submit') {
    throw new GalleyError('conflict', 'That version is not the story’s current text on the desk (it may have been edited elsewhere); send the story first, then submit.', [
      { path: 'revisionId', message: 'Not the desk head' },
    ]);
  }
  const who = head ? await personName(client, head.author_id) : 'someone';
  const when = head ? utcTime(head.pushed_at) : utcTime(row.updated_at);
  throw new GalleyError(
    'conflict',
    `The text changed after the version you reviewed (${who} saved it at ${when}). Compare the changes, then ${label.toLowerCase()} again if they are fine.`,
    [{ path: 'revisionId', message: `Changed since ${input.revisionId}` }],
  );
}

/** Publishing needs a current approval, somewhere to send it, and (an article) approved captions. */
async function mustPublish(client: pg.PoolClient, ctx: DeskContext, row: DocumentRow, input: DeskParsedInput<'workflow.act'>): Promise<void> {
  if (!row.approved_revision_id) throw new GalleyError('conflict', 'There is no approved revision to publish; approve it first.');
  if (input.revisionId && input.revisionId !== row.approved_revision_id) {
    throw new GalleyError('conflict', `Another version was approved since you looked (${row.approved_revision_id.slice(0, 10)}); check it, then publish.`, [
      { path: 'revisionId', message: 'Not the approved revision' },
    ]);
  }
  if (input.action === 'schedule') {
    if (!input.publishAt) throw new GalleyError('invalid_input', 'Schedule needs a date and time.', [{ path: 'publishAt', message: 'Required' }]);
    if (input.publishAt <= ctx.now() + 60_000) {
      throw new GalleyError('invalid_input', 'Choose a time at least a minute from now, or use Publish.', [{ path: 'publishAt', message: 'Too soon' }]);
    }
  }
  const { rows: targets } = await client.query('SELECT 1 FROM publish_targets WHERE removed_at IS NULL LIMIT 1');
  if (targets.length === 0) throw new GalleyError('conflict', 'There is no publish target; add one in Settings → Publish targets.');
  const pending = await pendingSuggestions(client, row.approved_revision_id);
  if (pending) throw new GalleyError('conflict', `Fix these before publishing: ${pendingSuggestionsMessage(pending)}.`);
  if (row.kind === 'article') {
    const problems = await captionProblems(client, row.approved_revision_id);
    if (problems.length) throw new GalleyError('conflict', `Fix these before publishing: ${problems.join(' ')}`);
  }
}

/** Suggested edits still in a revision's body (its blocks after the fields block). */
async function pendingSuggestions(client: pg.PoolClient, revisionId: string): Promise<number> {
  const revision = (await revisionRows(client, [revisionId])).get(revisionId);
  if (!revision) return 0;
  const texts = await blockTexts(client, revision.blocks.slice(1));
  const content: RichNode[] = [];
  for (const hash of revision.blocks.slice(1)) {
    const text = texts.get(hash);
    if (text !== undefined) content.push(JSON.parse(text) as RichNode);
  }
  return countSuggestions({ type: 'doc', content });
}

/**
 * The article rule of shared/prepublish.ts, on the desk's data: every figure's caption
 * document is on the desk, not in the trash, and approved (or published). The other
 * pre-publish checks (house style, bios) are the workstation's, which runs them before it asks.
 */
async function captionProblems(client: pg.PoolClient, revisionId: string): Promise<string[]> {
  const revision = (await revisionRows(client, [revisionId])).get(revisionId);
  if (!revision) return ['The approved version is missing from the desk.'];
  const texts = await blockTexts(client, revision.blocks.slice(1));
  const ids = new Set<string>();
  for (const hash of revision.blocks.slice(1)) {
    const text = texts.get(hash);
    if (text === undefined) continue;
    for (const id of figureCaptionIds({ type: 'doc', content: [JSON.parse(text) as RichNode] })) ids.add(id);
  }
  if (ids.size === 0) return [];
  const { rows } = await client.query<{ id: string; status: DocumentRow['status']; title: string; trashed_at: number | null }>(
    'SELECT id, status, title, trashed_at FROM documents WHERE id = ANY($1)',
    [[...ids]],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const problems: string[] = [];
  for (const id of ids) {
    const caption = byId.get(id);
    if (!caption || caption.trashed_at !== null) problems.push('A photo’s caption document is missing: remove the figure or insert the photo again.');
    else if (caption.status !== 'approved' && caption.status !== 'published') {
      problems.push(`Caption “${caption.title || 'without text'}” is ${STATUS_LABELS[caption.status].toLowerCase()}: the photo desk must submit it and an editor approve it.`);
    }
  }
  return problems;
}

export async function eventsOf(ctx: DeskContext, input: DeskParsedInput<'workflow.events'>): Promise<WorkflowEvent[]> {
  await mustDocument(ctx.pool, input.documentId);
  return documentEvents(ctx.pool, input.documentId);
}
