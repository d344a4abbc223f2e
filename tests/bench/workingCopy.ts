import { performance } from 'node:perf_hooks';
import { edited, paragraphs, signIn, tempBackend } from '../support/backend.ts';
import { Prose, rng, vocabulary } from './prose.ts';
import { percentile, round } from './stats.ts';

/**
 * The typing path's back-end half: the debounced working-copy save, through the
 * dispatcher with full validation, as the renderer's save loop calls it (every 2 s
 * while someone types), for a 5,000-word article (20 paragraphs of 250 words) and the
 * editor benchmark's 20,000-word one (80 paragraphs). In the desktop app this runs on
 * Electron's main process. Then the first search after those saves, which brings the
 * search index up to date (saves leave that to it).
 */
export async function run() {
  const results: Record<string, unknown> = { bench: 'working-copy' };
  for (const count of [20, 80]) {
    const backend = tempBackend();
    try {
      await signIn(backend, 'Bench Reporter', 'reporter');
      const doc = await backend.invoke('documents.create', { kind: 'article' });
      const prose = new Prose(vocabulary(), rng(count));
      const paras = Array.from({ length: count }, () => prose.sentences(250).join(' '));
      let version = doc.version;
      const times: number[] = [];
      for (let i = 0; i < 300; i++) {
        paras[i % count] = `${paras[i % count]!.slice(0, -5)} edit${i}`;
        const content = edited(doc.content, { fields: { headline: `Harbor vote ${i}` }, body: paragraphs(...paras) });
        const start = performance.now();
        const saved = await backend.invoke('documents.saveWorking', { id: doc.id, version, content });
        times.push(performance.now() - start);
        version = saved.version;
      }
      const start = performance.now();
      const found = await backend.invoke('documents.list', { query: 'edit299' });
      const searchMs = performance.now() - start;
      if (found.length !== 1) throw new Error('the search after typing did not find the last save');
      const words = count * 250;
      results[`words${words}`] = {
        saves: times.length,
        saveWorkingP50Ms: round(percentile(times, 50)),
        saveWorkingP95Ms: round(percentile(times, 95)),
        firstSearchAfterSavesMs: round(searchMs),
      };
    } finally {
      backend.remove();
    }
  }
  return results;
}
