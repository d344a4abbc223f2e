import { useEffect, useRef, useState } from 'react';
import { TextField } from './fields.tsx';

export const LIVE_SLUG_NOTE = 'Published: this is the story’s address on the site, and it is live.';
export const UNLOCK_WARNING = 'The story’s address on the site will change; links to it will break.';

/**
 * The Slug box. Once the story is live (useLiveSlug) it is read-only with a note, and
 * Unlock slug asks before letting anyone change the address.
 */
export function SlugField({
  value,
  readOnly,
  live,
  unlocked,
  problem,
  onChange,
  onUnlock,
}: {
  value: string;
  readOnly: boolean;
  live: boolean;
  unlocked: boolean;
  problem: string | null;
  onChange: (slug: string) => void;
  onUnlock: () => void;
}) {
  const [asking, setAsking] = useState(false);
  const frozen = live && !unlocked;
  return (
    <div className="slug-field">
      <TextField label="Slug" value={value} readOnly={readOnly || frozen} onChange={onChange} problem={problem} hint={frozen ? LIVE_SLUG_NOTE : undefined} />
      {frozen && !readOnly && (
        <button type="button" className="secondary" onClick={() => setAsking(true)}>
          Unlock slug
        </button>
      )}
      {asking && (
        <UnlockDialog
          onClose={() => setAsking(false)}
          onUnlock={() => {
            setAsking(false);
            onUnlock();
          }}
        />
      )}
    </div>
  );
}

function UnlockDialog({ onUnlock, onClose }: { onUnlock: () => void; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  return (
    <dialog ref={dialog} aria-labelledby="unlock-slug-title" aria-describedby="unlock-slug-warning" onClose={onClose} className="unlock-slug">
      <h2 id="unlock-slug-title">Unlock slug</h2>
      <p id="unlock-slug-warning">{UNLOCK_WARNING}</p>
      <button type="button" className="danger" onClick={onUnlock}>
        Unlock
      </button>
      <button type="button" className="secondary" onClick={() => dialog.current?.close()} autoFocus>
        Cancel
      </button>
    </dialog>
  );
}
