import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { WebSocketServer } from 'ws';
import { openBackend, type Backend } from './backend.ts';
import { EVENT_SOCKET_PROTOCOL, tokenFromProtocols } from '../shared/eventSocket.ts';
import { jsonNestsDeeperThan } from '../shared/nesting.ts';
import { MAX_BODY_DEPTH } from '../shared/richtext.ts';
import { contentSecurityPolicy } from './csp.ts';
import { defaultDataDir, defaultRendererDir } from './paths.ts';

/**
 * Browser mode: the same back end and renderer as the desktop app, served on
 * 127.0.0.1 for machines without the Electron runtime (CI, headless servers) and for
 * the end-to-end tests.
 *
 * Who may call: only a page that knows this launch's random token (printed with the
 * URL, carried in the URL fragment so it never reaches a server log or a Referer; calls
 * send it as a Bearer header, the event socket as a subprotocol, never in a URL).
 * Against DNS rebinding and cross-site pages, every request must name this server in
 * Host, and any Origin must be this server's own.
 */
// A 50 MB photo travels as base64 inside JSON: 4/3 of its size plus the envelope.
export const MAX_BODY_BYTES = 72 * 1024 * 1024;
// The deepest a call can need: a body at its deepest inside its call's envelope.
const MAX_REQUEST_DEPTH = MAX_BODY_DEPTH + 16;

/** JSON cannot carry bytes: the browser client sends a Uint8Array as {"$bytes": base64}. */
function reviveBytes(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    const b64 = (value as { $bytes?: unknown }).$bytes;
    if (keys.length === 1 && typeof b64 === 'string') return Buffer.from(b64, 'base64');
  }
  return value;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

export type WebHostOptions = {
  backend: Backend;
  port?: number;
  rendererDir?: string;
  token?: string;
};

export class WebHost {
  readonly token: string;
  private server: Server;
  // The client offers the token as a second subprotocol (shared/eventSocket.ts); only
  // the real protocol is named in the answer.
  private sockets = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => (offered.has(EVENT_SOCKET_PROTOCOL) ? EVENT_SOCKET_PROTOCOL : false),
  });
  private stopEvents: () => void;
  private rendererDir: string;
  private port = 0;

  private constructor(private readonly options: WebHostOptions) {
    this.token = options.token ?? randomBytes(32).toString('base64url');
    this.rendererDir = resolve(options.rendererDir ?? defaultRendererDir());
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error) => {
        console.error('[galley web]', error);
        if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'internal', message: 'Internal error' } });
        else res.destroy();
      });
    });
    this.server.on('upgrade', (req, socket, head) => {
      const refusal = this.refuse(req, { websocket: true });
      if (refusal || pathOf(req) !== '/api/events') {
        const [status, text] = refusal ?? [404, 'Not found'];
        socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        return;
      }
      this.sockets.handleUpgrade(req, socket, head, (ws) => this.sockets.emit('connection', ws, req));
    });
    this.stopEvents = options.backend.onAnyEvent((event, payload) => {
      const message = JSON.stringify({ event, payload });
      for (const client of this.sockets.clients) if (client.readyState === 1) client.send(message);
    });
  }

  static async start(options: WebHostOptions): Promise<WebHost> {
    const host = new WebHost(options);
    await new Promise<void>((ok, fail) => {
      host.server.once('error', fail);
      host.server.listen(options.port ?? 0, '127.0.0.1', () => ok());
    });
    host.port = (host.server.address() as AddressInfo).port;
    return host;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The address to open: the token rides in the fragment, read once by the page. */
  get url(): string {
    return `${this.origin}/#token=${this.token}`;
  }

  private allowedHosts(): string[] {
    return [`127.0.0.1:${this.port}`, `localhost:${this.port}`];
  }

  /** Returns [status, reason] when the request must be refused. */
  private refuse(req: IncomingMessage, opts: { websocket?: boolean; api?: boolean } = {}): [number, string] | undefined {
    const host = req.headers.host?.toLowerCase();
    if (!host || !this.allowedHosts().includes(host)) return [403, 'Forbidden host'];
    const origin = req.headers.origin;
    if (origin !== undefined && !this.allowedHosts().some((h) => origin === `http://${h}`)) return [403, 'Forbidden origin'];
    if (req.headers['sec-fetch-site'] === 'cross-site') return [403, 'Forbidden origin'];
    if (opts.websocket || opts.api) {
      const given = opts.websocket
        ? tokenFromProtocols((req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()))
        : /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!given || !sameSecret(given, this.token)) return [401, 'Missing or wrong token'];
    }
    return undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = pathOf(req);
    const api = path.startsWith('/api/');
    const refusal = this.refuse(req, { api });
    if (refusal) {
      sendJson(res, refusal[0], { ok: false, error: { code: 'forbidden', message: refusal[1] } });
      return;
    }
    if (api) return this.handleCall(req, res, path);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    return this.serveStatic(res, path);
  }

  private async handleCall(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const match = /^\/api\/call\/([\w.]+)$/.exec(path);
    if (!match || req.method !== 'POST') {
      sendJson(res, 404, { ok: false, error: { code: 'unknown_operation', message: 'No such API route' } });
      return;
    }
    // A JSON content type cannot be sent by a plain HTML form, a second fence against
    // cross-site requests besides the token.
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
      sendJson(res, 415, { ok: false, error: { code: 'invalid_input', message: 'Send JSON (Content-Type: application/json)' } });
      return;
    }
    let input: unknown;
    try {
      const body = await readBody(req, MAX_BODY_BYTES);
      // Checked before parsing: JSON.parse of a body nested a million levels deep costs seconds.
      if (jsonNestsDeeperThan(body, MAX_REQUEST_DEPTH)) {
        throw new TooDeep(`The request nests more than ${MAX_REQUEST_DEPTH} levels deep; no Galley call needs that`);
      }
      input = body.length ? JSON.parse(body.toString('utf8'), reviveBytes) : {};
    } catch (error) {
      const message = error instanceof BodyTooLarge || error instanceof TooDeep ? error.message : 'The request body is not valid JSON';
      sendJson(res, error instanceof BodyTooLarge ? 413 : 400, { ok: false, error: { code: 'invalid_input', message } });
      return;
    }
    const result = await this.options.backend.call(match[1]!, input);
    sendJson(res, result.ok ? 200 : statusFor(result.error.code), result);
  }

  private async serveStatic(res: ServerResponse, path: string): Promise<void> {
    const root = this.rendererDir;
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      // A broken escape ("/%E0%A4%A") is the client's mistake: say so, without a stack in the log.
      res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Bad request: the path has a malformed %-escape');
      return;
    }
    let file = resolve(root, `.${normalize(decoded)}`);
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(404).end();
      return;
    }
    const isFile = await stat(file).then((s) => s.isFile(), () => false);
    // Unknown paths without an extension are the app's own routes: give it index.html.
    if (!isFile) {
      if (extname(file)) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
        return;
      }
      file = join(root, 'index.html');
    }
    const body = await readFile(file);
    const isHtml = file.endsWith('.html');
    const ws = this.allowedHosts().map((h) => `ws://${h}`);
    res.writeHead(200, {
      'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': body.length,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'X-Frame-Options': 'DENY',
      'Cache-Control': isHtml ? 'no-store' : 'public, max-age=31536000, immutable',
      ...(isHtml ? { 'Content-Security-Policy': contentSecurityPolicy(ws) } : {}),
    });
    res.end(body);
  }

  async close(): Promise<void> {
    this.stopEvents();
    for (const client of this.sockets.clients) client.terminate();
    this.sockets.close();
    this.server.closeAllConnections();
    await new Promise<void>((ok) => this.server.close(() => ok()));
  }
}

function pathOf(req: IncomingMessage): string {
  return new URL(req.url ?? '/', 'http://x').pathname;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function statusFor(code: string): number {
  switch (code) {
    case 'invalid_input':
      return 400;
    case 'unknown_operation':
    case 'not_found':
      return 404;
    case 'unauthenticated':
      return 401;
    case 'no_person':
    case 'forbidden':
      return 403;
    case 'rate_limited':
      return 429;
    case 'conflict':
    case 'locked':
      return 409;
    case 'unavailable':
      return 503;
    case 'disk_full':
      return 507;
    case 'damaged':
      return 500;
    default:
      return 500;
  }
}

/** A JSON answer that is never cached or sniffed (browser mode and the desk). */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(text);
}

class BodyTooLarge extends Error {}
class TooDeep extends Error {}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLarge(`The request is larger than ${Math.round(limit / 1024 / 1024)} MB`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export type WebOptions = { port: number; dataDir: string; rendererDir?: string };

export function parseWebArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): WebOptions {
  const { values } = parseArgs({
    args: argv,
    options: { port: { type: 'string' }, 'data-dir': { type: 'string' } },
    allowPositionals: false,
  });
  const portText = values.port ?? env.GALLEY_PORT ?? '0';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a number from 0 to 65535 (0 picks a free port); got "${portText}".`);
  }
  const dataDir = resolve(values['data-dir'] ?? env.GALLEY_DATA_DIR ?? defaultDataDir(env));
  return { port, dataDir };
}

/** `npm run web`: start browser mode and print where to open it. */
export async function runWeb(argv: string[]): Promise<WebHost> {
  const options = parseWebArgs(argv);
  const rendererDir = options.rendererDir ?? defaultRendererDir();
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`The renderer is not built (no ${join(rendererDir, 'index.html')}); run "npm run build:renderer".`);
  }
  const backend = openBackend({ dataDir: options.dataDir });
  const host = await WebHost.start({ backend, port: options.port, rendererDir });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    host.close().finally(() => {
      backend.close();
      process.exit(0);
    });
  };
  // Before "Open:" is printed: whoever reads it may stop us at once, and a SIGTERM that
  // arrived before these handlers would end the process unclean (data folder lock left).
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  console.log(`Galley is running in browser mode. Open: ${host.url}`);
  console.log(`Data folder: ${options.dataDir}`);
  return host;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  runWeb(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`Galley could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
