import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { slugify } from '../../shared/slug.ts';
import { escapeHtml, parseFragment } from '../dom.ts';
import { NinjsTextSchema, articleNinjs, documentUri, pictureNinjs, withdrawnNinjs, type NinjsText } from './ninjs.ts';
import { CmsError, type AdapterOptions, type CmsAdapter, type PublishArticle, type PublishBio, type PublishPhoto, type RemoteMedia, type RemoteRef, type RemoteState } from './types.ts';

/**
 * The folder target: the default on a fresh install, so write → approve → publish
 * works with no CMS at all. Everything is a plain file in one folder:
 *
 *   <slug>.html               a standalone HTML5 page (no scripts; a CSP that allows
 *                             only same-origin/local images and the inline style)
 *   <slug>.json               the article as IPTC ninjs 2.1 (electron/cms/ninjs.ts);
 *                             rendition hrefs are relative to the JSON file
 *   photos/<fileName>         each photo's bytes, written once per SHA-256
 *   photos/<fileName>.json    the photo's ninjs picture item: caption, alt text,
 *                             credit, photographer, copyright (rewritten on caption edits)
 *   authors/<name-slug>.json  author bios
 *
 * Every file is written atomically: a temporary file in the same folder, flushed,
 * then renamed over the old one, so a reader (or a crash) never sees half a page.
 *
 * Markers: RemoteRef.remoteId is the slug, url the page's file:// URL, and modified
 * the SHA-256 of the HTML Galley wrote. readRemote hashes what is on disk now, so a
 * page edited by hand reads back with a different marker and the worker can report
 * a conflict. A withdrawn article has no page; its marker is the hash of its JSON.
 *
 * Errors: local file-system failures are 'permanent' (with the reason in plain words
 * and the path), except a full disk or a busy/locked file (ENOSPC, EBUSY, EAGAIN,
 * EMFILE, ENFILE), which are 'retry'.
 */

export type FolderConfig = { type: 'folder'; folder: string; language?: string };

const RETRY_CODES = new Set(['ENOSPC', 'EBUSY', 'EAGAIN', 'EMFILE', 'ENFILE', 'ETIMEDOUT']);

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'the operating system does not allow it',
  EROFS: 'the disk is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  ENOTDIR: 'part of the path is a file, not a folder',
  ENOENT: 'the folder does not exist',
  EISDIR: 'a folder is in the way of a file',
  EEXIST: 'a file is in the way of the folder',
  EBUSY: 'the file is in use',
  EAGAIN: 'the file is temporarily unavailable',
  EMFILE: 'too many files are open',
  ENFILE: 'too many files are open',
  ENAMETOOLONG: 'the path is too long',
  ELOOP: 'the path loops through links',
};

function reasonOf(error: NodeJS.ErrnoException): string {
  return REASONS[error.code ?? ''] ?? error.message;
}

function fsError(error: unknown, what: string): CmsError {
  if (error instanceof CmsError) return error;
  const e = error as NodeJS.ErrnoException;
  const reason = reasonOf(e);
  const where = e.path ? ` (${e.path})` : '';
  return new CmsError(RETRY_CODES.has(e.code ?? '') ? 'retry' : 'permanent', `${what}: ${reason}${where}`, { cmsMessage: reason });
}

async function guard<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw fsError(error, what);
  }
}

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/** Writes via a temporary file in the same folder, flushed, then renamed into place. */
async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = join(resolve(path, '..'), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(tmp, 'wx', 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw error;
  }
}

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** A JSON file's object, or null when it is missing or not JSON (then it is not Galley's). */
async function readJsonObject(path: string): Promise<Record<string, unknown> | null> {
  const text = await readText(path);
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Slugs become file names: letters, digits, '-' and '_' only, so nothing can escape the folder. */
function safeSlug(slug: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,199}$/.test(slug)) {
    throw new CmsError('permanent', `The slug "${slug}" cannot be used as a file name; use letters, digits and hyphens`);
  }
  return slug;
}

function safeFileName(name: string): string {
  if (!name || name !== basename(name) || name.startsWith('.') || /[\\/\0:]/.test(name) || name.length > 255) {
    throw new CmsError('permanent', `The photo file name "${name}" cannot be used in the folder`);
  }
  return name;
}

// ---------------------------------------------------------------------------
// The page

const DROP_ELEMENTS = 'script, noscript, iframe, frame, frameset, object, embed, applet, base, link, meta, style, form, template, portal';
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'poster', 'background', 'cite', 'data', 'srcset']);

/**
 * The body comes from Galley's own renderer (schema elements only, text escaped), so
 * this is defence in depth for a standalone page: anything executable or that could
 * pull in other resources is removed even if a future renderer let it through.
 */
function cleanBody(html: string): string {
  const body = parseFragment(html);
  for (const el of Array.from(body.querySelectorAll(DROP_ELEMENTS))) el.remove();
  for (const el of Array.from(body.querySelectorAll('*'))) {
    for (const name of el.getAttributeNames()) {
      const lower = name.toLowerCase();
      const value = el.getAttribute(name) ?? '';
      if (lower.startsWith('on') || lower === 'srcdoc' || lower === 'style' || (URL_ATTRIBUTES.has(lower) && /^\s*(?:javascript|vbscript|data\s*:\s*text)/i.test(value))) {
        el.removeAttribute(name);
      }
    }
  }
  const wrap = body.ownerDocument.createElement('div');
  wrap.append(body);
  return wrap.innerHTML;
}

const STYLE = [
  'body{margin:0;background:#fff;color:#1a1a1a;font:18px/1.6 Georgia,"Times New Roman",serif}',
  'article{max-width:42rem;margin:0 auto;padding:2rem 1.25rem 4rem}',
  'h1{font-size:2.2rem;line-height:1.15;margin:0 0 .75rem}',
  '.dek{font-size:1.25rem;color:#444;margin:0 0 1rem}',
  '.byline{font:600 .95rem/1.4 system-ui,sans-serif;margin:0 0 2rem}',
  'figure{margin:2rem 0}img{max-width:100%;height:auto;display:block}',
  'figcaption{font:.9rem/1.45 system-ui,sans-serif;color:#444;margin-top:.5rem}.credit{color:#767676}',
  'blockquote{margin:1.5rem 0;padding-left:1rem;border-left:3px solid #ccc}',
  'footer{font:.9rem/1.45 system-ui,sans-serif;color:#444;margin-top:3rem}',
].join('\n');

/**
 * The standalone page: only the headline, dek, byline and contributor line are
 * interpolated (all escaped); the body is Galley's rendered HTML with figures whose
 * `src` is the relative `photos/<file>` this adapter returned from uploadPhoto.
 */
export function folderPageHtml(article: PublishArticle, options: { language?: string } = {}): string {
  const lang = options.language && /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/.test(options.language) ? options.language : 'en';
  const head = [
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // 'self' covers the photos when the folder is served over HTTP, and in Chromium for
    // a page opened from disk (checked); file: is there for browsers that give file://
    // pages an opaque origin. No script source at all: nothing on the page can run.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self' file:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="generator" content="Galley">',
    `<title>${escapeHtml(article.headline)}</title>`,
    ...(article.dek.trim() ? [`<meta name="description" content="${escapeHtml(article.dek)}">`] : []),
    `<style>\n${STYLE}\n</style>`,
  ];
  const header = [
    `<h1>${escapeHtml(article.headline)}</h1>`,
    ...(article.dek.trim() ? [`<p class="dek">${escapeHtml(article.dek)}</p>`] : []),
    ...(article.byline.trim() ? [`<p class="byline">${escapeHtml(article.byline)}</p>`] : []),
  ];
  const footer = article.contributorLine.trim() ? [`<footer><p class="contributors">${escapeHtml(article.contributorLine)}</p></footer>`] : [];
  return [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(lang)}">`,
    '<head>',
    ...head,
    '</head>',
    '<body>',
    '<article>',
    '<header>',
    ...header,
    '</header>',
    cleanBody(article.html),
    ...footer,
    '</article>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function titleOf(html: string): string {
  return (parseFragment(html).querySelector('h1')?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

// ---------------------------------------------------------------------------
// The adapter

function folderRoot(folder: string): string {
  const trimmed = folder.trim();
  const expanded = trimmed === '~' ? homedir() : trimmed.startsWith('~/') ? join(homedir(), trimmed.slice(2)) : trimmed;
  if (!isAbsolute(expanded)) throw new CmsError('permanent', `The folder "${folder}" is not a full path; choose the folder again in Settings → Publish targets`);
  return resolve(expanded);
}

export function folderAdapter(options: AdapterOptions<FolderConfig>): CmsAdapter {
  const now = options.now ?? Date.now;
  const language = options.config.language;
  const root = () => folderRoot(options.config.folder);
  const pagePath = (slug: string) => join(root(), `${slug}.html`);
  const jsonPath = (slug: string) => join(root(), `${slug}.json`);
  const photosDir = () => join(root(), 'photos');
  const authorsDir = () => join(root(), 'authors');
  const fileUrl = (path: string) => pathToFileURL(path).href;

  /** Writes the photo unless a file with the same bytes is already there. */
  async function writePhoto(photo: PublishPhoto): Promise<string> {
    const name = safeFileName(photo.fileName);
    const path = join(photosDir(), name);
    await mkdir(photosDir(), { recursive: true });
    const current = await stat(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    if (!current || current.size !== photo.bytes.byteLength || sha256(await readFile(path)) !== photo.sha256) {
      await writeAtomic(path, photo.bytes);
    }
    return name;
  }

  async function writePhotoSidecar(photo: PublishPhoto, name: string): Promise<void> {
    // The sidecar sits next to the photo, so its rendition href is the bare file name.
    const item = pictureNinjs(photo, { now: now(), href: name, ...(language ? { language } : {}) });
    await writeAtomic(join(photosDir(), `${name}.json`), `${JSON.stringify(item, null, 2)}\n`);
  }

  /** The marker and state of what is on disk for a slug, or null when neither page nor JSON is there. */
  async function onDisk(slug: string): Promise<{ modified: string; html: string | null; json: Record<string, unknown> | null } | null> {
    const html = await readText(pagePath(slug));
    const jsonText = await readText(jsonPath(slug));
    let json: Record<string, unknown> | null = null;
    try {
      json = jsonText === null ? null : (JSON.parse(jsonText) as Record<string, unknown>);
    } catch {
      json = null;
    }
    if (html !== null) return { modified: sha256(html), html, json };
    if (json && json.pubstatus === 'canceled' && jsonText !== null) return { modified: sha256(jsonText), html: null, json };
    return null;
  }

  async function refFor(slug: string): Promise<RemoteRef | null> {
    const state = await onDisk(slug);
    if (!state) return null;
    return { remoteId: slug, url: state.html !== null ? fileUrl(pagePath(slug)) : '', modified: state.modified };
  }

  /** Refuses to overwrite a page that belongs to another document or that Galley did not write. */
  async function checkSlugFree(slug: string, uri: string): Promise<void> {
    const json = await readJsonObject(jsonPath(slug));
    if (json && json.uri !== uri) {
      throw new CmsError('permanent', `${slug}.html in ${root()} belongs to another article; give this one a different slug`);
    }
    if (!json && (await exists(pagePath(slug)))) {
      throw new CmsError('permanent', `${slug}.html is already in ${root()} and Galley did not write it; move it away or change the slug`);
    }
  }

  async function writeArticle(article: PublishArticle, previousSlug: string | null): Promise<RemoteRef> {
    const slug = safeSlug(article.slug);
    const uri = documentUri(article.documentId);
    await mkdir(root(), { recursive: true });
    await checkSlugFree(slug, uri);

    const photos = [...article.figures.map((f) => f.photo), ...(article.featured ? [article.featured.photo] : [])];
    const written = new Set<string>();
    for (const photo of photos) {
      if (written.has(photo.sha256)) continue;
      written.add(photo.sha256);
      const name = await writePhoto(photo);
      if (!(await exists(join(photosDir(), `${name}.json`)))) await writePhotoSidecar(photo, name);
    }

    const ninjs = articleNinjs(article, { now: now(), href: (photo) => `photos/${photo.fileName}`, ...(language ? { language } : {}) });
    const html = folderPageHtml(article, { ...(language ? { language } : {}) });
    // JSON first, page last: a page on disk always has its current JSON beside it.
    await writeAtomic(jsonPath(slug), `${JSON.stringify(ninjs, null, 2)}\n`);
    await writeAtomic(pagePath(slug), html);

    if (previousSlug && previousSlug !== slug && /^[A-Za-z0-9][A-Za-z0-9_-]{0,199}$/.test(previousSlug)) {
      // The slug changed: remove the old files, but only if they are this article's.
      const old = await readJsonObject(jsonPath(previousSlug));
      if (old && old.uri === uri) {
        await rm(pagePath(previousSlug), { force: true });
        await rm(jsonPath(previousSlug), { force: true });
      }
    }
    return { remoteId: slug, url: fileUrl(pagePath(slug)), modified: sha256(html) };
  }

  return {
    async verify() {
      let folder: string;
      try {
        folder = root();
      } catch (error) {
        throw error instanceof CmsError ? error : new CmsError('permanent', String(error));
      }
      try {
        await mkdir(folder, { recursive: true });
        const probe = join(folder, `.galley-probe-${randomBytes(6).toString('hex')}`);
        await writeAtomic(probe, 'Galley checks that it can write here.\n');
        await rm(probe, { force: true });
      } catch (error) {
        const reason = reasonOf(error as NodeJS.ErrnoException);
        throw new CmsError('permanent', `Galley cannot write to the folder ${folder}: ${reason}`, { cmsMessage: reason });
      }
      return { account: `Folder ${folder}`, warnings: [] };
    },

    findExisting({ documentId, slug }) {
      return guard('Looking for an earlier page', async () => {
        const uri = documentUri(documentId);
        if (/^[A-Za-z0-9][A-Za-z0-9_-]{0,199}$/.test(slug)) {
          const json = await readJsonObject(jsonPath(slug));
          if (json?.uri === uri) return refFor(slug);
        }
        // The slug may have changed since: look through the other pages' JSON.
        let names: string[];
        try {
          names = await readdir(root());
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
          throw error;
        }
        for (const name of names.sort()) {
          if (!name.endsWith('.json') || name.startsWith('.')) continue;
          const other = name.slice(0, -'.json'.length);
          if (other === slug || !/^[A-Za-z0-9][A-Za-z0-9_-]{0,199}$/.test(other)) continue;
          const json = await readJsonObject(join(root(), name));
          if (json?.uri === uri) return refFor(other);
        }
        return null;
      });
    },

    readRemote(ref: RemoteRef) {
      return guard('Reading the page', async (): Promise<RemoteState | null> => {
        const slug = safeSlug(ref.remoteId);
        const state = await onDisk(slug);
        if (!state) return null;
        const json = state.json;
        const version = typeof json?.version === 'string' ? json.version : null;
        if (state.html === null) {
          return { remoteId: slug, url: '', modified: state.modified, title: '', html: '', status: 'withdrawn', galleyRevisionId: version };
        }
        const embargoed = typeof json?.embargoed === 'string' ? Date.parse(json.embargoed) : NaN;
        const status = json?.pubstatus === 'canceled' ? 'withdrawn' : embargoed > now() ? 'scheduled' : 'published';
        return {
          remoteId: slug,
          url: fileUrl(pagePath(slug)),
          modified: state.modified,
          title: titleOf(state.html),
          html: state.html,
          status,
          galleyRevisionId: version,
        };
      });
    },

    createArticle(article) {
      return guard('Writing the page', () => writeArticle(article, null));
    },

    updateArticle(ref, article) {
      return guard('Writing the page', () => writeArticle(article, ref.remoteId));
    },

    /**
     * Removes the page and replaces the JSON with a bare "canceled" item (no headline,
     * body or pictures: a withdrawal may be a legal takedown). Photos stay, since other
     * articles may use them.
     */
    unpublish(ref) {
      return guard('Withdrawing the page', async () => {
        const slug = safeSlug(ref.remoteId);
        const json = await readJsonObject(jsonPath(slug));
        await rm(pagePath(slug), { force: true });
        let modified = sha256('');
        if (json && typeof json.uri === 'string') {
          const withdrawn: NinjsText = NinjsTextSchema.parse({
            ...withdrawnNinjs(json.uri, { now: now(), ...(typeof json.version === 'string' ? { version: json.version } : {}) }),
            slugline: slug,
          });
          const text = `${JSON.stringify(withdrawn, null, 2)}\n`;
          await writeAtomic(jsonPath(slug), text);
          modified = sha256(text);
        }
        return { remoteId: slug, url: '', modified };
      });
    },

    uploadPhoto(photo): Promise<RemoteMedia> {
      return guard('Saving the photo', async () => {
        await mkdir(root(), { recursive: true });
        const name = await writePhoto(photo);
        await writePhotoSidecar(photo, name);
        return { remoteId: `photos/${name}`, url: `photos/${name}` };
      });
    },

    /**
     * Rewrites the photo's sidecar JSON (and the photo itself if it went missing).
     * Pages already written keep the caption they were published with until the
     * article is published again.
     */
    updatePhoto(media, photo) {
      return guard('Updating the photo caption', async () => {
        // The file this media item stands for (what uploadPhoto returned), else the photo's own name.
        const fromMedia = media.remoteId.startsWith('photos/') ? media.remoteId.slice('photos/'.length) : '';
        const name = safeFileName(fromMedia || photo.fileName);
        await mkdir(photosDir(), { recursive: true });
        // Put the file back only if it went missing and these bytes really are that photo.
        if (!(await exists(join(photosDir(), name))) && sha256(photo.bytes) === photo.sha256) await writeAtomic(join(photosDir(), name), photo.bytes);
        await writePhotoSidecar(photo, name);
      });
    },

    /** authors/<name-slug>.json: { uri, version, name, title, email, biography: { text, html } }. */
    updateBio(bio: PublishBio) {
      return guard('Writing the author bio', async () => {
        const uri = documentUri(bio.documentId);
        const slug = safeSlug(slugify(bio.name) || `author-${slugify(bio.documentId) || 'unnamed'}`);
        await mkdir(authorsDir(), { recursive: true });
        const data = { uri, version: bio.revisionId, name: bio.name, title: bio.title, email: bio.email, biography: { text: bio.bioText, html: bio.bioHtml } };
        const text = `${JSON.stringify(data, null, 2)}\n`;
        const path = join(authorsDir(), `${slug}.json`);
        await writeAtomic(path, text);
        // A renamed author: drop the file under the old name.
        for (const name of await readdir(authorsDir())) {
          if (name === `${slug}.json` || !name.endsWith('.json') || name.startsWith('.')) continue;
          const other = await readJsonObject(join(authorsDir(), name));
          if (other?.uri === uri) await rm(join(authorsDir(), name), { force: true });
        }
        return { remoteId: `authors/${slug}`, url: fileUrl(path), modified: sha256(text) };
      });
    },
  };
}
