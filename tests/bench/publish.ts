import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { openBackend, type Backend } from '../../electron/backend.ts';
import { adapterFor, type AdapterFactory } from '../../electron/cms/index.ts';
import type { CmsAdapter } from '../../electron/cms/types.ts';
import { countOpenJobs } from '../../db/publishing.ts';
import type { TargetConfig } from '../../shared/publishing.ts';
import { signIn, tempDir } from '../support/backend.ts';
import { approvedArticle, ensureBio } from '../support/newsroom.ts';
import { startWordPress } from '../support/wordpress.ts';
import { round } from './stats.ts';

/**
 * `npm run bench -- publish`: the outbox against the local WordPress (or the folder
 * target when WordPress is not installed; it says which).
 *
 * - jobOverheadMs: time Galley spends per job, excluding the CMS's own response time.
 *   Jobs run one at a time; every adapter call is timed, and the overhead is the wall
 *   time from the Publish step's return to the job's end minus the time spent in
 *   adapter calls (the Publish step itself is reported separately).
 * - articlesPerMinute: 100 approved articles with one photo each (every photo
 *   different, so each is uploaded), queued at once and sent with the worker's
 *   default concurrency.
 */
let cmsMs = 0;
function timed(adapter: CmsAdapter): CmsAdapter {
  const out = {} as Record<string, unknown>;
  for (const [name, fn] of Object.entries(adapter)) {
    out[name] = async (...args: unknown[]) => {
      const t = performance.now();
      try {
        return await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
      } finally {
        cmsMs += performance.now() - t;
      }
    };
  }
  return out as CmsAdapter;
}
const factory: AdapterFactory = (config, secret, options) => timed(adapterFor(config, secret, options));

/** A distinct small JPEG per article: a gradient with the number in its colour. */
async function photo(i: number): Promise<Uint8Array<ArrayBuffer>> {
  const buf = await sharp({ create: { width: 1200, height: 800, channels: 3, background: { r: (i * 37) % 256, g: (i * 91) % 256, b: (i * 53) % 256 } } })
    .jpeg({ quality: 80 })
    .toBuffer();
  return new Uint8Array(buf);
}

async function approvedWithPhoto(backend: Backend, i: number, tag: string): Promise<string> {
  const asset = await backend.invoke('assets.import', { fileName: `bench-${tag}-${i}.jpg`, data: await photo(i + (tag === 'o' ? 1000 : 0)) });
  const caption = await backend.invoke('captions.createFromPhoto', { sha256: asset.sha256 });
  const withWords = await backend.invoke('documents.get', { id: caption.id });
  await backend.invoke('documents.saveWorking', {
    id: caption.id,
    version: withWords.version,
    content: {
      ...withWords.content,
      fields: { ...withWords.content.fields, credit: 'Bench Photographer/Galley', altText: `Bench photo ${i}` },
      body: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: `Bench photo number ${i} for ${tag}.` }] }] },
    } as never,
  });
  const submitted = await backend.invoke('workflow.transition', { documentId: caption.id, action: 'submit' });
  await backend.invoke('workflow.transition', { documentId: caption.id, action: 'approve', revisionId: submitted.revisionId! });
  const texts = Array.from({ length: 12 }, (_, p) => `Paragraph ${p + 1} of benchmark story ${i}: the council met on Tuesday and voted to expand the harbour after a year of argument.`);
  const article = await approvedArticle(backend, { headline: `Benchmark story ${tag} ${i}`, captionId: caption.id, texts });
  return article.id;
}

/** Resolves when no job is waiting or in flight (checked on each publishing event, not by polling). */
function waitForOutbox(backend: Backend): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (countOpenJobs(backend.db) !== 0) return;
      off();
      resolve();
    };
    const off = backend.subscribe('publishing.changed', check);
    check();
  });
}

export async function run() {
  const wordpress = await startWordPress();
  const dir = tempDir('galley-bench-publish-');
  let config: TargetConfig;
  let secret = '';
  let cms: string;
  if ('skipped' in wordpress) {
    cms = `folder (WordPress is not available: ${wordpress.skipped})`;
    config = { type: 'folder', folder: `${dir.dir}/out` };
  } else {
    cms = `WordPress at ${wordpress.url}`;
    config = { type: 'wordpress', siteUrl: wordpress.url, username: wordpress.username };
    secret = wordpress.appPassword;
  }
  console.log(`Publishing to ${cms}`);
  try {
    // Material first, with the worker off.
    let backend = openBackend({ dataDir: dir.dir, outbox: false, adapterFactory: factory });
    await signIn(backend, 'Bench Editor', 'editor');
    await ensureBio(backend);
    for (const t of (await backend.invoke('publishing.targets', {})).targets) await backend.invoke('publishing.removeTarget', { id: t.id });
    await backend.invoke('publishing.saveTarget', { name: 'Bench target', config, ...(secret ? { secret } : {}) });
    const OVERHEAD = 30;
    const THROUGHPUT = 100;
    console.log(`Preparing ${OVERHEAD + THROUGHPUT} approved articles with a photo each…`);
    const overheadIds: string[] = [];
    for (let i = 0; i < OVERHEAD; i++) overheadIds.push(await approvedWithPhoto(backend, i, 'o'));
    const throughputIds: string[] = [];
    for (let i = 0; i < THROUGHPUT; i++) throughputIds.push(await approvedWithPhoto(backend, i, 't'));
    backend.close();

    // 1. Overhead: one job at a time, each published and waited for.
    backend = openBackend({ dataDir: dir.dir, outboxConcurrency: 1, adapterFactory: factory });
    const overheads: number[] = [];
    const transitions: number[] = [];
    for (const id of overheadIds) {
      cmsMs = 0;
      const t0 = performance.now();
      await backend.invoke('workflow.transition', { documentId: id, action: 'publish' });
      // The job's time starts once the Publish step (and its transaction) has returned.
      const t = performance.now();
      transitions.push(t - t0);
      await waitForOutbox(backend);
      overheads.push(performance.now() - t - cmsMs);
    }
    transitions.sort((a, b) => a - b);
    console.log(`The Publish step itself (revision, checks, jobs in one transaction): median ${round(transitions[Math.floor(transitions.length / 2)]!)} ms`);
    const failed = backend.db.prepare(`SELECT COUNT(*) AS n FROM publish_jobs WHERE state <> 'done'`).get() as { n: number };
    if (failed.n) throw new Error(`${failed.n} jobs did not finish: ${JSON.stringify(backend.db.prepare('SELECT state, last_error FROM publish_jobs WHERE state <> ?').all('done'))}`);
    await backend.shutdown();
    overheads.sort((a, b) => a - b);
    const jobOverheadMs = round(overheads[Math.floor(overheads.length / 2)]!);
    console.log(`Overhead per job: median ${jobOverheadMs} ms (min ${round(overheads[0]!)}, max ${round(overheads.at(-1)!)})`);

    // 2. Throughput: 100 queued at once.
    backend = openBackend({ dataDir: dir.dir, outbox: false, adapterFactory: factory });
    for (const id of throughputIds) await backend.invoke('workflow.transition', { documentId: id, action: 'publish' });
    const t = performance.now();
    backend.outbox.start();
    await waitForOutbox(backend);
    const seconds = (performance.now() - t) / 1000;
    const done = (backend.db.prepare(`SELECT COUNT(*) AS n FROM publish_jobs WHERE state = 'done'`).get() as { n: number }).n;
    await backend.shutdown();
    const articlesPerMinute = round((THROUGHPUT / seconds) * 60, 1);
    console.log(`${THROUGHPUT} articles in ${round(seconds, 1)} s (${done - OVERHEAD} jobs done)`);
    return { cms: config.type, jobOverheadMs, articlesPerMinute, jobs: OVERHEAD + THROUGHPUT };
  } finally {
    if (!('skipped' in wordpress)) await wordpress.stop();
    dir.remove();
  }
}
