import { useEffect, useRef, useState } from 'react';
import type { Output } from '../../../shared/contract.ts';
import { useClient } from '../api/context.tsx';
import { describeError } from '../errors.ts';

type Preview = Output<'imports.preview'>;

/** Beside a caption the source cut short; the caption document's Checks say it too (cut-short). */
export const CUT_SHORT_FLAG = 'Caption cut short in the source: ask the photo desk to complete it';

/**
 * Import text: paste (or open) a story copied from a web page, see what article it
 * would make, then create it. Nothing is saved before Create article.
 */
export function ImportTextDialog({ onCreated, onClose }: { onCreated: (id: string) => void; onClose: () => void }) {
  const client = useClient();
  const dialog = useRef<HTMLDialogElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  const run = async (what: 'preview' | 'create') => {
    try {
      setError(null);
      setBusy(true);
      if (what === 'preview') setPreview(await client.call('imports.preview', { text }));
      else {
        const doc = await client.call('imports.create', { text });
        dialog.current?.close();
        onCreated(doc.id);
      }
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  const p = preview?.parsed;
  return (
    <dialog ref={dialog} aria-labelledby="import-title" onClose={onClose} className="import-text">
      <h2 id="import-title">Import text</h2>
      <label className="block">
        Text to import
        <textarea
          value={text}
          rows={10}
          onChange={(e) => {
            setText(e.target.value);
            setPreview(null);
          }}
          placeholder="Paste a story copied from a web page"
        />
      </label>
      <div className="actions">
        <button type="button" onClick={() => fileInput.current?.click()}>
          Open file…
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".txt,text/plain"
          aria-label="Text file"
          className="visually-hidden"
          onChange={async (e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (!f) return;
            if (f.size > 1_000_000) return setError(`${f.name} is larger than 1 MB; is it really a story?`);
            setText(await f.text());
            setPreview(null);
          }}
        />
        <button type="button" onClick={() => run('preview')} disabled={busy || !text.trim()}>
          Preview
        </button>
        <button type="button" className="secondary" onClick={() => dialog.current?.close()}>
          Cancel
        </button>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {p && (
        <section aria-label="Import preview" className="import-preview">
          <h3>{p.headline || '(no headline found)'}</h3>
          {p.body.map((b, i) =>
            b.type === 'paragraph' ? (
              <p key={i}>{b.text}</p>
            ) : (
              <figure key={i} className="imported-figure">
                <strong>Photo: {b.figure.title}</strong>
                <figcaption>
                  {b.figure.caption} <span className="credit">{b.figure.credit}</span>
                </figcaption>
                {b.figure.cutShort && <p className="flag cut-short">{CUT_SHORT_FLAG}</p>}
              </figure>
            ),
          )}
          {p.contributorLine && <p className="contributor">Contributor line: {p.contributorLine}</p>}
          {p.bio && (
            <p className="bio-found">
              Bio found: {p.bio.name}
              {preview.bioMatch ? ' — matches the existing bio' : ' — a new bio will be created'}
            </p>
          )}
          {p.dropped.length > 0 && (
            <details>
              <summary>{p.dropped.length} lines of site furniture dropped</summary>
              <ul>
                {p.dropped.map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
            </details>
          )}
          <button type="button" onClick={() => run('create')} disabled={busy}>
            Create article
          </button>
        </section>
      )}
    </dialog>
  );
}
