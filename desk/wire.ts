import { createHash } from 'node:crypto';
import { brotliDecompressSync } from 'node:zlib';
import { compress } from '../db/blockCodec.ts';
import { canonicalJson } from '../shared/canonical.ts';
import type { BlockRefs, WireBlock, WireRevision } from '../shared/desk.ts';
import type { DocumentContent, DocumentKind } from '../shared/documents.ts';
import type { RevisionLabel } from '../shared/revisions.ts';
import { countWords, plainText } from '../shared/richtext.ts';

/**
 * How revisions and blocks travel between a workstation and the desk (shared/desk.ts
 * WireBlock, WireRevision, BlockRefs): plain functions both sides use, so the desk's
 * checks recompute exactly what the workstation computed. The formulas are those of
 * electron/services/revisions.ts (splitContent, cutRevision); a test holds them equal.
 */

export const sha256hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** A decompressed block may be at most this big: a larger one is refused rather than inflated (a brotli bomb). */
export const MOST_BLOCK_BYTES = 8 * 1024 * 1024;

/** A document's content as block texts (the fields first, then each top-level body node) and their hashes. */
export function contentBlocks(content: DocumentContent): { texts: string[]; hashes: string[] } {
  const texts = [canonicalJson(content.fields), ...(content.body.content ?? []).map((n) => canonicalJson(n))];
  return { texts, hashes: texts.map(sha256hex) };
}

export function contentHashOf(kind: DocumentKind, hashes: readonly string[]): string {
  return sha256hex(`${kind}\n${hashes.join('\n')}`);
}

export type RevisionIdParts = {
  documentId: string;
  parentId: string | null;
  contentHash: string;
  authorId: string;
  createdAt: number;
  label: RevisionLabel;
  note: string | null;
};

export function revisionIdOf(r: RevisionIdParts): string {
  return sha256hex(
    canonicalJson({ documentId: r.documentId, parentId: r.parentId, contentHash: r.contentHash, authorId: r.authorId, createdAt: r.createdAt, label: r.label, note: r.note }),
  );
}

export class WireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireError';
  }
}

/** A revision's full ordered hash list from its BlockRefs and its parent's list. Throws WireError on a run outside the parent. */
export function expandRefs(refs: BlockRefs, parent: readonly string[] | null): string[] {
  const out: string[] = [];
  for (const ref of refs) {
    if (typeof ref === 'string') {
      out.push(ref);
      continue;
    }
    const [start, count] = ref;
    if (!parent) throw new WireError('A revision without a parent cannot refer to runs of its parent’s blocks.');
    if (start + count > parent.length) {
      throw new WireError(`The run [${start}, ${count}] is outside the parent’s ${parent.length} blocks.`);
    }
    for (let i = start; i < start + count; i++) out.push(parent[i]!);
  }
  return out;
}

/**
 * Encodes `hashes` relative to `parent`: runs of the parent's list where they match,
 * hashes where they do not. A one-sentence edit to a long story becomes two runs and
 * one hash. Greedy: at each position, the longest run starting at any occurrence of
 * that hash in the parent.
 */
export function encodeRefs(hashes: readonly string[], parent: readonly string[] | null): BlockRefs {
  if (!parent || parent.length === 0) return [...hashes];
  const at = new Map<string, number[]>();
  parent.forEach((h, j) => {
    const list = at.get(h);
    if (list) {
      if (list.length < 8) list.push(j);
    } else at.set(h, [j]);
  });
  const out: BlockRefs = [];
  let i = 0;
  while (i < hashes.length) {
    const starts = at.get(hashes[i]!);
    if (!starts) {
      out.push(hashes[i]!);
      i++;
      continue;
    }
    let best = { start: starts[0]!, count: 0 };
    for (const j of starts) {
      let n = 0;
      while (i + n < hashes.length && j + n < parent.length && hashes[i + n] === parent[j + n]) n++;
      if (n > best.count) best = { start: j, count: n };
    }
    out.push([best.start, best.count]);
    i += best.count;
  }
  return out;
}

/** A block as it travels: its hash and its brotli-compressed text, base64. */
export function encodeBlock(text: string): WireBlock {
  return { hash: sha256hex(text), data: compress(text).toString('base64') };
}

/**
 * The text of a block that arrived, checked: it decompresses (to at most
 * MOST_BLOCK_BYTES), its SHA-256 is its hash, and it is JSON. Throws WireError naming the block.
 */
export function openWireBlock(hash: string, bytes: Buffer): string {
  let text: string;
  try {
    text = brotliDecompressSync(bytes, { maxOutputLength: MOST_BLOCK_BYTES }).toString('utf8');
  } catch {
    throw new WireError(`Block ${hash} does not match its bytes (they cannot be decompressed, or exceed ${MOST_BLOCK_BYTES} bytes); nothing was stored.`);
  }
  if (sha256hex(text) !== hash) throw new WireError(`Block ${hash} does not match its bytes; nothing was stored.`);
  try {
    JSON.parse(text);
  } catch {
    throw new WireError(`Block ${hash} is not JSON; nothing was stored.`);
  }
  return text;
}

/** Reassembles content from block texts (verified) and the document's kind. */
export function contentOf(kind: DocumentKind, texts: readonly string[]): DocumentContent {
  const [fields, ...nodes] = texts.map((t) => JSON.parse(t) as unknown);
  return { kind, fields, body: { type: 'doc', content: nodes } } as DocumentContent;
}

/**
 * A revision of `content` ready to push: the WireRevision (id and content hash
 * computed as cutRevision does, blocks relative to the parent) and the WireBlocks the
 * parent does not already have. `words*` are simple counts; the workstation sends its own.
 */
export function wireRevision(input: {
  documentId: string;
  content: DocumentContent;
  authorId: string;
  createdAt: number;
  label: RevisionLabel;
  note?: string | null;
  parent?: { id: string; hashes: readonly string[]; words?: number } | null;
}): { revision: WireRevision; blocks: WireBlock[]; hashes: string[] } {
  const { texts, hashes } = contentBlocks(input.content);
  const parent = input.parent ?? null;
  const contentHash = contentHashOf(input.content.kind, hashes);
  const note = input.note?.trim() || null;
  const parentId = parent?.id ?? null;
  const id = revisionIdOf({ documentId: input.documentId, parentId, contentHash, authorId: input.authorId, createdAt: input.createdAt, label: input.label, note });
  const words = countWords(plainText(input.content.body));
  const before = parent?.words ?? 0;
  const known = new Set(parent?.hashes ?? []);
  const sent = new Set<string>();
  const blocks: WireBlock[] = [];
  texts.forEach((text, i) => {
    const h = hashes[i]!;
    if (known.has(h) || sent.has(h)) return;
    sent.add(h);
    blocks.push(encodeBlock(text));
  });
  return {
    revision: {
      id,
      documentId: input.documentId,
      parentId,
      authorId: input.authorId,
      createdAt: input.createdAt,
      label: input.label,
      note,
      contentHash,
      words,
      wordsAdded: Math.max(0, words - before),
      wordsRemoved: Math.max(0, before - words),
      blocks: encodeRefs(hashes, parent?.hashes ?? null),
    },
    blocks,
    hashes,
  };
}
