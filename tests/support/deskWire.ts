import { randomUUID } from 'node:crypto';
import type { DeskInput, WireBlock, WireRevision } from '../../shared/desk.ts';
import { emptyContent, type DocumentContent, type DocumentKind } from '../../shared/documents.ts';
import type { RevisionLabel } from '../../shared/revisions.ts';
import { wireRevision } from '../../desk/wire.ts';

/**
 * A story written the way a workstation writes one, for desk tests: content as
 * paragraphs, each version cut on the last (its parent), turned into what sync.push
 * carries (only the blocks the parent lacks, block lists as runs of the parent's).
 */
export function articleContent(headline: string, paragraphs: string[], extra: Partial<{ slug: string; byline: string }> = {}): DocumentContent {
  const c = emptyContent('article');
  if (c.kind !== 'article') throw new Error('unreachable');
  c.fields.headline = headline;
  c.fields.slug = extra.slug ?? '';
  c.fields.byline = extra.byline ?? '';
  c.body = { type: 'doc', content: paragraphs.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })) };
  return c;
}

export function captionContent(text: string, photo = ''): DocumentContent {
  const c = emptyContent('caption');
  if (c.kind !== 'caption') throw new Error('unreachable');
  c.fields.photo = photo;
  c.body = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] };
  return c;
}

export type Version = { revision: WireRevision; blocks: WireBlock[]; hashes: string[] };

/** One document's versions as one workstation cut them. */
export class StoryWriter {
  readonly id: string;
  head: Version | null = null;
  private clock: number;
  constructor(
    readonly kind: DocumentKind,
    readonly authorId: string,
    options: { id?: string; ownerId?: string; createdAt?: number } = {},
  ) {
    this.id = options.id ?? randomUUID();
    this.ownerId = options.ownerId ?? authorId;
    this.clock = options.createdAt ?? 1_700_000_000_000;
  }
  readonly ownerId: string;

  header() {
    return { id: this.id, kind: this.kind, ownerId: this.ownerId, createdAt: 1_700_000_000_000 };
  }

  /** Cuts a version on the current head (or on `parent`), as this writer or `authorId`. */
  cut(content: DocumentContent, options: { label?: RevisionLabel; authorId?: string; parent?: Version | null; note?: string } = {}): Version {
    const parent = options.parent === undefined ? this.head : options.parent;
    this.clock += 1_000;
    const v = wireRevision({
      documentId: this.id,
      content,
      authorId: options.authorId ?? this.authorId,
      createdAt: this.clock,
      label: options.label ?? 'autosave',
      note: options.note ?? null,
      parent: parent ? { id: parent.revision.id, hashes: parent.hashes, words: parent.revision.words } : null,
    });
    this.head = v;
    return v;
  }

  /** A push of versions (with the header when `withHeader`). */
  push(versions: Version[], withHeader = false, key = randomUUID()): DeskInput<'sync.push'> {
    return {
      key,
      documents: withHeader ? [this.header()] : [],
      revisions: versions.map((v) => v.revision),
      blocks: versions.flatMap((v) => v.blocks),
    };
  }
}
