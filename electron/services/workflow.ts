import { getDocumentRow, lastEditor, listDocuments, type DocumentRow } from '../../db/documents.ts';
import { getPerson } from '../../db/people.ts';
import { getRevision } from '../../db/revisions.ts';
import { approvedRevisionId, documentStatus, listEvents, recordEvent, setStatus } from '../../db/workflow.ts';
import type { ParsedInput } from '../../shared/contract.ts';
import type { DocumentContent, DocumentRecord, Status } from '../../shared/documents.ts';
import { countSuggestions, pendingSuggestionsMessage } from '../../shared/editor/suggestions.ts';
import { figureCaptionIds, prePublishChecks, type PrePublishCheck } from '../../shared/prepublish.ts';
import { GalleyError } from '../../shared/errors.ts';
import { PUBLISHED_UNCHANGED, TRANSITIONS, transitionRefusal, type WorkflowEvent } from '../../shared/workflow.ts';
import type { ServiceContext, SignedIn } from './context.ts';
import { getDocument, loadRow, publishedUnchanged, toRecord } from './documents.ts';
import { cutRevision, loadRevisionContent, splitContent } from './revisions.ts';
import { styleConfig } from './style.ts';
import * as publishing from './publishing.ts';

const LABEL = {
  submit: 'submitted',
  approve: 'approved',
  requestChanges: 'checkpoint',
  publish: 'published',
  schedule: 'published',
  unpublish: 'checkpoint',
} as const;

/** Publishing needs a current approval, passing pre-publish checks and somewhere to send it. */
function publishRefusal(ctx: ServiceContext, row: { id: string; approvedRevisionId: string | null; kind: string }, input: ParsedInput<'workflow.transition'>): string | null {
  if (!row.approvedRevisionId) return 'There is no approved revision to publish; approve it first.';
  if (input.action === 'schedule') {
    if (!input.publishAt) return 'Schedule needs a date and time.';
    if (input.publishAt <= ctx.now() + 60_000) return 'Choose a time at least a minute from now, or use Publish.';
  }
  // With a newsroom desk the targets are the desk's, and the desk checks this itself.
  if (!ctx.desk?.linked() && !publishing.hasTargets(ctx)) return 'There is no publish target; add one in Settings → Publish targets.';
  if (row.kind === 'article') {
    const failing = prepublish(ctx, { documentId: row.id }).filter((c) => !c.ok);
    if (failing.length) return `Fix these before publishing: ${failing.map((c) => c.message).join(' ')}`;
  }
  return null;
}

const JOB_FOR_KIND = { article: 'publish', caption: 'caption', bio: 'bio' } as const;

const utcTime = (ms: number) => `${new Date(ms).toISOString().slice(11, 16)} UTC`;

/**
 * Approve and Request changes judge the text the editor read, named by its revision.
 * The reporter may save new text while the editor reads (or another window may): the
 * step is then refused, rather than approving words nobody reviewed, and the message
 * says who changed it; the editor compares that revision with the current text.
 */
function mustBeReviewed(ctx: ServiceContext, row: DocumentRow, input: ParsedInput<'workflow.transition'>): void {
  const label = TRANSITIONS[input.action].label;
  if (!input.revisionId) {
    throw new GalleyError('invalid_input', `${label} must name the revision you reviewed.`, [{ path: 'revisionId', message: 'Required' }]);
  }
  const reviewed = getRevision(ctx.db, input.revisionId);
  if (!reviewed || reviewed.documentId !== row.id) {
    throw new GalleyError('not_found', 'The version you reviewed is not a version of this document.', [{ path: 'revisionId', message: 'Unknown revision' }]);
  }
  const current = toRecord(row).content;
  if (reviewed.contentHash === splitContent(current).contentHash) {
    if (input.action === 'approve') mustHaveNoSuggestions(current.body);
    return;
  }
  const editorId = lastEditor(ctx.db, row.id);
  const who = (editorId && getPerson(ctx.db, editorId)?.name) || 'someone';
  throw new GalleyError(
    'conflict',
    `The text changed after the version you reviewed (${who} saved it at ${utcTime(row.updatedAt)}). Compare the changes, then ${label.toLowerCase()} again if they are fine.`,
    [{ path: 'revisionId', message: `Changed since ${input.revisionId}` }],
  );
}

/**
 * An approval names the text to publish, so it never names one with suggested edits in
 * it: they are accepted or rejected first (by the reporter, or the editor), and the
 * approved revision stays exactly what goes out.
 */
export function mustHaveNoSuggestions(body: DocumentContent['body']): void {
  const pending = countSuggestions(body);
  if (pending) {
    throw new GalleyError('conflict', `Accept or reject the suggested edits before approving: ${pendingSuggestionsMessage(pending)}.`, [
      { path: 'revisionId', message: 'Holds suggestions' },
    ]);
  }
}

/**
 * One workflow step: checked against the rules in shared/workflow.ts whatever
 * transport it came through, it cuts a revision (the approval names exactly that
 * revision), moves the status and writes the audit trail, all in one transaction.
 */
export function transition(ctx: ServiceContext, caller: SignedIn, input: ParsedInput<'workflow.transition'>): DocumentRecord {
  const row = loadRow(ctx, input.documentId);
  if (row.trashedAt !== null) throw new GalleyError('conflict', 'This document is in the trash; restore it first.');
  const t = TRANSITIONS[input.action];
  const refusal = transitionRefusal(caller.person, { ...row, publishedUnchanged: publishedUnchanged(ctx, row) }, input.action, input.note);
  if (refusal === PUBLISHED_UNCHANGED) throw new GalleyError('conflict', refusal);
  if (refusal) {
    const code = !t.roles[row.kind].includes(caller.person.role) || refusal.startsWith('Only its writer') ? 'forbidden' : t.from.includes(row.status) ? 'invalid_input' : 'conflict';
    throw new GalleyError(code, refusal, code === 'invalid_input' ? [{ path: 'note', message: 'A note is required' }] : undefined);
  }
  const publishes = input.action === 'publish' || input.action === 'schedule';
  const reviews = input.action === 'approve' || input.action === 'requestChanges';
  if (reviews) mustBeReviewed(ctx, row, input);
  if (publishes) {
    const why = publishRefusal(ctx, row, input);
    if (why) throw new GalleyError('conflict', why);
    if (input.revisionId && input.revisionId !== row.approvedRevisionId) {
      throw new GalleyError('conflict', `Another version was approved since you looked (${row.approvedRevisionId!.slice(0, 10)}); check it, then publish.`, [
        { path: 'revisionId', message: 'Not the approved revision' },
      ]);
    }
  }
  const note = input.note?.trim() || null;
  const publishAt = input.action === 'schedule' ? (input.publishAt ?? null) : null;
  let jobs: number[] = [];
  ctx.db.transaction(() => {
    // What is published is the approved revision, never the working copy; the
    // "Published" revision marks the moment in History (its content is the same).
    const content = publishes ? loadRevisionContent(ctx, getRevision(ctx.db, row.approvedRevisionId!)!) : undefined;
    const revision = cutRevision(ctx, { documentId: row.id, authorId: caller.person.id, label: LABEL[input.action], note, content });
    setStatus(ctx.db, row.id, t.to, input.action === 'approve' ? revision!.id : undefined);
    recordEvent(ctx.db, {
      documentId: row.id,
      actorId: caller.person.id,
      action: input.action,
      fromStatus: row.status,
      toStatus: t.to,
      revisionId: publishes ? row.approvedRevisionId : (revision?.id ?? null),
      note: publishAt ? [note, `Scheduled for ${new Date(publishAt).toISOString()}`].filter(Boolean).join(' — ') : note,
      createdAt: ctx.now(),
    });
    // The outbox jobs are written in the same transaction as the step that asks for them.
    // With a newsroom desk, the desk publishes (the step reaches it through the desk
    // outbox), so no local job is made: the same story must not go out twice.
    if (ctx.desk?.linked()) {
      jobs = [];
    } else if (publishes) {
      jobs = publishing.enqueue(ctx, { documentId: row.id, action: JOB_FOR_KIND[row.kind], revisionId: row.approvedRevisionId, publishAt, by: caller.person.id });
    } else if (input.action === 'unpublish' && row.kind === 'article') {
      jobs = publishing.enqueue(ctx, { documentId: row.id, action: 'unpublish', revisionId: null, publishAt: null, by: caller.person.id });
    } else if (input.action === 'approve' && row.kind === 'caption') {
      // Caption edits after publishing reach the media items already on the CMS.
      jobs = publishing.enqueue(ctx, { documentId: row.id, action: 'caption', revisionId: revision!.id, publishAt: null, by: caller.person.id });
    }
  })();
  ctx.emit('documents.changed', { id: row.id });
  if (jobs.length) {
    ctx.emit('publishing.changed', { documentId: row.id });
    ctx.outbox.kick();
  }
  return getDocument(ctx, { id: row.id });
}

/**
 * An approval names one revision. Once the working copy differs from it the approval
 * is stale: the document goes back to submitted (keeping which revision was approved,
 * for "Compare with approved") and nothing can be published until a fresh approval.
 */
export function afterEdit(ctx: ServiceContext, caller: SignedIn, documentId: string, content: DocumentContent): void {
  // On the typing path: one indexed lookup unless the document is approved.
  if (documentStatus(ctx.db, documentId) !== 'approved') return;
  const approvedId = approvedRevisionId(ctx.db, documentId);
  const approved = approvedId ? getRevision(ctx.db, approvedId) : undefined;
  if (approved && approved.contentHash === splitContent(content).contentHash) return;
  ctx.db.transaction(() => {
    setStatus(ctx.db, documentId, 'submitted');
    recordEvent(ctx.db, {
      documentId,
      actorId: caller.person.id,
      action: 'approvalStale',
      fromStatus: 'approved',
      toStatus: 'submitted',
      revisionId: approvedId,
      note: 'Edited after approval',
      createdAt: ctx.now(),
    });
  })();
  ctx.emit('documents.changed', { id: documentId });
}

export function events(ctx: ServiceContext, input: ParsedInput<'workflow.events'>): WorkflowEvent[] {
  loadRow(ctx, input.documentId);
  return listEvents(ctx.db, input.documentId);
}

/**
 * The pre-publish checks, run on what would be published: the approved revision when
 * there is a current approval, otherwise the working copy.
 */
export function prepublish(ctx: ServiceContext, input: ParsedInput<'workflow.prepublish'>): PrePublishCheck[] {
  const record = getDocument(ctx, { id: input.documentId });
  const approved = record.status === 'approved' && record.approvedRevisionId ? getRevision(ctx.db, record.approvedRevisionId) : undefined;
  const content = approved ? loadRevisionContent(ctx, approved) : record.content;
  const captions = new Map<string, { status: Status; title: string } | null>();
  for (const id of figureCaptionIds(content.body)) {
    const row = getDocumentRow(ctx.db, id);
    captions.set(id, row && row.trashedAt === null ? { status: row.status, title: row.title } : null);
  }
  const bioNames = listDocuments(ctx.db, { kind: 'bio' }).map((d) => d.title);
  return prePublishChecks({ content, captions, bioNames, style: styleConfig(ctx).config });
}
