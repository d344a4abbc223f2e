import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { escapeHtml } from '../dom.ts';
import { cmsFetch, readJson, siteBase } from './http.ts';
import {
  CmsError,
  type AdapterOptions,
  type CmsAdapter,
  type PublishArticle,
  type PublishBio,
  type PublishPhoto,
  type RemoteMedia,
  type RemoteRef,
  type RemoteState,
} from './types.ts';

/**
 * Ghost 5.x through its Admin API (https://ghost.org/docs/admin-api/).
 *
 * Credentials: the target's secret is an integration's Admin API key, `<id>:<hex secret>`
 * (Ghost → Settings → Integrations). Every request carries a short-lived JWT signed with
 * the hex-decoded secret (HS256, `kid` = id, `aud` = '/admin/', at most 5 minutes), made
 * fresh for each request so a slow outbox never sends an expired one.
 *
 * Where Galley keeps its markers: Ghost has no custom fields on posts, so the document id
 * and the revision travel as *internal tags* (names starting with `#`, never shown on the
 * site): `#galley-<documentId>` finds the post again, `#galley-rev-<revisionId>` says which
 * revision it carries. The revision tag is replaced on every update (the tag list we send
 * replaces the post's tags). Ghost keeps tags that no post uses any more, so every
 * published revision leaves one internal tag behind in Ghost → Tags → Internal.
 *
 * Bios: Ghost answers 501 NotImplementedError to any staff-user edit made with an
 * integration's Admin API key. A staff user's own token (Ghost → your profile → Staff
 * access token; same `<id>:<hex secret>` format, signed the same way) acts as that user,
 * so bios go with the target's optional staff token: an Administrator's edits anyone's
 * bio, others only their own. Articles keep using the Admin API key.
 *
 * Conflicts: Ghost refuses a PUT whose `updated_at` is not the post's current one with
 * 409 UpdateCollisionError; RemoteRef.modified is that `updated_at`.
 */

export const GHOST_ACCEPT_VERSION = 'v5.0';
/** Ghost refuses tokens that live longer than 5 minutes. */
export const GHOST_TOKEN_LIFETIME_S = 5 * 60;
/** Ghost refuses to schedule less than 2 minutes ahead; keep a margin for the request itself and clock skew. */
const SCHEDULE_FLOOR_MS = 150_000;
/** Ghost's validation limits (posts.custom_excerpt, posts.feature_image_alt, users.bio). */
const EXCERPT_MAX = 300;
const ALT_MAX = 191;
export const GHOST_BIO_MAX = 200;

const DOC_TAG_PREFIX = '#galley-';
const REV_TAG_PREFIX = '#galley-rev-';

const KEY_HELP = 'copy it again from Ghost → Settings → Integrations';
const REFUSED_KEY = 'Ghost refused the Admin API key — check it in Ghost → Settings → Integrations';
const STAFF_HELP = 'copy it from Ghost (your staff profile → Staff access token) into this target’s Staff access token';
/** What a bio needs when the target has no staff token (or Ghost would not take the integration's key). */
export const STAFF_TOKEN_NEEDED =
  'Ghost needs a Staff access token for staff bios: it does not let an integration’s Admin API key edit staff users (501 Not Implemented). Give this target one — ' +
  STAFF_HELP;

// ---------------------------------------------------------------------------
// The Admin API key and its token

export type GhostAdminKey = { id: string; secret: Buffer };

/** Parses `<id>:<hex secret>`; a malformed key is an 'auth' error (the target is paused and asks for it). */
export function parseAdminKey(raw: string): GhostAdminKey {
  const trimmed = raw.trim();
  const colon = trimmed.indexOf(':');
  if (!trimmed) throw new CmsError('auth', `No Ghost Admin API key is stored for this target; ${KEY_HELP}`);
  if (colon < 0) {
    throw new CmsError('auth', `The Ghost Admin API key should look like <id>:<secret> (two parts joined by a colon); ${KEY_HELP}. A Content API key will not work.`);
  }
  const id = trimmed.slice(0, colon);
  const hex = trimmed.slice(colon + 1);
  if (!/^[A-Za-z0-9]+$/.test(id)) {
    throw new CmsError('auth', `The part of the Ghost Admin API key before the colon is not a key id; ${KEY_HELP}`);
  }
  if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length % 2 !== 0 || hex.length < 32) {
    throw new CmsError('auth', `The part of the Ghost Admin API key after the colon should be a long hexadecimal secret (0-9, a-f); ${KEY_HELP}`);
  }
  return { id, secret: Buffer.from(hex, 'hex') };
}

/** A Staff access token has the Admin API key's format; a malformed one fails the bio only (articles do not use it). */
function parseStaffToken(raw: string): GhostAdminKey {
  try {
    return parseAdminKey(raw);
  } catch {
    throw new CmsError('permanent', `The Ghost Staff access token should look like <id>:<secret> (a long hexadecimal secret after the colon); ${STAFF_HELP}`);
  }
}

const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/** A Ghost Admin API token: HS256 JWT with kid = key id, aud '/admin/', valid for 5 minutes from `nowMs`. */
export function adminToken(key: GhostAdminKey, nowMs: number): string {
  const iat = Math.floor(nowMs / 1000);
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: key.id }));
  const payload = base64url(JSON.stringify({ iat, exp: iat + GHOST_TOKEN_LIFETIME_S, aud: '/admin/' }));
  const signature = createHmac('sha256', key.secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

// ---------------------------------------------------------------------------
// What Ghost answers (only the fields Galley reads; Ghost sends many more)

const GhostTag = z.object({ name: z.string(), slug: z.string().optional() });
const GhostPost = z.object({
  id: z.string().min(1),
  title: z.string().nullable(),
  slug: z.string(),
  html: z.string().nullable().optional(),
  status: z.string(),
  url: z.string(),
  updated_at: z.string().min(1),
  published_at: z.string().nullable().optional(),
  tags: z.array(GhostTag).optional(),
});
type GhostPost = z.infer<typeof GhostPost>;
const PostsAnswer = z.object({ posts: z.array(GhostPost) });
const SiteAnswer = z.object({ site: z.object({ title: z.string(), url: z.string().optional(), version: z.string().optional() }) });
const ImagesAnswer = z.object({ images: z.array(z.object({ url: z.string().min(1), ref: z.string().nullable().optional() })).min(1) });
const GhostUser = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  email: z.string().optional(),
  url: z.string().nullable().optional(),
  bio: z.string().nullable().optional(),
  updated_at: z.string().nullable().optional(),
});
const UsersAnswer = z.object({ users: z.array(GhostUser) });

function parse<T>(schema: z.ZodType<T>, data: unknown, what: string): T {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue ? `${issue.path.join('.') || 'the answer'}: ${issue.message}` : 'unexpected shape';
  throw new CmsError('permanent', `${what}: Ghost's answer is not what a Ghost 5 Admin API sends (${where}). Is the site URL a Ghost 5 site?`, {
    cmsMessage: where,
  });
}

// ---------------------------------------------------------------------------
// Small helpers

/**
 * Ghost's slug for a tag name, close enough for the names Galley makes: internal tags
 * (`#name`) get the slug `hash-name`; everything else lower case with runs of other
 * characters turned into one hyphen.
 */
export function ghostTagSlug(name: string): string {
  const internal = name.startsWith('#');
  const rest = (internal ? name.slice(1) : name)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return internal ? `hash-${rest}` : rest;
}

/** Ghost allows 200 characters of bio: cut on a word boundary and end with an ellipsis. */
export function ghostBio(text: string): string {
  return clip(text.replace(/\s+/g, ' ').trim(), GHOST_BIO_MAX);
}

function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  const base = space > max * 0.6 ? cut.slice(0, space) : cut;
  return `${base.replace(/[\s,;:.\u2013\u2014-]+$/, '')}…`;
}


/** NQL string literal: single quotes, with backslash and quote escaped. */
const nqlString = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

const docTagName = (documentId: string) => `${DOC_TAG_PREFIX}${documentId}`;
/** The revision tag; revision ids are UUIDs, the cap only keeps an odd id inside Ghost's 191-character tag names. */
const revTagName = (revisionId: string) => `${REV_TAG_PREFIX}${revisionId.slice(0, 150)}`;

function carriesDocument(post: GhostPost, documentId: string): boolean {
  const name = docTagName(documentId).toLowerCase();
  const slug = ghostTagSlug(docTagName(documentId));
  return (post.tags ?? []).some((t) => t.name.toLowerCase() === name || t.slug === slug);
}

function revisionOf(post: GhostPost): string | null {
  const tag = (post.tags ?? []).find((t) => t.name.toLowerCase().startsWith(REV_TAG_PREFIX));
  return tag ? tag.name.slice(REV_TAG_PREFIX.length) : null;
}

const refOf = (post: GhostPost): RemoteRef => ({ remoteId: post.id, url: post.url, modified: post.updated_at });

const isStatus = (error: unknown, status: number) => error instanceof CmsError && error.status === status;

// ---------------------------------------------------------------------------

export function ghostAdapter(options: AdapterOptions<{ type: 'ghost'; siteUrl: string }>): CmsAdapter {
  const now = options.now ?? Date.now;
  const api = `${siteBase(options.config.siteUrl)}/ghost/api/admin/`;
  const staffToken = options.staffToken?.trim() ?? '';
  let key: GhostAdminKey | null = null;
  let staffKey: GhostAdminKey | null = null;

  type Body = { json: unknown } | { form: FormData } | null;

  /** One Admin API request as the integration (or, for bios, as the staff token's user). */
  async function call(method: string, path: string, what: string, body: Body = null, as: 'integration' | 'staff' = 'integration'): Promise<unknown> {
    if (as === 'staff') return callAsStaff(method, path, what, body);
    key ??= parseAdminKey(options.secret);
    return send(key, method, path, what, body);
  }

  /**
   * The staff token's refusals are the bio's alone: a 401 or 403 here says nothing about
   * the Admin API key, so it fails the job instead of pausing the target's articles.
   */
  async function callAsStaff(method: string, path: string, what: string, body: Body): Promise<unknown> {
    staffKey ??= parseStaffToken(staffToken);
    try {
      return await send(staffKey, method, path, what, body);
    } catch (error) {
      if (error instanceof CmsError && error.status === 401) {
        throw new CmsError('permanent', `${what}: Ghost refused the Staff access token (${error.cmsMessage}); ${STAFF_HELP}`, { status: 401, cmsMessage: error.cmsMessage });
      }
      if (error instanceof CmsError && error.status === 403) {
        throw new CmsError(
          'permanent',
          `${what}: the staff user whose Staff access token this target holds may not edit this profile (${error.cmsMessage}); use an Administrator’s token`,
          { status: 403, cmsMessage: error.cmsMessage },
        );
      }
      throw error;
    }
  }

  async function send(signWith: GhostAdminKey, method: string, path: string, what: string, body: Body): Promise<unknown> {
    const headers: Record<string, string> = {
      Authorization: `Ghost ${adminToken(signWith, now())}`,
      'Accept-Version': GHOST_ACCEPT_VERSION,
      Accept: 'application/json',
    };
    let payload: string | FormData | undefined;
    if (body && 'json' in body) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body.json);
    } else if (body) {
      payload = body.form; // fetch writes the multipart boundary itself
    }
    try {
      const response = await cmsFetch(`${api}${path}`, { method, headers, body: payload, timeoutMs: options.timeoutMs, what });
      return await readJson(response, what);
    } catch (error) {
      if (error instanceof CmsError && error.kind === 'auth' && error.status === 401) {
        throw new CmsError('auth', `${what}: ${REFUSED_KEY} (Ghost said: ${error.cmsMessage})`, { status: 401, cmsMessage: error.cmsMessage });
      }
      if (error instanceof CmsError && error.kind === 'auth' && error.status === 403) {
        throw new CmsError('auth', `${what}: Ghost did not allow the Admin API key's integration to do this (${error.cmsMessage}); check the key in Ghost → Settings → Integrations`, {
          status: 403,
          cmsMessage: error.cmsMessage,
        });
      }
      throw error;
    }
  }

  async function readPost(id: string, what: string): Promise<GhostPost | null> {
    try {
      const answer = parse(PostsAnswer, await call('GET', `posts/${encodeURIComponent(id)}/?formats=html&include=tags`, what), what);
      return answer.posts[0] ?? null;
    } catch (error) {
      if (isStatus(error, 404)) return null;
      throw error;
    }
  }

  function onePost(data: unknown, what: string): GhostPost {
    const post = parse(PostsAnswer, data, what).posts[0];
    if (!post) throw new CmsError('permanent', `${what}: Ghost answered without the post`);
    return post;
  }

  /** The post as Ghost should hold it for this article (everything but updated_at). */
  function postFields(article: PublishArticle): Record<string, unknown> {
    const at = now();
    let status: 'published' | 'scheduled' = 'published';
    let publishedAt: string | undefined;
    if (article.publishAt !== null && article.publishAt > at) {
      if (article.publishAt - at < SCHEDULE_FLOOR_MS) {
        // Ghost refuses to schedule less than 2 minutes ahead, and publishing now would break
        // the embargo: ask the worker to come back at the publish time, when it goes out live.
        throw new CmsError('retry', `Ghost cannot schedule a post less than 2 minutes ahead; it goes out at ${new Date(article.publishAt).toISOString()} instead`, {
          retryAfterMs: article.publishAt - at,
        });
      }
      status = 'scheduled';
      publishedAt = new Date(article.publishAt).toISOString();
    } else if (article.firstPublishedAt !== null) {
      publishedAt = new Date(article.firstPublishedAt).toISOString(); // keep the original date on updates and re-creates
    } else if (article.publishAt !== null) {
      publishedAt = new Date(article.publishAt).toISOString(); // a schedule that came due: its time, not a later one
    }
    // A post going live now never carries a future date (e.g. a schedule brought forward).
    if (status === 'published' && publishedAt && Date.parse(publishedAt) > at) publishedAt = new Date(at).toISOString();

    const seen = new Set<string>();
    const tags: { name: string }[] = [];
    const addTag = (name: string) => {
      const clean = name.trim();
      if (!clean || seen.has(clean.toLowerCase())) return;
      seen.add(clean.toLowerCase());
      tags.push({ name: clean });
    };
    addTag(article.section);
    // A newsroom tag must never pose as one of Galley's markers.
    for (const tag of article.tags) if (!tag.trim().toLowerCase().startsWith(DOC_TAG_PREFIX)) addTag(tag);
    addTag(docTagName(article.documentId));
    addTag(revTagName(article.revisionId));

    const featured = article.featured?.media ? article.featured : null;
    const caption = featured ? [featured.photo.captionText.trim(), featured.photo.creditLine.trim()].filter(Boolean).map(escapeHtml).join(' ') : '';
    const dek = article.dek.replace(/\s+/g, ' ').trim();
    const fields: Record<string, unknown> = {
      title: article.headline,
      html: article.html,
      slug: article.slug,
      custom_excerpt: dek ? clip(dek, EXCERPT_MAX) : null,
      status,
      tags,
      feature_image: featured?.media?.url ?? null,
      feature_image_caption: caption || null,
      feature_image_alt: featured ? clip(featured.photo.altText.trim(), ALT_MAX) || null : null,
    };
    if (publishedAt) fields.published_at = publishedAt;
    return fields;
  }

  return {
    async verify() {
      // /site/ is public in Ghost (it answers without a key), so it gives the title but proves
      // nothing about the key; the posts request that follows is what checks the key.
      const what = 'Checking the Ghost site';
      const site = parse(SiteAnswer, await call('GET', 'site/', what), what).site;
      const checkWhat = 'Checking the Ghost Admin API key';
      try {
        parse(z.object({ posts: z.array(z.unknown()) }), await call('GET', 'posts/?limit=1&fields=id', checkWhat), checkWhat);
      } catch (error) {
        if (error instanceof CmsError && error.kind === 'auth') {
          throw new CmsError('auth', `${REFUSED_KEY} (Ghost said: ${error.cmsMessage})`, { status: error.status, cmsMessage: error.cmsMessage });
        }
        throw error;
      }
      const warnings: string[] = [];
      const major = site.version ? Number.parseInt(site.version, 10) : NaN;
      if (Number.isFinite(major) && major < 5) warnings.push(`This site runs Ghost ${site.version}; Galley is made for Ghost 5 and later.`);
      let account = `integration on ${site.title}`;
      if (staffToken) {
        // The staff token only matters for bios: a bad one is a warning, not a failed test.
        const staffWhat = 'Checking the Ghost Staff access token';
        try {
          const me = parse(UsersAnswer, await call('GET', 'users/me/', staffWhat, null, 'staff'), staffWhat).users[0];
          account += `; Staff access token of ${me?.name ?? me?.email ?? 'a staff user'}`;
        } catch (error) {
          if (!(error instanceof CmsError)) throw error;
          warnings.push(`${error.message}. Bios will not reach Ghost until it is replaced.`);
        }
      } else {
        warnings.push('No Staff access token: articles will publish, but bios need one (Ghost does not let an integration edit staff users).');
      }
      return { account, warnings };
    },

    async findExisting({ documentId, slug }) {
      const what = 'Looking for an earlier Ghost post';
      const filter = encodeURIComponent(`tag:${ghostTagSlug(docTagName(documentId))}`);
      const found = parse(PostsAnswer, await call('GET', `posts/?filter=${filter}&formats=html&include=tags&order=created_at%20asc&limit=5`, what), what);
      const ours = found.posts.find((p) => carriesDocument(p, documentId));
      if (ours) return refOf(ours);
      // The slug as a second way in, for a marker tag whose slug is not the one we computed
      // (a tag renamed in Ghost keeps its old slug). Never adopt a post without our tag.
      if (!slug) return null;
      try {
        const bySlug = parse(PostsAnswer, await call('GET', `posts/slug/${encodeURIComponent(slug)}/?formats=html&include=tags`, what), what).posts[0];
        return bySlug && carriesDocument(bySlug, documentId) ? refOf(bySlug) : null;
      } catch (error) {
        if (isStatus(error, 404)) return null;
        throw error;
      }
    },

    async readRemote(ref): Promise<RemoteState | null> {
      const post = await readPost(ref.remoteId, 'Reading the Ghost post');
      if (!post) return null;
      return { ...refOf(post), title: post.title ?? '', html: post.html ?? '', status: post.status, galleyRevisionId: revisionOf(post) };
    },

    async createArticle(article) {
      const what = `Publishing “${article.headline}” to Ghost`;
      const data = await call('POST', 'posts/?source=html&include=tags', what, { json: { posts: [postFields(article)] } });
      return refOf(onePost(data, what));
    },

    async updateArticle(ref, article) {
      const what = `Updating “${article.headline}” on Ghost`;
      const fields = { ...postFields(article), updated_at: ref.modified };
      try {
        const data = await call('PUT', `posts/${encodeURIComponent(ref.remoteId)}/?source=html&include=tags`, what, { json: { posts: [fields] } });
        return refOf(onePost(data, what));
      } catch (error) {
        if (isStatus(error, 404)) {
          throw new CmsError('permanent', `${what}: the post is no longer on Ghost (deleted there?)`, { status: 404, cmsMessage: (error as CmsError).cmsMessage });
        }
        if (!(error instanceof CmsError) || error.kind !== 'conflict') throw error;
        // 409: the post changed since ref.modified. When it is our own earlier write of this
        // very revision (that success's answer was lost), it is done. A person's edit in
        // Ghost keeps the tags, so the title must also still be ours.
        const current = await readPost(ref.remoteId, what);
        if (!current) throw new CmsError('permanent', `${what}: the post is no longer on Ghost (deleted there?)`, { status: 404 });
        const ourRevision = revTagName(article.revisionId).slice(REV_TAG_PREFIX.length);
        if (revisionOf(current) === ourRevision && (current.title ?? '').trim() === article.headline.trim()) return refOf(current);
        throw new CmsError('conflict', `${what}: someone changed the post in Ghost (last saved there ${current.updated_at}) after Galley published it`, {
          status: 409,
          cmsMessage: error.cmsMessage,
        });
      }
    },

    async unpublish(ref) {
      const what = 'Unpublishing the Ghost post';
      // A take-down must work even when someone edited the post in Ghost meanwhile: read the
      // current updated_at and send only the status. One more go if an edit lands in between.
      for (let attempt = 0; ; attempt++) {
        const current = await readPost(ref.remoteId, what);
        if (!current) return ref; // gone from Ghost: nothing left to take down
        if (current.status === 'draft') return refOf(current);
        try {
          const data = await call('PUT', `posts/${encodeURIComponent(current.id)}/?include=tags`, what, {
            json: { posts: [{ status: 'draft', updated_at: current.updated_at }] },
          });
          return refOf(onePost(data, what));
        } catch (error) {
          if (attempt < 2 && error instanceof CmsError && error.kind === 'conflict') continue;
          throw error;
        }
      }
    },

    async uploadPhoto(photo: PublishPhoto): Promise<RemoteMedia> {
      const what = `Uploading ${photo.fileName} to Ghost`;
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(photo.bytes)], { type: photo.mime }), photo.fileName);
      form.append('purpose', 'image');
      form.append('ref', photo.sha256);
      const image = parse(ImagesAnswer, await call('POST', 'images/upload/', what, { form }), what).images[0]!;
      return { remoteId: image.url, url: image.url };
    },

    async updatePhoto(_media: RemoteMedia, _photo: PublishPhoto) {
      // Nothing to do on Ghost's side: Ghost's images are bare files with no caption, credit
      // or alt text of their own. Those travel in the post (feature_image_caption and
      // feature_image_alt, figcaptions in the HTML), so a caption edit reaches Ghost when
      // the article is published again.
    },

    async updateBio(bio: PublishBio) {
      const what = `Updating the bio of ${bio.name} on Ghost`;
      const email = bio.email.trim();
      if (!email) throw new CmsError('permanent', `${what}: the bio has no email address to find the Ghost staff user by`);
      // Without a staff token the integration's key is still tried: hosts differ, and if
      // this one allows it the bio goes out. Ghost 5 answers 501, which says what to do.
      const as = staffToken ? 'staff' : 'integration';
      try {
        const filter = encodeURIComponent(`email:${nqlString(email)}`);
        const users = parse(UsersAnswer, await call('GET', `users/?filter=${filter}&limit=5`, what, null, as), what).users;
        // Only an exact match: a server that ignored the filter must not get someone else's bio.
        const user = users.find((u) => (u.email ?? '').toLowerCase() === email.toLowerCase());
        if (!user) throw new CmsError('permanent', `${what}: no Ghost staff user with the email ${email}`);
        const data = await call('PUT', `users/${encodeURIComponent(user.id)}/`, what, { json: { users: [{ bio: ghostBio(bio.bioText) }] } }, as);
        const updated = parse(UsersAnswer, data, what).users[0] ?? user;
        return { remoteId: updated.id, url: updated.url ?? '', modified: updated.updated_at ?? new Date(now()).toISOString() };
      } catch (error) {
        // 501 (Ghost 5) or 403 (a host that forbids it): the integration may publish but not edit
        // people, which pausing the target (the usual answer to 'auth') would not fix.
        if (as === 'integration' && error instanceof CmsError && (error.status === 501 || error.status === 403)) {
          throw new CmsError('permanent', `${what}: ${STAFF_TOKEN_NEEDED}`, { status: error.status, cmsMessage: error.cmsMessage });
        }
        throw error;
      }
    },
  };
}
