import { performance } from 'node:perf_hooks';
import { edited, paragraphs, signIn, tempBackend } from '../support/backend.ts';
import { percentile, round } from './stats.ts';

/**
 * The typing path's back-end half: one debounced working-copy save of a 5,000-word
 * article (20 paragraphs of 250 words), through the dispatcher with full validation,
 * as the renderer's save loop calls it.
 */
export async function run() {
  const backend = tempBackend();
  try {
    await signIn(backend, 'Bench Reporter', 'reporter');
    const doc = await backend.invoke('documents.create', { kind: 'article' });
    const words = 'harbor board vote dredging plan council fishermen timeline spring residents'.split(' ');
    let seed = 7;
    const word = () => words[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % words.length]!;
    const paras = Array.from({ length: 20 }, () => Array.from({ length: 250 }, word).join(' '));
    let version = doc.version;
    const times: number[] = [];
    for (let i = 0; i < 300; i++) {
      paras[i % 20] = `${paras[i % 20]!.slice(0, -5)} edit${i}`;
      const content = edited(doc.content, { fields: { headline: `Harbor vote ${i}` }, body: paragraphs(...paras) });
      const start = performance.now();
      const saved = await backend.invoke('documents.saveWorking', { id: doc.id, version, content });
      times.push(performance.now() - start);
      version = saved.version;
    }
    return {
      bench: 'working-copy',
      words: 5000,
      saves: times.length,
      saveWorkingP50Ms: round(percentile(times, 50)),
      saveWorkingP95Ms: round(percentile(times, 95)),
    };
  } finally {
    backend.remove();
  }
}
