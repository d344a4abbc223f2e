import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { brotliCompressSync } from 'node:zlib';
import { insertDocument, listDocuments } from '../../db/documents.ts';
import { indexDocument } from '../../db/search.ts';
import { getRevision } from '../../db/revisions.ts';
import { adapterFor } from '../../electron/cms/index.ts';
import { keyFileBox } from '../../electron/services/secrets.ts';
import type { ServiceContext } from '../../electron/services/context.ts';
import { compare, cutRevision, loadRevisionContent } from '../../electron/services/revisions.ts';
import { emptyContent, type DocumentContent } from '../../shared/documents.ts';
import type { RichNode } from '../../shared/richtext.ts';
import { signIn, tempBackend } from '../support/backend.ts';
import { Prose, rng, vocabulary } from './prose.ts';
import { percentile, round } from './stats.ts';

/**
 * Issue #3's benchmark: a 5,000-word article (20 paragraphs of ~250 words, 2 figures)
 * edited 1,000 times, one sentence in one paragraph per edit, one revision per edit;
 * then loads, a redline of the first against the last, and full-text search over
 * 10,000 documents.
 */
export async function run() {
  const random = rng(20261128);
  const prose = new Prose(vocabulary(), random);
  const backend = tempBackend({ autosave: { pauseMs: 3_600_000, maxIntervalMs: 3_600_000 } });
  const person = await signIn(backend, 'Bench Reporter', 'reporter');
  const doc = await backend.invoke('documents.create', { kind: 'article' });
  const ctx: ServiceContext = {
    db: backend.db,
    dataDir: backend.dataDir,
    now: Date.now,
    emit: () => {},
    afterWorkingChange: () => {},
    secrets: keyFileBox(backend.dataDir),
    adapterFactory: adapterFor,
    outbox: { kick: () => {} },
  };

  const paras = Array.from({ length: 20 }, () => prose.sentences(250));
  const paragraphText = (i: number) => paras[i]!.join(' ');
  // The claim "compresses like prose" is checked, not assumed.
  const ratios = paras.map((_, i) => {
    const text = paragraphText(i);
    return brotliCompressSync(Buffer.from(text)).length / Buffer.byteLength(text);
  });
  const minRatio = Math.min(...ratios);
  if (minRatio < 0.3) throw new Error(`Synthetic prose compresses too well (${minRatio.toFixed(2)} < 0.30); it would flatter the store.`);

  const figure = (n: number): RichNode => ({ type: 'figure', attrs: { captionId: `caption-${n}`, src: `sha256-${n}` } });
  const content = (): DocumentContent => {
    const base = emptyContent('article');
    const nodes: RichNode[] = paras.map((_, i) => ({ type: 'paragraph', content: [{ type: 'text', text: paragraphText(i) }] }));
    nodes.splice(5, 0, figure(1));
    nodes.splice(15, 0, figure(2));
    return { ...base, fields: { ...base.fields, headline: 'Harbor board approves dredging plan', byline: 'Bench Reporter' }, body: { type: 'doc', content: nodes } } as DocumentContent;
  };
  const words = paras.reduce((n, p) => n + p.join(' ').split(' ').length, 0);

  const file = join(backend.dataDir, 'galley.db');
  const size = () => {
    backend.db.pragma('wal_checkpoint(TRUNCATE)');
    return statSync(file).size;
  };
  const first = cutRevision(ctx, { documentId: doc.id, authorId: person.id, label: 'checkpoint', content: content() })!;
  const before = size();
  const saveTimes: number[] = [];
  const ids: string[] = [first.id];
  for (let edit = 0; edit < 1000; edit++) {
    const p = Math.floor(random() * 20);
    const s = Math.floor(random() * paras[p]!.length);
    paras[p]![s] = prose.sentence();
    const next = content();
    const t = performance.now();
    const rev = cutRevision(ctx, { documentId: doc.id, authorId: person.id, label: 'autosave', content: next })!;
    saveTimes.push(performance.now() - t);
    ids.push(rev.id);
  }
  const bytesPerRevision = (size() - before) / 1000;

  const loadTimes: number[] = [];
  for (let i = 0; i < 300; i++) {
    const row = getRevision(backend.db, ids[Math.floor(random() * ids.length)]!)!;
    const t = performance.now();
    loadRevisionContent(ctx, row);
    loadTimes.push(performance.now() - t);
  }

  const compareTimes: number[] = [];
  let redlineWords = 0;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const redline = compare(ctx, { documentId: doc.id, fromId: ids[1]!, toId: ids[1000]! });
    compareTimes.push(performance.now() - t);
    redlineWords = redline.wordsAdded + redline.wordsRemoved;
  }
  backend.remove();

  const search = searchBench(prose, random);
  return {
    bench: 'revisions',
    articleWords: words,
    minBrotliRatio: round(minRatio, 3),
    revisions: 1000,
    bytesPerRevision: Math.round(bytesPerRevision),
    saveP95Ms: round(percentile(saveTimes, 95)),
    loadP95Ms: round(percentile(loadTimes, 95)),
    compareMs: round(percentile(compareTimes, 50)),
    redlineChangedWords: redlineWords,
    searchDocuments: search.documents,
    searchP95Ms: search.p95,
  };
}

function searchBench(prose: Prose, random: () => number) {
  const backend = tempBackend();
  const db = backend.db;
  const now = Date.now();
  db.prepare("INSERT INTO people (id, name, role, created_at) VALUES ('p', 'Bench', 'reporter', 0)").run();
  const count = 10_000;
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const id = `doc-${i}`;
      const title = prose.sentence().slice(0, 80);
      const body = prose.sentences(300).join(' ');
      insertDocument(db, { id, kind: 'article', ownerId: 'p', working: '{}', title, wordCount: 300, now: now + i });
      indexDocument(db, id, title, body);
    }
  })();
  db.pragma('optimize');
  // Two-word queries of everyday news words: neither stop words nor one-off rarities.
  const midWords = prose.words.slice(60, 1500);
  const times: number[] = [];
  for (let q = 0; q < 300; q++) {
    const query = `${midWords[Math.floor(random() * midWords.length)]} ${midWords[Math.floor(random() * midWords.length)]}`;
    const t = performance.now();
    listDocuments(db, { query });
    times.push(performance.now() - t);
  }
  backend.remove();
  void Database;
  return { documents: count, p95: round(percentile(times, 95)) };
}
