import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JSDOM } from 'jsdom';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { folderAdapter } from '../../electron/cms/folder.ts';
import { NinjsPictureSchema, NinjsTextSchema } from '../../electron/cms/ninjs.ts';
import type { CmsAdapter } from '../../electron/cms/types.ts';
import { tempDir } from '../support/backend.ts';
import { sampleArticle, samplePhoto, withFigures } from '../support/publishFixtures.ts';
import { cmsErrorOf } from '../support/cmsError.ts';

const sha = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');


describe('folder adapter', () => {
  let tmp: ReturnType<typeof tempDir>;
  let folder: string;
  let cms: CmsAdapter;
  beforeEach(() => {
    tmp = tempDir('galley-folder-');
    folder = join(tmp.dir, 'site');
    cms = folderAdapter({ config: { type: 'folder', folder }, secret: '' });
  });
  afterEach(() => tmp.remove());

  it('verify() creates the folder and says which one', async () => {
    const result = await cms.verify();
    expect(result.account).toBe(`Folder ${folder}`);
    expect(existsSync(folder)).toBe(true);
    expect(readdirSync(folder)).toEqual([]);
  });

  it('publishes a page, its ninjs JSON and the photos, then reads them back', async () => {
    const photo = await samplePhoto();
    const media = await cms.uploadPhoto(photo);
    expect(media).toEqual({ remoteId: `photos/${photo.fileName}`, url: `photos/${photo.fileName}` });
    const article = withFigures(sampleArticle(), [{ photo, media }]);
    const ref = await cms.createArticle(article);

    const page = join(folder, `${article.slug}.html`);
    expect(ref).toEqual({ remoteId: article.slug, url: `file://${page}`, modified: sha(readFileSync(page)) });
    expect(fileURLToPath(ref.url)).toBe(page);

    // The photo, written once, with the same bytes, and its sidecar.
    expect(sha(readFileSync(join(folder, 'photos', photo.fileName)))).toBe(photo.sha256);
    const sidecar = NinjsPictureSchema.parse(JSON.parse(readFileSync(join(folder, 'photos', `${photo.fileName}.json`), 'utf8')));
    expect(sidecar.descriptions).toContainEqual({ role: 'alt', contenttype: 'text/plain', value: photo.altText });
    expect(sidecar.renditions?.[0]?.href).toBe(photo.fileName);

    // The page: a clean standalone HTML5 document.
    const html = readFileSync(page, 'utf8');
    const { document } = new JSDOM(html).window;
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(document.documentElement.lang).toBe('en');
    expect(document.querySelector('meta[charset]')?.getAttribute('charset')).toBe('utf-8');
    expect(document.querySelector('meta[name="viewport"]')).not.toBeNull();
    expect(document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content')).toContain("default-src 'none'");
    expect(document.querySelector('article h1')?.textContent).toBe(article.headline);
    expect(document.querySelector('article .dek')?.textContent).toBe(article.dek);
    expect(document.querySelector('article .byline')?.textContent).toBe(article.byline);
    expect(document.querySelector('article figure img')?.getAttribute('src')).toBe(`photos/${photo.fileName}`);
    expect(document.querySelector('article figcaption')?.textContent).toContain(photo.captionText);
    expect(document.querySelectorAll('script')).toHaveLength(0);
    // The image the page points at exists relative to the page.
    expect(existsSync(join(folder, document.querySelector('img')?.getAttribute('src') ?? 'x'))).toBe(true);

    // The JSON: ninjs 2.1 with the picture association pointing at the photo file.
    const ninjs = NinjsTextSchema.parse(JSON.parse(readFileSync(join(folder, `${article.slug}.json`), 'utf8')));
    expect(ninjs).toMatchObject({ uri: 'urn:galley:document:doc-harbour-vote', version: 'rev-1', pubstatus: 'usable' });
    expect(ninjs.associations?.[1]?.renditions?.[0]?.href).toBe(`photos/${photo.fileName}`);

    expect(await cms.readRemote(ref)).toEqual({
      ...ref,
      title: article.headline,
      html,
      status: 'published',
      galleyRevisionId: 'rev-1',
    });
    expect(await cms.findExisting({ documentId: article.documentId, slug: article.slug })).toEqual(ref);
    expect(await cms.findExisting({ documentId: 'someone-else', slug: article.slug })).toBeNull();
  });

  it('escapes a hostile headline, dek and byline and keeps scripts out of the page', async () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const article = sampleArticle({
      headline: `Harbour ${hostile} & "friends"`,
      dek: `</p><script>alert(2)</script>`,
      byline: `By <b onclick="x()">Eve</b>`,
      html: '<p>Body</p><script>alert(3)</script><p onclick="alert(4)"><a href="javascript:alert(5)">link</a></p>',
    });
    const ref = await cms.createArticle(article);
    const html = readFileSync(fileURLToPath(ref.url), 'utf8');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img src=x/i);
    expect(html).not.toMatch(/javascript:/i);
    expect(html).toContain('Harbour &lt;img src=x onerror=alert(1)&gt; &amp; &quot;friends&quot;');
    const { document } = new JSDOM(html).window;
    expect(document.querySelector('h1')?.textContent).toBe(article.headline);
    expect(document.querySelector('.dek')?.textContent).toBe(article.dek);
    expect(document.querySelector('.byline')?.textContent).toBe(article.byline);
    expect(document.querySelectorAll('img')).toHaveLength(0);
    const handlers = Array.from(document.querySelectorAll('*')).flatMap((el) => el.getAttributeNames().filter((n) => n.startsWith('on')));
    expect(handlers).toEqual([]);
    expect(document.querySelector('title')?.textContent).toBe(article.headline);
    expect((await cms.readRemote(ref))?.title).toBe(article.headline);
  });

  it('an update rewrites the files; a slug change moves them; a hand edit changes the marker', async () => {
    const article = sampleArticle();
    const ref = await cms.createArticle(article);
    const updated = await cms.updateArticle(ref, { ...article, revisionId: 'rev-2', headline: 'Council approves harbour expansion' });
    expect(updated.remoteId).toBe(article.slug);
    expect(updated.modified).not.toBe(ref.modified);
    const remote = await cms.readRemote(updated);
    expect(remote).toMatchObject({ modified: updated.modified, title: 'Council approves harbour expansion', galleyRevisionId: 'rev-2' });

    // Someone edits the page by hand: the marker on disk no longer matches what Galley wrote.
    const page = fileURLToPath(updated.url);
    writeFileSync(page, readFileSync(page, 'utf8').replace('<h1>Council approves', '<h1>Council rejects'));
    const edited = await cms.readRemote(updated);
    expect(edited?.modified).not.toBe(updated.modified);
    expect(edited?.title).toBe('Council rejects harbour expansion');

    // A new slug: new files, the old ones gone.
    const moved = await cms.updateArticle(updated, { ...article, revisionId: 'rev-3', slug: 'harbour-expansion-approved' });
    expect(moved.remoteId).toBe('harbour-expansion-approved');
    expect(readdirSync(folder).sort()).toEqual(['harbour-expansion-approved.html', 'harbour-expansion-approved.json']);
    expect(await cms.readRemote(updated)).toBeNull();
    expect(await cms.findExisting({ documentId: article.documentId, slug: article.slug })).toEqual(moved);
  });

  it('will not overwrite a page that belongs to another article or that Galley did not write', async () => {
    await cms.createArticle(sampleArticle());
    const other = await cmsErrorOf(cms.createArticle(sampleArticle({ documentId: 'doc-other' })));
    expect(other.kind).toBe('permanent');
    expect(other.message).toContain('belongs to another article');
    writeFileSync(join(folder, 'handmade.html'), '<p>mine</p>');
    expect((await cmsErrorOf(cms.createArticle(sampleArticle({ slug: 'handmade' })))).message).toContain('Galley did not write it');
    expect((await cmsErrorOf(cms.createArticle(sampleArticle({ slug: '../escape' })))).kind).toBe('permanent');
  });

  it('unpublish removes the page and leaves a canceled ninjs record', async () => {
    const article = sampleArticle();
    const ref = await cms.createArticle(article);
    const withdrawn = await cms.unpublish(ref);
    expect(existsSync(join(folder, `${article.slug}.html`))).toBe(false);
    const jsonText = readFileSync(join(folder, `${article.slug}.json`), 'utf8');
    const json = NinjsTextSchema.parse(JSON.parse(jsonText));
    expect(json).toMatchObject({ uri: 'urn:galley:document:doc-harbour-vote', pubstatus: 'canceled', version: 'rev-1' });
    expect(json).not.toHaveProperty('bodies');
    expect(withdrawn).toEqual({ remoteId: article.slug, url: '', modified: sha(jsonText) });
    expect(await cms.readRemote(withdrawn)).toMatchObject({ status: 'withdrawn', modified: withdrawn.modified, html: '' });

    // Publishing again brings the page back under the same slug.
    const again = await cms.updateArticle(withdrawn, article);
    expect((await cms.readRemote(again))?.status).toBe('published');
  });

  it('writes each photo once, rewrites its sidecar on caption edits, and writes bios', async () => {
    const photo = await samplePhoto({ fixture: 'council-chamber.jpg' });
    const media = await cms.uploadPhoto(photo);
    const path = join(folder, 'photos', photo.fileName);
    const firstWrite = readdirSync(join(folder, 'photos'));
    const mtime = statSync(path).mtimeMs;
    await cms.uploadPhoto(photo);
    expect(statSync(path).mtimeMs).toBe(mtime);

    await cms.updatePhoto(media, { ...photo, captionText: 'Councillors take their seats.', altText: 'Rows of wooden seats.' });
    const sidecar = NinjsPictureSchema.parse(JSON.parse(readFileSync(`${path}.json`, 'utf8')));
    expect(sidecar.descriptions).toContainEqual({ role: 'caption', contenttype: 'text/plain', value: 'Councillors take their seats.' });
    expect(sidecar.descriptions).toContainEqual({ role: 'alt', contenttype: 'text/plain', value: 'Rows of wooden seats.' });
    expect(readdirSync(join(folder, 'photos'))).toEqual(firstWrite);

    const bio = { documentId: 'bio-1', revisionId: 'r1', name: 'Zoë Đorđević', title: 'Photographer', email: 'z@example.org', bioText: 'Shoots the harbour.', bioHtml: '<p>Shoots the harbour.</p>' };
    const ref = await cms.updateBio(bio);
    expect(ref.remoteId).toBe('authors/zoe-dordevic');
    expect(JSON.parse(readFileSync(join(folder, 'authors', 'zoe-dordevic.json'), 'utf8'))).toMatchObject({ uri: 'urn:galley:document:bio-1', name: 'Zoë Đorđević' });
    await cms.updateBio({ ...bio, revisionId: 'r2', name: 'Zoë Đorđević-Ruiz' });
    expect(readdirSync(join(folder, 'authors'))).toEqual(['zoe-dordevic-ruiz.json']);
  });

  it('an unwritable folder gives a clear permanent error naming it', async () => {
    // A file where a folder should be: fails the same way for root, who ignores permissions.
    const blocker = join(tmp.dir, 'not-a-folder');
    writeFileSync(blocker, 'a file');
    const target = join(blocker, 'site');
    const bad = folderAdapter({ config: { type: 'folder', folder: target }, secret: '' });
    const error = await cmsErrorOf(bad.verify());
    expect(error.kind).toBe('permanent');
    expect(error.message).toContain(target);
    expect(error.message).toMatch(/not a folder/);
    const publish = await cmsErrorOf(bad.createArticle(sampleArticle()));
    expect(publish.kind).toBe('permanent');

    const relative = await cmsErrorOf(folderAdapter({ config: { type: 'folder', folder: 'relative/path' }, secret: '' }).verify());
    expect(relative.kind).toBe('permanent');
    expect(relative.message).toContain('relative/path');
  });
});
