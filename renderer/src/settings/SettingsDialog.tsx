import { useEffect, useRef, useState } from 'react';
import type { Person } from '../../../shared/people.ts';
import type { Retention } from '../../../shared/revisions.ts';
import { useClient } from '../api/context.tsx';
import { describeError } from '../errors.ts';
import { NewsroomDesk } from '../desk-link/NewsroomDesk.tsx';
import { PublishTargets } from '../publishing/PublishTargets.tsx';
import { AppearanceSetting } from './AppearanceSetting.tsx';

/** The workstation's settings. Editors change them; everyone can see them. */
export function SettingsDialog({
  person,
  onClose,
  at = 'top',
  onSignedIn,
}: {
  person: Person;
  onClose: () => void;
  /** 'desk': opened by "Sign in to the desk", so start at Newsroom desk. */
  at?: 'top' | 'desk';
  onSignedIn?: () => void;
}) {
  const client = useClient();
  const dialog = useRef<HTMLDialogElement>(null);
  const [retention, setRetention] = useState<Retention | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const editor = person.role === 'editor';

  useEffect(() => {
    dialog.current?.showModal();
    client.call('settings.get', {}).then((s) => setRetention(s.retention), (e: unknown) => setError(describeError(e)));
  }, [client]);

  const save = async (next: Retention) => {
    setRetention(next);
    try {
      setError(null);
      await client.call('settings.update', { retention: next });
      setMessage('Saved');
    } catch (e) {
      setError(describeError(e));
    }
  };

  const prune = async () => {
    try {
      setError(null);
      const result = await client.call('revisions.prune', {});
      setMessage(`Removed ${result.removed} old autosaves; freed ${result.blocksFreed} stored blocks.`);
    } catch (e) {
      setError(describeError(e));
    }
  };

  return (
    <dialog ref={dialog} aria-labelledby="settings-title" onClose={onClose} className="settings">
      <h2 id="settings-title">Settings</h2>
      <NewsroomDesk focusOnOpen={at === 'desk'} onSignedIn={onSignedIn} />
      <AppearanceSetting />
      <section aria-labelledby="retention-title">
        <h3 id="retention-title">Version history</h3>
        {retention && (
          <label>
            Keep
            <select
              value={retention.mode === 'keep-all' ? 'keep-all' : String(retention.olderThanDays)}
              disabled={!editor}
              onChange={(e) =>
                void save(e.target.value === 'keep-all' ? { mode: 'keep-all' } : { mode: 'thin-autosaves', olderThanDays: Number(e.target.value) })
              }
            >
              <option value="keep-all">Every version (recommended)</option>
              <option value="30">Every version for 30 days, then one autosave an hour</option>
              <option value="90">Every version for 90 days, then one autosave an hour</option>
            </select>
          </label>
        )}
        <p className="hint">
          Saved versions, submitted, approved, published and restored versions are always kept. Only autosaves are
          thinned.
        </p>
        {editor && retention?.mode === 'thin-autosaves' && (
          <button type="button" onClick={prune}>
            Apply now
          </button>
        )}
        {!editor && <p className="hint">Only an editor can change this.</p>}
      </section>
      <PublishTargets editor={editor} />
      <p aria-live="polite">{message}</p>
      {error && <p role="alert" className="error">{error}</p>}
      <button type="button" onClick={() => dialog.current?.close()}>
        Close
      </button>
    </dialog>
  );
}
