import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CmsAdapter, PublishPhoto, RemoteMedia } from '../../electron/cms/types.ts';
import { wordpressAdapter } from '../../electron/cms/wordpress.ts';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy.ts';
import { sampleArticle, samplePhoto, withFigures } from '../support/publishFixtures.ts';
import { startWordPress, wordPressUnavailable, type WordPressSite } from '../support/wordpress.ts';
import { cmsErrorOf } from '../support/cmsError.ts';

/**
 * The WordPress adapter against a real WordPress 6 (Debian's package) with the
 * Galley plugin, started privately for this file (tests/support/wordpress.ts), and a
 * fault proxy in front of it for lost answers, timeouts and refusals.
 */

const unavailable = wordPressUnavailable();
if (unavailable) console.warn(`Skipping the WordPress adapter tests: ${unavailable}`);

const DAY = 24 * 60 * 60 * 1000;
const STATUSES = 'publish,future,draft,pending,private';


describe.skipIf(unavailable !== null)('WordPress adapter (real WordPress)', () => {
  let site: WordPressSite;
  let adapter: CmsAdapter;
  let photo: PublishPhoto;
  let media: RemoteMedia;

  const make = (overrides: { siteUrl?: string; username?: string; secret?: string; timeoutMs?: number } = {}) =>
    wordpressAdapter({
      config: { type: 'wordpress', siteUrl: overrides.siteUrl ?? site.url, username: overrides.username ?? site.username },
      secret: overrides.secret ?? site.appPassword,
      timeoutMs: overrides.timeoutMs ?? 15_000,
    });

  /** An authenticated REST read straight from WordPress (not through the adapter). */
  async function wp<T = Record<string, unknown>>(route: string, query: Record<string, string> = {}): Promise<T> {
    const params = new URLSearchParams({ rest_route: route, context: 'edit', ...query });
    const response = await fetch(`${site.url}/?${params}`, {
      headers: { Authorization: `Basic ${Buffer.from(`${site.username}:${site.appPassword}`).toString('base64')}` },
    });
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()) as T;
  }
  const postsOf = (documentId: string) => wp<{ id: number }[]>('/wp/v2/posts', { galley_document_id: documentId, status: STATUSES });

  let withProxy: (fn: (proxy: FaultProxy) => Promise<void>) => Promise<void>;

  beforeAll(async () => {
    const started = await startWordPress();
    if ('skipped' in started) throw new Error(started.skipped);
    site = started;
    adapter = make();
    photo = await samplePhoto();
    withProxy = async (fn) => {
      const proxy = await startFaultProxy(site.url);
      try {
        await fn(proxy);
      } finally {
        await proxy.close();
      }
    };
  }, 90_000);

  afterAll(async () => {
    await site?.stop();
  }, 30_000);

  it('verifies good credentials and names the account', async () => {
    const result = await adapter.verify();
    expect(result.account).toBe(`Site Admin on ${site.url.replace('http://', '')}`);
    expect(result.warnings).toEqual([]);
  });

  // WordPress 6.1 answers a wrong Application Password with the same `rest_not_logged_in` as
  // a stripped header (it checks them too late in the request to say). The adapter asks
  // XML-RPC, which takes credentials in the body; that needs PHP's xml extension
  // (php-xml), which this machine may lack: then it names both causes.
  const refusedOrEither = () =>
    site.xmlRpc ? /refused the credentials: there is no user “[^”]+”, or the password is not a valid Application Password/ : /Either the Application Password is wrong .* or the web server strips the Authorization header/;

  it('says plainly when the application password or the user is wrong', async () => {
    if (!site.xmlRpc) console.warn('PHP on this machine has no xml extension (php-xml): XML-RPC cannot confirm a wrong password, so the message names both causes.');
    const wrong = await cmsErrorOf(make({ secret: 'abcd efgh ijkl mnop qrst uvwx' }).verify());
    expect(wrong.kind).toBe('auth');
    expect(wrong.status).toBe(401);
    expect(wrong.message).toMatch(refusedOrEither());

    // The login password is not an Application Password, and does not look like one.
    const login = await cmsErrorOf(make({ secret: site.adminPassword }).verify());
    expect(login.kind).toBe('auth');
    expect(login.message).toMatch(/refused the password for admin: it is not a valid Application Password.*does not look like one/);

    const nobody = await cmsErrorOf(make({ username: 'no-such-person' }).verify());
    expect(nobody.kind).toBe('auth');
    expect(nobody.message).toMatch(refusedOrEither());
  });

  it('says when the web server strips the Authorization header, and how to fix it', async () => {
    await withProxy(async (proxy) => {
      proxy.faults.push({ kind: 'stripAuthorization', path: '/wp/v2/users/me' });
      const error = await cmsErrorOf(make({ siteUrl: proxy.url }).verify());
      expect(error.kind).toBe('auth');
      expect(error.message).toMatch(site.xmlRpc ? /did not receive the credentials: the web server in front of it strips the Authorization header/ : /strips the Authorization header/);
      expect(error.message).toContain('SetEnvIf Authorization "(.*)" HTTP_AUTHORIZATION=$1');
      expect(error.message).toContain('CGIPassAuth On');
      expect(proxy.requests.map((r) => r.path)).toContainEqual('/xmlrpc.php');

      // XML-RPC blocked (common on hardened sites): both possible causes.
      proxy.faults.push({ kind: 'stripAuthorization', path: '/wp/v2/users/me' }, { kind: 'status', status: 403, path: '/xmlrpc.php' });
      const unsure = await cmsErrorOf(make({ siteUrl: proxy.url }).verify());
      expect(unsure.kind).toBe('auth');
      expect(unsure.message).toMatch(/Either the Application Password is wrong .* or the web server strips the Authorization header/);
    });
  });

  it('uploads a photo with its caption, credit line, alt text and description; a repeat adopts the same item', async () => {
    media = await adapter.uploadPhoto(photo);
    expect(media.remoteId).toMatch(/^\d+$/);
    expect(media.url).toMatch(new RegExp(`^${site.url}/wp-content/uploads/.+\\.jpg$`));

    const item = await wp<{ caption: { raw: string }; alt_text: string; description: { raw: string }; mime_type: string; meta: Record<string, string> }>(
      `/wp/v2/media/${media.remoteId}`,
    );
    expect(item.caption.raw).toBe(`${photo.captionText} Photo: Lena Ortiz/Northwind Photo`);
    expect(item.alt_text).toBe(photo.altText);
    expect(item.description.raw).toContain(photo.captionText);
    expect(item.description.raw).toContain('Photographer: Lena Ortiz');
    expect(item.description.raw).toContain('Copyright: (c) 2026 Northwind Photo');
    expect(item.mime_type).toBe('image/jpeg');
    expect(item.meta.galley_photo_sha256).toBe(photo.sha256);

    const image = await fetch(media.url);
    expect(image.status).toBe(200);
    expect(Buffer.from(await image.arrayBuffer()).equals(Buffer.from(photo.bytes))).toBe(true);

    // A retry (the first answer lost) finds the copy that arrived instead of adding another.
    const again = await adapter.uploadPhoto(photo);
    expect(again.remoteId).toBe(media.remoteId);
  });

  it('updates a photo’s caption and alt text after publishing', async () => {
    await adapter.updatePhoto(media, { ...photo, captionText: 'Boats at dawn, corrected.', altText: 'Orange boats at a quay.' });
    const item = await wp<{ caption: { raw: string }; alt_text: string }>(`/wp/v2/media/${media.remoteId}`);
    expect(item.caption.raw).toBe('Boats at dawn, corrected. Photo: Lena Ortiz/Northwind Photo');
    expect(item.alt_text).toBe('Orange boats at a quay.');
    await adapter.updatePhoto(media, photo);
  });

  it('creates a post with a featured image and figure, finds it by document id, and updates the same post', async () => {
    const article = withFigures(sampleArticle({ documentId: 'doc-create', slug: 'council-votes-on-harbour-expansion' }), [{ photo, media }]);
    expect(await adapter.findExisting({ documentId: article.documentId, slug: article.slug })).toBeNull();

    const ref = await adapter.createArticle(article);
    expect(ref.url).toBe(`${site.url}/council-votes-on-harbour-expansion/`);

    const post = await wp<Record<string, any>>(`/wp/v2/posts/${ref.remoteId}`);
    expect(post).toMatchObject({
      status: 'publish',
      slug: 'council-votes-on-harbour-expansion',
      title: { raw: article.headline },
      excerpt: { raw: article.dek },
      featured_media: Number(media.remoteId),
      author: 1,
      meta: { galley_document_id: 'doc-create', galley_revision_id: 'rev-1' },
    });
    expect(post.content.raw).toBe(article.html);
    expect(post.content.raw).toContain(`<figure><img src="${media.url}"`);
    const tagNames = await Promise.all((post.tags as number[]).map(async (id) => (await wp<{ name: string }>(`/wp/v2/tags/${id}`)).name));
    expect(tagNames.sort()).toEqual(['council', 'harbour']);
    expect(post.categories).toHaveLength(1);
    expect((await wp<{ name: string }>(`/wp/v2/categories/${post.categories[0]}`)).name).toBe('Local');

    const found = await adapter.findExisting({ documentId: article.documentId, slug: article.slug });
    expect(found).toEqual(ref);
    const remote = await adapter.readRemote(ref);
    expect(remote).toMatchObject({ remoteId: ref.remoteId, modified: ref.modified, title: article.headline, html: article.html, status: 'publish', galleyRevisionId: 'rev-1' });

    // modified_gmt counts seconds: let one pass so the edit shows.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const updated = await adapter.updateArticle(ref, { ...article, revisionId: 'rev-2', headline: 'Council approves harbour expansion', tags: ['harbour', 'Council', 'vote'] });
    expect(updated.remoteId).toBe(ref.remoteId);
    expect(updated.modified).not.toBe(ref.modified);
    expect(await adapter.readRemote(updated)).toMatchObject({ title: 'Council approves harbour expansion', galleyRevisionId: 'rev-2', modified: updated.modified });
    expect(await postsOf('doc-create')).toHaveLength(1);
    const tags = await wp<{ name: string }[]>('/wp/v2/tags', { per_page: '100' });
    expect(tags.map((t) => t.name).sort()).toEqual(['council', 'harbour', 'vote']);

    // Someone edits the post in WordPress: the marker moves, and readRemote shows their words.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    site.php(`wp_update_post(['ID' => ${ref.remoteId}, 'post_title' => 'Edited on the site']);`);
    const edited = await adapter.readRemote(updated);
    expect(edited?.title).toBe('Edited on the site');
    expect(edited?.modified).not.toBe(updated.modified);
  });

  it('schedules a post (future, date_gmt) and publishes it now when asked', async () => {
    const publishAt = Math.floor((Date.now() + DAY) / 1000) * 1000;
    const article = sampleArticle({ documentId: 'doc-scheduled', slug: 'harbour-market-moves', headline: 'Fish market moves next week', publishAt });
    const ref = await adapter.createArticle(article);
    const post = await wp<{ status: string; date_gmt: string }>(`/wp/v2/posts/${ref.remoteId}`);
    expect(post.status).toBe('future');
    expect(post.date_gmt).toBe(new Date(publishAt).toISOString().slice(0, 19));
    expect((await adapter.readRemote(ref))?.status).toBe('future');

    // "Publish now" on the scheduled post: live, dated now rather than tomorrow.
    const now = await adapter.updateArticle(ref, { ...article, publishAt: null });
    const live = await wp<{ status: string; date_gmt: string }>(`/wp/v2/posts/${now.remoteId}`);
    expect(live.status).toBe('publish');
    expect(Date.parse(`${live.date_gmt}Z`)).toBeLessThanOrEqual(Date.now() + 60_000);
  });

  it('unpublishes to a draft that is kept (and still found)', async () => {
    const article = sampleArticle({ documentId: 'doc-withdrawn', slug: 'withdrawn-story', headline: 'A story to withdraw' });
    const ref = await adapter.createArticle(article);
    const withdrawn = await adapter.unpublish(ref);
    expect(withdrawn.remoteId).toBe(ref.remoteId);
    expect((await adapter.readRemote(withdrawn))?.status).toBe('draft');
    expect((await adapter.findExisting({ documentId: 'doc-withdrawn', slug: 'withdrawn-story' }))?.remoteId).toBe(ref.remoteId);
  });

  it('reads a deleted or trashed post as gone, and refuses to update a deleted one', async () => {
    const ref = await adapter.createArticle(sampleArticle({ documentId: 'doc-deleted', slug: 'deleted-story' }));
    site.php(`wp_trash_post(${ref.remoteId});`);
    expect(await adapter.readRemote(ref)).toBeNull();
    site.php(`wp_delete_post(${ref.remoteId}, true);`);
    expect(await adapter.readRemote(ref)).toBeNull();
    const error = await cmsErrorOf(adapter.updateArticle(ref, sampleArticle({ documentId: 'doc-deleted' })));
    expect(error.kind).toBe('permanent');
    expect(error.status).toBe(404);
    expect(error.message).toMatch(/no longer exists/);
  });

  it('updates a contributor’s bio on their WordPress user, found by e-mail', async () => {
    const userId = site.php(
      `echo wp_insert_user(['user_login' => 'mkovacs', 'user_pass' => wp_generate_password(), 'user_email' => 'marta.kovacs@example.org', 'display_name' => 'Marta Kovacs', 'role' => 'author']);`,
    );
    const bio = {
      documentId: 'bio-marta',
      revisionId: 'rev-b1',
      name: 'Marta Kovacs',
      title: 'Harbour reporter',
      email: 'Marta.Kovacs@example.org',
      bioText: 'Marta Kovacs covers the harbour and the council.',
      bioHtml: '<p>Marta Kovacs covers the harbour and the council.</p>',
    };
    const ref = await adapter.updateBio(bio);
    expect(ref.remoteId).toBe(userId.trim());
    expect(ref.url).toBe(`${site.url}/author/mkovacs/`);
    expect((await wp<{ description: string }>(`/wp/v2/users/${ref.remoteId}`)).description).toBe(bio.bioText);

    const missing = await cmsErrorOf(adapter.updateBio({ ...bio, name: 'Nobody Here', email: 'nobody@example.org' }));
    expect(missing.kind).toBe('permanent');
    expect(missing.message).toMatch(/No WordPress user with the email nobody@example.org.*create the user in WordPress first/);
  });

  describe('without the Galley plugin', () => {
    const plugin = () => join(site.dir, 'wp-content', 'mu-plugins', 'galley.php');
    beforeAll(() => renameSync(plugin(), `${plugin()}.off`));
    afterAll(() => {
      if (existsSync(`${plugin()}.off`)) renameSync(`${plugin()}.off`, plugin());
    });

    it('warns that duplicates are then prevented only by slug', async () => {
      const { warnings } = await adapter.verify();
      expect(warnings.join('\n')).toMatch(/Galley plugin is not installed.*only by slug and author/);
    });

    it('finds its own earlier post by slug and author, never someone else’s', async () => {
      const article = sampleArticle({ documentId: 'doc-no-plugin', slug: 'no-plugin-story', headline: 'Written without the plugin' });
      const ref = await adapter.createArticle(article);
      expect(await make().findExisting({ documentId: 'doc-no-plugin', slug: 'no-plugin-story' })).toMatchObject({ remoteId: ref.remoteId });

      site.php(`
        $other = wp_insert_user(['user_login' => 'other', 'user_pass' => wp_generate_password(), 'user_email' => 'other@example.org', 'role' => 'author']);
        wp_insert_post(['post_title' => 'Their story', 'post_name' => 'their-story', 'post_status' => 'publish', 'post_author' => $other]);
      `);
      expect(await make().findExisting({ documentId: 'doc-theirs', slug: 'their-story' })).toBeNull();
      expect(await make().findExisting({ documentId: 'doc-unknown', slug: 'not-there' })).toBeNull();
    });
  });

  describe('through a flaky network', () => {
    it('a connection dropped before WordPress saw the request: retry, and nothing was made', async () => {
      await withProxy(async (proxy) => {
        proxy.faults.push({ kind: 'dropBeforeForward', method: 'POST', path: '/wp/v2/posts' });
        const flaky = make({ siteUrl: proxy.url });
        const article = sampleArticle({ documentId: 'doc-drop-before', slug: 'drop-before' });
        const error = await cmsErrorOf(flaky.createArticle(article));
        expect(error.kind).toBe('retry');
        expect(error.status).toBeNull();
        expect(proxy.requests.filter((r) => r.fault === 'dropBeforeForward')).toHaveLength(1);
        expect(await flaky.findExisting(article)).toBeNull();
      });
    });

    it('an answer lost after WordPress made the post: retry, then found by document id, no duplicate', async () => {
      await withProxy(async (proxy) => {
        proxy.faults.push({ kind: 'dropAfterForward', method: 'POST', path: '/wp/v2/posts' });
        const flaky = make({ siteUrl: proxy.url });
        const article = sampleArticle({ documentId: 'doc-drop-after', slug: 'drop-after' });
        expect((await cmsErrorOf(flaky.createArticle(article))).kind).toBe('retry');
        const earlier = await flaky.findExisting(article);
        expect(earlier).not.toBeNull();
        await flaky.updateArticle(earlier!, { ...article, revisionId: 'rev-2' });
        expect(await postsOf('doc-drop-after')).toHaveLength(1);
      });
    });

    it('no answer within the timeout: retry; the late request still lands and is found', async () => {
      await withProxy(async (proxy) => {
        proxy.faults.push({ kind: 'delay', ms: 1500, method: 'POST', path: '/wp/v2/posts' });
        const flaky = make({ siteUrl: proxy.url, timeoutMs: 800 });
        const article = sampleArticle({ documentId: 'doc-timeout', slug: 'timeout-story' });
        const error = await cmsErrorOf(flaky.createArticle(article));
        expect(error.kind).toBe('retry');
        expect(error.message).toMatch(/no answer within/);
        await proxy.settled();
        expect((await make().findExisting(article))?.url).toBe(`${site.url}/timeout-story/`);
        expect(await postsOf('doc-timeout')).toHaveLength(1);
      });
    });

    it('500, 503 and 429 are retry, with Retry-After honoured', async () => {
      await withProxy(async (proxy) => {
        const flaky = make({ siteUrl: proxy.url });
        const ref = { remoteId: '1', url: '', modified: '' };
        proxy.faults.push({ kind: 'status', status: 500 });
        const e500 = await cmsErrorOf(flaky.readRemote(ref));
        expect([e500.kind, e500.status, e500.retryAfterMs]).toEqual(['retry', 500, null]);

        proxy.faults.push({ kind: 'status', status: 503, retryAfter: '7' });
        const e503 = await cmsErrorOf(flaky.createArticle(sampleArticle({ documentId: 'doc-503' })));
        expect([e503.kind, e503.status, e503.retryAfterMs]).toEqual(['retry', 503, 7000]);

        proxy.faults.push({ kind: 'status', status: 429, retryAfter: '2' });
        const e429 = await cmsErrorOf(flaky.uploadPhoto(photo));
        expect([e429.kind, e429.status, e429.retryAfterMs]).toEqual(['retry', 429, 2000]);
        expect(proxy.requests.map((r) => r.status)).toEqual([500, 503, 429]);
      });
    });

    it('an answer that is not what WordPress sends is permanent and says what was wrong', async () => {
      await withProxy(async (proxy) => {
        const flaky = make({ siteUrl: proxy.url });
        proxy.faults.push({ kind: 'status', status: 200, path: '/wp/v2/posts/' });
        const error = await cmsErrorOf(flaky.readRemote({ remoteId: '1', url: '', modified: '' }));
        expect(error.kind).toBe('permanent');
        expect(error.message).toMatch(/WordPress answered with something Galley does not understand \(id: /);
      });
    });

    it('a body cut short is retry; the retried upload adopts the photo that arrived', async () => {
      await withProxy(async (proxy) => {
        const flaky = make({ siteUrl: proxy.url });
        const other = await samplePhoto({ fixture: 'council-chamber.jpg' });
        proxy.faults.push({ kind: 'truncate', method: 'POST', path: '/wp/v2/media' });
        const error = await cmsErrorOf(flaky.uploadPhoto(other));
        expect(error.kind).toBe('retry');
        expect(error.message).toMatch(/cut short|not JSON/);

        const uploaded = await flaky.uploadPhoto(other);
        const copies = await wp<{ id: number }[]>('/wp/v2/media', { galley_photo_sha256: other.sha256 });
        expect(copies.map((c) => String(c.id))).toEqual([uploaded.remoteId]);
        expect((await wp<{ caption: { raw: string } }>(`/wp/v2/media/${uploaded.remoteId}`)).caption.raw).toContain('Photo: Ana Ruiz/Harbour Times');

        proxy.faults.push({ kind: 'truncate', method: 'GET', path: '/wp/v2/posts/', bytes: 40 });
        const created = await make().createArticle(sampleArticle({ documentId: 'doc-truncated', slug: 'truncated-read' }));
        expect((await cmsErrorOf(flaky.readRemote(created))).kind).toBe('retry');
      });
    });
  });
});
