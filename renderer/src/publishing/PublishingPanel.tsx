import { useCallback, useEffect, useState } from 'react';
import { jobStateText, type TargetStatus } from '../../../shared/publishing.ts';
import type { Person } from '../../../shared/people.ts';
import { useClient, useEvent } from '../api/context.tsx';
import { describeError } from '../errors.ts';

/**
 * The region **Publishing** (UI.md): per target, the job state in words, **View on
 * site** once published, **Retry** / **Cancel** for jobs that need a person, and for
 * a conflict the CMS's version beside Galley's with the choice of which to keep.
 */
export function PublishingPanel({ documentId, person }: { documentId: string; person: Person }) {
  const client = useClient();
  const [rows, setRows] = useState<TargetStatus[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(Date.now());
  const load = useCallback(() => {
    client.call('publishing.status', { documentId }).then(setRows, (e: unknown) => setError(describeError(e)));
  }, [client, documentId]);
  useEffect(load, [load]);
  useEvent(
    'publishing.changed',
    useCallback((p) => (p.documentId === null || p.documentId === documentId) && load(), [documentId, load]),
  );
  const waiting = rows?.some((r) => r.job && (r.job.state === 'retrying' || r.job.state === 'sending' || r.job.state === 'queued'));
  useEffect(() => {
    if (!waiting) return;
    // "Retrying in 30 s" counts down.
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [waiting]);

  if (!rows || rows.length === 0) return null;
  const editor = person.role === 'editor';
  const act = async (name: 'publishing.retry' | 'publishing.cancel', jobId: number) => {
    try {
      setError(null);
      await client.call(name, { jobId });
      load();
    } catch (e) {
      setError(describeError(e));
    }
  };
  const resolve = async (jobId: number, choice: 'overwrite' | 'keepRemote' | 'recreate' | 'unlink') => {
    try {
      setError(null);
      await client.call('publishing.resolve', { jobId, choice });
      load();
    } catch (e) {
      setError(describeError(e));
    }
  };
  const finished = rows.filter((r) => !r.job || ['done', 'cancelled'].includes(r.job.state)).length;
  const active = rows.some((r) => r.job && ['queued', 'sending', 'retrying'].includes(r.job.state));

  return (
    <section className="publishing" aria-labelledby="publishing-title">
      <h3 id="publishing-title">Publishing</h3>
      {active && rows.length > 1 && (
        <p>
          <progress max={rows.length} value={finished} aria-label="Publishing progress" /> {finished} of {rows.length} targets done
        </p>
      )}
      <ul aria-label="Publish targets for this document">
        {rows.map((r) => {
          const job = r.job;
          const text = job ? jobStateText(job, now) : r.remoteStatus === 'withdrawn' ? 'Withdrawn' : 'Published';
          const needsPerson = job && ['failed', 'missing', 'paused', 'retrying', 'conflict', 'queued'].includes(job.state);
          return (
            <li key={r.targetId} className={`job ${job?.state ?? 'done'}`}>
              <strong>{r.targetName}</strong>: <span role="status">{text}</span>
              {job?.revisionId && job.action !== 'unpublish' && (
                // Which approved revision went out (or is going), as History and the audit trail name it.
                <span className="hint"> · {job.state === 'done' ? 'Sent' : 'Sending'} version {job.revisionId.slice(0, 10)}</span>
              )}
              {r.remoteUrl && r.remoteStatus !== 'withdrawn' && /^https?:/.test(r.remoteUrl) && (
                <>
                  {' '}
                  <a href={r.remoteUrl} target="_blank" rel="noreferrer noopener">
                    View on site
                  </a>
                </>
              )}
              {r.remoteUrl && r.remoteUrl.startsWith('file:') && r.remoteStatus !== 'withdrawn' && (
                <span className="hint"> — written to {decodeURIComponent(new URL(r.remoteUrl).pathname)}</span>
              )}
              {editor && job && needsPerson && (
                <span className="job-actions">
                  {['failed', 'missing', 'paused', 'retrying'].includes(job.state) && (
                    <button type="button" onClick={() => act('publishing.retry', job.id)}>
                      Retry
                    </button>
                  )}
                  <button type="button" onClick={() => act('publishing.cancel', job.id)}>
                    Cancel
                  </button>
                </span>
              )}
              {editor && job?.state === 'missing' && (
                <span className="job-actions">
                  <button type="button" onClick={() => resolve(job.id, 'recreate')}>
                    Recreate post
                  </button>
                  <button type="button" onClick={() => resolve(job.id, 'unlink')}>
                    Unlink
                  </button>
                </span>
              )}
              {job?.state === 'conflict' && r.conflict && (
                <div className="conflict" role="group" aria-label="Conflict with the CMS">
                  <p>Someone changed this post in the CMS after Galley last wrote it. Galley did not overwrite it.</p>
                  <div className="side-by-side">
                    <section aria-label="In the CMS now">
                      <h4>In the CMS now</h4>
                      <p className="conflict-title">{r.conflict.remoteTitle}</p>
                      <p className="conflict-text">{r.conflict.remoteText}</p>
                    </section>
                    <section aria-label="Galley's approved version">
                      <h4>Galley’s approved version</h4>
                      <p className="conflict-title">{r.conflict.localTitle}</p>
                      <p className="conflict-text">{r.conflict.localText}</p>
                    </section>
                  </div>
                  {editor && (
                    <p>
                      <button type="button" onClick={() => resolve(job.id, 'overwrite')}>
                        Overwrite with Galley’s version
                      </button>{' '}
                      <button type="button" onClick={() => resolve(job.id, 'keepRemote')}>
                        Keep the CMS version
                      </button>
                    </p>
                  )}
                </div>
              )}
            </li>
          );
        })}
      </ul>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}
