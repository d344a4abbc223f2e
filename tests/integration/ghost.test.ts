import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, ghostAdapter, ghostBio, parseAdminKey } from '../../electron/cms/ghost.ts';
import type { CmsAdapter, PublishArticle, PublishPhoto } from '../../electron/cms/types.ts';
import { startFakeGhost, type FakeGhost } from '../support/fakeGhost.ts';
import { cmsErrorOf } from '../support/cmsError.ts';

/**
 * The Ghost adapter, tested once and run twice: always against tests/support/fakeGhost.ts,
 * and against a real Ghost 5 when GHOST_URL and GHOST_ADMIN_KEY are set (an integration's
 * Admin API key; the tests create posts and delete them afterwards). GHOST_STAFF_EMAIL
 * names a staff user whose bio the bio tests may change (it is put back afterwards), and
 * GHOST_STAFF_TOKEN an Administrator's Staff access token to change it with.
 * A few tests need the fake's hooks (a 503, a cut connection, other staff users' tokens,
 * the JWT as received) and are skipped against the real one.
 */

// ---------------------------------------------------------------------------
// Tiny builders for what the publishing worker hands an adapter

const HARBOR_DAWN = new Uint8Array(readFileSync(new URL('../fixtures/images/harbor-dawn.jpg', import.meta.url)));

function testPhoto(): PublishPhoto {
  const sha256 = createHash('sha256').update(HARBOR_DAWN).digest('hex');
  return {
    sha256,
    mime: 'image/jpeg',
    fileName: `harbor-dawn-${sha256.slice(0, 8)}.jpg`,
    bytes: HARBOR_DAWN,
    width: 1200,
    height: 800,
    captionDocumentId: 'caption-harbor-dawn',
    captionText: 'Fishing boats return to the harbor at dawn in Portmere.',
    captionHtml: '<p>Fishing boats return to the harbor at dawn in Portmere.</p>',
    credit: 'Lena Ortiz/Northwind Photo',
    photographer: 'Lena Ortiz',
    copyright: '(c) 2026 Northwind Photo',
    altText: 'Six small fishing boats with orange hulls moored along a stone quay.',
    creditLine: 'Photo: Lena Ortiz/Northwind Photo',
  };
}

function testArticle(overrides: Partial<PublishArticle> = {}): PublishArticle {
  const tail = randomBytes(4).toString('hex');
  return {
    documentId: randomUUID(),
    revisionId: randomUUID(),
    slug: `harbour-council-vote-${tail}`,
    headline: `Council approves harbour expansion ${tail}`,
    dek: 'The vote was 7–2 after a four-hour meeting.',
    byline: 'Ana Ruiz',
    section: 'Local',
    tags: ['Harbour', 'Council'],
    contributorLine: 'Ana Ruiz is the Harbour Times city hall reporter.',
    html: '<p>Portmere’s council voted <strong>7–2</strong> on Tuesday to expand the harbour.</p><p>Work starts in spring.</p>',
    figures: [],
    featured: null,
    publishAt: null,
    firstPublishedAt: null,
    ...overrides,
  };
}


// ---------------------------------------------------------------------------
// A raw Admin API client for setting things up and looking behind the adapter's back

type Raw = (method: string, path: string, body?: unknown) => Promise<any>;

function rawClient(siteUrl: string, key: string): Raw {
  const parsed = parseAdminKey(key);
  return async (method, path, body) => {
    const response = await fetch(`${siteUrl.replace(/\/+$/, '')}/ghost/api/admin/${path}`, {
      method,
      headers: { Authorization: `Ghost ${adminToken(parsed, Date.now())}`, 'Accept-Version': 'v5.0', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
    return text ? JSON.parse(text) : null;
  };
}

type Target = {
  siteUrl: string;
  key: string;
  /** The fake's hooks; null against a real Ghost. */
  fake: FakeGhost | null;
  /** A staff user's email for the bio tests; null skips them. */
  staffEmail: string | null;
  /** An Administrator's Staff access token (bios need one); null skips the tests that write a bio. */
  staffToken: string | null;
  raw: Raw;
  /** A person edits the post's title in Ghost. */
  editInGhost(id: string, title: string): Promise<void>;
  /** Real Ghost keeps updated_at to the second: wait for the next one before a write whose updated_at must differ. */
  tick(): Promise<void>;
  close(): Promise<void>;
};

// ---------------------------------------------------------------------------

function ghostSuite(label: string, kind: 'fake' | 'real', skip: boolean, start: () => Promise<Target>) {
  /** For it.skipIf: tests that need the fake's hooks. */
  const notFake = kind !== 'fake';

  describe.skipIf(skip)(label, () => {
    let t: Target;
    let adapter: CmsAdapter;
    const created: string[] = [];
    const make = (options: { secret?: string; staffToken?: string; now?: () => number } = {}) =>
      ghostAdapter({ config: { type: 'ghost', siteUrl: t.siteUrl }, secret: options.secret ?? t.key, staffToken: options.staffToken, now: options.now, timeoutMs: 20_000 });
    const create = async (article: PublishArticle) => {
      const ref = await adapter.createArticle(article);
      created.push(ref.remoteId);
      return ref;
    };
    const rawPost = async (id: string) => (await t.raw('GET', `posts/${id}/?formats=html&include=tags`)).posts[0];

    beforeAll(async () => {
      t = await start();
      adapter = make();
    });
    afterAll(async () => {
      if (!t) return;
      for (const id of created) await t.raw('DELETE', `posts/${id}/`).catch(() => undefined);
      await t.close();
    });

    describe('credentials', () => {
      it('verify() accepts the Admin API key and names the site', async () => {
        const result = await adapter.verify();
        expect(result.account).toMatch(/^integration on \S/);
        if (t.fake) {
          expect(result).toEqual({
            account: 'integration on Harbour Times',
            warnings: ['No Staff access token: articles will publish, but bios need one (Ghost does not let an integration edit staff users).'],
          });
        }
      });

      it('verify() with a Staff access token names whose it is; a refused one is a warning, not a failed test', async (ctx) => {
        if (!t.staffToken) return ctx.skip();
        const result = await make({ staffToken: t.staffToken }).verify();
        expect(result.account).toMatch(/^integration on \S.*; Staff access token of \S/);
        expect(result.warnings).toEqual([]);
        const wrong = await make({ staffToken: `${randomBytes(12).toString('hex')}:${randomBytes(32).toString('hex')}` }).verify();
        expect(wrong.warnings.join(' ')).toMatch(/Ghost refused the Staff access token.*Bios will not reach Ghost until it is replaced/);
      });

      it.skipIf(notFake)('signs each request with a 5-minute HS256 JWT for /admin/ and sends Accept-Version', async () => {
        const fake = t.fake!;
        const from = fake.requests.length;
        await adapter.verify();
        const authed = fake.requests.slice(from).filter((r) => r.path !== '/ghost/api/admin/site/');
        expect(authed.length).toBeGreaterThan(0);
        for (const request of fake.requests.slice(from)) expect(request.acceptVersion).toBe('v5.0');
        for (const request of authed) {
          expect(request.status).toBe(200);
          expect(request.jwt!.header).toEqual({ alg: 'HS256', typ: 'JWT', kid: fake.adminKey.split(':')[0] });
          const { iat, exp, aud } = request.jwt!.payload as { iat: number; exp: number; aud: string };
          expect(aud).toBe('/admin/');
          expect(exp - iat).toBe(300);
          expect(Math.abs(iat - Date.now() / 1000)).toBeLessThan(60);
        }
      });

      it('a wrong key is refused as auth with a plain message, for verify and for writes', async () => {
        const wrong = make({ secret: `${randomBytes(12).toString('hex')}:${randomBytes(32).toString('hex')}` });
        const error = await cmsErrorOf(wrong.verify());
        expect(error.kind).toBe('auth');
        expect(error.status).toBe(401);
        expect(error.message).toContain('Ghost refused the Admin API key — check it in Ghost → Settings → Integrations');
        const write = await cmsErrorOf(wrong.createArticle(testArticle()));
        expect(write.kind).toBe('auth');
      });

      it('the right key id with a wrong secret is refused too (the signature is checked)', async () => {
        const id = t.key.split(':')[0]!;
        const error = await cmsErrorOf(make({ secret: `${id}:${randomBytes(32).toString('hex')}` }).verify());
        expect(error.kind).toBe('auth');
      });

      it('a token from a clock 10 minutes slow has expired and is refused', async () => {
        const error = await cmsErrorOf(make({ now: () => Date.now() - 10 * 60_000 }).verify());
        expect(error.kind).toBe('auth');
      });

      it('a malformed key is an auth error before any request', async () => {
        const before = t.fake?.requests.length ?? 0;
        for (const secret of ['', 'no-colon-here', 'abc:not-hex!', 'abc:1234', 'a Content API key 1234:']) {
          const error = await cmsErrorOf(make({ secret }).verify());
          expect(error.kind).toBe('auth');
          expect(error.message).toMatch(/Ghost Admin API key/);
          expect(error.message).toContain('Settings → Integrations');
        }
        if (t.fake) expect(t.fake.requests.length).toBe(before);
      });
    });

    describe('articles', () => {
      it('creates a post that findExisting finds again by its internal tag, never adopting another post', async () => {
        const article = testArticle();
        const ref = await create(article);
        expect(ref.remoteId).toBeTruthy();
        expect(ref.url).toMatch(/^https?:\/\//);
        expect(Number.isNaN(Date.parse(ref.modified))).toBe(false);

        expect(await adapter.findExisting({ documentId: article.documentId, slug: article.slug })).toEqual(ref);
        // By the tag even when the slug was changed since.
        expect(await adapter.findExisting({ documentId: article.documentId, slug: 'another-slug-entirely' })).toEqual(ref);
        // Another document with the same slug does not get this post.
        expect(await adapter.findExisting({ documentId: randomUUID(), slug: article.slug })).toBeNull();

        // A post a person made in Ghost with the slug Galley would use is not adopted.
        const theirs = (await t.raw('POST', 'posts/?source=html', { posts: [{ title: 'Someone else’s post', slug: `theirs-${randomBytes(4).toString('hex')}`, status: 'draft' }] })).posts[0];
        created.push(theirs.id);
        expect(await adapter.findExisting({ documentId: randomUUID(), slug: theirs.slug })).toBeNull();
      });

      it('sends title, HTML, slug, excerpt, section and tags, the markers and the feature image', async () => {
        const photo = testPhoto();
        const media = await adapter.uploadPhoto(photo);
        const article = testArticle({ featured: { photo, media }, figures: [{ photo, media, captionOverride: null }], tags: ['Harbour', 'harbour', '#galley-spoof'] });
        const ref = await create(article);
        const post = await rawPost(ref.remoteId);
        expect(post.title).toBe(article.headline);
        expect(post.slug).toBe(article.slug);
        expect(post.status).toBe('published');
        expect(post.custom_excerpt).toBe(article.dek);
        expect(post.html).toContain('expand the harbour');
        expect(post.html).toContain('7–2');
        expect(post.tags.map((tag: { name: string }) => tag.name)).toEqual(['Local', 'Harbour', `#galley-${article.documentId}`, `#galley-rev-${article.revisionId}`]);
        expect(post.tags.find((tag: { name: string }) => tag.name.startsWith('#galley-rev-')).visibility).toBe('internal');
        expect(post.feature_image).toBe(media.url);
        expect(post.feature_image_caption).toBe('Fishing boats return to the harbor at dawn in Portmere. Photo: Lena Ortiz/Northwind Photo');
        expect(post.feature_image_alt).toBe(photo.altText);
      });

      it('readRemote gives title, HTML, status, updated_at and the revision; null once the post is gone', async () => {
        const article = testArticle();
        const ref = await create(article);
        const state = await adapter.readRemote(ref);
        expect(state).toMatchObject({ remoteId: ref.remoteId, url: ref.url, modified: ref.modified, title: article.headline, status: 'published', galleyRevisionId: article.revisionId });
        expect(state!.html).toContain('Work starts in spring.');

        await t.raw('DELETE', `posts/${ref.remoteId}/`);
        expect(await adapter.readRemote(ref)).toBeNull();
      });

      it('updates with the current updated_at: new content, new revision tag, the old one gone', async () => {
        const article = testArticle();
        const ref = await create(article);
        const next = { ...article, revisionId: randomUUID(), headline: `${article.headline} (updated)`, html: '<p>Corrected: the vote was 6–3.</p>' };
        await t.tick();
        const updated = await adapter.updateArticle(ref, next);
        expect(updated.remoteId).toBe(ref.remoteId);
        expect(Date.parse(updated.modified)).toBeGreaterThan(Date.parse(ref.modified));
        const state = await adapter.readRemote(updated);
        expect(state).toMatchObject({ title: next.headline, galleyRevisionId: next.revisionId, modified: updated.modified });
        expect(state!.html).toContain('6–3');
        const names = (await rawPost(ref.remoteId)).tags.map((tag: { name: string }) => tag.name);
        expect(names).toContain(`#galley-rev-${next.revisionId}`);
        expect(names).not.toContain(`#galley-rev-${article.revisionId}`);
      });

      it('an update after someone edited the post in Ghost is a conflict', async () => {
        const article = testArticle();
        const ref = await create(article);
        await t.editInGhost(ref.remoteId, 'Edited on the Ghost side');
        const error = await cmsErrorOf(adapter.updateArticle(ref, { ...article, revisionId: randomUUID(), headline: 'Galley’s new headline' }));
        expect(error.kind).toBe('conflict');
        expect(error.status).toBe(409);
        expect(error.message).toMatch(/someone changed the post in Ghost/);
        expect((await adapter.readRemote(ref))!.title).toBe('Edited on the Ghost side');
      });

      it('an update whose earlier success lost its answer succeeds when repeated, not a conflict', async () => {
        const article = testArticle();
        const ref = await create(article);
        const next = { ...article, revisionId: randomUUID(), headline: `${article.headline} (second take)` };
        await t.tick();
        if (t.fake) {
          t.fake.dropNextResponse({ method: 'PUT', path: '/ghost/api/admin/posts/' });
          const lost = await cmsErrorOf(adapter.updateArticle(ref, next));
          expect(lost.kind).toBe('retry');
          expect(t.fake.post(ref.remoteId)!.title).toBe(next.headline); // Ghost did the work
        } else {
          await adapter.updateArticle(ref, next); // the answer the worker never recorded
        }
        // The worker tries again with the updated_at it knew: Ghost says 409, the post carries our revision.
        const again = await adapter.updateArticle(ref, next);
        const state = await adapter.readRemote(again);
        expect(state).toMatchObject({ title: next.headline, galleyRevisionId: next.revisionId, modified: again.modified });
        expect(again.modified).not.toBe(ref.modified);
      });

      it.skipIf(notFake)('503 with Retry-After is retry with retryAfterMs, and nothing was created', async () => {
        const fake = t.fake!;
        const before = fake.posts().length;
        fake.failNext(503, { method: 'POST', path: '/ghost/api/admin/posts/', retryAfter: '7' });
        const error = await cmsErrorOf(adapter.createArticle(testArticle()));
        expect(error.kind).toBe('retry');
        expect(error.status).toBe(503);
        expect(error.retryAfterMs).toBe(7000);
        expect(fake.posts().length).toBe(before);
      });

      it('schedules when publishAt is in the future: status scheduled with published_at', async () => {
        const publishAt = Math.floor((Date.now() + 60 * 60_000) / 1000) * 1000;
        const article = testArticle({ publishAt });
        const ref = await create(article);
        expect((await adapter.readRemote(ref))!.status).toBe('scheduled');
        expect(Date.parse((await rawPost(ref.remoteId)).published_at)).toBe(publishAt);

        // Brought forward to "now" (the worker recorded the schedule as the first publication):
        // live, and not dated in the future.
        await t.tick();
        const live = await adapter.updateArticle(ref, { ...article, revisionId: randomUUID(), publishAt: null, firstPublishedAt: publishAt });
        expect((await adapter.readRemote(live))!.status).toBe('published');
        expect(Date.parse((await rawPost(ref.remoteId)).published_at)).toBeLessThanOrEqual(Date.now() + 1000);
      });

      it('a publish time under Ghost’s 2-minute scheduling floor is retried at that time, not sent early', async () => {
        const before = t.fake?.requests.length ?? 0;
        const error = await cmsErrorOf(adapter.createArticle(testArticle({ publishAt: Date.now() + 60_000 })));
        expect(error.kind).toBe('retry');
        expect(error.retryAfterMs).toBeGreaterThan(50_000);
        expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
        if (t.fake) expect(t.fake.requests.length).toBe(before);
      });

      it('unpublish turns the post into a draft, even after an edit in Ghost, and again is harmless', async () => {
        const article = testArticle();
        const ref = await create(article);
        await t.editInGhost(ref.remoteId, 'Edited before the take-down');
        const down = await adapter.unpublish(ref);
        expect(down.remoteId).toBe(ref.remoteId);
        expect((await adapter.readRemote(down))!.status).toBe('draft');
        const again = await adapter.unpublish(down);
        expect((await adapter.readRemote(again))!.status).toBe('draft');
      });
    });

    describe('photos', () => {
      it('uploads an image and returns a URL that serves it', async () => {
        const photo = testPhoto();
        const media = await adapter.uploadPhoto(photo);
        expect(media.remoteId).toBe(media.url);
        expect(media.url).toMatch(/^https?:\/\/.+\.jpg$/);
        const response = await fetch(media.url);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/^image\/jpeg/);
        const bytes = new Uint8Array(await response.arrayBuffer());
        // Ghost may re-encode what it stores; the fake keeps the bytes as sent.
        if (t.fake) expect(Buffer.from(bytes).equals(Buffer.from(photo.bytes))).toBe(true);
        else expect(bytes.byteLength).toBeGreaterThan(1000);
      });

      it('updatePhoto has nothing to change on Ghost and resolves', async () => {
        const photo = testPhoto();
        const media = await adapter.uploadPhoto(photo);
        const before = t.fake?.requests.length ?? 0;
        await expect(adapter.updatePhoto(media, { ...photo, captionText: 'A new caption.' })).resolves.toBeUndefined();
        if (t.fake) expect(t.fake.requests.length).toBe(before);
      });
    });

    describe('bios', () => {
      const bio = (email: string, bioText: string) => ({ documentId: randomUUID(), revisionId: randomUUID(), name: 'Ana Ruiz', title: 'City hall reporter', email, bioText, bioHtml: `<p>${bioText}</p>` });
      /** Runs `work`, then puts the staff user's bio back as it was (on a real Ghost). */
      async function keepingBio(email: string, work: () => Promise<void>) {
        const user = (await t.raw('GET', `users/?filter=${encodeURIComponent(`email:'${email}'`)}`)).users[0];
        try {
          await work();
        } finally {
          if (kind === 'real' && t.staffToken) {
            await rawClient(t.siteUrl, t.staffToken)('PUT', `users/${user.id}/`, { users: [{ bio: user.bio ?? null }] }).catch(() => undefined);
          }
        }
      }

      it('with a Staff access token, updates the staff user found by email, cut to Ghost’s 200 characters', async (ctx) => {
        if (!t.staffEmail || !t.staffToken) {
          console.warn('[ghost.test] bio test skipped against the real Ghost: set GHOST_STAFF_EMAIL and GHOST_STAFF_TOKEN (an Administrator’s Staff access token)');
          return ctx.skip();
        }
        const email = t.staffEmail;
        await keepingBio(email, async () => {
          const users = (await t.raw('GET', `users/?filter=${encodeURIComponent(`email:'${email}'`)}`)).users;
          const long = `Ana Ruiz covers city hall for the Harbour Times. ${'She has reported on harbour politics, budgets and elections since 2014. '.repeat(4)}`;
          const ref = await make({ staffToken: t.staffToken! }).updateBio(bio(email, long));
          expect(ref.remoteId).toBe(users[0].id);
          const stored: string = (await t.raw('GET', `users/${ref.remoteId}/`)).users[0].bio;
          expect(stored.length).toBeLessThanOrEqual(200);
          expect(stored.endsWith('…')).toBe(true);
          expect(long.startsWith(stored.slice(0, -1))).toBe(true);
          expect(stored).toBe(ghostBio(long));
        });
      });

      it('with only the Admin API key, Ghost answers 501 and the bio fails for good, saying a Staff access token is needed', async (ctx) => {
        if (!t.staffEmail) return ctx.skip();
        const email = t.staffEmail;
        await keepingBio(email, async () => {
          const from = t.fake?.requests.length ?? 0;
          const error = await cmsErrorOf(adapter.updateBio(bio(email, 'A bio that Ghost will not take from an integration.')));
          expect(error.kind).toBe('permanent');
          expect(error.status).toBe(501);
          expect(error.message).toContain('Ghost needs a Staff access token for staff bios');
          expect(error.message).toContain('Staff access token');
          if (t.fake) {
            expect(t.fake.requests.slice(from).map((r) => `${r.method} ${r.status}`)).toEqual(['GET 200', 'PUT 501']);
            expect(t.fake.users().find((u) => u.email === email)!.bio).not.toBe('A bio that Ghost will not take from an integration.');
          }
        });
      });

      it('an email with no staff user is permanent', async () => {
        const error = await cmsErrorOf(adapter.updateBio(bio(`nobody-${randomBytes(4).toString('hex')}@example.org`, 'A bio.')));
        expect(error.kind).toBe('permanent');
        expect(error.message).toMatch(/no Ghost staff user with the email nobody-/);
      });

      it.skipIf(notFake)('escapes quotes in the email filter', async () => {
        t.fake!.addUser({ name: 'Siobhan O’Brien', email: "s.o'brien@example.org" });
        const ref = await make({ staffToken: t.staffToken! }).updateBio(bio("s.o'brien@example.org", 'Siobhan covers courts.'));
        expect(t.fake!.users().find((u) => u.id === ref.remoteId)!.bio).toBe('Siobhan covers courts.');
      });

      it.skipIf(notFake)('an Author’s token may not edit another staff user, and a refused token fails the bio, not the target', async () => {
        const author = t.fake!.addUser({ name: 'Kit Author', email: `kit-${randomBytes(3).toString('hex')}@example.org` });
        const forbidden = await cmsErrorOf(make({ staffToken: author.staffToken }).updateBio(bio(t.staffEmail!, 'Not mine to change.')));
        expect(forbidden.kind).toBe('permanent');
        expect(forbidden.status).toBe(403);
        expect(forbidden.message).toMatch(/may not edit this profile.*Administrator’s token/);
        // Their own profile is theirs to edit.
        await make({ staffToken: author.staffToken }).updateBio(bio(author.email, 'Kit writes about ferries.'));
        expect(t.fake!.users().find((u) => u.id === author.id)!.bio).toBe('Kit writes about ferries.');

        const refused = await cmsErrorOf(make({ staffToken: `${randomBytes(12).toString('hex')}:${randomBytes(32).toString('hex')}` }).updateBio(bio(t.staffEmail!, 'A bio.')));
        expect(refused.kind).toBe('permanent'); // not 'auth': articles on this target go on
        expect(refused.message).toMatch(/Ghost refused the Staff access token/);
        const malformed = await cmsErrorOf(make({ staffToken: 'not a token' }).updateBio(bio(t.staffEmail!, 'A bio.')));
        expect(malformed.kind).toBe('permanent');
        expect(malformed.message).toMatch(/Staff access token should look like <id>:<secret>/);
      });
    });
  });
}

// ---------------------------------------------------------------------------

ghostSuite('Ghost adapter against the fake Ghost', 'fake', false, async () => {
  const fake = await startFakeGhost();
  fake.addUser({ name: 'Ana Ruiz', email: 'ana.ruiz@example.org', bio: 'Reporter.' });
  const owner = fake.addUser({ name: 'Oda Owner', email: 'oda@example.org', role: 'Administrator' });
  return {
    siteUrl: fake.url,
    key: fake.adminKey,
    fake,
    staffEmail: 'ana.ruiz@example.org',
    staffToken: owner.staffToken,
    raw: rawClient(fake.url, fake.adminKey),
    async editInGhost(id, title) {
      fake.editPost(id, { title });
    },
    tick: async () => undefined, // the fake moves updated_at on by a second at every write
    close: () => fake.close(),
  };
});

const GHOST_URL = process.env.GHOST_URL?.trim() ?? '';
const GHOST_ADMIN_KEY = process.env.GHOST_ADMIN_KEY?.trim() ?? '';
const haveRealGhost = Boolean(GHOST_URL && GHOST_ADMIN_KEY);
if (!haveRealGhost) {
  console.warn('[ghost.test] Real-Ghost suite skipped: set GHOST_URL and GHOST_ADMIN_KEY (an integration’s Admin API key) to run these tests against a Ghost 5 site too.');
}

ghostSuite(`Ghost adapter against a real Ghost${haveRealGhost ? ` at ${GHOST_URL}` : ''}`, 'real', !haveRealGhost, async () => {
  const raw = rawClient(GHOST_URL, GHOST_ADMIN_KEY);
  return {
    siteUrl: GHOST_URL,
    key: GHOST_ADMIN_KEY,
    fake: null,
    staffEmail: process.env.GHOST_STAFF_EMAIL?.trim() || null,
    staffToken: process.env.GHOST_STAFF_TOKEN?.trim() || null,
    raw,
    tick: () => new Promise((resolve) => setTimeout(resolve, 1100)),
    async editInGhost(id, title) {
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const post = (await raw('GET', `posts/${id}/`)).posts[0];
      await raw('PUT', `posts/${id}/`, { posts: [{ title, updated_at: post.updated_at }] });
    },
    close: async () => undefined,
  };
});
