import { request } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openBackend, type Backend } from '../../electron/backend.ts';
import { WebHost, parseWebArgs } from '../../electron/web.ts';
import { eventSocketProtocols } from '../../shared/eventSocket.ts';
import { tempDir } from '../support/backend.ts';

/** Raw HTTP, because fetch() will not let a test forge the Host header. */
function raw(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('browser mode security', () => {
  let dir: ReturnType<typeof tempDir>;
  let backend: Backend;
  let host: WebHost;
  let port: number;
  let call: (name: string, body: unknown, headers?: Record<string, string>) => ReturnType<typeof raw>;

  beforeAll(async () => {
    dir = tempDir();
    const rendererDir = join(dir.dir, 'renderer');
    mkdirSync(rendererDir);
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Galley</title>');
    writeFileSync(join(dir.dir, 'secret.txt'), 'not for the web');
    backend = openBackend({ dataDir: join(dir.dir, 'data') });
    host = await WebHost.start({ backend, rendererDir });
    port = Number(new URL(host.origin).port);
    call = (name, body, headers = {}) =>
      raw(port, {
        method: 'POST',
        path: `/api/call/${name}`,
        headers: { 'Content-Type': 'application/json', Host: `127.0.0.1:${port}`, ...headers },
        body: JSON.stringify(body),
      });
  });
  afterAll(async () => {
    await host.close();
    backend.close();
    dir.remove();
  });

  const auth = () => ({ Authorization: `Bearer ${host.token}` });

  it('binds to 127.0.0.1 and prints a URL carrying the token in its fragment', () => {
    expect(host.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/#token=[\\w-]{40,}$`));
  });

  it('answers a call that carries the token', async () => {
    const res = await call('session.get', {}, auth());
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ ok: true, value: { person: null } });
  });

  it('refuses a call without the token, or with a wrong one, with 401', async () => {
    expect((await call('session.get', {})).status).toBe(401);
    expect((await call('session.get', {}, { Authorization: 'Bearer nope' })).status).toBe(401);
    expect((await call('session.get', {}, { Authorization: `Bearer ${host.token}x` })).status).toBe(401);
  });

  it('refuses a foreign Origin with 403 even with the token', async () => {
    const res = await call('session.get', {}, { ...auth(), Origin: 'http://evil.example' });
    expect(res.status).toBe(403);
    expect((await call('session.get', {}, { ...auth(), Origin: `http://127.0.0.1:${port + 1}` })).status).toBe(403);
    expect((await call('session.get', {}, { ...auth(), Origin: `http://127.0.0.1:${port}` })).status).toBe(200);
  });

  it('refuses a foreign Host (DNS rebinding) for the API and for pages', async () => {
    expect((await call('session.get', {}, { ...auth(), Host: `evil.example:${port}` })).status).toBe(403);
    expect((await raw(port, { path: '/', headers: { Host: 'evil.example' } })).status).toBe(403);
  });

  it('refuses cross-site fetches and non-JSON posts', async () => {
    expect((await call('session.get', {}, { ...auth(), 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    const form = await raw(port, {
      method: 'POST',
      path: '/api/call/session.get',
      headers: { ...auth(), Host: `127.0.0.1:${port}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    });
    expect(form.status).toBe(415);
  });

  it('answers bad input with 400 and the field, and broken JSON with 400', async () => {
    const res = await call('people.create', { name: '', role: 'intern' }, auth());
    expect(res.status).toBe(400);
    const paths = JSON.parse(res.body).error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'role']));
    const broken = await raw(port, {
      method: 'POST',
      path: '/api/call/session.get',
      headers: { ...auth(), Host: `127.0.0.1:${port}`, 'Content-Type': 'application/json' },
      body: '{"oops',
    });
    expect(broken.status).toBe(400);
  });

  it('refuses a request body nested a million levels deep with 400 saying so, before parsing it', async () => {
    const depth = 1_000_000;
    const body = `{"id":"x","version":1,"content":{"kind":"article","fields":{},"body":{"type":"doc","content":[${'{"type":"blockquote","content":['.repeat(depth)}${']}'.repeat(depth)}]}}}`;
    const res = await raw(port, {
      method: 'POST',
      path: '/api/call/documents.saveWorking',
      headers: { ...auth(), Host: `127.0.0.1:${port}`, 'Content-Type': 'application/json' },
      body,
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error.message).toMatch(/^The request nests more than \d+ levels deep/);
    // The same envelope with a body that nests as much as a story may still reaches the back end.
    const quotes = 100;
    const fine = `{"id":"x","version":1,"content":{"kind":"article","fields":{},"body":{"type":"doc","content":[${'{"type":"blockquote","content":['.repeat(quotes)}{"type":"paragraph","attrs":{"a":{"b":[1]}}}${']}'.repeat(quotes)}]}}}`;
    const answer = await raw(port, {
      method: 'POST',
      path: '/api/call/documents.saveWorking',
      headers: { ...auth(), Host: `127.0.0.1:${port}`, 'Content-Type': 'application/json' },
      body: fine,
    });
    expect(JSON.parse(answer.body).error.message).not.toMatch(/nests more than|Nested more than/);
  });

  it('serves pages with a strict Content-Security-Policy and no way out of the renderer folder', async () => {
    const page = await raw(port, { path: '/', headers: { Host: `127.0.0.1:${port}` } });
    expect(page.status).toBe(200);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt']) {
      const res = await raw(port, { path, headers: { Host: `127.0.0.1:${port}` } });
      expect(res.body).not.toContain('not for the web');
    }
  });

  it('answers a page address with a malformed %-escape with 400, not a crash', async () => {
    for (const path of ['/%E0%A4%A', '/%zz', '/assets/%']) {
      const res = await raw(port, { path, headers: { Host: `127.0.0.1:${port}` } });
      expect(res.status).toBe(400);
      expect(res.body).toMatch(/malformed %-escape/);
      expect(res.body).not.toMatch(/URIError|at /);
    }
  });

  it('opens the event socket only with the token and a local Origin, the token never in the address', async () => {
    const attempt = (path: string, opts: { origin?: string; token?: string } = {}) =>
      new Promise<'open' | number>((resolve) => {
        const protocols = opts.token === undefined ? [] : eventSocketProtocols(opts.token);
        const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, protocols, opts.origin ? { origin: opts.origin } : {});
        ws.on('open', () => {
          ws.close();
          // The answer names the events protocol, not the token.
          resolve(ws.protocol === 'galley.events' ? 'open' : 0);
        });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('error', () => resolve(0));
      });
    expect(await attempt('/api/events')).toBe(401);
    expect(await attempt('/api/events', { token: 'wrong' })).toBe(401);
    // A token in the request line is refused, so no client comes to rely on sending it there.
    expect(await attempt(`/api/events?token=${host.token}`)).toBe(401);
    expect(await attempt('/api/events', { token: host.token, origin: 'http://evil.example' })).toBe(403);
    expect(await attempt('/api/events', { token: host.token, origin: `http://127.0.0.1:${port}` })).toBe('open');
  });

  it('pushes back-end events over the socket', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/events`, eventSocketProtocols(host.token));
    await new Promise((r) => ws.on('open', r));
    const got = new Promise<{ event: string }>((resolve) => ws.on('message', (m) => resolve(JSON.parse(String(m)))));
    const person = JSON.parse((await call('people.create', { name: 'Rosa Imbert', role: 'editor' }, auth())).body).value;
    await call('session.switch', { personId: person.id }, auth());
    expect(await got).toEqual({ event: 'session.changed', payload: { personId: person.id } });
    ws.close();
  });

  it('reads port and data folder from flags, then the environment', () => {
    expect(parseWebArgs(['--port', '5123', '--data-dir', '/tmp/x'], {})).toEqual({ port: 5123, dataDir: '/tmp/x' });
    expect(parseWebArgs([], { GALLEY_PORT: '6000', GALLEY_DATA_DIR: '/tmp/y' })).toEqual({ port: 6000, dataDir: '/tmp/y' });
    expect(parseWebArgs([], {}).port).toBe(0);
    expect(() => parseWebArgs(['--port', 'abc'], {})).toThrow(/--port must be a number/);
  });
});
