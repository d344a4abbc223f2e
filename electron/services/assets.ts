import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { DERIVED_WIDTHS, assetPath, derivedPath, getAsset, insertAsset, type AssetRow } from '../../db/assets.ts';
import type { Output, ParsedInput } from '../../shared/contract.ts';
import type { DocumentContent, DocumentRecord } from '../../shared/documents.ts';
import { emptyDoc, plainText } from '../../shared/richtext.ts';
import { GalleyError } from '../../shared/errors.ts';
import { MAX_PHOTO_BYTES, MAX_PHOTO_PIXELS, PhotoMetadata, type Asset, type ImageSize } from '../../shared/photos.ts';
import type { ServiceContext, SignedIn } from './context.ts';
import { getDocument, insertWithContent, saveWorking } from './documents.ts';
import { readPhotoMetadata } from './metadata.ts';

/**
 * Photo import: the bytes are checked (type by content, not by name; fully decoded, so
 * a truncated file is caught), stored once under their SHA-256 in the data folder with
 * a thumbnail and a preview, and recorded with their IPTC/XMP metadata. Files are
 * written (to temporary names, then renamed) before the database row; if anything
 * fails, what this import wrote is removed, so nothing half-imported remains.
 */
function sniff(bytes: Uint8Array): AssetRow['mime'] | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 16));
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  return null;
}

function writeAtomically(file: string, data: Uint8Array | Buffer): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (error) {
    // A disk that filled mid-write leaves a partial file: it must not keep the space.
    rmSync(tmp, { force: true });
    throw error;
  }
}

/** A thumbnail or preview, made from the original. */
function derive(source: Sharp, size: ImageSize): Promise<Buffer> {
  const width = DERIVED_WIDTHS[size];
  return source.clone().rotate().resize({ width, height: width, fit: 'inside', withoutEnlargement: true }).webp({ quality: 78 }).toBuffer();
}

class TooManyPixels extends Error {
  constructor(width: number, height: number) {
    const n = (x: number) => x.toLocaleString('en-US');
    super(
      `the image is ${n(width)} × ${n(height)} pixels (${Math.round((width * height) / 1e6)} megapixels); photos can be at most ${MAX_PHOTO_PIXELS / 1e6} megapixels. Export a smaller version.`,
    );
  }
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

function toAsset(row: AssetRow): Asset {
  return { ...row, metadata: PhotoMetadata.parse(JSON.parse(row.metadata)) } as Asset;
}

export async function importAsset(ctx: ServiceContext, caller: SignedIn, input: ParsedInput<'assets.import'>): Promise<Asset> {
  const name = input.fileName;
  const bytes = input.data;
  if (bytes.length > MAX_PHOTO_BYTES) {
    throw new GalleyError('invalid_input', `${name}: the file is ${mb(bytes.length)}; photos can be at most ${mb(MAX_PHOTO_BYTES)}. Export a smaller JPEG.`, [
      { path: 'data', message: 'Too large' },
    ]);
  }
  const mime = sniff(bytes);
  if (!mime) {
    throw new GalleyError('invalid_input', `${name}: this is not a JPEG, PNG or WebP image. Choose a photo file.`, [
      { path: 'data', message: 'Not an image' },
    ]);
  }
  const sha256 = sha256Of(bytes);
  const existing = getAsset(ctx.db, sha256);
  // Importing a photo the library has, after its original went missing or was damaged,
  // is how the original is put back (db:check and the photo desk say so).
  if (existing && intact(assetPath(ctx.dataDir, sha256, mime), sha256)) return toAsset(existing);

  // Decoding every pixel is what finds a file that ends early or is corrupt inside.
  let image: { width: number; height: number; thumb: Buffer; preview: Buffer };
  try {
    // The header alone says how big the image is (reading it decodes no pixels): refuse a
    // huge one by its size before decoding any of it; the limit also binds the decoder.
    const meta = await sharp(bytes, { limitInputPixels: false }).metadata();
    if ((meta.width ?? 0) * (meta.height ?? 0) > MAX_PHOTO_PIXELS) throw new TooManyPixels(meta.width ?? 0, meta.height ?? 0);
    const source = sharp(bytes, { failOn: 'truncated', limitInputPixels: MAX_PHOTO_PIXELS });
    await source.clone().stats();
    image = { width: meta.width ?? 0, height: meta.height ?? 0, thumb: await derive(source, 'thumb'), preview: await derive(source, 'preview') };
  } catch (error) {
    if (error instanceof TooManyPixels) {
      throw new GalleyError('invalid_input', `${name}: ${error.message}`, [{ path: 'data', message: 'Too many pixels' }]);
    }
    const why = error instanceof Error ? error.message : String(error);
    const damaged = /premature|truncat|corrupt|bad|invalid|unexpected end/i.test(why);
    throw new GalleyError(
      'invalid_input',
      damaged
        ? `${name}: the image is damaged or incomplete (the file ends early or is corrupt). Export it again from the original.`
        : `${name}: the image cannot be read (${why.split('\n')[0]}).`,
      [{ path: 'data', message: why.split('\n')[0] ?? why }],
    );
  }
  const metadata = await readPhotoMetadata(bytes);

  const files = [
    [assetPath(ctx.dataDir, sha256, mime), bytes],
    [derivedPath(ctx.dataDir, sha256, 'thumb'), image.thumb],
    [derivedPath(ctx.dataDir, sha256, 'preview'), image.preview],
  ] as const;
  const written: string[] = [];
  try {
    for (const [file, data] of files) {
      const isOriginal = file === files[0][0];
      if (isOriginal ? intact(file, sha256) : existsSync(file)) continue;
      writeAtomically(file, data);
      written.push(file);
    }
    insertAsset(ctx.db, {
      sha256,
      mime,
      size: bytes.length,
      width: image.width,
      height: image.height,
      originalName: name,
      metadata: JSON.stringify(metadata),
      createdAt: ctx.now(),
      createdBy: caller.person.id,
    });
  } catch (error) {
    for (const file of written) rmSync(file, { force: true });
    throw error;
  }
  return toAsset(getAsset(ctx.db, sha256)!);
}

export function getAssetInfo(ctx: ServiceContext, input: ParsedInput<'assets.get'>): Asset {
  const row = getAsset(ctx.db, input.sha256);
  if (!row) throw new GalleyError('not_found', 'That photo is not in this workstation’s library.');
  return toAsset(row);
}

/**
 * A thumbnail or preview as a data: URL (allowed by the CSP; no file paths reach the
 * page). One that is missing from the data folder is made again from the original,
 * which is checked against its SHA-256 first: a damaged original is reported, never
 * shown.
 */
export async function imageData(ctx: ServiceContext, input: ParsedInput<'assets.image'>): Promise<Output<'assets.image'>> {
  const row = getAsset(ctx.db, input.sha256);
  if (!row) throw new GalleyError('not_found', 'That photo is not in this workstation’s library.');
  const file = derivedPath(ctx.dataDir, row.sha256, input.size);
  if (!existsSync(file)) writeAtomically(file, await derive(sharp(readOriginal(ctx, row)), input.size));
  return { dataUrl: `data:image/webp;base64,${readFileSync(file).toString('base64')}`, width: row.width, height: row.height };
}

const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The file is there and holds exactly the bytes with this SHA-256. */
function intact(file: string, sha256: string): boolean {
  return existsSync(file) && sha256Of(readFileSync(file)) === sha256;
}

function readOriginal(ctx: ServiceContext, row: AssetRow): Buffer {
  const file = assetPath(ctx.dataDir, row.sha256, row.mime);
  const missing = `The original of ${row.originalName} is missing from the data folder (${file}); import the photo again.`;
  if (!existsSync(file)) throw new GalleyError('damaged', missing);
  const bytes = readFileSync(file);
  if (sha256Of(bytes) !== row.sha256) {
    throw new GalleyError('damaged', `The original of ${row.originalName} is damaged (${file} no longer matches its SHA-256); import the photo again.`);
  }
  return bytes;
}

/**
 * A new caption document for a photo, prefilled from its embedded metadata. Anyone may
 * start one (a reporter inserting a new photo into a story); it is then the photo
 * desk's to edit, like every caption.
 */
export function createCaptionFromPhoto(
  ctx: ServiceContext,
  caller: SignedIn,
  input: ParsedInput<'captions.createFromPhoto'>,
): DocumentRecord {
  const asset = getAssetInfo(ctx, { sha256: input.sha256 });
  const m = asset.metadata;
  const content: DocumentContent = {
    kind: 'caption',
    fields: {
      photo: asset.sha256,
      credit: m.credit,
      photographer: m.photographer,
      copyright: m.copyright,
      altText: m.altText,
      dateTaken: m.dateTaken,
      location: m.location,
    },
    body: m.caption ? { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: m.caption }] }] } : emptyDoc(),
  };
  return insertWithContent(ctx, caller.person.id, content);
}

/**
 * Puts a photo on an existing caption document, in the back end, so the link is made
 * even if the window moves on while the photo imports. Fields the photo desk already
 * wrote are kept; empty ones are filled from the photo's metadata.
 */
export function attachPhoto(ctx: ServiceContext, caller: SignedIn, input: ParsedInput<'captions.attachPhoto'>): DocumentRecord {
  const asset = getAssetInfo(ctx, { sha256: input.sha256 });
  const doc = getDocument(ctx, { id: input.documentId });
  if (doc.content.kind !== 'caption') {
    throw new GalleyError('invalid_input', 'Photos go on caption documents; this is not one.', [{ path: 'documentId', message: 'Not a caption' }]);
  }
  const f = doc.content.fields;
  const m = asset.metadata;
  const pick = (have: string, meta: string) => (have.trim() ? have : meta);
  const body = plainText(doc.content.body).trim() || !m.caption ? doc.content.body : { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: m.caption }] }] };
  const content: DocumentContent = {
    kind: 'caption',
    fields: {
      photo: asset.sha256,
      credit: pick(f.credit, m.credit),
      photographer: pick(f.photographer, m.photographer),
      copyright: pick(f.copyright, m.copyright),
      altText: pick(f.altText, m.altText),
      dateTaken: pick(f.dateTaken, m.dateTaken),
      location: pick(f.location, m.location),
    },
    body,
  };
  saveWorking(ctx, caller, { id: doc.id, version: doc.version, content });
  return getDocument(ctx, { id: doc.id });
}
