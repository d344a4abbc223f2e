import { useCallback, useEffect, useState } from 'react';
import { REVISION_LABEL_TEXT, type Redline, type RevisionSummary } from '../../../shared/revisions.ts';
import { useClient, useEvent } from '../api/context.tsx';
import { describeError } from '../errors.ts';
import { whenExactly } from '../time.ts';
import { RedlineView } from './RedlineView.tsx';

/**
 * Every saved version of the document, newest first. Pick two to compare as a
 * redline; restore any one (as a new version — nothing is ever deleted).
 */
export function HistoryPanel({
  documentId,
  bodyLabel,
  canRestore,
  onRestore,
  initialCompare,
}: {
  documentId: string;
  bodyLabel: string;
  canRestore: boolean;
  /** Restores the chosen version (and offers to undo it: DocumentEditor). */
  onRestore: (revision: RevisionSummary) => Promise<void>;
  /** Open straight onto a redline: from a revision to another, or to the current text ('working'). */
  initialCompare?: { fromId: string; toId: string; beforeCompare: () => Promise<void> } | undefined;
}) {
  const client = useClient();
  const [revisions, setRevisions] = useState<RevisionSummary[] | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [redline, setRedline] = useState<Redline | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    client.call('revisions.list', { documentId }).then(setRevisions, (e: unknown) => setError(describeError(e)));
  }, [client, documentId]);
  useEffect(load, [load]);
  useEffect(() => {
    if (!initialCompare) return;
    const { fromId, toId, beforeCompare } = initialCompare;
    void beforeCompare()
      .then(() => client.call('revisions.compare', { documentId, fromId, toId }))
      .then(setRedline, (e: unknown) => setError(describeError(e)));
  }, [client, documentId, initialCompare?.fromId, initialCompare?.toId]); // beforeCompare is stable for the editor's life
  useEvent(
    'revisions.changed',
    useCallback((p) => p.documentId === documentId && load(), [documentId, load]),
  );

  const toggle = (id: string, on: boolean) =>
    setSelected((s) => (on ? [...s.filter((x) => x !== id), id].slice(-2) : s.filter((x) => x !== id)));

  const compare = async () => {
    if (!revisions || selected.length !== 2) return;
    // Always older → newer, whatever order they were ticked in.
    const [fromId, toId] = [...selected].sort(
      (a, b) => revisions.findIndex((r) => r.id === b) - revisions.findIndex((r) => r.id === a),
    ) as [string, string];
    try {
      setError(null);
      setRedline(await client.call('revisions.compare', { documentId, fromId, toId }));
    } catch (e) {
      setError(describeError(e));
    }
  };

  const restore = async (revision: RevisionSummary) => {
    try {
      setError(null);
      await onRestore(revision);
    } catch (e) {
      setError(describeError(e));
    }
  };

  return (
    <aside aria-label="History" className="history">
      <h2>History</h2>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {redline ? (
        <RedlineView redline={redline} bodyLabel={bodyLabel} onClose={() => setRedline(null)} />
      ) : (
        <>
          <div className="history-actions">
            <button type="button" onClick={compare} disabled={selected.length !== 2}>
              Compare
            </button>
            <span className="hint">{selected.length === 2 ? 'Two versions chosen' : 'Tick two versions to compare'}</span>
          </div>
          {revisions && revisions.length === 0 && (
            <p className="empty-state">No versions yet. Galley saves one when you pause typing; Save version (Ctrl+S) saves one now.</p>
          )}
          <ol aria-label="Revisions" className="revisions">
            {revisions?.map((r, i) => (
              <li key={r.id} className={selected.includes(r.id) ? 'selected' : undefined}>
                <label className="pick">
                  <input
                    type="checkbox"
                    checked={selected.includes(r.id)}
                    onChange={(e) => toggle(r.id, e.target.checked)}
                    aria-label={
                      r.aside
                        ? `Select the version ${r.offlineBy ? `edited offline by ${r.offlineBy}` : 'kept aside'} of ${whenExactly(r.createdAt)}`
                        : `Select ${REVISION_LABEL_TEXT[r.label].toLowerCase()} of ${whenExactly(r.createdAt)}`
                    }
                  />
                  <span className="when">{whenExactly(r.createdAt)}</span>
                </label>
                {r.aside ? (
                  <span className="label label-offline">{asideText(r)}</span>
                ) : (
                  <span className={`label label-${r.label}`}>{REVISION_LABEL_TEXT[r.label]}</span>
                )}
                <span className="author">{r.authorName}</span>
                {r.note && <span className="note">“{r.note}”</span>}
                <span className="delta">
                  <span className="added">+{r.wordsAdded}</span> <span className="removed">−{r.wordsRemoved}</span> words
                </span>
                {/* A version kept aside is never the story's head, even when newest: taking it in is Restore. */}
                {canRestore && (i > 0 || r.aside === true) && (
                  <button type="button" onClick={() => restore(r)}>
                    Restore this version
                  </button>
                )}
              </li>
            ))}
          </ol>
        </>
      )}
    </aside>
  );
}

/** A version the desk kept beside the story's line, in words (History shows it instead of its label). */
function asideText(r: RevisionSummary): string {
  return r.offlineBy ? `Edited offline by ${r.offlineBy}` : 'Kept aside';
}
