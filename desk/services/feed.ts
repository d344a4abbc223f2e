import type { Change, DeskParsedInput, DeskOutput } from '../../shared/desk.ts';
import type { DeskContext } from '../context.ts';
import type { ChangeKind } from '../db/pool.ts';
import { assets, comments, deskDocuments, deskRevisions, events, people } from './rows.ts';

const DEFAULT_LIMIT = 500;

/**
 * sync.pull: the change feed after `since`, oldest first, each entry carrying what a
 * workstation needs to apply it. Documents, people, comments and assets come as they
 * are now, so several changes to one of them in a page arrive once (at its last seq);
 * revisions and events are immutable and come as they were written.
 */
export async function pull(ctx: DeskContext, input: DeskParsedInput<'sync.pull'>): Promise<DeskOutput<'sync.pull'>> {
  const limit = input.limit ?? DEFAULT_LIMIT;
  const { rows } = await ctx.pool.query<{ seq: number; kind: ChangeKind; ref: string }>(
    'SELECT seq, kind, ref FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2',
    [input.since, limit],
  );
  if (rows.length === 0) return { changes: [], cursor: input.since, more: false };
  const last = new Map<string, number>();
  for (const r of rows) last.set(`${r.kind}:${r.ref}`, r.seq);
  const kept = rows.filter((r) => last.get(`${r.kind}:${r.ref}`) === r.seq);
  const refs = (kind: ChangeKind) => kept.filter((r) => r.kind === kind).map((r) => r.ref);

  const [docs, revisions, comms, evts, assetMap, persons] = await Promise.all([
    deskDocuments(ctx.pool, refs('document')),
    deskRevisions(ctx.pool, refs('revision')),
    comments(ctx.pool, refs('comment')),
    events(ctx.pool, refs('event').map(Number)),
    assets(ctx.pool, refs('asset')),
    people(ctx.pool, refs('person')),
  ]);
  const changes: Change[] = [];
  for (const { seq, kind, ref } of kept) {
    // An entry whose row is gone is left out rather than sent half-made.
    if (kind === 'document') {
      const document = docs.get(ref);
      if (document) changes.push({ seq, type: 'document', document });
    } else if (kind === 'revision') {
      const revision = revisions.get(ref);
      if (revision) changes.push({ seq, type: 'revision', revision });
    } else if (kind === 'comment') {
      const comment = comms.get(ref);
      if (comment) changes.push({ seq, type: 'comment', comment });
    } else if (kind === 'event') {
      const event = evts.get(Number(ref));
      if (event) changes.push({ seq, type: 'event', event });
    } else if (kind === 'asset') {
      const asset = assetMap.get(ref);
      if (asset) changes.push({ seq, type: 'asset', asset });
    } else if (kind === 'person') {
      const person = persons.get(ref);
      if (person) changes.push({ seq, type: 'person', person });
    } else changes.push({ seq, type: 'publishing', documentId: ref });
  }
  return { changes, cursor: rows[rows.length - 1]!.seq, more: rows.length === limit };
}

/** sync.blocks: the stored brotli bytes of each block asked for; those the desk lacks are listed as missing. */
export async function blocks(ctx: DeskContext, input: DeskParsedInput<'sync.blocks'>): Promise<DeskOutput<'sync.blocks'>> {
  const wanted = [...new Set(input.hashes)];
  const { rows } = await ctx.pool.query<{ hash: string; data: Buffer }>('SELECT hash, data FROM blocks WHERE hash = ANY($1)', [wanted]);
  const found = new Set(rows.map((r) => r.hash));
  return { blocks: rows.map((r) => ({ hash: r.hash, data: r.data.toString('base64') })), missing: wanted.filter((h) => !found.has(h)) };
}
