import { performance } from 'node:perf_hooks';
import type { DocumentContent } from '../../shared/documents.ts';
import type { RichNode } from '../../shared/richtext.ts';
import { deltaBase, makeDelta } from '../../shared/workingDelta.ts';
import { edited, signIn, tempBackend } from '../support/backend.ts';
import { Prose, rng, vocabulary } from './prose.ts';
import { percentile, round } from './stats.ts';

const SAVES = 300;

/**
 * The typing path's back-end half: the debounced working-copy save, through the
 * dispatcher with full validation, as the renderer’s save loop calls it (at least every 0.75 s
 * while someone types), for a 5,000-word article (20 paragraphs of 250 words) and the
 * editor benchmark's 20,000-word one (80 paragraphs). Each save follows a one-sentence
 * edit at the end of one paragraph (and a changed headline). It is sent two ways: the
 * whole content (what every save sent before deltas, and still the first save and the
 * fallback) and the delta the editor sends now (shared/workingDelta.ts), with the bytes
 * each request carries. In the desktop app this runs on Electron's main process. Then
 * the first search after those saves, which brings the search index up to date.
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
      // As the editor hands them over: a new object only for the paragraph typed in.
      const blocks: RichNode[] = paras.map(paragraph);
      let version = doc.version;
      let content = doc.content;
      const edit = (i: number): DocumentContent => {
        paras[i % count] = `${paras[i % count]!.slice(0, -5)} edit${i}`;
        blocks[i % count] = paragraph(paras[i % count]!);
        return edited(doc.content, { fields: { headline: `Harbor vote ${i}` }, body: { type: 'doc', content: [...blocks] } });
      };
      const whole = { ms: [] as number[], bytes: [] as number[], makeMs: [] as number[] };
      const delta = { ms: [] as number[], bytes: [] as number[], makeMs: [] as number[] };
      for (let i = 0; i < SAVES; i++) {
        content = edit(i);
        const input = { id: doc.id, version, content };
        const made = performance.now();
        const body = JSON.stringify(input);
        whole.makeMs.push(performance.now() - made);
        whole.bytes.push(Buffer.byteLength(body));
        const start = performance.now();
        version = (await backend.invoke('documents.saveWorking', input)).version;
        whole.ms.push(performance.now() - start);
      }
      let base = deltaBase(version, content);
      for (let i = SAVES; i < 2 * SAVES; i++) {
        content = edit(i);
        const made = performance.now();
        const changes = makeDelta(base, content);
        if (!changes) throw new Error('the editor would have sent the whole content');
        const input = { id: doc.id, version, delta: changes };
        const body = JSON.stringify(input);
        delta.makeMs.push(performance.now() - made);
        delta.bytes.push(Buffer.byteLength(body));
        const start = performance.now();
        version = (await backend.invoke('documents.saveWorking', input)).version;
        delta.ms.push(performance.now() - start);
        base = deltaBase(version, content);
      }
      const stored = await backend.invoke('documents.get', { id: doc.id });
      if (JSON.stringify(stored.content) !== JSON.stringify(content)) throw new Error('the delta saves did not store the edited story');
      const start = performance.now();
      const found = await backend.invoke('documents.list', { query: `edit${2 * SAVES - 1}` });
      const searchMs = performance.now() - start;
      if (found.length !== 1) throw new Error('the search after typing did not find the last save');
      results[`words${count * 250}`] = {
        saves: SAVES,
        wholeBytesPerSave: Math.round(percentile(whole.bytes, 50)),
        /** The sender's half (here in Node): serializing the request. */
        wholeRequestP50Ms: round(percentile(whole.makeMs, 50)),
        wholeSaveP50Ms: round(percentile(whole.ms, 50)),
        wholeSaveP95Ms: round(percentile(whole.ms, 95)),
        deltaBytesPerSave: Math.round(percentile(delta.bytes, 50)),
        deltaSaveP50Ms: round(percentile(delta.ms, 50)),
        deltaSaveP95Ms: round(percentile(delta.ms, 95)),
        /** The sender's half (here in Node): comparing blocks, building the delta, serializing the request. */
        deltaRequestP50Ms: round(percentile(delta.makeMs, 50)),
        firstSearchAfterSavesMs: round(searchMs),
      };
    } finally {
      backend.remove();
    }
  }
  return results;
}

function paragraph(text: string): RichNode {
  return { type: 'paragraph', content: [{ type: 'text', text }] };
}
