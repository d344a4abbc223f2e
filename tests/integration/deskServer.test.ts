import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DESK_TOKEN_PROTOCOL_PREFIX, type DeskEvent, type SessionGrant } from '../../shared/desk.ts';
import { migrateDesk } from '../../desk/db/migrate.ts';
import { openPool } from '../../desk/db/pool.ts';
import { tempDir } from '../support/backend.ts';
import { startPostgres, type PgCluster } from '../support/postgres.ts';
import { spawnDesk, stopDesk } from '../support/deskServer.ts';

/**
 * The desk as it runs: `desk/start.ts` as real child processes (what `npm run desk`
 * runs), two of them on one database of a private PostgreSQL, spoken to over real
 * HTTP and WebSockets. Every process started here is stopped by its PID in afterAll.
 */
type DeskProcess = { child: ChildProcess; url: string; output: () => string; exited: Promise<number | null> };
const started: DeskProcess[] = [];

function runDesk(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnDesk(args, env);
}

async function startDesk(args: string[], env?: NodeJS.ProcessEnv): Promise<DeskProcess> {
  const run = spawnDesk(args, env);
  const desk: DeskProcess = { child: run.child, url: '', output: run.output, exited: run.exited };
  started.push(desk);
  desk.url = await run.ready;
  return desk;
}

function stopByPid(desk: DeskProcess): Promise<number | null> {
  return stopDesk({ ...desk, ready: Promise.resolve(desk.url) });
}

type Answer = { status: number; body: { ok: boolean; value?: unknown; error?: { code: string; message: string } } };

/** Raw HTTP, so a test controls every header (fetch would not send a forged Origin). */
function http(base: string, path: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Answer & { text: string }> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: Answer['body'] = { ok: false };
        try {
          body = JSON.parse(text);
        } catch {
          /* not JSON: the test looks at text */
        }
        resolve({ status: res.statusCode!, body, text });
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

function call(base: string, name: string, input: unknown, token?: string, headers: Record<string, string> = {}) {
  return http(base, `/api/call/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify(input),
  });
}

async function value<T>(answer: Promise<Answer>): Promise<T> {
  const a = await answer;
  if (!a.body.ok) throw new Error(`Desk refused (${a.status}): ${JSON.stringify(a.body.error)}`);
  return a.body.value as T;
}

/** An event socket; resolves once open, with every event it has received so far. */
function events(base: string, protocols: string[], path = '/api/events', headers: Record<string, string> = {}) {
  const socket = new WebSocket(base.replace(/^http/, 'ws') + path, protocols, { headers });
  const received: DeskEvent[] = [];
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => reject(Object.assign(new Error(`refused ${res.statusCode}: ${text}`), { status: res.statusCode, text })));
    });
    socket.once('error', reject);
  });
  socket.on('message', (data) => received.push(JSON.parse(String(data)) as DeskEvent));
  return { socket, received, opened, closed };
}

/** Polls `check` until it returns something truthy, or fails after the deadline. */
async function eventually<T>(what: string, check: () => T | Promise<T>, deadlineMs = 15_000): Promise<NonNullable<T>> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

let cluster: PgCluster;
let databaseUrl: string;
let keys: ReturnType<typeof tempDir>;
let deskA: DeskProcess;
let deskB: DeskProcess;
let admin: SessionGrant;
const PASSWORD = 'the newsroom password';

beforeAll(async () => {
  cluster = await startPostgres();
  databaseUrl = await cluster.createDatabase('desk_server');
  keys = tempDir('galley-desk-server-');
  const common = ['--database', databaseUrl, '--port', '0', '--key-file', join(keys.dir, 'desk-secret.key')];
  // Both at once: they race to migrate (an advisory lock decides) and to create the key file.
  [deskA, deskB] = await Promise.all([
    startDesk([...common, '--data-dir', join(keys.dir, 'a')]),
    startDesk([...common, '--data-dir', join(keys.dir, 'b')]),
  ]);
  admin = await value<SessionGrant>(call(deskA.url, 'desk.setup', { deskName: 'Metro desk', name: 'Ada Admin', username: 'ada', password: PASSWORD }));
}, 120_000);

afterAll(async () => {
  for (const desk of started) await stopByPid(desk);
  await cluster?.stop();
  keys?.remove();
}, 60_000);

describe('two desk processes on one database', () => {
  it('both answer health checks and print where they listen; the key file is 0600 and shared', async () => {
    for (const desk of [deskA, deskB]) {
      expect(desk.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await http(desk.url, '/api/health');
      expect(health.status).toBe(200);
      expect(health.body).toEqual({ ok: true });
    }
    expect(deskA.url).not.toBe(deskB.url);
    const key = join(keys.dir, 'desk-secret.key');
    expect(readFileSync(key)).toHaveLength(32);
    expect(statSync(key).mode & 0o777).toBe(0o600);
    // A session made on A is good on B: the desk's state is all in PostgreSQL.
    const me = await value<{ person: { username: string }; deskName: string }>(call(deskB.url, 'auth.me', {}, admin.token));
    expect(me).toMatchObject({ deskName: 'Metro desk', person: { username: 'ada' } });
  });

  it('sign-in over HTTP: the right password gives a token; a wrong one and no token are 401 with plain words', async () => {
    const good = await call(deskA.url, 'auth.signIn', { username: 'ada', password: PASSWORD });
    expect(good.status).toBe(200);
    expect((good.body.value as SessionGrant).person.username).toBe('ada');
    const wrong = await call(deskA.url, 'auth.signIn', { username: 'ada', password: 'not it at all' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toEqual({ code: 'unauthenticated', message: 'Wrong username or password.' });
    const none = await call(deskB.url, 'people.list', {});
    expect(none.status).toBe(401);
    expect(none.body.error?.message).toBe('Sign in to the desk first.');
    const reporter = await call(deskB.url, 'people.list', {}, 'not-a-real-token-at-all');
    expect(reporter.status).toBe(401);
    // Failures counted on A slow the same username down on B: the count is in PostgreSQL.
    for (let i = 0; i < 5; i++) expect((await call(deskA.url, 'auth.signIn', { username: 'guessed', password: `guess ${i}` })).status).toBe(401);
    const slowed = await call(deskB.url, 'auth.signIn', { username: 'guessed', password: 'guess 6' });
    expect(slowed.status).toBe(429);
    expect(slowed.body.error).toEqual({ code: 'rate_limited', message: 'Too many failed sign-ins for this username; wait 15 minutes and try again.' });
  });

  it('a write through A reaches an event socket on B (LISTEN/NOTIFY between processes)', async () => {
    const feed = events(deskB.url, [`${DESK_TOKEN_PROTOCOL_PREFIX}${admin.token}`]);
    await feed.opened;
    // On connect the socket says where the feed is, so a returning workstation pulls at once.
    await eventually('the first changed', () => feed.received.find((e) => e.type === 'changed'));
    const invite = await value<{ person: { id: string } }>(call(deskA.url, 'people.invite', { name: 'Rita Reporter', username: 'rita', role: 'reporter' }, admin.token));
    const pool = new pg.Pool({ connectionString: databaseUrl });
    const { rows } = await pool.query<{ seq: string }>(`SELECT MAX(seq) AS seq FROM changes WHERE kind = 'person' AND ref = $1`, [invite.person.id]);
    await pool.end();
    const seq = Number(rows[0]!.seq);
    const heard = await eventually('B to announce the invite', () => feed.received.find((e) => e.type === 'changed' && e.seq >= seq));
    expect(heard).toEqual({ type: 'changed', seq });
    feed.socket.close();
    await feed.closed;
  });

  it('a burst of writes is coalesced into fewer messages, ending with the newest seq', async () => {
    const feed = events(deskB.url, [`${DESK_TOKEN_PROTOCOL_PREFIX}${admin.token}`]);
    await feed.opened;
    await eventually('the first changed', () => feed.received.length > 0);
    const before = feed.received.length;
    const invites = await Promise.all(
      Array.from({ length: 12 }, (_, i) => value<{ person: { id: string } }>(call(deskA.url, 'people.invite', { name: `Burst ${i}`, username: `burst${i}`, role: 'reporter' }, admin.token))),
    );
    const pool = new pg.Pool({ connectionString: databaseUrl });
    const { rows } = await pool.query<{ seq: string }>(`SELECT MAX(seq) AS seq FROM changes WHERE ref = ANY($1)`, [invites.map((i) => i.person.id)]);
    await pool.end();
    const newest = Number(rows[0]!.seq);
    await eventually('the newest seq', () => feed.received.some((e) => e.type === 'changed' && e.seq === newest));
    const messages = feed.received.slice(before);
    const seqs = messages.map((e) => (e.type === 'changed' ? e.seq : -1));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(messages.length).toBeLessThanOrEqual(12);
    feed.socket.close();
    await feed.closed;
  }, 30_000);

  it('the event socket refuses a token in the address, a missing or wrong token, and a browser Origin', async () => {
    const inQuery = events(deskB.url, [], `/api/events?token=${admin.token}`);
    await expect(inQuery.opened).rejects.toMatchObject({ status: 400, text: expect.stringContaining('never in the address') });
    const none = events(deskB.url, []);
    await expect(none.opened).rejects.toMatchObject({ status: 401 });
    const wrong = events(deskB.url, [`${DESK_TOKEN_PROTOCOL_PREFIX}not-a-session-token`]);
    await expect(wrong.opened).rejects.toMatchObject({ status: 401, text: expect.stringContaining('does not know that session') });
    const page = events(deskB.url, [`${DESK_TOKEN_PROTOCOL_PREFIX}${admin.token}`], '/api/events', { Origin: 'https://evil.example' });
    await expect(page.opened).rejects.toMatchObject({ status: 403 });
  });

  it('calls with a browser Origin, a non-JSON type, bad JSON or too big a body are refused without acting', async () => {
    const page = await call(deskA.url, 'people.invite', { name: 'Evil', username: 'evil', role: 'editor' }, admin.token, { Origin: 'https://evil.example' });
    expect(page.status).toBe(403);
    const form = await http(deskA.url, '/api/call/desk.hello', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a=1' });
    expect(form.status).toBe(415);
    const bad = await http(deskA.url, '/api/call/desk.hello', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"oops' });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.message).toBe('The request body is not valid JSON.');
    const deep = await http(deskA.url, '/api/call/desk.hello', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '['.repeat(100_000) + ']'.repeat(100_000) });
    expect(deep.status).toBe(400);
    const big = await http(deskA.url, '/api/call/people.list', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${admin.token}` },
      body: Buffer.alloc(17 * 1024 * 1024, 0x20),
    }).catch((error: Error) => ({ status: -1, text: error.message, body: { ok: false } }));
    // The desk answers 413 as soon as it sees the declared length (the client may see the reset instead).
    expect([413, -1]).toContain(big.status);
    if (big.status === 413) expect(big.text).toMatch(/larger than 16 MB/);
    const unknown = await call(deskA.url, 'people.delete', {}, admin.token);
    expect(unknown.status).toBe(404);
    const list = await value<{ username: string }[]>(call(deskA.url, 'people.list', {}, admin.token));
    expect(list.map((p) => p.username)).not.toContain('evil');
  });

  it('revoking a person closes their event socket with signedOut', async () => {
    const invite = await value<{ code: string; person: { id: string } }>(call(deskA.url, 'people.invite', { name: 'Sam Short', username: 'sam', role: 'reporter' }, admin.token));
    const sam = await value<SessionGrant>(call(deskA.url, 'auth.acceptInvite', { code: invite.code, password: 'sam-password-1' }));
    const feed = events(deskB.url, [`${DESK_TOKEN_PROTOCOL_PREFIX}${sam.token}`]);
    await feed.opened;
    await value(call(deskA.url, 'people.revoke', { personId: invite.person.id }, admin.token));
    const code = await feed.closed;
    expect(code).toBe(4001);
    expect(feed.received.at(-1)).toEqual({ type: 'signedOut', reason: 'An administrator revoked your access to this desk.' });
    expect((await call(deskB.url, 'auth.me', {}, sam.token)).status).toBe(401);
  });

  it('after PostgreSQL drops the LISTEN connections, each process listens again and the fan-out carries on', async () => {
    const pool = new pg.Pool({ connectionString: databaseUrl });
    const listeners = async () =>
      (await pool.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name = 'galley-desk-listen' AND datname = 'desk_server'`)).rows.map((r) => r.pid);
    const before = await listeners();
    expect(before).toHaveLength(2);
    await pool.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [before]);
    // Two new connections, neither of them one that was dropped.
    await eventually('both processes to LISTEN again', async () => {
      const now = await listeners();
      return now.length === 2 && now.every((pid) => !before.includes(pid));
    });
    const feed = events(deskB.url, [`${DESK_TOKEN_PROTOCOL_PREFIX}${admin.token}`]);
    await feed.opened;
    await eventually('the first changed', () => feed.received.length > 0);
    const invite = await value<{ person: { id: string } }>(call(deskA.url, 'people.invite', { name: 'Lee Listen', username: 'lee', role: 'photo_desk' }, admin.token));
    const { rows } = await pool.query<{ seq: string }>(`SELECT MAX(seq) AS seq FROM changes WHERE ref = $1`, [invite.person.id]);
    await pool.end();
    await eventually('B to announce the invite after re-LISTEN', () => feed.received.find((e) => e.type === 'changed' && e.seq === Number(rows[0]!.seq)));
    feed.socket.close();
    await feed.closed;
  }, 30_000);

  it('kill -9 of process A: the same session keeps working on B, and nothing is lost', async () => {
    const before = await value<{ username: string }[]>(call(deskB.url, 'people.list', {}, admin.token));
    deskA.child.kill('SIGKILL');
    expect(await deskA.exited).toBeNull();
    await expect(http(deskA.url, '/api/health')).rejects.toThrow();
    const me = await value<{ person: { username: string } }>(call(deskB.url, 'auth.me', {}, admin.token));
    expect(me.person.username).toBe('ada');
    expect(await value<{ username: string }[]>(call(deskB.url, 'people.list', {}, admin.token))).toEqual(before);
    const invite = await call(deskB.url, 'people.invite', { name: 'After Kill', username: 'afterkill', role: 'editor' }, admin.token);
    expect(invite.status).toBe(200);
  });
});

describe('starting the desk', () => {
  it('a database written by a newer desk: start prints the sentence, exits 1 and changes nothing', async () => {
    const url = await cluster.createDatabase('desk_newer');
    const pool = openPool(url);
    await migrateDesk(pool);
    await pool.query(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, '0099_future.sql', 1)`);
    const snapshot = async () => {
      const tables = await pool.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`);
      const versions = await pool.query('SELECT version, name FROM schema_migrations ORDER BY version');
      const meta = await pool.query('SELECT key, value FROM desk_meta ORDER BY key');
      return JSON.stringify([tables.rows, versions.rows, meta.rows]);
    };
    const before = await snapshot();
    const run = runDesk(['--database', url, '--port', '0', '--key-file', join(keys.dir, 'newer.key'), '--data-dir', join(keys.dir, 'newer')]);
    const desk = { child: run.child, url: '', output: run.output, exited: run.exited };
    started.push(desk);
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('This desk database was written by a newer version of the Galley desk (schema 99; this desk knows up to');
    expect(run.output()).toContain('Nothing was changed.');
    expect(run.output()).not.toMatch(/listening on/);
    expect(await snapshot()).toBe(before);
    await pool.end();
  }, 60_000);

  it('with no --database it starts its own PostgreSQL in the data folder, and stops it on SIGTERM', async () => {
    const dataDir = join(keys.dir, 'own');
    // As root the desk runs PostgreSQL as `postgres`, which must pass through the (0700) temp folder to the data folder.
    if (process.getuid?.() === 0) chmodSync(keys.dir, 0o711);
    const desk = await startDesk(['--port', '0', '--data-dir', dataDir]);
    expect(desk.output()).toContain(`Desk database: PostgreSQL in ${join(dataDir, 'postgres')}`);
    expect(desk.output()).toMatch(/Galley desk "new" listening on/);
    const grant = await value<SessionGrant>(call(desk.url, 'desk.setup', { deskName: 'Own desk', name: 'Olga', username: 'olga', password: 'olga-password-1' }));
    expect(grant.deskName).toBe('Own desk');
    const postmaster = Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(await stopByPid(desk)).toBe(0);
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    expect(() => process.kill(postmaster, 0)).toThrow();
    // Started again, it is the same desk.
    const again = await startDesk(['--port', '0', '--data-dir', dataDir]);
    expect(again.output()).toMatch(/Galley desk "Own desk" listening on/);
    expect((await value<{ person: { username: string } }>(call(again.url, 'auth.me', {}, grant.token))).person.username).toBe('olga');
    expect(await stopByPid(again)).toBe(0);
  }, 90_000);

  it('a SIGTERM while the desk is still starting its own PostgreSQL stops the desk and its PostgreSQL', async () => {
    const dataDir = join(keys.dir, 'stopped-early');
    if (process.getuid?.() === 0) chmodSync(keys.dir, 0o711);
    const run = runDesk(['--port', '0', '--data-dir', dataDir]);
    started.push({ child: run.child, url: '', output: run.output, exited: run.exited });
    // The postmaster writes its pid file as it starts, before it takes connections and
    // before the desk has migrated its schema: the desk is mid-start.
    const pidFile = join(dataDir, 'postgres', 'postmaster.pid');
    const postmaster = await new Promise<number>((resolve, reject) => {
      const look = setInterval(() => {
        const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : 0;
        if (pid > 0) {
          clearInterval(look);
          resolve(pid);
        } else if (run.child.exitCode !== null) {
          clearInterval(look);
          reject(new Error(`the desk exited before its PostgreSQL started:\n${run.output()}`));
        }
      }, 5);
    });
    process.kill(run.child.pid!, 'SIGTERM');
    try {
      expect(run.output(), 'the stop must come before the desk is ready, or this test tests nothing').not.toMatch(/listening on/);
      expect(await run.exited).toBe(0);
      expect(run.output()).toContain('Galley desk stopping (SIGTERM)');
      expect(run.output()).not.toMatch(/listening on/);
      expect(() => process.kill(postmaster, 0)).toThrow();
      expect(existsSync(pidFile)).toBe(false);
    } finally {
      try {
        process.kill(postmaster, 'SIGKILL');
      } catch {
        /* gone, as it should be */
      }
    }
  }, 90_000);

  it('with no --database and no PostgreSQL installed, one sentence and exit 1', async () => {
    const run = runDesk(['--port', '0', '--data-dir', join(keys.dir, 'nopg')], { PG_BIN: join(keys.dir, 'no-such-bin') });
    started.push({ child: run.child, url: '', output: run.output, exited: run.exited });
    expect(await run.exited).toBe(1);
    expect(run.output().trim()).toBe(
      'No --database was given and no PostgreSQL is installed here to start one: pass --database postgres://… (or set GALLEY_DESK_DATABASE), or install PostgreSQL (apt-get install postgresql).',
    );
  }, 30_000);

  it('a second desk process with a different key file is refused before it serves anything', async () => {
    const run = runDesk(['--database', databaseUrl, '--port', '0', '--key-file', join(keys.dir, 'other.key'), '--data-dir', join(keys.dir, 'c')]);
    started.push({ child: run.child, url: '', output: run.output, exited: run.exited });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain(`The key file ${join(keys.dir, 'other.key')} is not the one this desk database's secrets were sealed with`);
  }, 30_000);
});
