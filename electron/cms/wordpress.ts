import { z } from 'zod';
import { escapeHtml } from '../dom.ts';
import { cmsFetch, cmsFetchAllowing, cmsMessageOf, errorForStatus, readJson, siteBase } from './http.ts';
import { CmsError, type AdapterOptions, type CmsAdapter, type PublishArticle, type PublishPhoto, type RemoteMedia, type RemoteRef, type RemoteState } from './types.ts';

/**
 * WordPress through its REST API (wp/v2) with an Application Password over Basic auth.
 *
 * URLs use `?rest_route=/wp/v2/…`, which works on every WordPress whatever its
 * permalink settings. Every answer is checked with zod; one that does not look like
 * WordPress's is a `permanent` CmsError naming what was wrong (one cut short is
 * `retry`, from readJson).
 *
 * Galley's document id travels in post meta (`galley_document_id`), which the
 * Galley plugin (wordpress-plugin/galley.php) registers and makes searchable. That
 * is how findExisting() recognises a post whose creation answer was lost. Without
 * the plugin the adapter falls back to slug + author, and verify() warns.
 */

export type WordPressConfig = { type: 'wordpress'; siteUrl: string; username: string };

const PLUGIN_ADVICE = 'Install the Galley plugin: copy galley.php (Galley’s wordpress-plugin folder) to wp-content/mu-plugins/ on the site.';
const AUTH_HEADER_FIX =
  'On Apache add `SetEnvIf Authorization "(.*)" HTTP_AUTHORIZATION=$1` (or `CGIPassAuth On`) to the site’s .htaccess; ' +
  'on nginx with PHP-FPM add `fastcgi_param HTTP_AUTHORIZATION $http_authorization;`.';
const WRONG_PASSWORD = (site: string, username: string) =>
  `WordPress at ${site} refused the password for ${username}: it is not a valid Application Password (wrong, revoked, or the login password, which does not work here). Create one under Users → Profile → Application Passwords and paste it here.`;

/** WordPress makes Application Passwords of 24 letters and digits, shown in groups of four. */
export function looksLikeApplicationPassword(secret: string): boolean {
  return /^[A-Za-z0-9]{24}$/.test(secret.replace(/\s+/g, ''));
}

/** Every status a post Galley made can have, except trash. */
const LIVE_STATUSES = 'publish,future,draft,pending,private';

// ——— What WordPress answers (only the fields Galley reads) ———

/** Registered meta: an object, or `[]` when the post type has none registered (no plugin). */
const Meta = z
  .union([z.record(z.string(), z.unknown()), z.array(z.unknown())])
  .transform((value): Record<string, unknown> => (Array.isArray(value) ? {} : value));

const Raw = z.object({ raw: z.string() });

const Post = z.object({
  id: z.number().int().positive(),
  link: z.string(),
  slug: z.string(),
  status: z.string(),
  author: z.number().int(),
  modified_gmt: z.string().min(1),
  title: Raw,
  content: Raw,
  meta: Meta.optional(),
});
type Post = z.infer<typeof Post>;

const Media = z.object({
  id: z.number().int().positive(),
  source_url: z.string().min(1),
  meta: Meta.optional(),
});

const User = z.object({
  id: z.number().int().positive(),
  name: z.string(),
  link: z.string(),
  email: z.string().optional(),
  capabilities: z.record(z.string(), z.unknown()).optional(),
});

const Term = z.object({ id: z.number().int().positive(), name: z.string() });

const ErrorBody = z.object({ code: z.string(), message: z.string().optional(), data: z.unknown().optional() });

const PostsSchema = z.object({
  endpoints: z.array(z.object({ methods: z.array(z.string()), args: z.record(z.string(), z.unknown()).optional() })).optional(),
  schema: z.object({ properties: z.record(z.string(), z.unknown()) }).optional(),
});

const RestIndex = z.object({ authentication: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional() });

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'the answer';
  const detail = `${where}: ${issue?.message ?? 'unexpected shape'}`;
  throw new CmsError('permanent', `${what}: WordPress answered with something Galley does not understand (${detail})`, { cmsMessage: detail });
}

function errorCode(text: string): { code: string; data: unknown } | null {
  try {
    const parsed = ErrorBody.safeParse(JSON.parse(text));
    return parsed.success ? { code: parsed.data.code, data: parsed.data.data } : null;
  } catch {
    return null;
  }
}

// ——— Small text helpers ———


const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return NAMED[name.toLowerCase()] ?? whole;
  });
}

const sameName = (a: string, b: string) =>
  decodeEntities(a).normalize('NFC').trim().toLocaleLowerCase() === decodeEntities(b).normalize('NFC').trim().toLocaleLowerCase();

const EXTENSIONS: Record<PublishPhoto['mime'], string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

/** An ASCII file name for Content-Disposition, with the extension WordPress expects for the type. */
export function uploadFileName(photo: Pick<PublishPhoto, 'fileName' | 'mime'>): string {
  const ext = EXTENSIONS[photo.mime];
  const stem = photo.fileName
    .replace(/\.[^.]*$/, '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 120);
  return `${stem || 'galley-photo'}.${ext}`;
}

/** The caption as WordPress shows it under the photo: the words, then the credit line. */
export function mediaCaption(photo: PublishPhoto): string {
  return [photo.captionText.trim(), photo.creditLine.trim()].filter(Boolean).map(escapeHtml).join(' ');
}

function mediaFields(photo: PublishPhoto): Record<string, string> {
  const caption = photo.captionText.trim();
  const lines = [
    caption,
    photo.photographer.trim() ? `Photographer: ${photo.photographer.trim()}` : '',
    photo.credit.trim() ? `Credit: ${photo.credit.trim()}` : '',
    photo.copyright.trim() ? `Copyright: ${photo.copyright.trim()}` : '',
  ].filter(Boolean);
  const title = caption.length > 90 ? `${caption.slice(0, 90).replace(/\s+\S*$/, '')}…` : caption;
  return {
    title: title || photo.fileName.replace(/\.[^.]*$/, ''),
    caption: mediaCaption(photo),
    alt_text: photo.altText.trim(),
    description: lines.map(escapeHtml).join('\n'),
  };
}

/** WordPress's GMT date format (no zone; the `_gmt` field says it is UTC). */
const gmt = (ms: number) => new Date(ms).toISOString().slice(0, 19);

export function wordpressAdapter(options: AdapterOptions<WordPressConfig>): CmsAdapter {
  const { config, secret, timeoutMs } = options;
  const now = options.now ?? Date.now;
  const base = siteBase(config.siteUrl.trim());
  const site = base.replace(/^https?:\/\//i, '');
  const authorization = `Basic ${Buffer.from(`${config.username}:${secret.trim()}`, 'utf8').toString('base64')}`;

  const url = (route: string, query: Record<string, string | number> = {}) => {
    const params = new URLSearchParams({ rest_route: route });
    for (const [key, value] of Object.entries(query)) params.append(key, String(value));
    return `${base}/?${params.toString()}`;
  };

  type Call = { query?: Record<string, string | number>; json?: unknown; body?: BodyInit; headers?: Record<string, string>; what: string };
  const init = (method: string, call: Call) => ({
    method,
    what: call.what,
    timeoutMs,
    headers: {
      Accept: 'application/json',
      Authorization: authorization,
      ...(call.json !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...call.headers,
    },
    body: call.json !== undefined ? JSON.stringify(call.json) : call.body,
  });

  async function request(method: string, route: string, call: Call): Promise<unknown> {
    const response = await cmsFetch(url(route, call.query), init(method, call));
    return readJson(response, call.what);
  }

  /** Like request(), but hands back WordPress's error code for the statuses the caller handles itself. */
  async function requestAllowing(
    method: string,
    route: string,
    call: Call,
    statuses: number[],
  ): Promise<{ ok: true; value: unknown } | { ok: false; status: number; code: string | null; data: unknown; text: string; headers: Headers }> {
    const response = await cmsFetchAllowing(url(route, call.query), init(method, call), statuses);
    if (response.ok) return { ok: true, value: await readJson(response, call.what) };
    const text = await response.text().catch(() => '');
    const error = errorCode(text);
    return { ok: false, status: response.status, code: error?.code ?? null, data: error?.data ?? null, text, headers: response.headers };
  }

  // The account the Application Password belongs to: posts are written as that author.
  let me: Promise<z.infer<typeof User>> | null = null;
  const currentUser = () => {
    me ??= (async () => {
      const what = `Checking the WordPress account ${config.username} on ${site}`;
      return parse(User, await request('GET', '/wp/v2/users/me', { query: { context: 'edit' }, what }), what);
    })().catch((error: unknown) => {
      me = null;
      throw error;
    });
    return me;
  };

  const terms = new Map<string, number>();
  async function termId(taxonomy: 'tags' | 'categories', name: string): Promise<number> {
    const key = `${taxonomy}\u0000${name.trim().toLocaleLowerCase()}`;
    const known = terms.get(key);
    if (known) return known;
    const label = taxonomy === 'tags' ? 'tag' : 'category';
    const find = async () => {
      const what = `Looking up the WordPress ${label} “${name}”`;
      const list = parse(z.array(Term), await request('GET', `/wp/v2/${taxonomy}`, { query: { search: name.trim(), per_page: 100 }, what }), what);
      return list.find((term) => sameName(term.name, name))?.id ?? null;
    };
    let id = await find();
    if (id === null) {
      const what = `Creating the WordPress ${label} “${name}”`;
      const created = await requestAllowing('POST', `/wp/v2/${taxonomy}`, { json: { name: name.trim() }, what }, [400, 403]);
      if (created.ok) {
        id = parse(Term, created.value, what).id;
      } else if (created.code === 'term_exists') {
        // Made meanwhile, or named differently enough for the search to miss it.
        const existing = z.object({ term_id: z.number().int().positive() }).safeParse(created.data);
        id = existing.success ? existing.data.term_id : await find();
        if (id === null) throw new CmsError('permanent', `${what}: WordPress says it exists but Galley cannot find it`, { status: 400 });
      } else if (created.status === 403) {
        throw new CmsError(
          'permanent',
          `${what}: the WordPress user ${config.username} may not create ${label === 'tag' ? 'tags' : 'categories'}. Create “${name}” in WordPress, or use an Editor’s account.`,
          { status: 403, cmsMessage: cmsMessageOf(created.text) },
        );
      } else {
        throw errorForStatus(created.status, created.text, created.headers, what);
      }
    }
    terms.set(key, id);
    return id;
  }

  const refOf = (post: Post): RemoteRef => ({ remoteId: String(post.id), url: post.link, modified: post.modified_gmt });

  async function postFields(article: PublishArticle): Promise<Record<string, unknown>> {
    const author = await currentUser();
    const tags: number[] = [];
    for (const tag of [...new Set(article.tags.map((t) => t.trim()).filter(Boolean))]) tags.push(await termId('tags', tag));
    const section = article.section.trim();
    const scheduled = article.publishAt !== null && article.publishAt > now();
    const featured = article.featured?.media ? Number(article.featured.media.remoteId) : 0;
    return {
      // WordPress stores titles and excerpts as HTML (and an administrator's are not
      // filtered), so Galley's plain text is escaped: a headline can never become markup.
      title: escapeHtml(article.headline),
      content: article.html,
      excerpt: escapeHtml(article.dek),
      slug: article.slug,
      status: scheduled ? 'future' : 'publish',
      ...(scheduled ? { date_gmt: gmt(article.publishAt!) } : {}),
      author: author.id,
      tags,
      ...(section ? { categories: [await termId('categories', section)] } : {}),
      featured_media: Number.isInteger(featured) && featured > 0 ? featured : 0,
      meta: { galley_document_id: article.documentId, galley_revision_id: article.revisionId },
    };
  }

  /** Writes a post; "publish now" on a post still dated in the future (it was scheduled) also moves its date to now. */
  async function writePost(route: string, article: PublishArticle, what: string): Promise<RemoteRef> {
    const fields = await postFields(article);
    let post = parse(Post, await request('POST', route, { query: { context: 'edit' }, json: fields, what }), what);
    if (fields.status === 'publish' && post.status === 'future') {
      post = parse(Post, await request('POST', `/wp/v2/posts/${post.id}`, { query: { context: 'edit' }, json: { status: 'publish', date_gmt: gmt(now()) }, what }), what);
    }
    return refOf(post);
  }

  const missingPost = (error: unknown, id: string, what: string) =>
    error instanceof CmsError && (error.status === 404 || error.status === 410)
      ? new CmsError('permanent', `${what}: the WordPress post ${id} no longer exists (deleted on the site?)`, { status: error.status, cmsMessage: error.cmsMessage })
      : error;

  async function listPosts(query: Record<string, string | number>, what: string): Promise<Post[]> {
    return parse(z.array(Post), await request('GET', '/wp/v2/posts', { query: { ...query, status: LIVE_STATUSES, context: 'edit', per_page: 20 }, what }), what);
  }

  /** Several candidates (duplicates from before the plugin): the live one, then the oldest. */
  const best = (posts: Post[]) =>
    [...posts].sort((a, b) => Number(!['publish', 'future'].includes(a.status)) - Number(!['publish', 'future'].includes(b.status)) || a.id - b.id)[0] ?? null;

  /** Why a request with credentials came back "not logged in": which of the usual causes it is. */
  async function notLoggedIn(opts: { status: number; cmsMessage: string }): Promise<CmsError> {
    let available: boolean | null = null;
    try {
      const indexWhat = `Reading the WordPress REST index of ${site}`;
      const index = parse(RestIndex, await request('GET', '/', { what: indexWhat }), indexWhat);
      available = !Array.isArray(index.authentication) && !!index.authentication?.['application-passwords'];
    } catch {
      // leave it open
    }
    if (available === false) {
      return new CmsError('auth', `WordPress at ${site} does not offer Application Passwords: they need the site to use HTTPS (or a plugin turned them off).`, opts);
    }
    if (!looksLikeApplicationPassword(secret)) {
      return new CmsError('auth', `${WRONG_PASSWORD(site, config.username)} What was entered does not look like one (24 letters and digits, shown in groups of four).`, opts);
    }
    // XML-RPC takes the credentials in the body, so a stripped header cannot hide them there.
    switch (await xmlRpcLogin()) {
      case 'accepted':
        return new CmsError('auth', `WordPress at ${site} did not receive the credentials: the web server in front of it strips the Authorization header. ${AUTH_HEADER_FIX}`, opts);
      case 'refused':
        return new CmsError(
          'auth',
          `WordPress at ${site} refused the credentials: there is no user “${config.username}”, or the password is not a valid Application Password for that user (wrong, revoked, or the login password, which does not work here). Check the user name, or create an Application Password under Users → Profile → Application Passwords and paste it here.`,
          opts,
        );
      default:
        return new CmsError(
          'auth',
          `WordPress at ${site} did not accept the credentials for ${config.username}. Either the Application Password is wrong (create a new one under Users → Profile → Application Passwords), or the web server strips the Authorization header: ${AUTH_HEADER_FIX}`,
          opts,
        );
    }
  }

  async function xmlRpcLogin(): Promise<'accepted' | 'refused' | 'unknown'> {
    const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const body =
      '<?xml version="1.0"?><methodCall><methodName>wp.getUsersBlogs</methodName><params>' +
      `<param><value><string>${xml(config.username)}</string></value></param>` +
      `<param><value><string>${xml(secret.trim())}</string></value></param>` +
      '</params></methodCall>';
    try {
      const response = await cmsFetch(`${base}/xmlrpc.php`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/xml; charset=UTF-8' },
        body,
        timeoutMs,
        what: `Checking the credentials for ${config.username} on ${site}`,
      });
      const text = await response.text();
      const fault = /<name>faultCode<\/name>\s*<value>\s*<(?:int|i4)>(\d+)</.exec(text);
      if (fault) return fault[1] === '403' ? 'refused' : 'unknown';
      return /<methodResponse>[\s\S]*<params>/.test(text) ? 'accepted' : 'unknown';
    } catch {
      return 'unknown';
    }
  }

  const adapter: CmsAdapter = {
    async verify() {
      const what = `Signing in to WordPress at ${site} as ${config.username}`;
      const answer = await requestAllowing('GET', '/wp/v2/users/me', { query: { context: 'edit' }, what }, [401, 403]);
      if (!answer.ok) {
        const opts = { status: answer.status, cmsMessage: cmsMessageOf(answer.text) };
        switch (answer.code) {
          case 'incorrect_password':
            throw new CmsError('auth', WRONG_PASSWORD(site, config.username), opts);
          case 'invalid_username':
          case 'invalid_email':
            throw new CmsError('auth', `WordPress at ${site} has no user “${config.username}”. Use the login name (or e-mail) of the WordPress account.`, opts);
          case 'application_passwords_disabled':
          case 'application_passwords_disabled_for_user':
            throw new CmsError('auth', `WordPress at ${site} has Application Passwords turned off${answer.code.endsWith('for_user') ? ` for ${config.username}` : ''} (a security plugin or setting); Galley needs them.`, opts);
          case 'rest_not_logged_in': {
            // WordPress (6.1 at least) answers this both when the credentials never arrived and
            // when they were wrong (it checks Application Passwords too late to say so): find out which.
            throw await notLoggedIn(opts);
          }
          default:
            throw errorForStatus(answer.status, answer.text, answer.headers, what);
        }
      }
      const user = parse(User, answer.value, what);
      const warnings: string[] = [];
      const caps = user.capabilities ?? {};
      if (user.capabilities && caps.publish_posts !== true) warnings.push(`${user.name} may not publish posts on ${site}; use an Author, Editor or Administrator account.`);
      if (user.capabilities && caps.upload_files !== true) warnings.push(`${user.name} may not upload photos to ${site}.`);
      if (user.capabilities && caps.list_users !== true) warnings.push(`${user.name} is not an administrator: Galley cannot update contributors’ bios on ${site}.`);

      const schemaWhat = `Checking the Galley plugin on ${site}`;
      try {
        const schema = parse(PostsSchema, await request('OPTIONS', '/wp/v2/posts', { what: schemaWhat }), schemaWhat);
        const meta = schema.schema?.properties.meta as { properties?: Record<string, unknown> } | undefined;
        const hasMeta = !!meta?.properties?.galley_document_id && !!meta.properties.galley_revision_id;
        const hasFilter = (schema.endpoints ?? []).some((e) => e.methods.includes('GET') && !!e.args?.galley_document_id);
        if (!hasMeta) {
          warnings.push(
            `The Galley plugin is not installed on ${site}: posts cannot carry Galley’s document id, so after a lost answer Galley recognises its earlier post only by slug and author, and a retried photo upload may leave a duplicate. ${PLUGIN_ADVICE}`,
          );
        } else if (!hasFilter) {
          warnings.push(`The Galley plugin on ${site} is incomplete (posts cannot be searched by Galley’s document id). ${PLUGIN_ADVICE}`);
        }
      } catch (error) {
        if (!(error instanceof CmsError)) throw error;
        warnings.push(`Could not check for the Galley plugin on ${site} (${error.message}).`);
      }
      me = Promise.resolve(user);
      return { account: `${user.name} on ${site}`, warnings };
    },

    async findExisting({ documentId, slug }) {
      const what = `Looking for an earlier WordPress post of this document on ${site}`;
      // With the plugin WordPress filters by the id; without it the parameter is ignored
      // and this lists any posts, none of which carries the id: so always check it.
      const byId = await listPosts({ galley_document_id: documentId }, what);
      const ours = byId.filter((post) => post.meta?.galley_document_id === documentId);
      if (ours.length > 0) return refOf(best(ours)!);
      if (byId.length === 0) return null;
      const metaAvailable = byId.some((post) => post.meta && 'galley_document_id' in post.meta);
      if (metaAvailable || !slug) return null;

      // No plugin: the same slug, and written by this account. Never adopt someone else's post.
      const author = await currentUser();
      const bySlug = await listPosts({ slug }, what);
      const candidates = bySlug.filter((post) => post.slug === slug && post.author === author.id && !(post.meta && 'galley_document_id' in post.meta));
      const chosen = best(candidates);
      return chosen ? refOf(chosen) : null;
    },

    async readRemote(ref): Promise<RemoteState | null> {
      const what = `Reading WordPress post ${ref.remoteId} on ${site}`;
      let value: unknown;
      try {
        value = await request('GET', `/wp/v2/posts/${encodeURIComponent(ref.remoteId)}`, { query: { context: 'edit' }, what });
      } catch (error) {
        if (error instanceof CmsError && (error.status === 404 || error.status === 410)) return null;
        throw error;
      }
      const post = parse(Post, value, what);
      if (post.status === 'trash') return null;
      const revision = post.meta?.galley_revision_id;
      return {
        ...refOf(post),
        title: post.title.raw,
        html: post.content.raw,
        status: post.status,
        galleyRevisionId: typeof revision === 'string' && revision !== '' ? revision : null,
      };
    },

    async createArticle(article) {
      try {
        return await writePost('/wp/v2/posts', article, `Publishing “${article.headline}” to WordPress`);
      } catch (error) {
        // The plugin refused a second post for this document (an earlier, timed-out
        // create landed in the meantime): update that one instead.
        if (error instanceof CmsError && error.status === 409) {
          const earlier = await adapter.findExisting({ documentId: article.documentId, slug: article.slug });
          if (earlier) return adapter.updateArticle(earlier, article);
        }
        throw error;
      }
    },

    async updateArticle(ref, article) {
      const what = `Updating “${article.headline}” on WordPress`;
      try {
        return await writePost(`/wp/v2/posts/${encodeURIComponent(ref.remoteId)}`, article, what);
      } catch (error) {
        throw missingPost(error, ref.remoteId, what);
      }
    },

    async unpublish(ref) {
      const what = `Withdrawing WordPress post ${ref.remoteId}`;
      try {
        const value = await request('POST', `/wp/v2/posts/${encodeURIComponent(ref.remoteId)}`, { query: { context: 'edit' }, json: { status: 'draft' }, what });
        return refOf(parse(Post, value, what));
      } catch (error) {
        // Deleted on the site: nothing is public any more, which is what was asked.
        if (error instanceof CmsError && (error.status === 404 || error.status === 410)) return ref;
        throw error;
      }
    },

    async uploadPhoto(photo): Promise<RemoteMedia> {
      const fileName = uploadFileName(photo);
      const what = `Uploading ${fileName} to WordPress`;
      // A retry after a lost answer: adopt the copy that arrived (needs the plugin; without
      // it the parameter is ignored and no item carries the hash).
      const earlier = parse(
        z.array(Media),
        await request('GET', '/wp/v2/media', { query: { galley_photo_sha256: photo.sha256, context: 'edit', per_page: 10 }, what }),
        what,
      ).find((item) => item.meta?.galley_photo_sha256 === photo.sha256);
      let media = earlier;
      if (!media) {
        const value = await request('POST', '/wp/v2/media', {
          query: { 'meta[galley_photo_sha256]': photo.sha256 },
          body: new Uint8Array(photo.bytes),
          headers: { 'Content-Type': photo.mime, 'Content-Disposition': `attachment; filename="${fileName}"` },
          what,
        });
        media = parse(Media, value, what);
      }
      const captionWhat = `Adding the caption to ${fileName} on WordPress`;
      const updated = parse(Media, await request('POST', `/wp/v2/media/${media.id}`, { json: mediaFields(photo), what: captionWhat }), captionWhat);
      return { remoteId: String(updated.id), url: updated.source_url };
    },

    async updatePhoto(media, photo) {
      const what = `Updating the caption of ${uploadFileName(photo)} on WordPress`;
      try {
        parse(Media, await request('POST', `/wp/v2/media/${encodeURIComponent(media.remoteId)}`, { json: mediaFields(photo), what }), what);
      } catch (error) {
        if (error instanceof CmsError && error.status === 404) {
          throw new CmsError('permanent', `${what}: the media item ${media.remoteId} no longer exists on ${site}`, { status: 404, cmsMessage: error.cmsMessage });
        }
        throw error;
      }
    },

    async updateBio(bio) {
      const what = `Updating ${bio.name}’s bio on WordPress`;
      const search = async (term: string) => {
        const answer = await requestAllowing('GET', '/wp/v2/users', { query: { search: term, context: 'edit', per_page: 100 }, what }, [403]);
        if (!answer.ok) {
          throw new CmsError('permanent', `${what}: the WordPress user ${config.username} may not look up other users; bios need an Administrator’s account.`, {
            status: answer.status,
            cmsMessage: cmsMessageOf(answer.text),
          });
        }
        return parse(z.array(User), answer.value, what);
      };
      const email = bio.email.trim();
      let user = email ? (await search(email)).find((u) => (u.email ?? '').toLowerCase() === email.toLowerCase()) : undefined;
      if (!user && bio.name.trim()) {
        const named = (await search(bio.name.trim())).filter((u) => sameName(u.name, bio.name));
        if (named.length > 1) {
          throw new CmsError('permanent', `${what}: ${named.length} WordPress users are called ${bio.name}; give the bio the e-mail address of the right one.`);
        }
        user = named[0];
      }
      if (!user) {
        throw new CmsError(
          'permanent',
          `${what}: No WordPress user with the email ${email || '(none given)'} or the name ${bio.name} on ${site} (create the user in WordPress first).`,
        );
      }
      const answer = await requestAllowing('POST', `/wp/v2/users/${user.id}`, { query: { context: 'edit' }, json: { description: bio.bioText }, what }, [403]);
      if (!answer.ok) {
        throw new CmsError('permanent', `${what}: the WordPress user ${config.username} may not edit ${user.name}’s profile; bios need an Administrator’s account.`, {
          status: answer.status,
          cmsMessage: cmsMessageOf(answer.text),
        });
      }
      const updated = parse(User, answer.value, what);
      return { remoteId: String(updated.id), url: updated.link, modified: new Date(now()).toISOString() };
    },
  };
  return adapter;
}
