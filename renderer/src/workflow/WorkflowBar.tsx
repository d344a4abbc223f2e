import { useCallback, useEffect, useRef, useState } from 'react';
import { STATUS_LABELS, type DocumentRecord, type Status } from '../../../shared/documents.ts';
import { auditCsv } from '../../../shared/auditCsv.ts';
import type { PrePublishCheck } from '../../../shared/prepublish.ts';
import type { Person } from '../../../shared/people.ts';
import { TRANSITIONS, allowedActions, type WorkflowAction, type WorkflowEvent } from '../../../shared/workflow.ts';
import { useClient, useEvent } from '../api/context.tsx';
import { describeError } from '../errors.ts';
import { GalleyError } from '../../../shared/errors.ts';
import { whenExactly } from '../time.ts';
import { PublishConfirmDialog } from '../publishing/PublishConfirmDialog.tsx';

/**
 * The document's place in the workflow: what happened last (approved by whom, changes
 * asked for and why, edited since approval) and the steps this person may take.
 * The back end decides; the buttons only mirror shared/workflow.ts.
 */
export function WorkflowBar({
  record,
  person,
  beforeAction,
  reviewedRevision,
  onChanged,
  onCompareWithApproved,
  onCompareSince,
  onOpen,
}: {
  record: DocumentRecord;
  person: Person;
  beforeAction: () => Promise<void>;
  /** The revision holding the text on screen (Approve and Request changes name it). */
  reviewedRevision: () => Promise<string>;
  onChanged: (record: DocumentRecord) => void;
  onCompareWithApproved: () => void;
  /** Shows History's redline from `revisionId` to the current text. */
  onCompareSince: (revisionId: string) => void;
  onOpen: (documentId: string) => void;
}) {
  const client = useClient();
  const [events, setEvents] = useState<WorkflowEvent[]>([]);
  const [checks, setChecks] = useState<PrePublishCheck[] | null>(null);
  const showChecks = record.status === 'approved' || record.status === 'published' || (person.role === 'editor' && record.status === 'submitted');
  const [note, setNote] = useState('');
  const [publishAt, setPublishAt] = useState('');
  const [error, setError] = useState<string | null>(null);
  // Set when Approve or Request changes was refused because the text changed after
  // the version the editor read: that version, to compare with the current text.
  const [changedSince, setChangedSince] = useState<string | null>(null);
  const load = useCallback(() => {
    client.call('workflow.events', { documentId: record.id }).then(setEvents, () => setEvents([]));
    if (showChecks) client.call('workflow.prepublish', { documentId: record.id }).then(setChecks, () => setChecks(null));
  }, [client, record.id, showChecks]);
  useEffect(load, [load]);
  // A working-copy save since this record was read means the text was edited: a
  // published story then offers Approve and Submit for edit again (shared/workflow.ts).
  const [editedSinceRead, setEditedSinceRead] = useState(false);
  useEffect(() => setEditedSinceRead(false), [record.status, record.publishedUnchanged]);
  useEvent(
    'documents.changed',
    // A working-copy save (it carries a session) leaves the events as they were; only
    // the checks read the text.
    useCallback(
      (p) => {
        if (p.id !== record.id) return;
        if (p.session !== undefined) setEditedSinceRead(true);
        if (p.session === undefined || showChecks) load();
      },
      [record.id, showChecks, load],
    ),
  );
  // Which step the confirm dialog asks about (Publish, or Schedule at its time).
  const [confirming, setConfirming] = useState<null | { action: 'publish' } | { action: 'schedule'; at: number }>(null);
  const publishButton = useRef<HTMLButtonElement>(null);
  const scheduleButton = useRef<HTMLButtonElement>(null);

  const actions = record.trashedAt === null ? allowedActions(person, { ...record, publishedUnchanged: record.publishedUnchanged === true && !editedSinceRead }) : [];
  const act = async (action: WorkflowAction, confirmedRevision?: string) => {
    let revisionId: string | undefined;
    try {
      setError(null);
      setChangedSince(null);
      await beforeAction();
      let when: number | undefined;
      if (action === 'schedule') {
        when = publishAt ? new Date(publishAt).getTime() : NaN;
        if (!Number.isFinite(when)) {
          setError('Choose when to publish (Publish at), then Schedule.');
          return;
        }
      }
      // (Request changes without its note is refused before anything is read or kept.)
      if (action === 'approve' || (action === 'requestChanges' && note.trim())) revisionId = await reviewedRevision();
      // Publish sends the approved revision this screen names, not one approved since.
      // (Publish's confirm dialog names the version its preview showed.)
      else if ((action === 'publish' || action === 'schedule') && (confirmedRevision ?? record.approvedRevisionId)) revisionId = confirmedRevision ?? record.approvedRevisionId!;
      onChanged(
        await client.call('workflow.transition', {
          documentId: record.id,
          action,
          ...(note.trim() ? { note } : {}),
          ...(when !== undefined ? { publishAt: when } : {}),
          ...(revisionId ? { revisionId } : {}),
        }),
      );
      setNote('');
    } catch (e) {
      setError(describeError(e));
      const reviewedChanged = e instanceof GalleyError && e.code === 'conflict' && e.issues?.some((i) => i.path === 'revisionId');
      if (reviewedChanged && revisionId && (action === 'approve' || action === 'requestChanges')) setChangedSince(revisionId);
    }
  };

  // Schedule asks like Publish, once the time is chosen (a missing time is said at once).
  const askSchedule = () => {
    const at = publishAt ? new Date(publishAt).getTime() : NaN;
    if (!Number.isFinite(at)) {
      setError('Choose when to publish (Publish at), then Schedule.');
      return;
    }
    setError(null);
    setConfirming({ action: 'schedule', at });
  };

  const last = (action: string) => events.find((e) => e.action === action);
  const approval = last('approve');
  const sentBack = last('requestChanges');
  const stale = record.status === 'submitted' && record.approvedRevisionId !== null;
  return (
    <div className="workflow">
      {record.status === 'changes_requested' && sentBack && (
        <p className="banner notice" role="note">
          Changes requested by {sentBack.actorName} ({whenExactly(sentBack.createdAt)}): “{sentBack.note}”
        </p>
      )}
      {record.status === 'approved' && approval && (
        <p className="approved">
          Approved by {approval.actorName} at {whenExactly(approval.createdAt)} — revision {approval.revisionId?.slice(0, 10)}
          {approval.note ? `: “${approval.note}”` : ''}
        </p>
      )}
      {stale && (
        <p className="stale">
          Edited since approval: it needs approving again before it can be published.{' '}
          <button type="button" onClick={onCompareWithApproved}>
            Compare with approved
          </button>
        </p>
      )}
      {record.status === 'published' && person.role === 'editor' && (
        <p className="hint">Published. To correct it: edit, then Approve and Publish again — the same post on the site is updated.</p>
      )}
      {actions.length > 0 && (
        <div className="workflow-actions">
          <label>
            Note
            <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} placeholder={actions.includes('requestChanges') ? 'Required to request changes' : 'Optional'} />
          </label>
          {actions.includes('schedule') && (
            <label>
              Publish at
              <input type="datetime-local" value={publishAt} onChange={(e) => setPublishAt(e.target.value)} />
            </label>
          )}
          {actions.map((a) => (
            <button key={a} type="button" ref={a === 'publish' ? publishButton : a === 'schedule' ? scheduleButton : undefined} onClick={() => (a === 'publish' ? setConfirming({ action: 'publish' }) : a === 'schedule' ? askSchedule() : act(a))}>
              {TRANSITIONS[a].label}
            </button>
          ))}
        </div>
      )}
      {confirming && (
        <PublishConfirmDialog
          documentId={record.id}
          kind={record.kind}
          publishAt={confirming.action === 'schedule' ? confirming.at : undefined}
          onConfirm={(revisionId) => act(confirming.action, revisionId)}
          onClose={() => {
            const back = confirming.action === 'schedule' ? scheduleButton : publishButton;
            setConfirming(null);
            back.current?.focus();
          }}
        />
      )}
      {error && (
        <p role="alert" className="error">
          {error}
          {changedSince && (
            <>
              {' '}
              <button type="button" onClick={() => onCompareSince(changedSince)}>
                Compare
              </button>
            </>
          )}
        </p>
      )}
      {showChecks && checks && (
        <section className="prepublish" aria-labelledby="prepublish-title">
          <h2 id="prepublish-title">Before publishing</h2>
          <ul aria-label="Before publishing">
            {checks.map((c) => (
              <li key={c.id} className={c.ok ? 'ok' : 'fail'}>
                <span aria-hidden="true">{c.ok ? '✓' : '✗'} </span>
                {c.message}
                {c.documentId && (
                  <button type="button" onClick={() => onOpen(c.documentId!)}>
                    Open caption
                  </button>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      {events.length > 0 && (
        <details className="audit">
          <summary>Audit trail ({events.length})</summary>
          <table aria-label="Audit trail">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Step</th>
                <th scope="col">Status</th>
                <th scope="col">Revision</th>
                <th scope="col">Note</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id}>
                  <td>{whenExactly(e.createdAt)}</td>
                  <td>{e.actorName}</td>
                  <td>{STEP_NAMES[e.action] ?? e.action}</td>
                  <td>
                    {STATUS_LABELS[e.fromStatus as Status] ?? e.fromStatus} → {STATUS_LABELS[e.toStatus as Status] ?? e.toStatus}
                  </td>
                  <td>{e.revisionId?.slice(0, 10)}</td>
                  <td>{e.note}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" onClick={() => download(`${record.title || 'document'} audit trail.csv`, auditCsv(record.title, events))}>
            Export CSV
          </button>
        </details>
      )}
    </div>
  );
}

const STEP_NAMES: Record<string, string> = {
  submit: 'Submitted for edit',
  requestChanges: 'Changes requested',
  approve: 'Approved',
  approvalStale: 'Edited after approval',
  publish: 'Published',
  schedule: 'Scheduled',
  unpublish: 'Unpublished',
};

/** Saves text as a file through the browser's own download (no file system access needed). */
function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name.replace(/[\\/:*?"<>|]+/g, ' ');
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
