import { randomUUID } from 'node:crypto';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { expandRefs, wireRevision } from '../../desk/wire.ts';
import {
  DESK_TOKEN_PROTOCOL_PREFIX,
  MOST_BLOCKS_PER_CALL,
  MOST_CHANGES_PER_PULL,
  type DeskEvent,
  type DeskInput,
  type DeskOperationName,
  type DeskOutput,
  type SessionGrant,
  type WireBlock,
  type WireRevision,
} from '../../shared/desk.ts';
import { emptyContent, type DocumentContent } from '../../shared/documents.ts';
import type { Role } from '../../shared/people.ts';
import { tempDir } from '../support/backend.ts';
import { spawnDesk, stopDesk, type DeskProcess } from '../support/deskProcess.ts';
import { startPostgres } from '../support/postgres.ts';
import { Prose, rng, vocabulary } from './prose.ts';
import { percentile, round } from './stats.ts';

/**
 * Issue #17's desk benchmark: 50 simulated workstations (desk HTTP clients, each a
 * signed-in person, round-robin over TWO desk processes on one private PostgreSQL)
 * pushing revisions the way a workstation does (desk/wire.ts: only the blocks the
 * parent lacks, block lists as runs of the parent's).
 *
 *  - submitToQueueP95Ms: a reporter on process A pushes its story and submits; an
 *    editor listening on process B's event socket pulls and sees it submitted.
 *  - bytesPerRevisionSync: the sync.push body for a one-sentence edit to a 5,000-word story.
 *  - revisionsPerSecond: all 50 pushing one-block edits at once for 10 s.
 *  - catchUpMs: a workstation offline while 1,000 revisions were made pulls every page
 *    and fetches every block it lacks.
 */
const WORKSTATIONS = 50;
const EDITORS = 10;
const SUBMITS = 120;
const THROUGHPUT_MS = 10_000;
const CATCH_UP_REVISIONS = 1_000;

type Client = {
  base: string;
  token: string;
  person: SessionGrant['person'];
  call<K extends DeskOperationName>(name: K, input: DeskInput<K>): Promise<DeskOutput<K>>;
  /** The bytes of the last request body sent. */
  lastBodyBytes: number;
};

function client(base: string, grant: SessionGrant | null): Client {
  const c: Client = {
    base,
    token: grant?.token ?? '',
    person: grant?.person as SessionGrant['person'],
    lastBodyBytes: 0,
    async call(name, input) {
      const body = JSON.stringify(input);
      c.lastBodyBytes = Buffer.byteLength(body);
      const res = await fetch(`${base}/api/call/${name}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(c.token ? { Authorization: `Bearer ${c.token}` } : {}) },
        body,
      });
      const answer = (await res.json()) as { ok: boolean; value: never; error?: { code: string; message: string } };
      if (!answer.ok) throw new Error(`${name} refused (${res.status}): ${answer.error?.message}`);
      return answer.value;
    },
  };
  return c;
}

/** One story as a workstation holds it: its head, to cut the next version on. */
class Story {
  readonly id = randomUUID();
  head: { id: string; hashes: string[]; words: number } | null = null;
  private clock = Date.now();
  constructor(
    readonly author: Client,
    public paragraphs: string[],
  ) {}

  content(): DocumentContent {
    const c = emptyContent('article');
    if (c.kind !== 'article') throw new Error('unreachable');
    c.fields.headline = `Story ${this.id.slice(0, 8)}`;
    c.body = { type: 'doc', content: this.paragraphs.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })) };
    return c;
  }

  /** Cuts a version of the current paragraphs and returns the push that carries it. */
  cut(): { input: DeskInput<'sync.push'>; revision: WireRevision } {
    this.clock += 1_000;
    const v = wireRevision({ documentId: this.id, content: this.content(), authorId: this.author.person.id, createdAt: this.clock, label: 'autosave', parent: this.head });
    const first = this.head === null;
    this.head = { id: v.revision.id, hashes: v.hashes, words: v.revision.words };
    return {
      input: {
        key: randomUUID(),
        documents: first ? [{ id: this.id, kind: 'article', ownerId: this.author.person.id, createdAt: this.clock }] : [],
        revisions: [v.revision],
        blocks: v.blocks,
      },
      revision: v.revision,
    };
  }

  async push(): Promise<WireRevision> {
    const { input, revision } = this.cut();
    const answer = await this.author.call('sync.push', input);
    if (answer.refused.length || answer.missing.length || answer.accepted[0]?.aside) {
      throw new Error(`push not taken as the head: ${JSON.stringify(answer).slice(0, 300)}`);
    }
    return revision;
  }
}

function events(base: string, token: string, onEvent: (e: DeskEvent) => void): Promise<WebSocket> {
  const socket = new WebSocket(`${base.replace(/^http/, 'ws')}/api/events`, [`${DESK_TOKEN_PROTOCOL_PREFIX}${token}`]);
  socket.on('message', (data) => onEvent(JSON.parse(String(data)) as DeskEvent));
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

async function inBatches<T>(items: T[], size: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map((item, j) => fn(item, i + j)));
}

export async function run() {
  const random = rng(20261202);
  const prose = new Prose(vocabulary(), random);
  const cluster = await startPostgres();
  const dir = tempDir('galley-desk-bench-');
  // As root the desks' PostgreSQL is not theirs; keep the folder enterable for the key file only.
  chmodSync(dir.dir, 0o711);
  const desks: DeskProcess[] = [];
  try {
    const database = await cluster.createDatabase('desk_bench');
    const args = (name: string) => ['--database', database, '--port', '0', '--key-file', join(dir.dir, 'desk-secret.key'), '--data-dir', join(dir.dir, name)];
    desks.push(spawnDesk(args('a')), spawnDesk(args('b')));
    const [urlA, urlB] = await Promise.all(desks.map((d) => d.ready));
    console.log(`Two desk processes: ${urlA} and ${urlB}`);

    // People: the administrator invites 50; each joins (a real sign-in, scrypt and all).
    const admin = client(urlA!, await client(urlA!, null).call('desk.setup', { deskName: 'Bench desk', name: 'Bench Admin', username: 'admin', password: 'bench-admin-password' }));
    const workstations: Client[] = new Array(WORKSTATIONS);
    await inBatches([...Array(WORKSTATIONS).keys()], 10, async (i) => {
      const role: Role = i < EDITORS ? 'editor' : 'reporter';
      const { code } = await admin.call('people.invite', { name: `Bench ${role} ${i}`, username: `bench${i}`, role });
      const base = i % 2 === 0 ? urlA! : urlB!;
      workstations[i] = client(base, await client(base, null).call('auth.acceptInvite', { code, password: `bench-password-${i}` }));
    });
    const editors = workstations.slice(0, EDITORS);
    const reporters = workstations.slice(EDITORS);
    console.log(`${WORKSTATIONS} workstations signed in (${EDITORS} editors, ${WORKSTATIONS - EDITORS} reporters)`);

    // --- bytesPerRevisionSync: a one-sentence edit to a 5,000-word story (50 paragraphs of ~95 words).
    const long = new Story(client(urlA!, { token: reporters[0]!.token, person: reporters[0]!.person } as SessionGrant), Array.from({ length: 50 }, () => prose.sentences(92).join(' ')));
    await long.push();
    const words = long.paragraphs.join(' ').split(' ').length;
    const sentences = long.paragraphs[20]!.split('. ');
    sentences[1] = prose.sentence().replace(/\.$/, '');
    long.paragraphs[20] = sentences.join('. ');
    await long.push();
    const bytesPerRevisionSync = long.author.lastBodyBytes;
    console.log(`One-sentence edit to a ${words}-word story: sync.push body ${bytesPerRevisionSync} bytes`);

    // --- submitToQueueP95Ms: reporters on A submit; an editor on B sees each in its review queue.
    const editorB = client(urlB!, { token: editors[1]!.token, person: editors[1]!.person } as SessionGrant);
    let cursor = (await editorB.call('sync.pull', { since: 0, limit: 1 })).cursor;
    for (let more = true; more; ) {
      const page = await editorB.call('sync.pull', { since: cursor, limit: MOST_CHANGES_PER_PULL });
      cursor = page.cursor;
      more = page.more;
    }
    const waiting = new Map<string, { start: number; done: (ms: number) => void }>();
    let pulling: Promise<void> | null = null;
    let again = false;
    const pullQueue = async (): Promise<void> => {
      do {
        again = false;
        for (let more = true; more; ) {
          const page = await editorB.call('sync.pull', { since: cursor, limit: MOST_CHANGES_PER_PULL });
          const seen = performance.now();
          for (const change of page.changes) {
            if (change.type !== 'document' || change.document.status !== 'submitted') continue;
            const w = waiting.get(change.document.id);
            if (w) {
              waiting.delete(change.document.id);
              w.done(seen - w.start);
            }
          }
          cursor = page.cursor;
          more = page.more;
        }
      } while (again);
    };
    const queueSocket = await events(urlB!, editorB.token, (e) => {
      if (e.type !== 'changed' || e.seq <= cursor) return;
      if (pulling) again = true;
      else pulling = pullQueue().finally(() => (pulling = null));
    });
    const reportersOnA = reporters.map((r) => client(urlA!, { token: r.token, person: r.person } as SessionGrant));
    const latencies: number[] = [];
    for (let i = 0; i < SUBMITS; i++) {
      const story = new Story(reportersOnA[i % reportersOnA.length]!, Array.from({ length: 8 }, () => prose.sentences(60).join(' ')));
      const seen = new Promise<number>((resolve) => waiting.set(story.id, { start: 0, done: resolve }));
      const start = performance.now();
      waiting.get(story.id)!.start = start;
      // A submit on a workstation: its text goes up first, then the step naming that revision.
      const revision = await story.push();
      await story.author.call('workflow.act', { key: randomUUID(), documentId: story.id, action: 'submit', revisionId: revision.id });
      latencies.push(await Promise.race([seen, new Promise<number>((_, reject) => setTimeout(() => reject(new Error('a submit never reached the queue')), 10_000))]));
    }
    queueSocket.close();
    const submitToQueueP95Ms = round(percentile(latencies, 95), 1);
    console.log(`Submit on A → in the review queue on B: p50 ${round(percentile(latencies, 50), 1)} ms, p95 ${submitToQueueP95Ms} ms (${SUBMITS} submits)`);

    // --- revisionsPerSecond: every workstation edits its own story, one block per push, for 10 s.
    const stories = workstations.map((w) => new Story(w, Array.from({ length: 20 }, () => prose.sentences(100).join(' '))));
    await inBatches(stories, 10, async (s) => void (await s.push()));
    let made = 0;
    const until = performance.now() + THROUGHPUT_MS;
    const began = performance.now();
    await Promise.all(
      stories.map(async (s, i) => {
        let n = 0;
        while (performance.now() < until) {
          s.paragraphs[(i + n++) % s.paragraphs.length] = prose.sentences(100).join(' ');
          await s.push();
          made++;
        }
      }),
    );
    const revisionsPerSecond = round(made / ((performance.now() - began) / 1000), 0);
    console.log(`Throughput: ${made} revisions in ${round((performance.now() - began) / 1000, 1)} s from ${WORKSTATIONS} workstations: ${revisionsPerSecond}/s`);

    // --- catchUpMs: a workstation up to date, then offline while others make 1,000 revisions.
    const offline = client(urlB!, { token: editors[2]!.token, person: editors[2]!.person } as SessionGrant);
    const known = new Map<string, string[]>();
    const held = new Set<string>();
    const catchUp = async (since: number): Promise<{ cursor: number; revisions: number; blocks: number }> => {
      let at = since;
      let revisions = 0;
      const lacking = new Set<string>();
      for (let more = true; more; ) {
        const page = await offline.call('sync.pull', { since: at, limit: MOST_CHANGES_PER_PULL });
        for (const change of page.changes) {
          if (change.type !== 'revision') continue;
          const r = change.revision;
          const parent = r.parentId ? (known.get(r.parentId) ?? null) : null;
          const hashes = expandRefs(r.blocks, parent);
          known.set(r.id, hashes);
          revisions++;
          for (const h of hashes) if (!held.has(h)) lacking.add(h);
        }
        at = page.cursor;
        more = page.more;
      }
      const wanted = [...lacking];
      for (let i = 0; i < wanted.length; i += MOST_BLOCKS_PER_CALL) {
        const got = await offline.call('sync.blocks', { hashes: wanted.slice(i, i + MOST_BLOCKS_PER_CALL) });
        if (got.missing.length) throw new Error(`the desk lacks ${got.missing.length} blocks it listed`);
        for (const b of got.blocks as WireBlock[]) held.add(b.hash);
      }
      return { cursor: at, revisions, blocks: wanted.length };
    };
    const before = await catchUp(0);
    console.log(`The offline workstation first syncs everything: ${before.revisions} revisions, ${before.blocks} blocks`);
    const writers = stories.filter((s) => s.author !== editors[2]);
    const perWriter = Math.ceil(CATCH_UP_REVISIONS / writers.length);
    let written = 0;
    await Promise.all(
      writers.map(async (s, i) => {
        for (let n = 0; n < perWriter && written < CATCH_UP_REVISIONS; n++) {
          written++;
          s.paragraphs[(i + n) % s.paragraphs.length] = prose.sentences(100).join(' ');
          await s.push();
        }
      }),
    );
    const t0 = performance.now();
    const after = await catchUp(before.cursor);
    const catchUpMs = round(performance.now() - t0, 0);
    if (after.revisions < CATCH_UP_REVISIONS) throw new Error(`caught up on ${after.revisions} revisions, expected ${CATCH_UP_REVISIONS}`);
    console.log(`Back online after ${after.revisions} revisions: up to date in ${catchUpMs} ms (${after.blocks} blocks fetched)`);

    return { submitToQueueP95Ms, bytesPerRevisionSync, revisionsPerSecond, catchUpMs };
  } finally {
    for (const desk of desks) await stopDesk(desk);
    await cluster.stop();
    dir.remove();
  }
}
