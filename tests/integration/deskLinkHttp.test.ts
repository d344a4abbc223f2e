import { refusal } from '../support/backend.ts';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { deskHttp } from '../../electron/services/desk/client.ts';
import type { DeskEvent } from '../../shared/desk.ts';

/**
 * The workstation's HTTP client for the desk (electron/services/desk/client.ts) against a
 * real HTTP + WebSocket server on loopback that answers as a desk would — and as a desk
 * that is down, slow or confused would. It is a scripted server, not the desk: what is
 * tested is what the client makes of each answer.
 */
type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
let servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function serve(handler: Handler): Promise<{ address: string; server: Server }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => handler(req, body, res));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { address: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

const json = (res: ServerResponse, status: number, value: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
};


const HELLO = { deskName: 'City desk', needsSetup: false, protocol: 1, serverTime: 1 };

describe('desk calls over HTTP', () => {
  it('posts JSON to /api/call/<name> with the bearer token and returns the value of the { ok, value } answer when the contract allows it', async () => {
    const seen: { url?: string; auth?: string; body?: string; method?: string } = {};
    const { address } = await serve((req, body, res) => {
      Object.assign(seen, { url: req.url, auth: req.headers.authorization, body, method: req.method });
      json(res, 200, { ok: true, value: HELLO });
    });
    const desk = deskHttp(`${address}/`, () => 'token-abcdefgh');
    expect(await desk.call('desk.hello', {})).toEqual(HELLO);
    expect(seen).toEqual({ url: '/api/call/desk.hello', auth: 'Bearer token-abcdefgh', body: '{}', method: 'POST' });
  });

  it('a desk refusal arrives as the desk’s own error', async () => {
    const { address } = await serve((_req, _body, res) => json(res, 401, { ok: false, error: { code: 'unauthenticated', message: 'Your desk session expired. Sign in to the desk again.' } }));
    const error = await refusal(deskHttp(address, () => 'x').call('auth.me', {}));
    expect(error.code).toBe('unauthenticated');
    expect(error.message).toBe('Your desk session expired. Sign in to the desk again.');
  });

  it('an answer outside the contract is “does not understand”, not acted on', async () => {
    const { address } = await serve((_req, _body, res) => json(res, 200, { ok: true, value: { deskName: 42 } }));
    const error = await refusal(deskHttp(address, () => null).call('desk.hello', {}));
    expect(error.code).toBe('unavailable');
    expect(error.message).toMatch(/answered something Galley does not understand/);
  });

  it('a 502 page from a proxy, a dead port and a desk that does not answer in time are all “cannot be reached”', async () => {
    const { address: proxy } = await serve((_req, _body, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>Bad gateway</html>');
    });
    const bad = await refusal(deskHttp(proxy, () => null).call('desk.hello', {}));
    expect(bad.code).toBe('unavailable');
    expect(bad.message).toBe(`The desk at ${proxy} cannot be reached; your work is kept here and will be sent when it answers.`);

    const { address: gone, server } = await serve(() => undefined);
    server.close();
    servers = servers.filter((s) => s !== server);
    await new Promise((r) => setTimeout(r, 50));
    expect((await refusal(deskHttp(gone, () => null).call('desk.hello', {}))).message).toMatch(/cannot be reached/);

    const { address: slow } = await serve(() => undefined);
    expect((await refusal(deskHttp(slow, () => null, { timeoutMs: 200 }).call('desk.hello', {}))).message).toMatch(/cannot be reached/);
  });
});

describe('the desk’s event socket', () => {
  it('carries the token as the subprotocol (never the URL), passes on the events the contract knows and ignores the rest', async () => {
    const { address, server } = await serve((_req, _body, res) => json(res, 404, { ok: false, error: { code: 'not_found', message: 'no' } }));
    const wss = new WebSocketServer({ server, path: '/api/events', handleProtocols: (protocols) => [...protocols][0] ?? false });
    const seen: { protocol?: string; url?: string } = {};
    wss.on('connection', (socket, req) => {
      seen.protocol = socket.protocol;
      seen.url = req.url;
      socket.send('not json');
      socket.send(JSON.stringify({ type: 'somethingNew', x: 1 }));
      socket.send(JSON.stringify({ type: 'changed', seq: 7 }));
      socket.send(JSON.stringify({ type: 'signedOut', reason: 'This session was signed out.' }));
      setTimeout(() => socket.close(), 50);
    });
    const events: DeskEvent[] = [];
    const closed = new Promise<string>((resolve) => deskHttp(address, () => 'token-abcdefgh').events((e) => events.push(e), resolve));
    expect(await closed).toMatch(/closed/);
    expect(seen).toEqual({ protocol: 'galley.token-abcdefgh', url: '/api/events' });
    expect(events).toEqual([
      { type: 'changed', seq: 7 },
      { type: 'signedOut', reason: 'This session was signed out.' },
    ]);
    wss.close();
  });

  it('a desk that refuses the socket (a dead session) is reported closed', async () => {
    const { address } = await serve((_req, _body, res) => json(res, 401, { ok: false, error: { code: 'unauthenticated', message: 'no' } }));
    const why = await new Promise<string>((resolve) => deskHttp(address, () => 'bad-token-123').events(() => undefined, resolve));
    expect(why).toMatch(/refused \(401\)|error/);
  });
});
