import { useEffect, useRef, useState } from 'react';
import type { CaptionFields, DocumentSummary } from '../../../shared/documents.ts';
import { useClient } from '../api/context.tsx';
import { getDocumentBatched } from '../documents/documentBatch.ts';
import { describeError } from '../errors.ts';
import { PhotoFileButton, PhotoImage } from './PhotoArea.tsx';

/**
 * A caption's photo as a thumbnail, with its credit. The list's summaries do not carry
 * the photo, so each row opens its caption (batched into one request for the list).
 */
function CaptionThumb({ id }: { id: string }) {
  const client = useClient();
  const [fields, setFields] = useState<CaptionFields | null>(null);
  useEffect(() => {
    let live = true;
    getDocumentBatched(client, id).then(
      (doc) => live && doc.kind === 'caption' && setFields(doc.content.fields as CaptionFields),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [client, id]);
  if (!fields) return <span className="photo thumb loading" aria-hidden="true" />;
  return (
    <>
      {fields.photo ? <PhotoImage sha256={fields.photo} size="thumb" alt={fields.altText} /> : <span className="photo thumb none">No photo</span>}
      {fields.credit && <span className="credit">{fields.credit}</span>}
    </>
  );
}

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
            <CaptionThumb id={c.id} />
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
