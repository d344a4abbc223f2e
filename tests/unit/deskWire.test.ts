import { describe, expect, it } from 'vitest';
import { brotliCompressSync } from 'node:zlib';
import { splitContent } from '../../electron/services/revisions.ts';
import { emptyContent, type DocumentContent } from '../../shared/documents.ts';
import { contentBlocks, contentHashOf, encodeBlock, encodeRefs, expandRefs, openWireBlock, revisionIdOf, wireRevision, WireError } from '../../desk/wire.ts';

function story(paragraphs: string[]): DocumentContent {
  const c = emptyContent('article');
  if (c.kind !== 'article') throw new Error('article');
  c.fields.headline = 'Council votes';
  c.body = { type: 'doc', content: paragraphs.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })) };
  return c;
}

describe('desk wire formats', () => {
  it('computes the same block hashes and content hash as the workstation cuts', () => {
    const content = story(['One.', 'Two.', 'Three.']);
    const ours = contentBlocks(content);
    const theirs = splitContent(content);
    expect(ours.texts).toEqual(theirs.texts);
    expect(ours.hashes).toEqual(theirs.hashes.map((h) => h.toString('hex')));
    expect(contentHashOf('article', ours.hashes)).toBe(theirs.contentHash);
  });

  it('encodes a one-paragraph edit as runs of the parent plus one hash, and expands back', () => {
    const parent = Array.from({ length: 100 }, (_, i) => `h${i}`);
    const child = [...parent.slice(0, 40), 'new', ...parent.slice(41)];
    const refs = encodeRefs(child, parent);
    expect(refs).toEqual([[0, 40], 'new', [41, 59]]);
    expect(expandRefs(refs, parent)).toEqual(child);
    expect(encodeRefs(['a', 'b'], null)).toEqual(['a', 'b']);
    expect(() => expandRefs([[5, 10]], parent.slice(0, 6))).toThrow(WireError);
    expect(() => expandRefs([[0, 1]], null)).toThrow(WireError);
  });

  it('opens a good block and refuses one whose bytes do not match its hash', () => {
    const good = encodeBlock('{"a":1}');
    expect(openWireBlock(good.hash, Buffer.from(good.data, 'base64'))).toBe('{"a":1}');
    const other = brotliCompressSync(Buffer.from('{"a":2}'));
    expect(() => openWireBlock(good.hash, other)).toThrow(/does not match its bytes/);
    expect(() => openWireBlock(good.hash, Buffer.from('not brotli'))).toThrow(/does not match its bytes/);
    const notJson = encodeBlock('hello');
    expect(() => openWireBlock(notJson.hash, Buffer.from(notJson.data, 'base64'))).toThrow(/not JSON/);
    // 9 MB of zeros compresses to a few bytes: refused rather than inflated.
    const bomb = brotliCompressSync(Buffer.alloc(9 * 1024 * 1024, 0x20));
    expect(() => openWireBlock(good.hash, bomb)).toThrow(/exceed/);
  });

  it('builds a revision whose id follows the workstation formula and sends only new blocks', () => {
    const first = wireRevision({ documentId: 'd1', content: story(['One.', 'Two.']), authorId: 'p1', createdAt: 1000, label: 'checkpoint' });
    expect(first.blocks).toHaveLength(3);
    expect(first.revision.id).toBe(
      revisionIdOf({ documentId: 'd1', parentId: null, contentHash: first.revision.contentHash, authorId: 'p1', createdAt: 1000, label: 'checkpoint', note: null }),
    );
    const second = wireRevision({
      documentId: 'd1',
      content: story(['One.', 'Two, changed.']),
      authorId: 'p1',
      createdAt: 2000,
      label: 'autosave',
      parent: { id: first.revision.id, hashes: first.hashes },
    });
    expect(second.blocks).toHaveLength(1);
    expect(second.revision.blocks).toEqual([[0, 2], second.hashes[2]]);
  });
});
