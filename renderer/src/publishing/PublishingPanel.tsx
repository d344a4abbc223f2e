import { useCallback, useEffect, useState } from 'react';
import { STAFF_TOKEN_LABEL, jobStateText, type PublishTarget, type TargetStatus } from '../../../shared/publishing.ts';
import type { DocumentKind } from '../../../shared/documents.ts';
import type { Person } from '../../../shared/people.ts';
import { useClient, useEvent } from '../api/context.tsx';
import { describeError } from '../errors.ts';

/**
 * The region **Publishing** (UI.md): per target, the job state in words, **View on
 * site** once published, **Retry** / **Cancel** for jobs that need a person, and for
 * a conflict the CMS's version beside Galley's with the choice of which to keep.
 */
export function PublishingPanel({ documentId, person, kind }: { documentId: string; person: Person; kind: DocumentKind }) {
  const client = useClient();
  const [rows, setRows] = useState<TargetStatus[] | null>(null);
  // A bio's region also says which Ghost targets cannot take bios yet (no Staff access token).
  const [ghostTargets, setGhostTargets] = useState<PublishTarget[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(Date.now());
  const load = useCallback(() => {
    client.call('publishing.status', { documentId }).then(setRows, (e: unknown) => setError(describeError(e)));
    if (kind === 'bio') {
      client.call('publishing.targets', {}).then(
        (r) => setGhostTargets(r.targets.filter((t) => t.config.type === 'ghost')),
        (e: unknown) => setError(describeError(e)),
      );
    }
  }, [client, documentId, kind]);
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

  if (!rows) return null;
  // Every kind shows the region, "Not published yet" until something is sent (issue #18).
  const editor = person.role === 'editor';
  /** Ghost targets whose bios need a Staff access token: none stored, or the bio failed (a refused one). */
  const needsStaffToken = (targetId: string) => {
    const target = ghostTargets.find((t) => t.id === targetId);
    if (!target) return false;
    const job = rows.find((r) => r.targetId === targetId)?.job;
    return !target.hasStaffToken || job?.state === 'failed';
  };
  const unsent = ghostTargets.filter((t) => !rows.some((r) => r.targetId === t.id) && !t.hasStaffToken);
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
      <h2 id="publishing-title">Publishing</h2>
      {active && rows.length > 1 && (
        <p>
          <progress max={rows.length} value={finished} aria-label="Publishing progress" /> {finished} of {rows.length} targets done
        </p>
      )}
      {rows.length === 0 && unsent.length === 0 && <p className="hint">Not published yet.</p>}
      <ul aria-label="Publish targets for this document">
        {unsent.map((t) => (
          <li key={t.id} className="job">
            <strong>{t.name}</strong>: <span role="status">Needs a Staff access token for bios</span>
            <StaffTokenForm target={t} editor={editor} onSaved={load} />
          </li>
        ))}
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
              {needsStaffToken(r.targetId) && <StaffTokenForm target={ghostTargets.find((t) => t.id === r.targetId)!} editor={editor} onSaved={load} />}
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
                      <h3>In the CMS now</h3>
                      <p className="conflict-title">{r.conflict.remoteTitle}</p>
                      <p className="conflict-text">{r.conflict.remoteText}</p>
                    </section>
                    <section aria-label="Galley's approved version">
                      <h3>Galley’s approved version</h3>
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

/**
 * Ghost answers 501 to staff-user edits made with an integration's Admin API key, so a
 * bio needs a staff user's own token. Said plainly where the bio's state is, with the
 * box to give one; saving it sends the target's failed bios again.
 */
function StaffTokenForm({ target, editor, onSaved }: { target: PublishTarget; editor: boolean; onSaved: () => void }) {
  const client = useClient();
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      await client.call('publishing.setStaffToken', { targetId: target.id, staffToken: token });
      setToken('');
      onSaved();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="staff-token" role="group" aria-label={`${STAFF_TOKEN_LABEL} for ${target.name}`}>
      <p className="hint">
        {target.hasStaffToken
          ? `If the stored ${STAFF_TOKEN_LABEL} is what Ghost refused, give another one.`
          : `Ghost needs a ${STAFF_TOKEN_LABEL} for staff bios: it does not let an integration’s Admin API key edit staff users.`}{' '}
        Copy it from Ghost (your staff profile → {STAFF_TOKEN_LABEL}); an Administrator’s can update everyone’s bio.
      </p>
      {editor ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <label>
            {STAFF_TOKEN_LABEL}
            <input type="password" value={token} onChange={(e) => setToken(e.target.value)} autoComplete="new-password" required />
          </label>{' '}
          <button type="submit" disabled={busy || !token.trim()}>
            Save token
          </button>
        </form>
      ) : (
        <p className="hint">Only an editor can give it.</p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </div>
  );
}
