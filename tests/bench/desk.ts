import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { insertPerson } from '../../db/people.ts';
import { setSetting } from '../../db/settings.ts';
import { canonicalJson } from '../../shared/canonical.ts';
import { openBackend, type Backend } from '../../electron/backend.ts';
import { adapterFor } from '../../electron/cms/index.ts';
import type { ServiceContext } from '../../electron/services/context.ts';
import { deskHttp, type DeskClient, type DeskEvents } from '../../electron/services/desk/client.ts';
import { pullChanges, pushRevisions } from '../../electron/services/desk/sync.ts';
import { keyFileBox } from '../../electron/services/secrets.ts';
import type { DeskPerson } from '../../shared/desk.ts';
import type { DocumentContent } from '../../shared/documents.ts';
import type { Role } from '../../shared/people.ts';
import { paragraphs, tempDir } from '../support/backend.ts';
import { addPerson } from '../support/deskPeople.ts';
import { startDeskServer, type RunningDeskServer } from '../support/deskServer.ts';
import { articleContent, StoryWriter } from '../support/deskWire.ts';
import type { TestDesk } from '../support/desk.ts';
import { startPostgres, type PgCluster } from '../support/postgres.ts';
import { Prose, rng, vocabulary } from './prose.ts';
import { percentile, round } from './stats.ts';

/**
 * `npm run bench -- desk` (issue #17): a private PostgreSQL, TWO real desk processes
 * (desk/start.ts as children) on its one database, and 50 simulated workstations —
 * each a signed-in desk person with the workstation's own HTTP client (deskHttp),
 * pushing revisions built as a workstation builds them (desk/wire.ts via StoryWriter),
 * homed round-robin on the two processes. Real workstation back ends (openBackend on
 * SQLite in temp folders) measure the upload size and the catch-up.
 *
 * - submitToQueueP95Ms: a reporter on process A pushes a new story and submits it; an
 *   editor listening on process B's event socket pulls on each event until the story
 *   is in its review queue (status submitted). One submit at a time, 120 of them.
 * - bytesPerRevisionSync: the body of the sync.push the workstation's own push
 *   (pushRevisions) sends for a one-sentence edit to a 5,000-word story (20 paragraphs
 *   of ~250 words, as the revisions bench), counted by a proxy in front of the desk.
 * - revisionsPerSecond: all 50 workstations pushing one-paragraph edits to their own
 *   stories, one revision per sync.push, concurrently for 10 s.
 * - catchUpMs: a real workstation back end, up to date, goes away while the others
 *   make 1,000 revisions; it comes back and pullChanges runs until it is up to date
 *   (every page pulled, every block it lacks fetched, checked and applied).
 *
 * The bench process (50 clients, their hashing and compression) shares the machine
 * with the desk processes and PostgreSQL, so the figures include that contention.
 */

const WORKSTATIONS = 50;
const EDITORS = 10;
const SUBMITS = 120;
const THROUGHPUT_MS = 10_000;
const CATCH_UP_REVISIONS = 1_000;

type Station = {
  person: DeskPerson;
  token: string;
  home: RunningDeskServer;
  client: DeskClient;
  story?: { writer: StoryWriter; paras: string[][] };
};

/** A tiny HTTP proxy in front of a desk that records each call's request body size. */
async function countingProxy(target: string): Promise<{ url: string; calls: { path: string; bytes: number }[]; close(): Promise<void> }> {
  const to = new URL(target);
  const calls: { path: string; bytes: number }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      calls.push({ path: req.url ?? '', bytes: body.length });
      const out = request({ host: to.hostname, port: to.port, path: req.url, method: req.method, headers: { ...req.headers, host: to.host } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      out.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      out.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * An editor's review queue as a workstation keeps it: on every `changed` event from its
 * desk process, pull from its cursor (every page) and note documents now submitted.
 */
class ReviewQueue {
  cursor = 0;
  private pulling: Promise<void> | null = null;
  private again = false;
  private waiters = new Map<string, (at: number) => void>();
  private seen = new Map<string, number>();
  private socket: DeskEvents | null = null;
  pulls = 0;
  constructor(private client: DeskClient) {}

  async start(): Promise<void> {
    await this.pull();
    await new Promise<void>((resolve, reject) => {
      let first = true;
      this.socket = this.client.events(
        () => {
          // The desk greets a new socket with the newest seq: that is "connected".
          if (first) {
            first = false;
            resolve();
          }
          void this.pull();
        },
        (why) => (first ? reject(new Error(`The editor's event socket closed: ${why}`)) : console.error(`Editor event socket closed: ${why}`)),
      );
    });
  }

  /** Resolves with the time (performance.now) the document was first seen submitted. */
  submitted(documentId: string): Promise<number> {
    const at = this.seen.get(documentId);
    if (at !== undefined) return Promise.resolve(at);
    return new Promise((resolve) => this.waiters.set(documentId, resolve));
  }

  pull(): Promise<void> {
    if (this.pulling) {
      this.again = true;
      return this.pulling;
    }
    this.pulling = (async () => {
      do {
        this.again = false;
        for (;;) {
          const page = await this.client.call('sync.pull', { since: this.cursor });
          this.pulls++;
          const now = performance.now();
          for (const c of page.changes) {
            if (c.type !== 'document' || c.document.status !== 'submitted' || this.seen.has(c.document.id)) continue;
            this.seen.set(c.document.id, now);
            this.waiters.get(c.document.id)?.(now);
            this.waiters.delete(c.document.id);
          }
          this.cursor = page.cursor;
          if (!page.more) break;
        }
      } while (this.again);
    })().finally(() => (this.pulling = null));
    return this.pulling;
  }

  close(): void {
    this.socket?.close();
  }
}

/** A real workstation back end whose person at the keyboard is this desk person (as signing in makes them). */
function workstationBackend(person: DeskPerson): { backend: Backend; ctx: ServiceContext; remove(): Promise<void> } {
  const dir = tempDir('galley-bench-ws-');
  // No desk address: the link stays alone; the bench drives push and pull itself.
  const backend = openBackend({ dataDir: dir.dir, outbox: false, autosave: { pauseMs: 3_600_000, maxIntervalMs: 3_600_000 } });
  insertPerson(backend.db, { id: person.id, name: person.name, role: person.role, createdAt: person.createdAt });
  setSetting(backend.db, 'session.currentPersonId', person.id);
  // The sync functions' context on the back end's own database (the back end does not hand its own out).
  const ctx: ServiceContext = {
    db: backend.db,
    dataDir: backend.dataDir,
    now: Date.now,
    emit: () => undefined,
    afterWorkingChange: () => undefined,
    secrets: keyFileBox(backend.dataDir),
    adapterFactory: adapterFor,
    outbox: { kick: () => undefined },
  };
  return {
    backend,
    ctx,
    async remove() {
      await backend.shutdown().catch(() => backend.close());
      dir.remove();
    },
  };
}

const contentOf = (headline: string, paras: string[][]): DocumentContent => articleContent(headline, paras.map((p) => p.join(' ')));

/** Replaces one sentence of one paragraph: the one-sentence edit. */
function editSentence(prose: Prose, random: () => number, paras: string[][]): void {
  const p = Math.floor(random() * paras.length);
  const s = Math.floor(random() * paras[p]!.length);
  paras[p]![s] = prose.sentence();
}

export async function run() {
  const random = rng(20261202);
  const prose = new Prose(vocabulary(), random);
  const cleanups: (() => Promise<unknown>)[] = [];
  const desks: RunningDeskServer[] = [];
  let cluster: PgCluster | null = null;
  let stopping: Promise<void> | null = null;
  const stopAll = () =>
    (stopping ??= (async () => {
      for (const c of cleanups.reverse()) await c().catch((error: unknown) => console.error('cleanup:', error));
      // By PID (RunningDeskServer.stop and PgCluster.stop), whatever happened before.
      for (const d of desks) await d.stop('SIGTERM').catch(() => undefined);
      await cluster?.stop();
    })());
  // Interrupted (Ctrl-C, a timeout's SIGTERM): the desks and the cluster still go.
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`${signal}: stopping the desk processes and PostgreSQL`);
    void stopAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    cluster = await startPostgres();
    const databaseUrl = await cluster.createDatabase('bench');
    const deskDir = tempDir('galley-bench-desk-');
    cleanups.push(async () => deskDir.remove());
    // One at a time: the first migrates the database. Same data folder: one sealing key.
    desks.push(await startDeskServer({ databaseUrl, dataDir: deskDir.dir }));
    desks.push(await startDeskServer({ databaseUrl, dataDir: deskDir.dir }));
    const [a, b] = desks as [RunningDeskServer, RunningDeskServer];
    console.log(`PostgreSQL 15 on :${cluster.port}; desk processes ${a.url} (pid ${a.process.pid}) and ${b.url} (pid ${b.process.pid})`);

    // The desk is created over HTTP as a newsroom creates it; the 50 workstations'
    // people and sessions go in with SQL (as tests/support/deskPeople.ts does), since
    // 50 scrypt sign-ins would measure password hashing, not the desk.
    const admin = await deskHttp(a.url, () => null).call('desk.setup', { deskName: 'Bench desk', name: 'Ada Admin', username: 'ada', password: 'bench-password-1' });
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    cleanups.push(() => pool.end());
    const sql = { pool, ctx: { now: Date.now } } as unknown as Pick<TestDesk, 'pool' | 'ctx'>;
    const stations: Station[] = [];
    for (let i = 0; i < WORKSTATIONS; i++) {
      const role: Role = i < EDITORS ? 'editor' : 'reporter';
      const { person, token } = await addPerson(sql, { name: `${role === 'editor' ? 'Editor' : 'Reporter'} ${i + 1}`, role });
      const home = desks[i % 2]!;
      stations.push({ person, token, home, client: deskHttp(home.url, () => token) });
    }
    const me = await stations[0]!.client.call('auth.me', {});
    if (me.person.id !== stations[0]!.person.id) throw new Error('A bench session does not sign in as its person');
    console.log(`${WORKSTATIONS} workstations (${EDITORS} editors, ${WORKSTATIONS - EDITORS} reporters), round-robin on the two desk processes; administrator ${admin.person.name}`);

    // --- bytesPerRevisionSync -------------------------------------------------------
    const bytes = await measureUpload(stations.find((s) => s.person.role === 'reporter')!, prose, random, cleanups);
    console.log(`Upload of a one-sentence edit to a ${bytes.words}-word story: ${bytes.bodyBytes} bytes of sync.push body (${bytes.pushCalls} call(s); the story's first push was ${bytes.firstPushBytes} bytes)`);

    // --- submitToQueueP95Ms -----------------------------------------------------------
    const submit = await measureSubmit(stations, a, b, prose);
    console.log(
      `Submit on ${a.url} → in the review queue on ${b.url}: p50 ${submit.p50} ms, p95 ${submit.p95} ms, max ${submit.max} ms over ${submit.count} submits (push p50 ${submit.pushP50} ms, workflow.act p50 ${submit.actP50} ms)`,
    );

    // Every workstation's own 5,000-word story, for the edits of the next two parts.
    await Promise.all(
      stations.map(async (s, i) => {
        const paras = Array.from({ length: 20 }, () => prose.sentences(250));
        const writer = new StoryWriter('article', s.person.id);
        const v = writer.cut(contentOf(`Workstation ${i + 1}'s story`, paras), { label: 'checkpoint' });
        const answer = await s.client.call('sync.push', writer.push([v], true));
        if (answer.accepted.length !== 1 || answer.accepted[0]!.aside) throw new Error(`Story of workstation ${i + 1} not taken: ${JSON.stringify(answer)}`);
        s.story = { writer, paras };
      }),
    );

    // --- catchUpMs -------------------------------------------------------------------
    const catchUp = await measureCatchUp(stations, a, pool, sql, prose, random, cleanups);
    console.log(
      `Catch-up after ${catchUp.revisions} revisions by ${WORKSTATIONS} others: ${catchUp.ms} ms (${catchUp.applied} changes applied, ${catchUp.pulls} sync.pull and ${catchUp.blockCalls} sync.blocks calls)`,
    );

    // --- revisionsPerSecond ----------------------------------------------------------
    const throughput = await measureThroughput(stations, desks, cluster, pool, prose, random);
    console.log(
      `Throughput: ${throughput.revisions} revisions in ${throughput.seconds} s by ${WORKSTATIONS} concurrent workstations = ${throughput.perSecond} revisions/s (push p50 ${throughput.pushP50} ms, p95 ${throughput.pushP95} ms; ${throughput.aside} aside, ${throughput.failed} failed)`,
    );
    console.log(
      `  CPU during it: desk processes ${throughput.deskCpuPercent.map((c) => `${c}%`).join(' and ')}, PostgreSQL ${throughput.postgresCpuPercent}%, this bench process ${throughput.benchCpuPercent}% (building one revision: p50 ${throughput.buildP50Ms} ms); on average ${throughput.advisoryWaitersMean} desk transactions waiting for the change feed's lock`,
    );
    console.log('The machine is shared (2 cores, other work running): the bench client, both desk processes and PostgreSQL compete for it.');

    return {
      bench: 'desk',
      workstations: WORKSTATIONS,
      deskProcesses: desks.length,
      submitToQueueP95Ms: submit.p95,
      submitToQueueP50Ms: submit.p50,
      submits: submit.count,
      bytesPerRevisionSync: bytes.bodyBytes,
      storyWords: bytes.words,
      revisionsPerSecond: throughput.perSecond,
      pushP50Ms: throughput.pushP50,
      pushP95Ms: throughput.pushP95,
      deskCpuPercent: throughput.deskCpuPercent,
      postgresCpuPercent: throughput.postgresCpuPercent,
      advisoryLockWaitersMean: throughput.advisoryWaitersMean,
      catchUpMs: catchUp.ms,
      catchUpRevisions: catchUp.revisions,
    };
  } finally {
    await stopAll();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function measureUpload(station: Station, prose: Prose, random: () => number, cleanups: (() => Promise<unknown>)[]) {
  const ws = workstationBackend(station.person);
  cleanups.push(() => ws.remove());
  const proxy = await countingProxy(station.home.url);
  cleanups.push(() => proxy.close());
  const desk = deskHttp(proxy.url, () => station.token);
  const paras = Array.from({ length: 20 }, () => prose.sentences(250));
  const words = paras.reduce((n, p) => n + p.join(' ').split(' ').length, 0);
  const save = async (id: string) => {
    const doc = await ws.backend.invoke('documents.get', { id });
    const base = doc.content as DocumentContent & { kind: 'article' };
    const content = { ...base, fields: { ...base.fields, headline: 'Harbor board approves dredging plan', byline: station.person.name }, body: paragraphs(...paras.map((p) => p.join(' '))) };
    await ws.backend.invoke('documents.saveWorking', { id, version: doc.version, content: content as never });
    await ws.backend.invoke('revisions.checkpoint', { documentId: id, note: 'Saved' });
  };
  const doc = await ws.backend.invoke('documents.create', { kind: 'article' });
  await save(doc.id);
  const pushBody = (from: number) => proxy.calls.slice(from).filter((c) => c.path === '/api/call/sync.push');
  let mark = proxy.calls.length;
  const first = await pushRevisions(ws.ctx, desk);
  if (first.pushed < 1) throw new Error(`The story's first push took nothing: ${JSON.stringify(first)}`);
  const firstPushBytes = pushBody(mark).reduce((n, c) => n + c.bytes, 0);

  editSentence(prose, random, paras);
  await save(doc.id);
  mark = proxy.calls.length;
  const second = await pushRevisions(ws.ctx, desk);
  if (second.pushed !== 1) throw new Error(`The edit's push did not take exactly one revision: ${JSON.stringify(second)}`);
  const calls = pushBody(mark);
  return { words, bodyBytes: calls.reduce((n, c) => n + c.bytes, 0), pushCalls: calls.length, firstPushBytes };
}

async function measureSubmit(stations: Station[], a: RunningDeskServer, b: RunningDeskServer, prose: Prose) {
  const reporters = stations.filter((s) => s.person.role === 'reporter' && s.home === a);
  const editor = stations.find((s) => s.person.role === 'editor' && s.home === b)!;
  const queue = new ReviewQueue(editor.client);
  await queue.start();
  const times: number[] = [];
  const pushes: number[] = [];
  const acts: number[] = [];
  try {
    for (let i = 0; i < SUBMITS; i++) {
      const reporter = reporters[i % reporters.length]!;
      // A ~1,000-word story, written before the clock starts.
      const writer = new StoryWriter('article', reporter.person.id);
      const v = writer.cut(articleContent(`Submitted story ${i + 1}`, Array.from({ length: 12 }, () => prose.sentences(80).join(' '))), { label: 'submitted' });
      const body = writer.push([v], true);
      const t0 = performance.now();
      const seen = queue.submitted(writer.id);
      const answer = await reporter.client.call('sync.push', body);
      const t1 = performance.now();
      if (answer.accepted.length !== 1) throw new Error(`Submit ${i + 1}: the push was not taken: ${JSON.stringify(answer)}`);
      await reporter.client.call('workflow.act', { key: randomUUID(), documentId: writer.id, action: 'submit', revisionId: v.revision.id });
      const t2 = performance.now();
      const at = await Promise.race([seen, new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`Submit ${i + 1} never reached the review queue`)), 30_000))]);
      pushes.push(t1 - t0);
      acts.push(t2 - t1);
      times.push(Math.max(at, t2) - t0);
    }
  } finally {
    queue.close();
  }
  return {
    count: times.length,
    p50: round(percentile(times, 50)),
    p95: round(percentile(times, 95)),
    max: round(Math.max(...times)),
    pushP50: round(percentile(pushes, 50)),
    actP50: round(percentile(acts, 50)),
  };
}

/** Time this process spent building revisions (hashing every block, compressing the new one), per revision. */
const buildTimes: number[] = [];

/** One one-sentence edit to a station's story, pushed as one revision. */
async function pushEdit(s: Station, prose: Prose, random: () => number): Promise<{ aside: boolean }> {
  const story = s.story!;
  editSentence(prose, random, story.paras);
  const t = performance.now();
  const v = story.writer.cut(contentOf(story.writer.id, story.paras));
  buildTimes.push(performance.now() - t);
  const answer = await s.client.call('sync.push', story.writer.push([v]));
  if (answer.accepted.length !== 1) throw new Error(`An edit was not taken: ${JSON.stringify(answer)}`);
  return { aside: answer.accepted[0]!.aside };
}

async function measureCatchUp(
  stations: Station[],
  home: RunningDeskServer,
  pool: pg.Pool,
  sql: Pick<TestDesk, 'pool' | 'ctx'>,
  prose: Prose,
  random: () => number,
  cleanups: (() => Promise<unknown>)[],
) {
  // An editor's workstation (editors see the whole newsroom), up to date before it goes away.
  const { person, token } = await addPerson(sql, { name: 'Away Editor', role: 'editor' });
  const ws = workstationBackend(person);
  cleanups.push(() => ws.remove());
  let blockCalls = 0;
  let pulls = 0;
  const http = deskHttp(home.url, () => token);
  const desk = {
    call: ((name, input) => {
      if (name === 'sync.blocks') blockCalls++;
      if (name === 'sync.pull') pulls++;
      return http.call(name, input);
    }) as DeskClient['call'],
  };
  await pullChanges(ws.ctx, desk);

  // While it is away: 1,000 revisions by the 50 others, 20 each, all at once.
  const each = CATCH_UP_REVISIONS / stations.length;
  await Promise.all(stations.map(async (s) => { for (let i = 0; i < each; i++) await pushEdit(s, prose, random); }));
  const { rows } = await pool.query<{ seq: string }>('SELECT MAX(seq) AS seq FROM changes');
  const deskSeq = Number(rows[0]!.seq);
  const storyIds = stations.map((s) => s.story!.writer.id);
  const localRevisions = () =>
    (ws.backend.db.prepare(`SELECT COUNT(*) AS n FROM revisions WHERE document_id IN (${storyIds.map(() => '?').join(',')})`).get(...storyIds) as { n: number }).n;
  const had = localRevisions();

  blockCalls = 0;
  pulls = 0;
  const t0 = performance.now();
  const result = await pullChanges(ws.ctx, desk);
  const ms = performance.now() - t0;
  const gained = localRevisions() - had;
  if (result.cursor < deskSeq) throw new Error(`Catch-up stopped at ${result.cursor}, the desk is at ${deskSeq}`);
  if (gained !== CATCH_UP_REVISIONS) throw new Error(`Catch-up brought ${gained} revisions, not ${CATCH_UP_REVISIONS}`);
  // The newest text is really here: a story's working copy on this workstation is its last edit.
  const sample = stations[0]!.story!;
  const local = await ws.backend.invoke('documents.get', { id: sample.writer.id });
  if (canonicalJson(local.content.body) !== canonicalJson(contentOf(sample.writer.id, sample.paras).body)) throw new Error('After catch-up, a story does not show its last edit');
  return { ms: round(ms), revisions: gained, applied: result.applied, pulls, blockCalls };
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of stat; [0] here is field 3. Clock ticks: 100 a second on Linux.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** PostgreSQL's processes: the postmaster and its children (backends, writers). */
function postgresPids(postmaster: number): number[] {
  const pids = [postmaster];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
      if (ppid === postmaster) pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

async function measureThroughput(stations: Station[], desks: RunningDeskServer[], cluster: PgCluster, pool: pg.Pool, prose: Prose, random: () => number) {
  buildTimes.length = 0;
  const cpuBefore = desks.map((d) => cpuSeconds(d.process.pid!));
  // The desk's pools keep their connections, so the same backends serve the whole run.
  const pgPids = postgresPids(cluster.pid);
  const pgBefore = pgPids.reduce((n, pid) => n + (cpuSeconds(pid) || 0), 0);
  // How many desk transactions wait for the change feed's advisory lock (every write takes it), sampled.
  const waiting: number[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND wait_event = 'advisory'`);
      waiting.push(rows[0]!.n);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const selfBefore = process.cpuUsage();
  const times: number[] = [];
  let revisions = 0;
  let aside = 0;
  let failed = 0;
  const t0 = performance.now();
  const end = t0 + THROUGHPUT_MS;
  let last = t0;
  await Promise.all(
    stations.map(async (s) => {
      while (performance.now() < end) {
        const t = performance.now();
        try {
          const r = await pushEdit(s, prose, random);
          if (r.aside) aside++;
          else revisions++;
          const done = performance.now();
          times.push(done - t);
          last = Math.max(last, done);
        } catch (error) {
          failed++;
          if (failed <= 3) console.error('A push failed:', (error as Error).message);
          // A failed push leaves the writer's head where the desk may not have it: stop this one.
          return;
        }
      }
    }),
  );
  sampling = false;
  await sampler;
  const pgCpu = pgPids.reduce((n, pid) => n + (cpuSeconds(pid) || 0), 0) - pgBefore;
  const seconds = (last - t0) / 1000;
  const deskCpu = desks.map((d, i) => cpuSeconds(d.process.pid!) - cpuBefore[i]!);
  const self = process.cpuUsage(selfBefore);
  return {
    deskCpuPercent: deskCpu.map((c) => round((100 * c) / seconds, 0)),
    postgresCpuPercent: round((100 * pgCpu) / seconds, 0),
    advisoryWaitersMean: round(waiting.reduce((n, w) => n + w, 0) / Math.max(1, waiting.length), 1),
    benchCpuPercent: round((100 * (self.user + self.system)) / 1e6 / seconds, 0),
    buildP50Ms: round(percentile(buildTimes, 50)),
    revisions,
    aside,
    failed,
    seconds: round(seconds, 1),
    perSecond: round(revisions / seconds, 1),
    pushP50: round(percentile(times, 50)),
    pushP95: round(percentile(times, 95)),
  };
}
