import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deskHandlers } from '../../desk/handlers.ts';
import { DeskServer } from '../../desk/server.ts';
import { openBackend, type Backend } from '../../electron/backend.ts';
import { edited, paragraphs, tempDir } from '../support/backend.ts';
import { openTestDesk, type TestDesk } from '../support/desk.ts';
import { startPostgres, type PgCluster } from '../support/postgres.ts';

/**
 * The link end to end over the network: two desk server processes' worth of
 * DeskServer (desk/server.ts, the HTTP + WebSocket server `npm run desk` runs) on one
 * PostgreSQL database, and two workstation back ends each talking HTTP to a different
 * one. Nothing here calls Sync now: what moves is moved by the desk's events (a change
 * committed through one server reaches the other's sockets through LISTEN/NOTIFY) and
 * by the link's reconnect when a server comes back.
 */
let cluster: PgCluster;
let desk: TestDesk;
const servers = new Set<DeskServer>();
const opened: Backend[] = [];

beforeAll(async () => {
  cluster = await startPostgres();
  desk = await openTestDesk(cluster);
}, 60_000);
afterAll(async () => {
  for (const b of opened) await b.shutdown().catch(() => undefined);
  for (const s of servers) await s.close();
  await desk?.close();
  await cluster?.stop();
});

async function server(port = 0): Promise<DeskServer> {
  const s = await DeskServer.start({ ctx: desk.ctx, handlers: deskHandlers, databaseUrl: desk.url, port });
  servers.add(s);
  return s;
}

function workstation(): Backend {
  const backend = openBackend({ dataDir: tempDir('galley-ws-').dir, outbox: false, desk: { retryFirstMs: 50, retryMostMs: 300, periodicMs: 600_000 } });
  opened.push(backend);
  return backend;
}

async function until<T>(what: string, probe: () => Promise<T> | T, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T;
  do {
    last = await probe();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 25));
  } while (Date.now() < deadline);
  throw new Error(`Timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
}

describe('two workstations, two desk servers, one database', () => {
  it('a submit on B reaches A’s review queue by the desk’s events; with B’s desk stopped the resubmit waits and goes when it is back', { timeout: 90_000 }, async () => {
    const s1 = await server();
    let s2 = await server();
    const a = workstation();
    const b = workstation();
    await a.invoke('desk.connect', { address: s1.url });
    await a.invoke('desk.setup', { deskName: 'City desk', name: 'Ada Editor', username: 'ada', password: 'correct horse battery staple' });
    const { code } = await a.invoke('desk.invite', { name: 'Ben Reporter', username: 'ben', role: 'reporter' });
    await b.invoke('desk.connect', { address: s2.url });
    await b.invoke('desk.acceptInvite', { code, password: 'reporter-password-1' });

    const doc = await b.invoke('documents.create', { kind: 'article' });
    await b.invoke('documents.saveWorking', {
      id: doc.id,
      version: doc.version,
      content: edited(doc.content, { fields: { headline: 'Harbour vote' }, body: paragraphs('The council voted on Tuesday to expand the harbour.') }),
    });
    await b.invoke('workflow.transition', { documentId: doc.id, action: 'submit' });

    const queue = await until('the story in A’s review queue', () => a.invoke('documents.list', { status: 'submitted' }), (list) => list.some((d) => d.id === doc.id));
    expect(queue.find((d) => d.id === doc.id)).toMatchObject({ title: 'Harbour vote', status: 'submitted' });
    const read = await a.invoke('documents.get', { id: doc.id });
    await a.invoke('workflow.transition', { documentId: doc.id, action: 'requestChanges', revisionId: read.revisionId!, note: 'Add the vote count.' });
    await until('B to hear changes were requested', () => b.invoke('documents.get', { id: doc.id }), (d) => d.status === 'changes_requested');

    // B's desk server stops: B goes offline and keeps working.
    const port = s2.port;
    await s2.close();
    servers.delete(s2);
    await until('B offline', () => b.invoke('desk.status', {}), (s) => s.state === 'offline');
    const current = await b.invoke('documents.get', { id: doc.id });
    await b.invoke('documents.saveWorking', {
      id: doc.id,
      version: current.version,
      content: edited(current.content, { body: paragraphs('The council voted 7-2 on Tuesday to expand the harbour.') }),
    });
    const resubmitted = await b.invoke('workflow.transition', { documentId: doc.id, action: 'submit' });
    expect(resubmitted.status).toBe('submitted');
    expect((await b.invoke('desk.outbox', {})).map((i) => [i.operation, i.state])).toEqual([['workflow.act', 'waiting']]);

    // It comes back on the same address: B reconnects by itself and sends what waited.
    s2 = await server(port);
    await until('B to reconnect and send', () => b.invoke('desk.status', {}), (s) => s.state === 'connected' && s.waiting === 0);
    const again = await until('A to see the resubmitted text', () => a.invoke('documents.get', { id: doc.id }), (d) => d.status === 'submitted' && d.revisionId === resubmitted.revisionId);
    expect(JSON.stringify(again.content.body)).toContain('7-2');
    const { rows } = await desk.pool.query('SELECT action, revision_id FROM workflow_events WHERE document_id = $1 ORDER BY id', [doc.id]);
    expect(rows.map((r: { action: string }) => r.action)).toEqual(['submit', 'requestChanges', 'submit']);
    expect(rows.at(-1).revision_id).toBe(resubmitted.revisionId);
  });

  it('a person revoked on the desk is signed out by the desk’s event, without calling it, and desk documents turn read-only', { timeout: 60_000 }, async () => {
    const s1 = await server();
    const a = workstation();
    const b = workstation();
    await a.invoke('desk.connect', { address: s1.url });
    const status = await a.invoke('desk.status', {});
    // The desk is shared by this file's tests: set it up unless an earlier test did.
    if (status.needsSetup) await a.invoke('desk.setup', { deskName: 'City desk', name: 'Ada Editor', username: 'ada', password: 'correct horse battery staple' });
    else await a.invoke('desk.signIn', { username: 'ada', password: 'correct horse battery staple' });
    const { person, code } = await a.invoke('desk.invite', { name: 'Cy Reporter', username: 'cy', role: 'reporter' });
    await b.invoke('desk.connect', { address: s1.url });
    await b.invoke('desk.acceptInvite', { code, password: 'reporter-password-2' });
    const doc = await b.invoke('documents.create', { kind: 'article' });
    await a.invoke('desk.revoke', { personId: person.id });
    const ended = await until('B to be told by the desk', () => b.invoke('desk.status', {}), (s) => s.state === 'signed-out');
    expect(ended.lastError).toMatch(/revoked/i);
    const refused = await b.call('documents.saveWorking', { id: doc.id, version: doc.version, content: doc.content });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
