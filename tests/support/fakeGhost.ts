import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake Ghost 5 Admin API for the Ghost adapter's tests. It is a fake because a real
 * Ghost 5 takes minutes and about half a gigabyte (Node app, MySQL or SQLite, the admin
 * client) to install here; tests/integration/ghost.test.ts runs the same tests against a
 * real Ghost when GHOST_URL and GHOST_ADMIN_KEY are set.
 *
 * It speaks, in memory, the parts of the Admin API the adapter uses, with Ghost's rules:
 * - every route but GET /site/ needs `Authorization: Ghost <jwt>`: HS256 signed with the
 *   key's hex-decoded secret, `kid` a known key id, `aud` '/admin/', not expired and living
 *   at most 5 minutes (exp - iat ≤ 300); otherwise 401 UnauthorizedError like Ghost;
 * - posts: browse (filter `tag:<slug>` / `slug:<slug>`), read by id and by slug, add, edit,
 *   delete; `html` is only taken with `?source=html` and only returned with `formats=html`;
 *   `updated_at` moves forward (whole seconds, as Ghost stores it) on each write; an edit
 *   without the current `updated_at` is 409 UpdateCollisionError; scheduling needs a
 *   published_at at least 2 minutes ahead; tags by name, `#name` internal with slug `hash-name`;
 * - images: multipart upload, served back from /content/images/…;
 * - users: browse with `email:'…'` filter, read, `users/me/`, edit (bio at most 200
 *   characters). As in Ghost 5, an edit made with an integration's Admin API key is
 *   501 NotImplementedError; a staff user's Staff access token (same `<id>:<secret>`
 *   format, signed the same way) acts as that user: an Administrator or the Owner may
 *   edit anyone, an Editor themselves and Authors/Contributors, others only themselves
 *   (403 NoPermissionError otherwise);
 * - site: public, like Ghost's.
 * Test hooks: list and edit posts "in Ghost", fail the next request with a status and
 * Retry-After, or do the next request's work and drop its response (a lost answer).
 */

export type FakeTag = { id: string; name: string; slug: string; visibility: 'public' | 'internal' };

export type FakePost = {
  id: string;
  uuid: string;
  title: string;
  slug: string;
  html: string;
  status: 'draft' | 'published' | 'scheduled';
  published_at: string | null;
  created_at: string;
  updated_at: string;
  custom_excerpt: string | null;
  feature_image: string | null;
  feature_image_caption: string | null;
  feature_image_alt: string | null;
  tags: string[]; // tag slugs, in order
};

export type StaffRole = 'Owner' | 'Administrator' | 'Editor' | 'Author' | 'Contributor';
export type FakeUser = { id: string; name: string; slug: string; email: string; bio: string | null; updated_at: string; role: StaffRole };

export type RequestMatch = { method?: string; path?: string | RegExp };

export type SeenRequest = {
  method: string;
  path: string;
  acceptVersion: string | null;
  /** The decoded JWT when one was sent and well formed (whether or not it was accepted). */
  jwt: { header: Record<string, unknown>; payload: Record<string, unknown> } | null;
  status: number;
};

export type FakeGhost = {
  url: string;
  /** An Admin API key this site accepts, `<id>:<hex secret>`. */
  adminKey: string;
  requests: SeenRequest[];
  posts(): FakePost[];
  post(id: string): FakePost | undefined;
  tags(): FakeTag[];
  users(): FakeUser[];
  /** Someone edits the post in Ghost's editor: changes it and moves updated_at on. */
  editPost(id: string, changes: Partial<Pick<FakePost, 'title' | 'html' | 'status'>>): FakePost;
  /** Adds a staff user (an Author unless told); `staffToken` is their Staff access token. */
  addUser(user: { name: string; email: string; bio?: string; role?: StaffRole }): FakeUser & { staffToken: string };
  /** Creates a post directly (as a person in Ghost would), with tags by name. */
  addPost(post: { title: string; slug?: string; html?: string; tags?: string[] }): FakePost;
  /** The next matching request is answered with this status (and Retry-After) without doing anything. */
  failNext(status: number, options?: RequestMatch & { retryAfter?: string; times?: number }): void;
  /** The next matching request is carried out, then the connection is cut before the answer. */
  dropNextResponse(match?: RequestMatch): void;
  /** The next matching request is never answered (as a Ghost that hangs); resolves when it arrives. */
  holdNext(match?: RequestMatch): Promise<void>;
  /** Bytes stored for an uploaded image URL. */
  image(url: string): Uint8Array | undefined;
  close(): Promise<void>;
};

const TOKEN_MAX_LIFETIME_S = 5 * 60;
const SCHEDULE_MIN_AHEAD_MS = 2 * 60_000;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly context: string | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

const objectId = () => randomBytes(12).toString('hex');

/** Ghost's slug for a name: `#internal` → `hash-internal`, lower case, other characters → '-'. */
export function fakeSlug(name: string): string {
  const internal = name.startsWith('#');
  const rest = (internal ? name.slice(1) : name)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return internal ? `hash-${rest}` : rest;
}

function matches(match: RequestMatch | undefined, method: string, path: string): boolean {
  if (!match) return true;
  if (match.method && match.method.toUpperCase() !== method) return false;
  if (match.path === undefined) return true;
  return typeof match.path === 'string' ? path.startsWith(match.path) : match.path.test(path);
}

/** Parses `field:value` or `field:'quoted \' value'` — the only NQL the adapter sends. */
function parseFilter(filter: string): { field: string; value: string } {
  const m = /^([a-z_.]+):(.*)$/s.exec(filter.trim());
  if (!m) throw new HttpError(400, 'BadRequestError', 'Error parsing filter', filter);
  const field = m[1]!;
  let raw = m[2]!.trim();
  if (raw.startsWith("'")) {
    if (!raw.endsWith("'") || raw.length < 2) throw new HttpError(400, 'BadRequestError', 'Error parsing filter', filter);
    raw = raw.slice(1, -1).replace(/\\(.)/g, '$1');
  } else if (!/^[A-Za-z0-9_-]+$/.test(raw)) {
    throw new HttpError(400, 'BadRequestError', 'Error parsing filter', filter);
  }
  return { field, value: raw };
}

export async function startFakeGhost(options: { title?: string } = {}): Promise<FakeGhost> {
  const keyId = objectId();
  const keySecret = randomBytes(32);
  const posts = new Map<string, FakePost>();
  const tags = new Map<string, FakeTag>(); // by slug
  const users = new Map<string, FakeUser>();
  /** Staff access tokens: key id → the user it acts as, and its secret. */
  const staffKeys = new Map<string, { userId: string; secret: Buffer }>();
  const images = new Map<string, { bytes: Uint8Array; mime: string }>(); // by path
  const requests: SeenRequest[] = [];
  const failures: (RequestMatch & { status: number; retryAfter?: string; times: number })[] = [];
  const drops: (RequestMatch | undefined)[] = [];
  const holds: { match: RequestMatch | undefined; arrived: () => void }[] = [];
  let lastStamp = 0;
  let url = '';

  /** Ghost stores updated_at to the second; each write here is at least a second after the last. */
  function stamp(): string {
    const nowS = Math.floor(Date.now() / 1000) * 1000;
    lastStamp = Math.max(nowS, lastStamp + 1000);
    return new Date(lastStamp).toISOString();
  }

  function tagFor(input: unknown): FakeTag {
    const name =
      typeof input === 'string' ? input : input && typeof input === 'object' && typeof (input as { name?: unknown }).name === 'string' ? (input as { name: string }).name : null;
    const slugIn = input && typeof input === 'object' && typeof (input as { slug?: unknown }).slug === 'string' ? (input as { slug: string }).slug : null;
    if (slugIn && tags.has(slugIn)) return tags.get(slugIn)!;
    if (!name || !name.trim()) throw new HttpError(422, 'ValidationError', 'Validation error, cannot save tag.', 'Tag name is required.');
    if (name.length > 191) throw new HttpError(422, 'ValidationError', 'Validation error, cannot save tag.', 'Tag name is too long.');
    for (const tag of tags.values()) if (tag.name.toLowerCase() === name.trim().toLowerCase()) return tag;
    let slug = fakeSlug(name.trim()) || 'tag';
    for (let n = 2; tags.has(slug); n++) slug = `${fakeSlug(name.trim())}-${n}`;
    const tag: FakeTag = { id: objectId(), name: name.trim(), slug, visibility: name.trim().startsWith('#') ? 'internal' : 'public' };
    tags.set(slug, tag);
    return tag;
  }

  function uniquePostSlug(wanted: string, selfId: string | null): string {
    const base = fakeSlug(wanted) || 'untitled';
    let slug = base;
    for (let n = 2; [...posts.values()].some((p) => p.slug === slug && p.id !== selfId); n++) slug = `${base}-${n}`;
    return slug;
  }

  function postUrl(post: FakePost): string {
    return post.status === 'published' ? `${url}/${post.slug}/` : `${url}/p/${post.uuid}/`;
  }

  function serialisePost(post: FakePost, query: URLSearchParams): Record<string, unknown> {
    const formats = (query.get('formats') ?? '').split(',');
    const out: Record<string, unknown> = {
      id: post.id,
      uuid: post.uuid,
      title: post.title,
      slug: post.slug,
      status: post.status,
      url: postUrl(post),
      visibility: 'public',
      featured: false,
      created_at: post.created_at,
      updated_at: post.updated_at,
      published_at: post.published_at,
      custom_excerpt: post.custom_excerpt,
      feature_image: post.feature_image,
      feature_image_caption: post.feature_image_caption,
      feature_image_alt: post.feature_image_alt,
      codeinjection_head: null,
      codeinjection_foot: null,
      tags: post.tags.map((slug) => {
        const tag = tags.get(slug)!;
        return { id: tag.id, name: tag.name, slug: tag.slug, visibility: tag.visibility, url: `${url}/404/` };
      }),
      authors: [{ id: '1', name: 'Owner', slug: 'owner' }],
    };
    if (formats.includes('html')) out.html = post.html;
    if (formats.includes('lexical') || !query.get('formats')) out.lexical = JSON.stringify({ root: { children: [] } });
    return out;
  }

  function serialiseUser(user: FakeUser): Record<string, unknown> {
    const { role, ...fields } = user;
    return { ...fields, url: `${url}/author/${user.slug}/`, status: 'active', roles: [{ name: role }] };
  }

  /** Ghost's staff permissions for editing a profile, as far as the fake needs them. */
  function mayEdit(editor: FakeUser, target: FakeUser): boolean {
    if (editor.id === target.id || editor.role === 'Owner' || editor.role === 'Administrator') return true;
    return editor.role === 'Editor' && (target.role === 'Author' || target.role === 'Contributor');
  }

  const notFound = (what: string) => new HttpError(404, 'NotFoundError', `${what} not found.`);

  /** Applies the writable fields of a posts[0] body; validation errors as Ghost words them. */
  function applyPost(post: FakePost, input: Record<string, unknown>, query: URLSearchParams, creating: boolean) {
    const invalid = (context: string) => new HttpError(422, 'ValidationError', `Validation error, cannot ${creating ? 'save' : 'edit'} post.`, context);
    if ('title' in input) {
      if (typeof input.title !== 'string') throw invalid('Value in [posts.title] cannot be blank.');
      if (input.title.length > 255) throw invalid('Value in [posts.title] exceeds maximum length of 255 characters.');
      post.title = input.title;
    }
    if ('html' in input && query.get('source') === 'html') {
      // Ghost converts HTML to its editor format; without ?source=html it ignores `html`.
      if (typeof input.html !== 'string') throw invalid('html must be a string');
      post.html = input.html;
    }
    if ('slug' in input && typeof input.slug === 'string' && input.slug) post.slug = uniquePostSlug(input.slug, post.id);
    if ('custom_excerpt' in input) {
      const v = input.custom_excerpt;
      if (v !== null && typeof v !== 'string') throw invalid('custom_excerpt must be a string');
      if (typeof v === 'string' && v.length > 300) throw invalid('Value in [posts.custom_excerpt] exceeds maximum length of 300 characters.');
      post.custom_excerpt = v;
    }
    for (const field of ['feature_image', 'feature_image_caption', 'feature_image_alt'] as const) {
      if (!(field in input)) continue;
      const v = input[field];
      if (v !== null && typeof v !== 'string') throw invalid(`${field} must be a string`);
      if (field === 'feature_image_alt' && typeof v === 'string' && v.length > 191) throw invalid('Value in [posts.feature_image_alt] exceeds maximum length of 191 characters.');
      post[field] = v;
    }
    if ('published_at' in input) {
      const v = input.published_at;
      if (v !== null && (typeof v !== 'string' || Number.isNaN(Date.parse(v)))) throw invalid('published_at must be a date');
      post.published_at = v === null ? null : new Date(v).toISOString();
    }
    if ('status' in input) {
      if (input.status !== 'draft' && input.status !== 'published' && input.status !== 'scheduled') throw invalid('Value in [posts.status] is not valid.');
      post.status = input.status;
    }
    if ('tags' in input) {
      if (!Array.isArray(input.tags)) throw invalid('tags must be an array');
      post.tags = [...new Set(input.tags.map((t) => tagFor(t).slug))];
    }
    if (post.status === 'scheduled') {
      if (!post.published_at || Date.parse(post.published_at) < Date.now() + SCHEDULE_MIN_AHEAD_MS) {
        throw invalid('Date must be at least 2 minutes in the future.');
      }
    }
    if (post.status === 'published' && !post.published_at) post.published_at = new Date().toISOString();
  }

  function onePostBody(body: unknown): Record<string, unknown> {
    const list = body && typeof body === 'object' ? (body as { posts?: unknown }).posts : undefined;
    if (!Array.isArray(list) || list.length !== 1 || !list[0] || typeof list[0] !== 'object') {
      throw new HttpError(422, 'ValidationError', 'Validation error, cannot save post.', 'No root key (\'posts\') provided.');
    }
    return list[0] as Record<string, unknown>;
  }

  type Caller = { kind: 'integration' } | { kind: 'staff'; user: FakeUser };

  function checkToken(req: IncomingMessage): Caller {
    const header = req.headers.authorization;
    if (!header) throw new HttpError(401, 'UnauthorizedError', 'Authorization failed', 'Unable to determine the authenticated user or integration. Check that cookies are being passed through if using session authentication.');
    const [scheme, token] = header.split(' ');
    if (!scheme || !/^Ghost$/i.test(scheme) || !token) {
      throw new HttpError(401, 'UnauthorizedError', 'Authorization header format is "Authorization: Ghost [token]"', null, 'INVALID_AUTH_HEADER');
    }
    const parts = token.split('.');
    if (parts.length !== 3) throw new HttpError(401, 'BadRequestError', 'Invalid token', null, 'INVALID_JWT');
    let jwtHeader: Record<string, unknown>;
    let payload: Record<string, unknown>;
    try {
      jwtHeader = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString());
      payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString());
    } catch {
      throw new HttpError(401, 'BadRequestError', 'Invalid token', null, 'INVALID_JWT');
    }
    const staff = typeof jwtHeader.kid === 'string' ? staffKeys.get(jwtHeader.kid) : undefined;
    if (jwtHeader.kid !== keyId && !staff) throw new HttpError(401, 'UnauthorizedError', 'Unknown Admin API Key', null, 'UNKNOWN_ADMIN_API_KEY');
    if (jwtHeader.alg !== 'HS256') throw new HttpError(401, 'UnauthorizedError', 'Invalid token: invalid algorithm', null, 'INVALID_JWT');
    const expected = createHmac('sha256', staff ? staff.secret : keySecret).update(`${parts[0]}.${parts[1]}`).digest();
    const given = Buffer.from(parts[2]!, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new HttpError(401, 'UnauthorizedError', 'Invalid token: invalid signature', null, 'INVALID_JWT');
    }
    if (payload.aud !== '/admin/') throw new HttpError(401, 'UnauthorizedError', 'Invalid token: jwt audience invalid. expected: /admin/', null, 'INVALID_JWT');
    const { iat, exp } = payload;
    if (typeof iat !== 'number' || typeof exp !== 'number') throw new HttpError(401, 'UnauthorizedError', 'Invalid token: jwt malformed', null, 'INVALID_JWT');
    if (exp - iat > TOKEN_MAX_LIFETIME_S) throw new HttpError(401, 'UnauthorizedError', 'Invalid token: maxAge exceeded', null, 'INVALID_JWT');
    const nowS = Date.now() / 1000;
    if (nowS >= exp || nowS >= iat + TOKEN_MAX_LIFETIME_S) throw new HttpError(401, 'UnauthorizedError', 'Invalid token: jwt expired', null, 'INVALID_JWT');
    if (!staff) return { kind: 'integration' };
    const user = users.get(staff.userId);
    if (!user) throw new HttpError(401, 'UnauthorizedError', 'Unknown Admin API Key', null, 'UNKNOWN_ADMIN_API_KEY');
    return { kind: 'staff', user };
  }

  function decodeJwt(req: IncomingMessage): SeenRequest['jwt'] {
    const token = req.headers.authorization?.split(' ')[1];
    const parts = token?.split('.');
    if (!parts || parts.length !== 3) return null;
    try {
      return { header: JSON.parse(Buffer.from(parts[0]!, 'base64url').toString()), payload: JSON.parse(Buffer.from(parts[1]!, 'base64url').toString()) };
    } catch {
      return null;
    }
  }

  async function readBody(req: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async function jsonBody(req: IncomingMessage): Promise<unknown> {
    const raw = await readBody(req);
    try {
      return JSON.parse(raw.toString('utf8'));
    } catch {
      throw new HttpError(400, 'BadRequestError', 'Request body is not valid JSON');
    }
  }

  type Answer = { status: number; body?: unknown; bytes?: Uint8Array; contentType?: string };

  async function route(req: IncomingMessage, method: string, path: string, query: URLSearchParams): Promise<Answer> {
    const image = method === 'GET' ? images.get(path) : undefined;
    if (image) return { status: 200, bytes: image.bytes, contentType: image.mime };

    const prefix = '/ghost/api/admin/';
    if (!path.startsWith(prefix)) throw notFound('Resource');
    const rest = path.slice(prefix.length);

    if (method === 'GET' && rest === 'site/') {
      return { status: 200, body: { site: { title: options.title ?? 'Harbour Times', description: 'News from Portmere', logo: null, icon: null, accent_color: '#15171A', locale: 'en', url: `${url}/`, version: '5.96' } } };
    }

    const caller = checkToken(req);

    if (rest === 'posts/' && method === 'GET') {
      let list = [...posts.values()];
      const filter = query.get('filter');
      if (filter) {
        const { field, value } = parseFilter(filter);
        if (field === 'tag' || field === 'tags.slug') list = list.filter((p) => p.tags.includes(value));
        else if (field === 'slug') list = list.filter((p) => p.slug === value);
        else if (field === 'status') list = list.filter((p) => p.status === value);
        else throw new HttpError(400, 'BadRequestError', `The fake does not know the filter field ${field}`);
      }
      const order = query.get('order') ?? '';
      list.sort((a, b) => (order.startsWith('created_at asc') ? a.created_at.localeCompare(b.created_at) : b.created_at.localeCompare(a.created_at)));
      const limitRaw = query.get('limit');
      const limit = limitRaw === 'all' ? list.length : Math.max(1, Number(limitRaw ?? 15) || 15);
      const page = list.slice(0, limit);
      return {
        status: 200,
        body: { posts: page.map((p) => serialisePost(p, query)), meta: { pagination: { page: 1, limit, pages: Math.max(1, Math.ceil(list.length / limit)), total: list.length, next: null, prev: null } } },
      };
    }

    if (rest === 'posts/' && method === 'POST') {
      const input = onePostBody(await jsonBody(req));
      if (typeof input.title !== 'string' || !input.title.trim()) {
        throw new HttpError(422, 'ValidationError', 'Validation error, cannot save post.', 'Value in [posts.title] cannot be blank.');
      }
      const at = stamp();
      const post: FakePost = {
        id: objectId(),
        uuid: randomUUID(),
        title: '',
        slug: '',
        html: '',
        status: 'draft',
        published_at: null,
        created_at: at,
        updated_at: at,
        custom_excerpt: null,
        feature_image: null,
        feature_image_caption: null,
        feature_image_alt: null,
        tags: [],
      };
      applyPost(post, input, query, true);
      if (!post.slug) post.slug = uniquePostSlug(post.title, post.id);
      posts.set(post.id, post);
      return { status: 201, body: { posts: [serialisePost(post, query)] } };
    }

    const bySlug = /^posts\/slug\/([^/]+)\/$/.exec(rest);
    if (bySlug && method === 'GET') {
      const slug = decodeURIComponent(bySlug[1]!);
      const post = [...posts.values()].find((p) => p.slug === slug);
      if (!post) throw notFound('Post');
      return { status: 200, body: { posts: [serialisePost(post, query)] } };
    }

    const byId = /^posts\/([^/]+)\/$/.exec(rest);
    if (byId) {
      const post = posts.get(decodeURIComponent(byId[1]!));
      if (!post) throw notFound('Post');
      if (method === 'GET') return { status: 200, body: { posts: [serialisePost(post, query)] } };
      if (method === 'DELETE') {
        posts.delete(post.id);
        return { status: 204 };
      }
      if (method === 'PUT') {
        const input = onePostBody(await jsonBody(req));
        if (typeof input.updated_at !== 'string') {
          throw new HttpError(422, 'ValidationError', 'Validation error, cannot edit post.', "'updated_at' is required.");
        }
        if (Date.parse(input.updated_at) !== Date.parse(post.updated_at)) {
          throw new HttpError(409, 'UpdateCollisionError', 'Saving failed! Someone else is editing this post.', null, 'UPDATE_COLLISION');
        }
        const draft: FakePost = { ...post, tags: [...post.tags] };
        applyPost(draft, input, query, false);
        draft.updated_at = stamp();
        posts.set(post.id, draft);
        return { status: 200, body: { posts: [serialisePost(draft, query)] } };
      }
    }

    if (rest === 'images/upload/' && method === 'POST') {
      const raw = await readBody(req);
      let form: FormData;
      try {
        form = await new Response(new Uint8Array(raw), { headers: { 'content-type': req.headers['content-type'] ?? '' } }).formData();
      } catch {
        throw new HttpError(400, 'BadRequestError', 'Please select an image.');
      }
      const file = form.get('file');
      if (!file || typeof file === 'string') throw new HttpError(422, 'ValidationError', 'Please select an image.');
      const purpose = form.get('purpose') ?? 'image';
      if (purpose !== 'image') throw new HttpError(422, 'ValidationError', `The fake only knows purpose 'image', not ${String(purpose)}`);
      if (!/^image\/(jpeg|png|gif|webp|svg\+xml)$/.test(file.type)) {
        throw new HttpError(415, 'UnsupportedMediaTypeError', 'Please select a valid image.', `The file type ${file.type} is not supported.`);
      }
      const d = new Date();
      const dir = `/content/images/${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
      const name = (file.name || 'image').toLowerCase().replace(/[^a-z0-9._-]+/g, '-');
      const dot = name.lastIndexOf('.');
      const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
      let path = `${dir}/${stem}${ext}`;
      for (let n = 2; images.has(path); n++) path = `${dir}/${stem}-${n}${ext}`;
      images.set(path, { bytes: new Uint8Array(await file.arrayBuffer()), mime: file.type });
      const ref = form.get('ref');
      return { status: 201, body: { images: [{ url: `${url}${path}`, ref: typeof ref === 'string' ? ref : null }] } };
    }

    if (rest === 'users/' && method === 'GET') {
      let list = [...users.values()];
      const filter = query.get('filter');
      if (filter) {
        const { field, value } = parseFilter(filter);
        if (field !== 'email') throw new HttpError(400, 'BadRequestError', `The fake does not know the filter field ${field}`);
        list = list.filter((u) => u.email.toLowerCase() === value.toLowerCase());
      }
      return { status: 200, body: { users: list.map(serialiseUser), meta: { pagination: { page: 1, limit: 15, pages: 1, total: list.length, next: null, prev: null } } } };
    }

    if (rest === 'users/me/' && method === 'GET') {
      // An integration is nobody; Ghost answers it with 404 as well.
      if (caller.kind !== 'staff') throw notFound('User');
      return { status: 200, body: { users: [serialiseUser(caller.user)] } };
    }

    const userId = /^users\/([^/]+)\/$/.exec(rest);
    if (userId && method === 'GET') {
      const user = users.get(decodeURIComponent(userId[1]!));
      if (!user) throw notFound('User');
      return { status: 200, body: { users: [serialiseUser(user)] } };
    }
    if (userId && method === 'PUT') {
      const user = users.get(decodeURIComponent(userId[1]!));
      if (!user) throw notFound('User');
      if (caller.kind === 'integration') {
        // Ghost 5's answer to any staff-user edit made with an integration's Admin API key.
        throw new HttpError(501, 'NotImplementedError', 'The server does not support the functionality required to fulfill the request.');
      }
      if (!mayEdit(caller.user, user)) throw new HttpError(403, 'NoPermissionError', 'You do not have permission to perform this action');
      const body = await jsonBody(req);
      const input = (body as { users?: Record<string, unknown>[] }).users?.[0];
      if (!input) throw new HttpError(422, 'ValidationError', 'Validation error, cannot edit user.', "No root key ('users') provided.");
      if ('bio' in input) {
        if (input.bio !== null && typeof input.bio !== 'string') throw new HttpError(422, 'ValidationError', 'Validation error, cannot edit user.', 'bio must be a string');
        if (typeof input.bio === 'string' && [...input.bio].length > 200) {
          throw new HttpError(422, 'ValidationError', 'Validation error, cannot edit user.', 'Value in [users.bio] exceeds maximum length of 200 characters.');
        }
        user.bio = input.bio as string | null;
      }
      user.updated_at = stamp();
      return { status: 200, body: { users: [serialiseUser(user)] } };
    }

    throw notFound('Resource');
  }

  function send(res: ServerResponse, answer: Answer, extraHeaders: Record<string, string> = {}) {
    if (answer.bytes) {
      res.writeHead(answer.status, { 'Content-Type': answer.contentType ?? 'application/octet-stream', 'Content-Length': answer.bytes.byteLength, ...extraHeaders });
      res.end(answer.bytes);
      return;
    }
    if (answer.body === undefined) {
      res.writeHead(answer.status, extraHeaders);
      res.end();
      return;
    }
    const text = JSON.stringify(answer.body);
    res.writeHead(answer.status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...extraHeaders });
    res.end(text);
  }

  const server: Server = createServer((req, res) => {
    const method = (req.method ?? 'GET').toUpperCase();
    const parsed = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = parsed.pathname;
    const seen: SeenRequest = { method, path, acceptVersion: (req.headers['accept-version'] as string | undefined) ?? null, jwt: decodeJwt(req), status: 0 };
    requests.push(seen);

    const failure = failures.find((f) => matches(f, method, path));
    if (failure) {
      if (--failure.times <= 0) failures.splice(failures.indexOf(failure), 1);
      seen.status = failure.status;
      req.resume();
      send(res, { status: failure.status, body: { errors: [{ message: 'Service Unavailable', type: 'InternalServerError' }] } }, failure.retryAfter ? { 'Retry-After': failure.retryAfter } : {});
      return;
    }
    const holdIndex = holds.findIndex((h) => matches(h.match, method, path));
    if (holdIndex >= 0) {
      // Nothing is done and nothing is answered; close() cuts the connection.
      holds.splice(holdIndex, 1)[0]!.arrived();
      req.resume();
      return;
    }
    const dropIndex = drops.findIndex((d) => matches(d, method, path));
    const drop = dropIndex >= 0;
    if (drop) drops.splice(dropIndex, 1);

    route(req, method, path, parsed.searchParams)
      .catch((error: unknown): Answer => {
        if (error instanceof HttpError) {
          return { status: error.status, body: { errors: [{ message: error.message, context: error.context, type: error.type, details: null, property: null, help: null, code: error.code, id: randomUUID(), ghostErrorCode: null }] } };
        }
        return { status: 500, body: { errors: [{ message: (error as Error).message, type: 'InternalServerError' }] } };
      })
      .then((answer) => {
        seen.status = answer.status;
        if (drop) {
          // The work is done; the answer never arrives.
          res.socket?.destroy();
          return;
        }
        send(res, answer);
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fake: FakeGhost = {
    url,
    adminKey: `${keyId}:${keySecret.toString('hex')}`,
    requests,
    posts: () => [...posts.values()],
    post: (id) => posts.get(id),
    tags: () => [...tags.values()],
    users: () => [...users.values()],
    editPost(id, changes) {
      const post = posts.get(id);
      if (!post) throw new Error(`no post ${id}`);
      Object.assign(post, changes);
      post.updated_at = stamp();
      return post;
    },
    addUser({ name, email, bio, role }) {
      const user: FakeUser = { id: objectId(), name, slug: fakeSlug(name), email, bio: bio ?? null, updated_at: stamp(), role: role ?? 'Author' };
      users.set(user.id, user);
      const tokenId = objectId();
      const secret = randomBytes(32);
      staffKeys.set(tokenId, { userId: user.id, secret });
      return { ...user, staffToken: `${tokenId}:${secret.toString('hex')}` };
    },
    addPost({ title, slug, html, tags: tagNames }) {
      const at = stamp();
      const post: FakePost = {
        id: objectId(),
        uuid: randomUUID(),
        title,
        slug: uniquePostSlug(slug ?? title, null),
        html: html ?? '',
        status: 'published',
        published_at: at,
        created_at: at,
        updated_at: at,
        custom_excerpt: null,
        feature_image: null,
        feature_image_caption: null,
        feature_image_alt: null,
        tags: (tagNames ?? []).map((n) => tagFor({ name: n }).slug),
      };
      posts.set(post.id, post);
      return post;
    },
    failNext(status, opts = {}) {
      const { retryAfter, times = 1, ...match } = opts;
      failures.push({ ...match, status, retryAfter, times });
    },
    dropNextResponse(match) {
      drops.push(match);
    },
    holdNext(match) {
      return new Promise<void>((arrived) => holds.push({ match, arrived }));
    },
    image(imageUrl) {
      const path = imageUrl.startsWith(url) ? imageUrl.slice(url.length) : imageUrl;
      return images.get(path)?.bytes;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}
