import { createHash, createHmac, randomBytes } from 'node:crypto';
import { cmsFetch } from './http.ts';
import { articleNinjs, documentUri, pictureNinjs, pictureUri, withdrawnNinjs } from './ninjs.ts';
import { CmsError, type AdapterOptions, type CmsAdapter, type PublishArticle, type PublishBio, type PublishPhoto, type RemoteMedia, type RemoteRef, type RemoteState } from './types.ts';

/**
 * The webhook target: Galley POSTs one JSON envelope per event to the configured URL,
 * signed per Standard Webhooks (https://www.standardwebhooks.com):
 *
 *   POST <siteUrl>
 *   content-type: application/json
 *   webhook-id: msg_<hex>            the same for every retry of one event
 *   webhook-timestamp: <unix seconds> fresh on every attempt
 *   webhook-signature: v1,<base64 HMAC-SHA256(key, `${id}.${timestamp}.${body}`)>
 *
 *   { "type": "article.published" | "article.updated" | "article.withdrawn"
 *           | "picture.published" | "picture.updated" | "author.updated" | "galley.ping",
 *     "id": "msg_…", "timestamp": "<ISO 8601>", "data": { … } }
 *
 * `data` is an IPTC ninjs 2.1 item (electron/cms/ninjs.ts) for articles and pictures,
 * and a small object for authors (see `updateBio`).
 *
 * The secret: `whsec_<base64>` (the Standard Webhooks format) means the key is the
 * decoded base64 part; anything else is used as a plain string, its UTF-8 bytes being
 * the key. The receiver must derive the key the same way.
 *
 * Idempotency: the webhook-id is derived from the event and what it is about (action,
 * document, revision; for photos the file hash and caption words), never random, so a
 * retry after a lost response carries the same id and the receiver can drop it as a
 * duplicate (and should answer 2xx, ideally with the same `url` as the first time).
 * Known limit: `picture.updated` ids hash the caption words, so reverting a caption to
 * exactly an earlier wording repeats that earlier id and a receiver still remembering
 * it would drop the revert (PublishPhoto carries no revision to tell them apart).
 *
 * Photos: `picture.published` carries the ninjs picture item in `data` (rendition
 * `original` without href; the SHA-256 is in `altids` with role `sha256`) and the
 * file itself next to it, outside the ninjs (which has no place for inline bytes):
 *
 *   "file": { "name": "original", "filename": "harbour-3f2a9c1e.jpg",
 *             "contenttype": "image/jpeg", "sizeinbytes": 123456,
 *             "sha256": "<hex>", "base64": "<the bytes>" }
 *
 * If the receiver stores the photo somewhere public it answers `{ "url": "https://…" }`;
 * that URL becomes the photo's media URL: the `src` of the figure in the article HTML
 * and the rendition `href` in later ninjs. With no URL in the answer the media URL is
 * '' and renditions carry no href; the receiver matches pictures by `uri`
 * (`urn:galley:picture:<sha256>`) or the sha256 altid. Bytes travel base64 inside
 * JSON (a third larger than the file); that keeps one signed request per event.
 *
 * Answers: any 2xx is success; a JSON body with a string `url` (http or https) is
 * read, anything else in the body is ignored. Failures go through cmsFetch:
 * network/timeout/408/429/5xx → 'retry' (with Retry-After), 401/403 → 'auth',
 * 409 → 'conflict', other 4xx → 'permanent', redirects → 'permanent'.
 */

export type WebhookConfig = { type: 'webhook'; siteUrl: string; language?: string };

export type WebhookEventType =
  | 'article.published'
  | 'article.updated'
  | 'article.withdrawn'
  | 'picture.published'
  | 'picture.updated'
  | 'author.updated'
  | 'galley.ping';

export type WebhookEnvelope = {
  type: WebhookEventType;
  id: string;
  timestamp: string;
  data: unknown;
  file?: { name: 'original'; filename: string; contenttype: string; sizeinbytes: number; sha256: string; base64: string };
};

/** The HMAC key for a secret: `whsec_<base64>` decoded, else the string's UTF-8 bytes. */
export function webhookKey(secret: string): Buffer {
  const trimmed = secret.trim();
  if (trimmed.startsWith('whsec_')) {
    const b64 = trimmed.slice('whsec_'.length);
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw new CmsError('auth', 'The webhook secret starts with whsec_ but the rest is not base64');
    return Buffer.from(b64, 'base64');
  }
  return Buffer.from(trimmed, 'utf8');
}

/** `v1,<base64 signature>` for one message, as in the webhook-signature header. */
export function signWebhook(key: Buffer, id: string, timestampSeconds: number, body: string): string {
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`;
}

/** A deterministic message id: `msg_` + the first 32 hex digits of SHA-256 over the parts. */
export function webhookMessageId(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\u0000');
  return `msg_${hash.digest('hex').slice(0, 32)}`;
}

function photoWordsHash(photo: PublishPhoto): string {
  return createHash('sha256')
    .update(JSON.stringify([photo.captionDocumentId, photo.captionText, photo.captionHtml, photo.credit, photo.creditLine, photo.photographer, photo.copyright, photo.altText]))
    .digest('hex');
}

function answerUrl(text: string): string {
  try {
    const json = JSON.parse(text) as { url?: unknown };
    if (typeof json?.url !== 'string') return '';
    const protocol = new URL(json.url).protocol;
    return protocol === 'https:' || protocol === 'http:' ? json.url : '';
  } catch {
    return '';
  }
}

export function webhookAdapter(options: AdapterOptions<WebhookConfig>): CmsAdapter {
  const { config, timeoutMs } = options;
  const now = options.now ?? Date.now;
  const url = config.siteUrl.trim();

  function target(): URL {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new CmsError('permanent', `The webhook address "${url}" is not a web address`);
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new CmsError('permanent', `The webhook address must start with https:// or http:// (got ${parsed.protocol})`);
    return parsed;
  }

  function key(): Buffer {
    if (!options.secret.trim()) throw new CmsError('auth', 'No signing secret is set for this webhook; add one in Settings → Publish targets');
    return webhookKey(options.secret);
  }

  /** Sends one event; returns the receiver's `url` answer ('' when none) and the envelope's timestamp. */
  async function send(type: WebhookEventType, id: string, data: unknown, what: string, file?: WebhookEnvelope['file']): Promise<{ url: string; timestamp: string }> {
    target();
    const signingKey = key();
    const at = now();
    const timestamp = new Date(at).toISOString();
    const envelope: WebhookEnvelope = { type, id, timestamp, data, ...(file ? { file } : {}) };
    const body = JSON.stringify(envelope);
    const seconds = Math.floor(at / 1000);
    const response = await cmsFetch(url, {
      method: 'POST',
      what,
      ...(timeoutMs ? { timeoutMs } : {}),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Galley',
        'webhook-id': id,
        'webhook-timestamp': String(seconds),
        'webhook-signature': signWebhook(signingKey, id, seconds, body),
      },
      body,
    });
    let text = '';
    try {
      text = await response.text();
    } catch {
      // The receiver said 2xx; a body cut short only loses the optional url.
    }
    return { url: answerUrl(text), timestamp };
  }

  const ninjsOptions = { ...(config.language ? { language: config.language } : {}) };

  /**
   * The id covers action, document, revision and schedule, and for updates the marker
   * of the previous send: a retry of one job (which still holds the old ref) repeats
   * the id, while sending the same revision again after a withdrawal or a reschedule
   * is a new event the receiver must not drop.
   */
  async function sendArticle(type: 'article.published' | 'article.updated', article: PublishArticle, previous: RemoteRef | null): Promise<RemoteRef> {
    const data = articleNinjs(article, { now: now(), ...ninjsOptions });
    const id = webhookMessageId(type, article.documentId, article.revisionId, String(article.publishAt ?? ''), previous?.modified ?? '');
    const answer = await send(type, id, data, type === 'article.published' ? 'Publishing the article' : 'Updating the article');
    return { remoteId: documentUri(article.documentId), url: answer.url || (previous?.url ?? ''), modified: answer.timestamp };
  }

  return {
    async verify() {
      const { host, protocol, hostname } = target();
      const id = `msg_ping_${randomBytes(8).toString('hex')}`;
      await send('galley.ping', id, { message: 'Galley checks that this webhook answers and accepts its signature.' }, 'Checking the webhook');
      const warnings: string[] = [];
      if (protocol === 'http:' && !['localhost', '127.0.0.1', '[::1]'].includes(hostname)) {
        warnings.push('The webhook address is not HTTPS: articles, photos and signatures travel unencrypted.');
      }
      if (!options.secret.trim().startsWith('whsec_') && Buffer.byteLength(options.secret.trim()) < 24) {
        warnings.push('The secret is short; use at least 24 random characters (or a whsec_ key).');
      }
      return { account: `Webhook at ${host} (signed, Standard Webhooks)`, warnings };
    },

    // A webhook has no read API: there is nothing to look up. The receiver dedupes by
    // webhook-id and by the ninjs uri, so re-sending "published" for an article it
    // already has is harmless.
    async findExisting() {
      return null;
    },

    // The receiver cannot report edits made on its side, so Galley cannot detect
    // conflicts on a webhook target: this echoes what Galley last sent (same `modified`
    // marker, so a conflict check always sees "unchanged"). status is 'unknown' and
    // title/html are empty because nothing was read.
    async readRemote(ref: RemoteRef): Promise<RemoteState> {
      return { ...ref, title: '', html: '', status: 'unknown', galleyRevisionId: null };
    },

    createArticle(article) {
      return sendArticle('article.published', article, null);
    },

    updateArticle(ref, article) {
      return sendArticle('article.updated', article, ref);
    },

    async unpublish(ref) {
      const type = 'article.withdrawn';
      // Same ref (same last-sent marker) → same id: a retried withdrawal is deduped too.
      const id = webhookMessageId(type, ref.remoteId, ref.modified);
      const answer = await send(type, id, withdrawnNinjs(ref.remoteId, { now: now() }), 'Withdrawing the article');
      return { remoteId: ref.remoteId, url: answer.url || ref.url, modified: answer.timestamp };
    },

    async uploadPhoto(photo: PublishPhoto): Promise<RemoteMedia> {
      const type = 'picture.published';
      const id = webhookMessageId(type, photo.sha256, photoWordsHash(photo));
      const file: NonNullable<WebhookEnvelope['file']> = {
        name: 'original',
        filename: photo.fileName,
        contenttype: photo.mime,
        sizeinbytes: photo.bytes.byteLength,
        sha256: photo.sha256,
        base64: Buffer.from(photo.bytes.buffer, photo.bytes.byteOffset, photo.bytes.byteLength).toString('base64'),
      };
      const answer = await send(type, id, pictureNinjs(photo, { now: now(), ...ninjsOptions }), 'Uploading the photo', file);
      return { remoteId: pictureUri(photo.sha256), url: answer.url };
    },

    async updatePhoto(media: RemoteMedia, photo: PublishPhoto): Promise<void> {
      const type = 'picture.updated';
      const id = webhookMessageId(type, photo.sha256, photoWordsHash(photo));
      await send(type, id, pictureNinjs(photo, { now: now(), href: media.url || null, ...ninjsOptions }), 'Updating the photo caption');
    },

    /**
     * `author.updated` data: `{ uri: "urn:galley:document:<id>", version, name, title,
     * email, biography: { text, html } }` — not ninjs (ninjs has no person item).
     */
    async updateBio(bio: PublishBio): Promise<RemoteRef> {
      const type = 'author.updated';
      const uri = documentUri(bio.documentId);
      const data = { uri, version: bio.revisionId, name: bio.name, title: bio.title, email: bio.email, biography: { text: bio.bioText, html: bio.bioHtml } };
      const answer = await send(type, webhookMessageId(type, bio.documentId, bio.revisionId), data, 'Updating the author bio');
      return { remoteId: uri, url: answer.url, modified: answer.timestamp };
    },
  };
}
