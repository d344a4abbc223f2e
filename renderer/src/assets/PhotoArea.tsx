import { useEffect, useRef, useState, type DragEvent } from 'react';
import type { Asset } from '../../../shared/photos.ts';
import { MAX_PHOTO_BYTES } from '../../../shared/photos.ts';
import type { GalleyClient } from '../../../shared/contract.ts';
import { useClient } from '../api/context.tsx';
import { describeError } from '../errors.ts';

/**
 * Photos are stored by their SHA-256, so one never changes: an image already fetched (or
 * on its way) is shared by every place that shows it (the same photo in several figures,
 * the desk's thumbnails) instead of fetched again. The newest few dozen are kept.
 */
const images = new Map<string, Promise<string>>();
const KEEP_IMAGES = 48;

function imageUrl(client: GalleyClient, sha256: string, size: 'thumb' | 'preview'): Promise<string> {
  const key = `${size}:${sha256}`;
  let image = images.get(key);
  if (!image) {
    image = client.call('assets.image', { sha256, size }).then((img) => img.dataUrl);
    // A failure is not kept: the next look tries again.
    image.catch(() => images.get(key) === image && images.delete(key));
    images.set(key, image);
    if (images.size > KEEP_IMAGES) images.delete(images.keys().next().value!);
  }
  return image;
}

/** Shows a stored photo by its SHA-256 (a data: URL from the back end). */
export function PhotoImage({ sha256, size, alt }: { sha256: string; size: 'thumb' | 'preview'; alt: string }) {
  const client = useClient();
  const [src, setSrc] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setSrc(null);
    imageUrl(client, sha256, size).then(
      (url) => live && setSrc(url),
      (e: unknown) => live && setError(describeError(e)),
    );
    return () => {
      live = false;
    };
  }, [client, sha256, size]);
  if (error) return <p className="error">{error}</p>;
  return src ? <img src={src} alt={alt} className={`photo ${size}`} /> : <div className={`photo ${size} loading`} aria-busy="true" />;
}

/** A button that opens the file chooser (labelled "Photo file") for one photo. */
export function PhotoFileButton({ label, disabled, onFile }: { label: string; disabled: boolean; onFile: (file: File) => void }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" onClick={() => input.current?.click()} disabled={disabled}>
        {label}
      </button>
      <input
        ref={input}
        type="file"
        aria-label="Photo file"
        accept="image/jpeg,image/png,image/webp"
        className="visually-hidden"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) onFile(file);
        }}
      />
    </>
  );
}

/**
 * The photo area of a caption: Import photo (file chooser "Photo file") or drop a
 * file on it. Progress and errors are shown here; the back end checks the file.
 */
export function PhotoArea({
  sha256,
  alt,
  editable,
  onImported,
}: {
  sha256: string;
  alt: string;
  editable: boolean;
  onImported: (asset: Asset) => void;
}) {
  const client = useClient();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [over, setOver] = useState(false);

  const importFile = async (file: File) => {
    setError(null);
    if (file.size > MAX_PHOTO_BYTES) {
      setError(`${file.name}: the file is ${(file.size / 1048576).toFixed(1)} MB; photos can be at most 50.0 MB. Export a smaller JPEG.`);
      return;
    }
    try {
      setBusy(`Importing ${file.name}…`);
      const data = new Uint8Array(await file.arrayBuffer());
      onImported(await client.call('assets.import', { fileName: file.name, data }));
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(null);
    }
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const file = e.dataTransfer.files[0];
    if (file && editable) void importFile(file);
  };

  return (
    <div
      className={`photo-area${over ? ' drop-target' : ''}`}
      onDragOver={(e) => {
        if (!editable) return;
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      {sha256 ? <PhotoImage sha256={sha256} size="preview" alt={alt} /> : <p className="empty-state">No photo yet. Drop a JPEG, PNG or WebP here.</p>}
      {editable && (
        <div className="photo-actions">
          <PhotoFileButton label="Import photo" disabled={busy !== null} onFile={(file) => void importFile(file)} />
        </div>
      )}
      {busy && (
        <p role="status" className="progress">
          <progress aria-label={busy} /> {busy}
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </div>
  );
}
