import { useEffect, useRef, useState } from 'react';
import type { DocumentKind } from '../../../shared/documents.ts';
import { CMS_TYPE_LABELS, type PublishPreview } from '../../../shared/publishing.ts';
import { useClient } from '../api/context.tsx';
import { describeError } from '../errors.ts';
import { whenExactly } from '../time.ts';
import { SafeHtml } from './SafeHtml.tsx';

const TITLES: Record<DocumentKind, string> = {
  article: 'Publish this story?',
  caption: 'Publish this caption?',
  bio: 'Publish this bio?',
};

const SCHEDULE_TITLES: Record<DocumentKind, string> = {
  article: 'Schedule this story?',
  caption: 'Schedule this caption?',
  bio: 'Schedule this bio?',
};

/**
 * Publish asks once (issue #18, item 11): where it goes, which approved version, and
 * — behind **Preview** — the page as the CMS will get it (publishing.preview builds it
 * with the outbox's own functions). A native modal dialog: focus stays inside, Escape
 * cancels; the caller puts focus back on its Publish button when it closes. Schedule
 * asks the same way, naming when the page goes out (`publishAt`).
 */
export function PublishConfirmDialog({
  documentId,
  kind,
  publishAt,
  onConfirm,
  onClose,
}: {
  documentId: string;
  kind: DocumentKind;
  /** Set for Schedule: when the targets publish it (ms since the epoch). */
  publishAt?: number | undefined;
  /** Publishes the named revision (undefined: the one the document names, if the preview could not be read). */
  onConfirm: (revisionId: string | undefined) => Promise<void>;
  onClose: () => void;
}) {
  const client = useClient();
  const dialog = useRef<HTMLDialogElement>(null);
  const [preview, setPreview] = useState<PublishPreview | null>(null);
  const [targetId, setTargetId] = useState<string | undefined>(undefined);
  const [showPreview, setShowPreview] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  useEffect(() => {
    let live = true;
    client.call('publishing.preview', { documentId, ...(targetId ? { targetId } : {}) }).then(
      (p) => live && (setPreview(p), setError(null)),
      (e: unknown) => live && setError(describeError(e)),
    );
    return () => {
      live = false;
    };
  }, [client, documentId, targetId]);

  const confirm = async () => {
    // Once: the button is off while the step runs, so a double click is one publish.
    setBusy(true);
    try {
      await onConfirm(preview?.revisionId);
    } finally {
      dialog.current?.close();
    }
  };

  const scheduling = publishAt !== undefined;
  const title = (scheduling ? SCHEDULE_TITLES : TITLES)[kind];
  const verb = scheduling ? 'Schedule' : 'Publish';
  return (
    <dialog ref={dialog} aria-labelledby="publish-confirm-title" onClose={onClose} className="publish-confirm">
      <h2 id="publish-confirm-title">{title}</h2>
      {preview && (
        <>
          <p>
            {preview.targets.length === 0 ? (
              'There is no publish target yet: add one in Settings → Publish targets.'
            ) : (
              <>
                It goes to{' '}
                {preview.targets.length === 1 ? <strong>{preview.targets[0]!.name}</strong> : `${preview.targets.length} targets`}
                {preview.targets.length === 1 ? ` (${CMS_TYPE_LABELS[preview.targets[0]!.type]})` : ''}
                {scheduling ? (
                  <>
                    {' '}
                    and goes live at <strong>{whenExactly(publishAt)}</strong>
                  </>
                ) : null}
                {preview.targets.length === 1 ? '.' : ':'}
              </>
            )}
          </p>
          {preview.targets.length > 1 && (
            <ul aria-label="Targets">
              {preview.targets.map((t) => (
                <li key={t.id}>
                  {t.name} ({CMS_TYPE_LABELS[t.type]})
                </li>
              ))}
            </ul>
          )}
          <p className="publish-version">
            {preview.approval
              ? `The version approved by ${preview.approval.byName} at ${whenExactly(preview.approval.at)}`
              : 'The approved version'}{' '}
            — revision {preview.revisionId.slice(0, 10)}
            {preview.approval?.note ? `: “${preview.approval.note}”` : ''}
          </p>
        </>
      )}
      {!preview && !error && <p className="loading">Reading the approved version…</p>}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" aria-expanded={showPreview} onClick={() => setShowPreview((s) => !s)}>
          Preview
        </button>
        <button type="button" className="primary" disabled={busy || (!!preview && preview.targets.length === 0)} onClick={() => void confirm()}>
          {verb}
        </button>
        <button type="button" className="secondary" onClick={() => dialog.current?.close()}>
          Cancel
        </button>
      </div>
      {showPreview && preview && (
        <section aria-label="Page preview" className="page-preview">
          {preview.targets.length > 1 && (
            <label>
              Preview for
              <select value={preview.targetId ?? ''} onChange={(e) => setTargetId(e.target.value)}>
                {preview.targets.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <h3 className="preview-title">{preview.title || '(no title)'}</h3>
          <dl className="preview-meta">
            <div>
              <dt>Slug</dt>
              <dd>{preview.slug}</dd>
            </div>
            {preview.meta.map((m) => (
              <div key={m.name}>
                <dt>{m.name}</dt>
                <dd>{m.value}</dd>
              </div>
            ))}
          </dl>
          <SafeHtml html={preview.html} className="preview-body" />
          <details>
            <summary>HTML sent to the CMS</summary>
            <pre className="preview-source">{preview.html}</pre>
          </details>
        </section>
      )}
    </dialog>
  );
}
