import { useCallback, useEffect, useState } from 'react';
import type { DocumentRecord } from '../../../shared/documents.ts';
import type { Person } from '../../../shared/people.ts';
import type { Redline } from '../../../shared/revisions.ts';
import type { WorkflowEvent } from '../../../shared/workflow.ts';
import { useClient, useEvent } from '../api/context.tsx';
import { describeError } from '../errors.ts';
import { RedlineView } from '../history/RedlineView.tsx';
import { whenChanged, whenExactly } from '../time.ts';

/**
 * What an editor reviewing a submitted story compares: from the revision they last
 * approved or sent back (or, if they never did, the first submission) to the latest
 * submission. Null `fromId`: nothing earlier to compare (the first submission).
 */
export function reviewBase(events: readonly WorkflowEvent[], personId: string): { submit: WorkflowEvent; fromId: string | null; since: 'review' | 'submission' } | null {
  // Events come newest first.
  const submits = events.filter((e) => e.action === 'submit' && e.revisionId);
  const submit = submits[0];
  if (!submit) return null;
  const reviewed = events.find((e) => e.actorId === personId && (e.action === 'approve' || e.action === 'requestChanges') && e.revisionId);
  const fromId = reviewed?.revisionId ?? submits.at(-1)!.revisionId;
  return { submit, fromId: fromId === submit.revisionId && !reviewed ? null : fromId, since: reviewed ? 'review' : 'submission' };
}

/**
 * Review mode (issue #18): an editor opening a submitted story sees, at the top of it,
 * who submitted it and when with the reporter's note, and the changes since they last
 * reviewed it as a redline (History's, fields included). Show clean text hides the
 * redline and leaves the story as it reads.
 */
export function ReviewMode({ record, person, bodyLabel, beforeCompare }: { record: DocumentRecord; person: Person; bodyLabel: string; beforeCompare: () => Promise<void> }) {
  const client = useClient();
  const active = person.role === 'editor' && record.status === 'submitted' && record.trashedAt === null;
  const [events, setEvents] = useState<WorkflowEvent[] | null>(null);
  const [redline, setRedline] = useState<Redline | null>(null);
  const [showChanges, setShowChanges] = useState(true);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    if (!active) return;
    client.call('workflow.events', { documentId: record.id }).then(setEvents, (e: unknown) => setError(describeError(e)));
  }, [active, client, record.id]);
  useEffect(load, [load]);
  useEvent(
    'documents.changed',
    // A working-copy save (it carries a session) is not a new submission.
    useCallback((p) => p.id === record.id && p.session === undefined && load(), [record.id, load]),
  );

  const base = events ? reviewBase(events, person.id) : null;
  // What was submitted, unless the text on screen has moved on from it: then that text.
  const toId = base?.submit.revisionId && record.revisionId === base.submit.revisionId ? base.submit.revisionId : 'working';
  const fromId = base?.fromId ?? null;
  useEffect(() => {
    if (!active || !fromId) return;
    let live = true;
    void beforeCompare()
      .then(() => client.call('revisions.compare', { documentId: record.id, fromId, toId }))
      .then(
        (r) => live && setRedline(r),
        (e: unknown) => live && setError(describeError(e)),
      );
    return () => {
      live = false;
    };
  }, [active, client, record.id, fromId, toId]); // beforeCompare is stable for the editor's life

  if (!active || !base) return null;
  const { submit } = base;
  return (
    <section className="review-mode" aria-label="Review">
      <h2>{fromId ? (base.since === 'review' ? 'Changes since you last reviewed' : 'Changes since it was first submitted') : 'Review'}</h2>
      <p className="review-submitted">
        Submitted by {submit.actorName}, <time title={whenExactly(submit.createdAt)}>{whenChanged(submit.createdAt)}</time>
      </p>
      {submit.note ? (
        <blockquote className="review-note" aria-label="Submit note">
          {submit.note}
        </blockquote>
      ) : (
        <p className="review-note empty">No note with this submission.</p>
      )}
      {!fromId && <p className="review-first">First submission — no earlier version to compare.</p>}
      {fromId && (
        <>
          <button type="button" onClick={() => setShowChanges((v) => !v)}>
            {showChanges ? 'Show clean text' : 'Show changes'}
          </button>
          {showChanges && redline && <RedlineView redline={redline} bodyLabel={bodyLabel} onClose={() => setShowChanges(false)} />}
        </>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}
