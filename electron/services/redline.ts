import diffSequences from '@jest/diff-sequences';
import { FIELD_LABELS, type DocumentContent } from '../../shared/documents.ts';
import type { FieldChange, RedlineBlock, RedlineSegment } from '../../shared/revisions.ts';
import type { RichNode } from '../../shared/richtext.ts';
import { isSuggestionMark } from '../../shared/editor/suggestions.ts';

/**
 * The redline between two versions of a document, computed in the back end.
 *
 * Body: top-level blocks are matched first by content hash (an unchanged paragraph is
 * the same block), so a moved paragraph reads as a move, not as text shuffled
 * word by word. Blocks that changed are paired by similarity and compared word by
 * word; tokens carry their marks, so making a word bold shows as a change to it.
 * Fields are compared word by word too.
 */

type Token = { key: string; text: string; word: boolean; marks: string[]; href?: string; prefix?: string; br?: boolean; suggestion?: SegmentSuggestion };
type SegmentSuggestion = NonNullable<RedlineSegment['suggestion']>;
export type Block = { hash: string; node: RichNode };

const WORDISH = /[\p{L}\p{N}]/u;
const TOKEN = /\s+|[\p{L}\p{N}]+(?:['’.\-][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]/gu;
// Fields such as the slug are short and hyphenated: compare them hyphen by hyphen.
const FINE_TOKEN = /\s+|[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu;

function textTokens(text: string, marks: string[] = [], href?: string, pattern = TOKEN, suggestion?: SegmentSuggestion): Token[] {
  const markKey = marks.length ? `\u0000${marks.join(',')}${href ? `>${href}` : ''}` : '';
  // A suggestion is part of what a token is: the same word suggested, or by someone else, is a change.
  const suggestionKey = suggestion ? `\u0003${suggestion.kind}:${suggestion.by}:${suggestion.at}` : '';
  // The suggestion plugin's zero-width anchors at block boundaries are nobody's words.
  return (text.replace(/\u200B/g, '').match(pattern) ?? []).map((t) => ({
    key: t + markKey + suggestionKey,
    text: t,
    word: WORDISH.test(t),
    marks,
    ...(href ? { href } : {}),
    ...(suggestion ? { suggestion } : {}),
  }));
}

/** Who suggested a stretch, and when: shown as such in the redline ("suggested insertion by …"). */
function suggestionOf(marks: RichNode['marks'], inherited?: SegmentSuggestion): SegmentSuggestion | undefined {
  const m = marks?.find((x) => isSuggestionMark(x.type));
  if (!m) return inherited;
  return { kind: m.type as SegmentSuggestion['kind'], by: String(m.attrs?.authorName ?? ''), at: Number(m.attrs?.time ?? 0) };
}

function inlineTokens(node: RichNode, inherited?: SegmentSuggestion): Token[] {
  const out: Token[] = [];
  for (const child of node.content ?? []) {
    if (child.type === 'text') {
      const marks = (child.marks ?? []).map((m) => m.type).filter((t) => !isSuggestionMark(t)).sort();
      const link = child.marks?.find((m) => m.type === 'link');
      out.push(...textTokens(child.text ?? '', marks, link ? String(link.attrs?.href ?? '') : undefined, TOKEN, suggestionOf(child.marks, inherited)));
    } else if (child.type === 'hardBreak') {
      out.push({ key: '\n', text: '\n', word: false, marks: [] });
    } else {
      out.push(leafToken(child));
    }
  }
  return out;
}

/** An atom (figure, rule, image) is one token: it is there, gone, or different. */
function leafToken(node: RichNode): Token {
  const label = leafLabel(node);
  return { key: `\u0001${node.type}:${JSON.stringify(node.attrs ?? {})}`, text: label, word: true, marks: ['atom'] };
}

function leafLabel(node: RichNode): string {
  if (node.type === 'horizontalRule') return '———';
  const caption = node.attrs?.caption ?? node.attrs?.captionId ?? node.attrs?.alt ?? '';
  const name = node.type.replace(/([A-Z])/g, ' $1').toLowerCase();
  return `[${name}${caption ? `: ${String(caption)}` : ''}]`;
}

const isTextBlock = (n: RichNode) => !n.content || n.content.some((c) => c.type === 'text' || c.type === 'hardBreak') || n.content.length === 0;

/** A block's tokens, with a line-break token (carrying its prefix) before each line. */
export function blockTokens(node: RichNode): Token[] {
  const out: Token[] = [];
  const line = (prefix: string) => out.push({ key: `\u0002${prefix}`, text: '', word: false, marks: [], prefix, br: true });
  const walk = (n: RichNode, prefix: string, inherited?: SegmentSuggestion) => {
    const suggestion = suggestionOf(n.marks, inherited);
    if (n.type === 'bulletList' || n.type === 'orderedList') {
      const start = Number(n.attrs?.start ?? 1);
      (n.content ?? []).forEach((item, i) => {
        const mark = n.type === 'bulletList' ? '•' : `${start + i}.`;
        const inItem = suggestionOf(item.marks, suggestion);
        (item.content ?? []).forEach((child, j) => walk(child, j === 0 ? `${prefix}${mark}` : `${prefix}  `, inItem));
      });
      return;
    }
    if (n.type === 'blockquote' || (n.content && !isTextBlock(n))) {
      for (const child of n.content ?? []) walk(child, prefix, suggestion);
      return;
    }
    if (!n.content && n.type !== 'paragraph' && n.type !== 'heading') {
      line(prefix);
      const leaf = leafToken(n);
      out.push(suggestion ? { ...leaf, key: `${leaf.key}\u0003${suggestion.kind}:${suggestion.by}`, suggestion } : leaf);
      return;
    }
    line(prefix);
    out.push(...inlineTokens(n, suggestion));
  };
  walk(node, '');
  return out;
}

type Op = { op: RedlineSegment['op']; token: Token };
type Step = { op: 'same'; i: number; j: number } | { op: 'del'; i: number } | { op: 'ins'; j: number };

/** The shortest edit script between two sequences of keys (Myers, via Jest's diff-sequences). */
export function align(a: readonly string[], b: readonly string[]): Step[] {
  const steps: Step[] = [];
  let i = 0;
  let j = 0;
  const catchUp = (ai: number, bj: number) => {
    for (; i < ai; i++) steps.push({ op: 'del', i });
    for (; j < bj; j++) steps.push({ op: 'ins', j });
  };
  diffSequences(
    a.length,
    b.length,
    (x, y) => a[x] === b[y],
    (n, ai, bj) => {
      catchUp(ai, bj);
      for (let k = 0; k < n; k++) steps.push({ op: 'same', i: i++, j: j++ });
    },
  );
  catchUp(a.length, b.length);
  return steps;
}

function diffTokens(a: Token[], b: Token[]): Op[] {
  return align(
    a.map((t) => t.key),
    b.map((t) => t.key),
  ).map((s) => (s.op === 'ins' ? { op: 'ins', token: b[s.j]! } : s.op === 'del' ? { op: 'del', token: a[s.i]! } : { op: 'same', token: b[s.j]! }));
}

/**
 * Reads like an editor's markup: within a run of changes, a lone space between two
 * changed words joins the run, and the run shows its deletions before its insertions
 * ("~~an~~ a small", not "~~an~~ a ~~ ~~ small").
 */
function tidy(ops: Op[]): Op[] {
  const out: Op[] = [];
  let run: Op[] = [];
  const flushRun = () => {
    out.push(...run.filter((o) => o.op === 'del'), ...run.filter((o) => o.op === 'ins'));
    run = [];
  };
  ops.forEach((o, k) => {
    if (o.op !== 'same') {
      run.push(o);
      return;
    }
    const next = ops[k + 1];
    const bridging = run.length > 0 && next && next.op !== 'same' && !o.token.br && /^\s+$/.test(o.token.text);
    if (bridging) {
      run.push({ op: 'del', token: o.token }, { op: 'ins', token: o.token });
      return;
    }
    flushRun();
    out.push(o);
  });
  flushRun();
  return out;
}

function toSegments(ops: Op[]): RedlineSegment[] {
  const segments: RedlineSegment[] = [];
  for (const { op, token } of tidy(ops)) {
    const last = segments.at(-1);
    const marks = token.marks.length ? token.marks : undefined;
    const sameSuggestion = JSON.stringify(last?.suggestion) === JSON.stringify(token.suggestion);
    if (last && last.op === op && (last.marks ?? []).join() === (marks ?? []).join() && last.href === token.href && sameSuggestion) {
      last.text += token.text;
    } else {
      segments.push({
        op,
        text: token.text,
        ...(marks ? { marks } : {}),
        ...(token.href ? { href: token.href } : {}),
        ...(token.suggestion ? { suggestion: token.suggestion } : {}),
      });
    }
  }
  return segments;
}

/** Splits a token stream at its line breaks (one starts every line) into display lines. */
function toLines(ops: Op[]): RedlineBlock['lines'] {
  const lines: RedlineBlock['lines'] = [];
  let current: Op[] | null = null;
  let prefix = '';
  for (const op of ops) {
    if (op.token.br) {
      if (current) lines.push({ prefix, segments: toSegments(current) });
      current = [];
      prefix = op.token.prefix ?? '';
      continue;
    }
    (current ??= []).push(op);
  }
  if (current) lines.push({ prefix, segments: toSegments(current) });
  return lines;
}

function counts(ops: Op[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const { op, token } of ops) {
    if (!token.word) continue;
    if (op === 'ins') added++;
    else if (op === 'del') removed++;
  }
  return { added, removed };
}

// A block's words, computed once per node object (pairing and counting both need them).
const wordsOf = new WeakMap<RichNode, string[]>();
function words(node: RichNode): string[] {
  let list = wordsOf.get(node);
  if (!list) {
    list = blockTokens(node)
      .filter((t) => t.word)
      .map((t) => t.text.toLowerCase());
    wordsOf.set(node, list);
  }
  return list;
}

function wordSet(node: RichNode): Set<string> {
  return new Set(words(node));
}

/** Words inserted and deleted between two blocks, without building display segments. */
function countChanged(a: RichNode | undefined, b: RichNode | undefined): { added: number; removed: number } {
  const wa = a ? words(a) : [];
  const wb = b ? words(b) : [];
  let added = 0;
  let removed = 0;
  for (const step of align(wa, wb)) {
    if (step.op === 'ins') added++;
    else if (step.op === 'del') removed++;
  }
  return { added, removed };
}

function similarity(a: Set<string>, b: Set<string>): number {
  if (!a.size && !b.size) return 1;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared / Math.max(a.size, b.size);
}

function blockOf(node: RichNode, status: RedlineBlock['status'], ops: Op[]): RedlineBlock {
  const level = typeof node.attrs?.level === 'number' ? node.attrs.level : undefined;
  return { type: node.type, ...(level !== undefined ? { level } : {}), status, lines: toLines(ops) };
}

const all = (node: RichNode, op: Op['op']): Op[] => blockTokens(node).map((token) => ({ op, token }));

/** What the comparison says of one block, before it is turned into display lines. */
type Entry =
  | { kind: 'same'; b: Block }
  | { kind: 'del'; a: Block }
  | { kind: 'ins'; b: Block }
  | { kind: 'pair'; a: Block; b: Block }
  | { kind: 'moved-from'; a: Block }
  | { kind: 'moved-to'; a?: Block; b: Block };

/** Pairs a replaced region's old and new blocks by similarity, in reading order. */
function replaceRegion(olds: Block[], news: Block[], moved: Set<string>, out: Entry[]) {
  const oldSets = olds.map((b) => wordSet(b.node));
  const newSets = news.map((b) => wordSet(b.node));
  const pairOf = new Map<number, number>(); // new index → old index
  const usedOld = new Set<number>();
  let floor = 0;
  news.forEach((nb, j) => {
    if (moved.has(nb.hash)) return;
    let best = -1;
    let bestScore = 0.25;
    for (let i = floor; i < olds.length; i++) {
      if (usedOld.has(i) || moved.has(olds[i]!.hash) || olds[i]!.node.type !== nb.node.type) continue;
      const score = similarity(oldSets[i]!, newSets[j]!);
      if (score > bestScore) {
        best = i;
        bestScore = score;
      }
    }
    if (best >= 0) {
      pairOf.set(j, best);
      usedOld.add(best);
      floor = best + 1; // keep pairs in order: no crossing matches
    }
  });
  let nextOld = 0;
  const emitOldUpTo = (limit: number) => {
    for (; nextOld < limit; nextOld++) {
      if (usedOld.has(nextOld)) continue;
      const a = olds[nextOld]!;
      out.push(moved.has(a.hash) ? { kind: 'moved-from', a } : { kind: 'del', a });
    }
  };
  news.forEach((b, j) => {
    const i = pairOf.get(j);
    if (i !== undefined) {
      emitOldUpTo(i);
      nextOld = i + 1;
      out.push({ kind: 'pair', a: olds[i]!, b });
    } else out.push(moved.has(b.hash) ? { kind: 'moved-to', b } : { kind: 'ins', b });
  });
  emitOldUpTo(olds.length);
}

/**
 * A paragraph that moved and was also edited sits in two different replaced regions:
 * pair such leftovers when they are clearly the same paragraph (half their words in
 * common), so it reads as a move with its edits rather than as a delete and an insert.
 */
function pairMovedEdits(entries: Entry[]): void {
  const dels = entries.flatMap((e, i) => (e.kind === 'del' ? [{ i, set: wordSet(e.a.node) }] : []));
  if (!dels.length) return;
  const taken = new Set<number>();
  entries.forEach((e, j) => {
    if (e.kind !== 'ins') return;
    const set = wordSet(e.b.node);
    let best: { i: number; score: number } | undefined;
    for (const d of dels) {
      const old = entries[d.i] as { kind: 'del'; a: Block };
      if (taken.has(d.i) || old.a.node.type !== e.b.node.type) continue;
      const score = similarity(d.set, set);
      if (score >= 0.5 && score > (best?.score ?? 0)) best = { i: d.i, score };
    }
    if (best) {
      taken.add(best.i);
      const a = (entries[best.i] as { a: Block }).a;
      entries[best.i] = { kind: 'moved-from', a };
      entries[j] = { kind: 'moved-to', a, b: e.b };
    }
  });
}

export function compareBodies(
  a: Block[],
  b: Block[],
  options: { summaryOnly?: boolean } = {},
): { blocks: RedlineBlock[]; added: number; removed: number } {
  const steps = align(
    a.map((x) => x.hash),
    b.map((x) => x.hash),
  );
  // A block that disappears in one place and appears in another moved. Blocks with no
  // words (empty paragraphs, rules) are too common to be called moves.
  const removedHashes = new Set<string>();
  const addedHashes = new Set<string>();
  for (const step of steps) {
    if (step.op === 'del') removedHashes.add(a[step.i]!.hash);
    if (step.op === 'ins') addedHashes.add(b[step.j]!.hash);
  }
  const moved = new Set<string>();
  const byHash = new Map(a.map((x) => [x.hash, x.node]));
  for (const h of removedHashes) if (addedHashes.has(h) && wordSet(byHash.get(h)!).size > 0) moved.add(h);

  const entries: Entry[] = [];
  let olds: Block[] = [];
  let news: Block[] = [];
  const flush = () => {
    if (olds.length || news.length) replaceRegion(olds, news, moved, entries);
    olds = [];
    news = [];
  };
  for (const step of steps) {
    if (step.op === 'del') olds.push(a[step.i]!);
    else if (step.op === 'ins') news.push(b[step.j]!);
    else {
      flush();
      // Counting only (history's words added/removed): unchanged blocks cost nothing.
      if (!options.summaryOnly) entries.push({ kind: 'same', b: b[step.j]! });
    }
  }
  flush();
  pairMovedEdits(entries);

  let added = 0;
  let removed = 0;
  const blocks: RedlineBlock[] = [];
  if (options.summaryOnly) {
    for (const e of entries) {
      const c =
        e.kind === 'del' ? countChanged(e.a.node, undefined)
        : e.kind === 'ins' ? countChanged(undefined, e.b.node)
        : e.kind === 'pair' || (e.kind === 'moved-to' && e.a) ? countChanged((e as { a: Block }).a.node, e.b.node)
        : { added: 0, removed: 0 };
      added += c.added;
      removed += c.removed;
    }
    return { blocks, added, removed };
  }
  for (const e of entries) {
    let ops: Op[];
    let node: RichNode;
    let status: RedlineBlock['status'];
    switch (e.kind) {
      case 'same':
        [node, status, ops] = [e.b.node, 'same', all(e.b.node, 'same')];
        break;
      case 'del':
        [node, status, ops] = [e.a.node, 'deleted', all(e.a.node, 'del')];
        break;
      case 'ins':
        [node, status, ops] = [e.b.node, 'inserted', all(e.b.node, 'ins')];
        break;
      case 'pair':
        [node, status, ops] = [e.b.node, 'changed', diffTokens(blockTokens(e.a.node), blockTokens(e.b.node))];
        break;
      case 'moved-from':
        [node, status, ops] = [e.a.node, 'moved-from', all(e.a.node, 'same')];
        break;
      case 'moved-to':
        [node, status] = [e.b.node, 'moved-to'];
        ops = e.a ? diffTokens(blockTokens(e.a.node), blockTokens(e.b.node)) : all(e.b.node, 'same');
        break;
    }
    const c = counts(ops);
    added += c.added;
    removed += c.removed;
    blocks.push(blockOf(node, status, ops));
  }
  return { blocks, added, removed };
}

const fieldText = (v: unknown) => (Array.isArray(v) ? v.join(', ') : String(v ?? ''));

export function compareFields(a: DocumentContent, b: DocumentContent): { fields: FieldChange[]; added: number; removed: number } {
  const keys = [...new Set([...Object.keys(a.fields), ...Object.keys(b.fields)])];
  const fields: FieldChange[] = [];
  let added = 0;
  let removed = 0;
  for (const key of keys) {
    const before = fieldText((a.fields as Record<string, unknown>)[key]);
    const after = fieldText((b.fields as Record<string, unknown>)[key]);
    if (before === after) continue;
    const ops = diffTokens(textTokens(before, [], undefined, FINE_TOKEN), textTokens(after, [], undefined, FINE_TOKEN));
    const c = counts(ops);
    added += c.added;
    removed += c.removed;
    fields.push({ field: key, label: FIELD_LABELS[key] ?? key, segments: toSegments(ops) });
  }
  return { fields, added, removed };
}

