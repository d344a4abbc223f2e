import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NinjsTextSchema, validateNinjs } from '../../electron/cms/ninjs.ts';
import { webhookAdapter, webhookKey } from '../../electron/cms/webhook.ts';
import { sampleArticle, samplePhoto, withFigures } from '../support/publishFixtures.ts';
import { cmsErrorOf } from '../support/cmsError.ts';

/**
 * A receiver written from the Standard Webhooks spec, independent of the adapter's
 * code: it checks the signature and the timestamp, dedupes by webhook-id, stores
 * articles by their ninjs uri and photos by sha256, and can be told to misbehave.
 */
type Envelope = { type: string; id: string; timestamp: string; data: Record<string, unknown>; file?: { base64: string; sha256: string; filename: string } };

class Receiver {
  server!: Server;
  url = '';
  /** The secret as the receiver knows it. */
  secret: string;
  seen = new Map<string, { status: number; body: string }>();
  articles = new Map<string, Envelope>();
  photos = new Map<string, Buffer>();
  deliveries: { id: string; type: string; duplicate: boolean }[] = [];
  /** Process the next event, then drop the connection without answering. */
  loseNextResponse = false;
  /** Answer the next request with this instead of processing it. */
  failNext: { status: number; headers?: Record<string, string>; body?: string } | null = null;

  constructor(secret: string) {
    this.secret = secret;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/galley`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private key(): Buffer {
    return this.secret.startsWith('whsec_') ? Buffer.from(this.secret.slice(6), 'base64') : Buffer.from(this.secret, 'utf8');
  }

  private signatureOk(id: string, timestamp: string, header: string, body: string): boolean {
    if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
    const expected = createHmac('sha256', this.key()).update(`${id}.${timestamp}.${body}`).digest();
    return header.split(' ').some((part) => {
      const [version, sig] = part.split(',');
      if (version !== 'v1' || !sig) return false;
      const given = Buffer.from(sig, 'base64');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const send = (status: number, text: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(text);
    };
    if (this.failNext) {
      const fail = this.failNext;
      this.failNext = null;
      return send(fail.status, fail.body ?? '{"message":"unavailable"}', fail.headers);
    }
    const id = String(req.headers['webhook-id'] ?? '');
    const timestamp = String(req.headers['webhook-timestamp'] ?? '');
    const signature = String(req.headers['webhook-signature'] ?? '');
    if (req.method !== 'POST' || !this.signatureOk(id, timestamp, signature, body)) return send(401, '{"message":"bad signature"}');

    const previous = this.seen.get(id);
    if (previous) {
      this.deliveries.push({ id, type: 'duplicate', duplicate: true });
      return send(previous.status, previous.body);
    }
    const envelope = JSON.parse(body) as Envelope;
    if (envelope.id !== id) return send(400, '{"message":"envelope id differs from webhook-id"}');
    this.deliveries.push({ id, type: envelope.type, duplicate: false });
    let answer = '{}';
    if (envelope.type.startsWith('article.')) {
      this.articles.set(String(envelope.data.uri), envelope);
      answer = JSON.stringify({ url: `https://news.example.org/${String(envelope.data.slugline ?? '')}` });
    } else if (envelope.type === 'picture.published' && envelope.file) {
      const bytes = Buffer.from(envelope.file.base64, 'base64');
      if (createHash('sha256').update(bytes).digest('hex') !== envelope.file.sha256) return send(422, '{"message":"sha256 mismatch"}');
      this.photos.set(envelope.file.sha256, bytes);
      answer = JSON.stringify({ url: `https://cdn.example.org/${envelope.file.filename}` });
    }
    this.seen.set(id, { status: 200, body: answer });
    if (this.loseNextResponse) {
      this.loseNextResponse = false;
      req.socket.destroy();
      return;
    }
    send(200, answer);
  }
}


const SECRET = `whsec_${Buffer.from('a 32-byte key for the test only!').toString('base64')}`;

describe('webhook adapter (Standard Webhooks, ninjs)', () => {
  let receiver: Receiver;
  beforeEach(async () => {
    receiver = new Receiver(SECRET);
    await receiver.start();
  });
  afterEach(() => receiver.stop());

  const adapter = (secret = SECRET) => webhookAdapter({ config: { type: 'webhook', siteUrl: receiver.url }, secret, timeoutMs: 5_000 });

  it('verify() sends a signed ping', async () => {
    const result = await adapter().verify();
    expect(result.account).toContain('127.0.0.1');
    expect(receiver.deliveries).toEqual([expect.objectContaining({ type: 'galley.ping', duplicate: false })]);
  });

  it('publishes a signed ninjs article; a retry after a lost response reuses the id and the receiver keeps one copy', async () => {
    const cms = adapter();
    const article = sampleArticle();
    receiver.loseNextResponse = true;
    const lost = await cmsErrorOf(cms.createArticle(article));
    expect(lost.kind).toBe('retry');

    const ref = await cms.createArticle(article);
    expect(ref).toMatchObject({ remoteId: 'urn:galley:document:doc-harbour-vote', url: 'https://news.example.org/council-votes-on-harbour-expansion' });
    expect(Number.isNaN(Date.parse(ref.modified))).toBe(false);

    expect(receiver.deliveries.map((d) => d.duplicate)).toEqual([false, true]);
    expect(receiver.deliveries[0]?.id).toBe(receiver.deliveries[1]?.id);
    expect(receiver.deliveries[0]?.id).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(receiver.articles.size).toBe(1);
    const stored = receiver.articles.get(ref.remoteId);
    expect(stored?.type).toBe('article.published');
    const item = NinjsTextSchema.parse(stored?.data);
    expect(item.headlines?.[0]?.value).toBe(article.headline);
    expect(item.bodies?.[0]?.value).toBe(article.html);

    // A new revision is a new event; the receiver's url is kept when the answer has none.
    const updated = await cms.updateArticle(ref, { ...article, revisionId: 'rev-2', headline: 'Council approves harbour expansion' });
    expect(updated.remoteId).toBe(ref.remoteId);
    expect(receiver.deliveries.at(-1)).toMatchObject({ duplicate: false });
    expect(receiver.articles.get(ref.remoteId)?.type).toBe('article.updated');
    expect((receiver.articles.get(ref.remoteId)?.data.headlines as { value: string }[])[0]?.value).toBe('Council approves harbour expansion');

    // findExisting has nothing to read; readRemote echoes what was sent (no conflict detection).
    expect(await cms.findExisting({ documentId: article.documentId, slug: article.slug })).toBeNull();
    expect(await cms.readRemote(updated)).toMatchObject({ ...updated, galleyRevisionId: null });
  });

  it('uploads a photo with its bytes; the receiver URL becomes the rendition href; withdraws with pubstatus canceled', async () => {
    const cms = adapter();
    const photo = await samplePhoto();
    const media = await cms.uploadPhoto(photo);
    expect(media).toEqual({ remoteId: `urn:galley:picture:${photo.sha256}`, url: `https://cdn.example.org/${photo.fileName}` });
    expect(receiver.photos.get(photo.sha256)?.equals(Buffer.from(photo.bytes))).toBe(true);

    const article = withFigures(sampleArticle(), [{ photo, media }]);
    const ref = await cms.createArticle(article);
    const item = validateNinjs(receiver.articles.get(ref.remoteId)?.data) as { associations?: { name: string; renditions?: { href?: string }[] }[] };
    expect(item.associations?.[1]).toMatchObject({ name: 'picture-1', renditions: [{ href: media.url }] });

    await cms.updatePhoto(media, { ...photo, captionText: 'Boats at dawn.' });
    expect(receiver.deliveries.at(-1)).toMatchObject({ type: 'picture.updated', duplicate: false });

    const withdrawn = await cms.unpublish(ref);
    const gone = receiver.articles.get(ref.remoteId);
    expect(gone?.type).toBe('article.withdrawn');
    expect(gone?.data).toMatchObject({ uri: ref.remoteId, pubstatus: 'canceled' });
    expect(withdrawn.remoteId).toBe(ref.remoteId);

    const bio = await cms.updateBio({ documentId: 'bio-1', revisionId: 'r1', name: 'Marta Kovacs', title: 'Reporter', email: 'm@example.org', bioText: 'Covers the harbour.', bioHtml: '<p>Covers the harbour.</p>' });
    expect(bio.remoteId).toBe('urn:galley:document:bio-1');
    expect(receiver.deliveries.at(-1)).toMatchObject({ type: 'author.updated' });
  });

  it('a wrong secret is refused by the receiver: 401 → auth', async () => {
    const error = await cmsErrorOf(adapter('whsec_' + Buffer.from('some other key entirely, 32 byt').toString('base64')).createArticle(sampleArticle()));
    expect(error.kind).toBe('auth');
    expect(error.status).toBe(401);
    expect((await cmsErrorOf(adapter('not the secret').verify())).kind).toBe('auth');
    expect(receiver.articles.size).toBe(0);
  });

  it('a plain-string secret signs with its UTF-8 bytes', async () => {
    receiver.secret = 'correct horse battery staple ✓';
    expect(webhookKey(receiver.secret)).toEqual(Buffer.from('correct horse battery staple ✓', 'utf8'));
    await adapter('correct horse battery staple ✓').createArticle(sampleArticle());
    expect(receiver.articles.size).toBe(1);
  });

  it('503 with Retry-After → retry with retryAfterMs', async () => {
    receiver.failNext = { status: 503, headers: { 'retry-after': '7' }, body: '{"message":"maintenance"}' };
    const error = await cmsErrorOf(adapter().createArticle(sampleArticle()));
    expect(error.kind).toBe('retry');
    expect(error.status).toBe(503);
    expect(error.retryAfterMs).toBe(7000);
    expect(error.cmsMessage).toBe('maintenance');
  });

  it('an empty secret or an unreachable receiver fail with a kind', async () => {
    expect((await cmsErrorOf(adapter('').createArticle(sampleArticle()))).kind).toBe('auth');
    const url = receiver.url;
    await receiver.stop();
    const offline = webhookAdapter({ config: { type: 'webhook', siteUrl: url }, secret: SECRET, timeoutMs: 2_000 });
    expect((await cmsErrorOf(offline.verify())).kind).toBe('retry');
    await receiver.start();
    const bad = webhookAdapter({ config: { type: 'webhook', siteUrl: 'ftp://example.org/hook' }, secret: SECRET });
    expect((await cmsErrorOf(bad.verify())).kind).toBe('permanent');
  });
});
