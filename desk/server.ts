import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { WebSocketServer, type WebSocket } from 'ws';
import { DESK_TOKEN_PROTOCOL_PREFIX, type DeskEvent } from '../shared/desk.ts';
import { GalleyError } from '../shared/errors.ts';
import { jsonNestsDeeperThan } from '../shared/nesting.ts';
import { sendJson, statusFor } from '../electron/web.ts';
import type { DeskContext, DeskHandlers } from './context.ts';
import { authenticate, deskCall } from './dispatch.ts';
import { CHANGE_CHANNEL } from './db/pool.ts';

/**
 * The desk's HTTP + WebSocket face (shared/desk.ts): `POST /api/call/<name>` runs one
 * desk operation through deskCall; `GET /api/health` is for load balancers;
 * `GET /api/events` is the event socket that tells workstations the change feed moved.
 *
 * The desk's clients are workstation back ends, never pages: a request carrying a
 * browser's Origin header is refused, which shuts out cross-site pages without CORS.
 * The process keeps no state that matters: sockets are rebuilt by their clients, and
 * what they are told comes from PostgreSQL's LISTEN/NOTIFY, so any number of desk
 * processes can serve one database and a killed one loses nothing.
 */

// A 50 MB photo (the workstation's limit) as base64 inside JSON is about 67 MB; the
// contract's Base64 caps a string at 70 MB. Everything else is far smaller: a push of
// 2,000 blocks is a few MB. So: 80 MB for assets.put, 16 MB for any other call.
export const MAX_ASSET_BODY_BYTES = 80 * 1024 * 1024;
export const MAX_BODY_BYTES = 16 * 1024 * 1024;
// The desk's wire formats are flat (blocks travel as base64, not as trees): 64 levels is
// far more than any call needs, and refuses a hostile deep body before JSON.parse.
const MAX_REQUEST_DEPTH = 64;
// Coalescing: a burst of commits becomes at most one message per socket per this long.
const FAN_OUT_MS = 20;
// How often sockets' sessions are checked when nothing changes (expiry needs no write).
const SESSION_CHECK_MS = 30_000;
const LISTEN_RETRY_MS = [250, 500, 1_000, 2_000, 5_000];

export type DeskServerOptions = {
  ctx: DeskContext;
  handlers: DeskHandlers;
  /** The database the LISTEN connection opens (the pool's own connection string). */
  databaseUrl: string;
  host?: string;
  port?: number;
  /** Told of every change seq this process hears (the publishing worker's kick). */
  onChange?: (seq: number) => void;
};

type Listener = { socket: WebSocket; tokenHash: string; alive: boolean };

export class DeskServer {
  private server: Server;
  private sockets = new WebSocketServer({
    noServer: true,
    // The client offers only `galley.<token>`; a ws client insists the answer names one
    // of its offers, so that one is echoed (on the same connection, logged nowhere).
    handleProtocols: (offered) => [...offered].find((p) => p.startsWith(DESK_TOKEN_PROTOCOL_PREFIX)) ?? false,
  });
  private listeners = new Set<Listener>();
  private listenClient: pg.Client | null = null;
  private listenAttempt = 0;
  private listenTimer: NodeJS.Timeout | null = null;
  private pendingSeq = 0;
  private lastFanOut = 0;
  private fanOutTimer: NodeJS.Timeout | null = null;
  private fanOutRunning: Promise<void> | null = null;
  private checkTimer: NodeJS.Timeout;
  private closing = false;
  private address = { host: '127.0.0.1', port: 0 };

  private constructor(private readonly options: DeskServerOptions) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error) => {
        console.error('[desk]', error);
        if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'internal', message: 'Something went wrong on the desk; the error was logged there.' } });
        else res.destroy();
      });
    });
    this.server.on('upgrade', (req, socket, head) => {
      this.upgrade(req, socket as import('node:net').Socket, head).catch((error) => {
        console.error('[desk] event socket failed:', error);
        socket.destroy();
      });
    });
    this.checkTimer = setInterval(() => this.scheduleFanOut(0, true), SESSION_CHECK_MS);
    this.checkTimer.unref();
  }

  static async start(options: DeskServerOptions): Promise<DeskServer> {
    const desk = new DeskServer(options);
    await desk.listen(true);
    await new Promise<void>((ok, fail) => {
      desk.server.once('error', fail);
      desk.server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => ok());
    });
    const address = desk.server.address() as AddressInfo;
    desk.address = { host: address.address, port: address.port };
    return desk;
  }

  get port(): number {
    return this.address.port;
  }

  get url(): string {
    const host = this.address.host.includes(':') ? `[${this.address.host}]` : this.address.host;
    return `http://${host}:${this.address.port}`;
  }

  // -------------------------------------------------------------------------------------
  // HTTP

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://desk');
    if (req.headers.origin !== undefined) {
      sendJson(res, 403, { ok: false, error: { code: 'forbidden', message: 'The desk answers Galley workstations, not web pages (a request with an Origin header was refused).' } });
      return;
    }
    if (url.pathname === '/api/health') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      sendJson(res, 200, { ok: true });
      return;
    }
    const match = /^\/api\/call\/([\w.]+)$/.exec(url.pathname);
    if (!match) {
      sendJson(res, 404, { ok: false, error: { code: 'unknown_operation', message: 'The desk has no such address.' } });
      return;
    }
    if (req.method !== 'POST') {
      sendJson(res, 405, { ok: false, error: { code: 'invalid_input', message: 'Desk calls are POST requests.' } });
      return;
    }
    // A plain HTML form can only send form or text content types: refusing those is a
    // second fence besides Origin. A workstation sends JSON (or, leniently, no type).
    const type = req.headers['content-type'];
    if (type !== undefined && !/^application\/json\b/i.test(type)) {
      sendJson(res, 415, { ok: false, error: { code: 'invalid_input', message: 'Send JSON (Content-Type: application/json).' } });
      return;
    }
    const name = match[1]!;
    let input: unknown;
    try {
      const body = await readBody(req, name === 'assets.put' ? MAX_ASSET_BODY_BYTES : MAX_BODY_BYTES);
      if (jsonNestsDeeperThan(body, MAX_REQUEST_DEPTH)) throw new BadBody(`The request nests more than ${MAX_REQUEST_DEPTH} levels deep; no desk call needs that.`);
      input = body.length ? JSON.parse(body.toString('utf8')) : {};
    } catch (error) {
      const message = error instanceof BodyTooLarge || error instanceof BadBody ? error.message : 'The request body is not valid JSON.';
      sendJson(res, error instanceof BodyTooLarge ? 413 : 400, { ok: false, error: { code: 'invalid_input', message } });
      return;
    }
    const token = bearer(req);
    const result = await deskCall(this.options.ctx, this.options.handlers, name, input, { token, address: req.socket.remoteAddress ?? 'unknown' });
    sendJson(res, result.ok ? 200 : statusFor(result.error.code), result);
  }

  // -------------------------------------------------------------------------------------
  // The event socket

  private async upgrade(req: IncomingMessage, socket: import('node:net').Socket, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://desk');
    const refuse = (status: number, reason: string): void =>
      void socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`);
    if (url.pathname !== '/api/events') return refuse(404, 'Not found');
    if (req.headers.origin !== undefined) return refuse(403, 'The desk answers Galley workstations, not web pages');
    // A query string is part of the request line, which proxies and servers log: a token
    // there is refused outright, so no client gets into the habit of sending it.
    if (url.search) return refuse(400, 'The session token travels as the WebSocket subprotocol, never in the address');
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    const token = offered.find((p) => p.startsWith(DESK_TOKEN_PROTOCOL_PREFIX))?.slice(DESK_TOKEN_PROTOCOL_PREFIX.length) ?? null;
    let who: Awaited<ReturnType<typeof authenticate>> = null;
    try {
      who = await authenticate(this.options.ctx, token);
    } catch (error) {
      if (error instanceof GalleyError) return refuse(401, error.message);
      throw error;
    }
    if (!who) return refuse(401, 'Sign in to the desk first');
    if (this.closing) return refuse(503, 'The desk is stopping');
    this.sockets.handleUpgrade(req, socket, head, (ws) => {
      const listener: Listener = { socket: ws, tokenHash: who.tokenHash, alive: true };
      this.listeners.add(listener);
      ws.on('pong', () => (listener.alive = true));
      ws.on('close', () => this.listeners.delete(listener));
      ws.on('error', () => this.listeners.delete(listener));
      // Ignore anything a client sends: the socket only tells, it takes no orders.
      ws.on('message', () => undefined);
      // Where the feed is now: a workstation that missed notifications while away pulls at once.
      this.options.ctx.pool
        .query<{ seq: number | null }>('SELECT MAX(seq) AS seq FROM changes')
        .then(({ rows }) => send(ws, { type: 'changed', seq: rows[0]?.seq ?? 0 }))
        .catch(() => undefined);
    });
  }

  /** A commit somewhere (this process or another) moved the feed to `seq`. */
  private heard(seq: number): void {
    this.options.onChange?.(seq);
    this.scheduleFanOut(seq, false);
  }

  private scheduleFanOut(seq: number, now: boolean): void {
    if (seq > this.pendingSeq) this.pendingSeq = seq;
    if (this.fanOutTimer || this.closing) return;
    const wait = now ? 0 : Math.max(0, this.lastFanOut + FAN_OUT_MS - Date.now());
    this.fanOutTimer = setTimeout(() => {
      this.fanOutTimer = null;
      // One fan-out at a time; a notification during one schedules the next.
      const previous = this.fanOutRunning ?? Promise.resolve();
      this.fanOutRunning = previous.then(() => this.fanOut()).finally(() => (this.fanOutRunning = null));
    }, wait);
  }

  /**
   * Sends every socket the newest seq, after checking each socket's session: one
   * signed out, expired or revoked gets `signedOut` and is closed. Revoking a person
   * writes a 'person' change, so its sockets close on that very notification.
   */
  private async fanOut(): Promise<void> {
    this.lastFanOut = Date.now();
    const seq = this.pendingSeq;
    this.pendingSeq = 0;
    const listeners = [...this.listeners];
    if (!listeners.length) return;
    const ended = await this.endedSessions(listeners.map((l) => l.tokenHash)).catch((error: Error) => {
      // The database is unreachable: say nothing rather than guess; the next fan-out checks again.
      console.error('[desk] could not check event sockets’ sessions:', error.message);
      return null;
    });
    if (!ended) return;
    for (const listener of listeners) {
      const reason = ended.get(listener.tokenHash);
      if (reason) {
        send(listener.socket, { type: 'signedOut', reason });
        listener.socket.close(4001, 'signed out');
        this.listeners.delete(listener);
      } else if (seq > 0) {
        send(listener.socket, { type: 'changed', seq });
      } else if (!listener.alive) {
        // No pong since the last check: a half-open connection (a laptop that slept).
        listener.socket.terminate();
        this.listeners.delete(listener);
      } else {
        listener.alive = false;
        listener.socket.ping();
      }
    }
  }

  private async endedSessions(tokenHashes: string[]): Promise<Map<string, string>> {
    const { rows } = await this.options.ctx.pool.query<{ token_hash: string; expires_at: number; revoked_at: number | null; person_revoked_at: number | null }>(
      `SELECT s.token_hash, s.expires_at, s.revoked_at, p.revoked_at AS person_revoked_at
         FROM sessions s JOIN people p ON p.id = s.person_id WHERE s.token_hash = ANY($1)`,
      [[...new Set(tokenHashes)]],
    );
    const found = new Map(rows.map((r) => [r.token_hash, r]));
    const now = this.options.ctx.now();
    const ended = new Map<string, string>();
    for (const hash of tokenHashes) {
      const row = found.get(hash);
      if (!row) ended.set(hash, 'This desk no longer knows this session.');
      else if (row.person_revoked_at !== null) ended.set(hash, 'An administrator revoked your access to this desk.');
      else if (row.revoked_at !== null) ended.set(hash, 'This session was signed out.');
      else if (row.expires_at <= now) ended.set(hash, 'Your desk session expired.');
    }
    return ended;
  }

  // -------------------------------------------------------------------------------------
  // LISTEN/NOTIFY

  /**
   * One dedicated connection per process LISTENs; after it drops, it reconnects and
   * re-LISTENs. The first connection must work: a desk that cannot reach its database
   * does not start.
   */
  private async listen(first = false): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.databaseUrl, application_name: 'galley-desk-listen' });
    let lost = false;
    const reconnect = (why: string) => {
      if (lost || this.closing) return;
      lost = true;
      if (this.listenClient === client) this.listenClient = null;
      client.end().catch(() => undefined);
      const delay = LISTEN_RETRY_MS[Math.min(this.listenAttempt++, LISTEN_RETRY_MS.length - 1)]!;
      console.error(`[desk] change notifications stopped (${why}); listening again in ${delay} ms`);
      this.listenTimer = setTimeout(() => {
        this.listenTimer = null;
        void this.listen();
      }, delay);
    };
    client.on('notification', (message) => {
      if (message.channel !== CHANGE_CHANNEL) return;
      const seq = Number(message.payload);
      if (Number.isSafeInteger(seq) && seq > 0) this.heard(seq);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      if (first) {
        await client.end().catch(() => undefined);
        throw error;
      }
      client.on('error', () => undefined);
      reconnect(why);
      return;
    }
    client.on('error', (error) => reconnect(error.message));
    client.on('end', () => reconnect('connection ended'));
    if (this.closing) {
      await client.end().catch(() => undefined);
      return;
    }
    const wasReconnect = this.listenAttempt > 0;
    this.listenAttempt = 0;
    this.listenClient = client;
    if (wasReconnect) {
      // Notifications sent while the connection was down are lost: tell everyone where the feed is now.
      const seq = await this.options.ctx.pool
        .query<{ seq: number | null }>('SELECT MAX(seq) AS seq FROM changes')
        .then(({ rows }) => rows[0]?.seq ?? 0)
        .catch(() => 0);
      if (seq > 0) this.heard(seq);
    }
  }

  /** Ends this process's part: sockets, the LISTEN connection, the HTTP server. The caller ends the pool. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.checkTimer);
    if (this.fanOutTimer) clearTimeout(this.fanOutTimer);
    if (this.listenTimer) clearTimeout(this.listenTimer);
    await this.fanOutRunning?.catch(() => undefined);
    for (const { socket } of this.listeners) socket.close(1001, 'desk stopping');
    for (const client of this.sockets.clients) client.terminate();
    this.listeners.clear();
    this.sockets.close();
    await this.listenClient?.end().catch(() => undefined);
    this.listenClient = null;
    this.server.closeAllConnections();
    await new Promise<void>((ok) => this.server.close(() => ok()));
  }
}

function send(socket: WebSocket, event: DeskEvent): void {
  if (socket.readyState === 1) socket.send(JSON.stringify(event));
}

function bearer(req: IncomingMessage): string | null {
  return /^Bearer ([\w.~+/=-]+)$/.exec(req.headers.authorization ?? '')?.[1] ?? null;
}

class BodyTooLarge extends Error {}
class BadBody extends Error {}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLarge(`The request is larger than ${Math.round(limit / 1024 / 1024)} MB.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLarge(`The request is larger than ${Math.round(limit / 1024 / 1024)} MB.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
