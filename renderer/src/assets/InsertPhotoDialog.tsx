import { useEffect, useRef, useState } from 'react';
import type { DocumentSummary } from '../../../shared/documents.ts';
import { useClient } from '../api/context.tsx';
import { describeError } from '../errors.ts';
import { PhotoFileButton } from './PhotoArea.tsx';

/**
 * Insert photo: pick a caption the photo desk already has (searchable), or import a
 * new photo, which starts its caption document. Either way the article gets a figure
 * that refers to the caption, not a copy of it.
 */
export function InsertPhotoDialog({ onPick, onClose }: { onPick: (captionId: string) => void; onClose: () => void }) {
  const client = useClient();
  const dialog = useRef<HTMLDialogElement>(null);
  const [query, setQuery] = useState('');
  const [captions, setCaptions] = useState<DocumentSummary[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  useEffect(() => {
    const timer = setTimeout(() => {
      client.call('documents.list', { kind: 'caption', ...(query.trim() ? { query } : {}) }).then(setCaptions, (e: unknown) => setError(describeError(e)));
    }, 120);
    return () => clearTimeout(timer);
  }, [client, query]);

  const importFile = async (f: File) => {
    try {
      setError(null);
      setBusy(`Importing ${f.name}…`);
      const asset = await client.call('assets.import', { fileName: f.name, data: new Uint8Array(await f.arrayBuffer()) });
      const caption = await client.call('captions.createFromPhoto', { sha256: asset.sha256 });
      onPick(caption.id);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <dialog ref={dialog} aria-labelledby="insert-photo-title" onClose={onClose} className="insert-photo">
      <h2 id="insert-photo-title">Insert photo</h2>
      <input type="search" aria-label="Search captions" placeholder="Search captions" value={query} onChange={(e) => setQuery(e.target.value)} autoFocus />
      <ul aria-label="Captions" className="caption-picks">
        {captions?.map((c) => (
          <li key={c.id}>
            <span className="title">{c.title || 'Caption without text'}</span>
            <button type="button" onClick={() => onPick(c.id)} aria-label={`Insert ${c.title || 'caption without text'}`}>
              Insert
            </button>
          </li>
        ))}
      </ul>
      {captions?.length === 0 && <p className="empty-state">{query ? 'No caption matches.' : 'The photo desk has no captions yet.'}</p>}
      <div className="photo-actions">
        <PhotoFileButton label="Import new photo" disabled={busy !== null} onFile={(f) => void importFile(f)} />
      </div>
      {busy && <p role="status">{busy}</p>}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="button" className="secondary" onClick={() => dialog.current?.close()}>
        Cancel
      </button>
    </dialog>
  );
}
