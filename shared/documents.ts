import { z } from 'zod';
import { RichDoc, countWords, emptyDoc, plainText, type RichNode } from './richtext.ts';

export const DOCUMENT_KINDS = ['article', 'caption', 'bio'] as const;
export const DocumentKind = z.enum(DOCUMENT_KINDS);
export type DocumentKind = z.infer<typeof DocumentKind>;

export const KIND_LABELS: Record<DocumentKind, string> = { article: 'Article', caption: 'Caption', bio: 'Bio' };

/** Workflow statuses (ARCHITECTURE.md). Transitions come with the review issue. */
export const STATUSES = ['draft', 'submitted', 'changes_requested', 'approved', 'published', 'withdrawn'] as const;
export const Status = z.enum(STATUSES);
export type Status = z.infer<typeof Status>;
export const STATUS_LABELS: Record<Status, string> = {
  draft: 'Draft',
  submitted: 'Submitted',
  changes_requested: 'Changes requested',
  approved: 'Approved',
  published: 'Published',
  withdrawn: 'Withdrawn',
};

// A working copy is a draft: fields may be empty or not yet valid (an email being
// typed). Bounds only keep a runaway paste from filling the disk; rules that a
// finished document must meet are checked when it is submitted.
const text = (max: number) => z.string().max(max, `At most ${max} characters`);
const list = z.array(text(200)).max(100, 'At most 100 entries');

export const ArticleFields = z.object({
  slug: text(200),
  headline: text(500),
  dek: text(2_000),
  byline: text(500),
  section: text(200),
  tags: list,
  contributorLine: text(1_000),
  /** Words the desk has room for; null when nobody set one. */
  wordBudget: z.number().int().min(1, 'A word budget is at least 1').max(100_000).nullable().default(null),
});
const sha256 = z.string().regex(/^([0-9a-f]{64})?$/, 'A photo reference is a SHA-256 in hex');

export const CaptionFields = z.object({
  /** The photo (an asset's SHA-256); empty until one is imported. Older copies lack it. */
  photo: sha256.default(''),
  credit: text(500),
  photographer: text(500),
  copyright: text(1_000),
  altText: text(2_000),
  dateTaken: text(100),
  location: text(500),
});
export const BioFields = z.object({
  name: text(200),
  title: text(200),
  email: text(320),
  languages: list,
  socials: list.default([]),
  headshot: sha256.default(''),
});
export type ArticleFields = z.infer<typeof ArticleFields>;
export type CaptionFields = z.infer<typeof CaptionFields>;
export type BioFields = z.infer<typeof BioFields>;

/**
 * What a document holds: its fields and one rich-text body (the article body, the
 * caption text, or the bio). One body per document keeps revisions, counts and search
 * the same for every kind.
 */
export const DocumentContent = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('article'), fields: ArticleFields, body: RichDoc }),
  z.object({ kind: z.literal('caption'), fields: CaptionFields, body: RichDoc }),
  z.object({ kind: z.literal('bio'), fields: BioFields, body: RichDoc }),
]);
export type DocumentContent = z.infer<typeof DocumentContent>;

export function emptyContent(kind: DocumentKind): DocumentContent {
  switch (kind) {
    case 'article':
      return {
        kind,
        fields: { slug: '', headline: '', dek: '', byline: '', section: '', tags: [], contributorLine: '', wordBudget: null },
        body: emptyDoc(),
      };
    case 'caption':
      return {
        kind,
        fields: { photo: '', credit: '', photographer: '', copyright: '', altText: '', dateTaken: '', location: '' },
        body: emptyDoc(),
      };
    case 'bio':
      return { kind, fields: { name: '', title: '', email: '', languages: [], socials: [], headshot: '' }, body: emptyDoc() };
  }
}

/** The line a story list shows: headline, bio name, or the start of the caption. */
export function documentTitle(content: DocumentContent): string {
  const fromBody = (body: RichNode) => plainText(body).split('\n')[0] ?? '';
  let title: string;
  switch (content.kind) {
    case 'article':
      title = content.fields.headline;
      break;
    case 'bio':
      title = content.fields.name;
      break;
    case 'caption':
      title = fromBody(content.body);
      break;
  }
  title = title.trim().replace(/\s+/g, ' ');
  return title.length > 140 ? `${title.slice(0, 139)}…` : title;
}

/** Every field and the body as plain text, for finding a document by what it says. */
export function searchableText(content: DocumentContent): string {
  const fields = Object.entries(content.fields)
    .filter(([, v]) => typeof v === 'string' || Array.isArray(v))
    .filter(([key]) => key !== 'photo' && key !== 'headshot')
    .flatMap(([, v]) => (Array.isArray(v) ? (v as string[]) : [v as string]));
  return [...fields, plainText(content.body)].filter(Boolean).join('\n');
}

export function bodyWordCount(content: DocumentContent): number {
  return countWords(plainText(content.body));
}

/** Matched words of a search result, as runs; the renderer marks `hit` runs. */
export const SearchHits = z.array(z.object({ text: z.string(), hit: z.boolean() }));
export type SearchHits = z.infer<typeof SearchHits>;

export const DocumentSummary = z.object({
  id: z.string(),
  kind: DocumentKind,
  title: z.string(),
  status: Status,
  ownerId: z.string(),
  ownerName: z.string(),
  assigneeId: z.string().nullable(),
  assigneeName: z.string().nullable(),
  wordCount: z.number(),
  createdAt: z.number(),
  updatedAt: z.number(),
  trashedAt: z.number().nullable(),
  /** The revision an editor approved (kept when later edits make the approval stale). */
  approvedRevisionId: z.string().nullable(),
  /** Present in search results: the title and a snippet with the matched words. */
  match: z.object({ title: SearchHits, snippet: SearchHits }).optional(),
});
export type DocumentSummary = z.infer<typeof DocumentSummary>;

export const DocumentRecord = DocumentSummary.extend({
  /** Bumped on every working-copy save; a save naming an older version is refused. */
  version: z.number(),
  /**
   * The revision holding exactly this text, or null while the working copy has changes
   * no revision holds yet: what an editor names when approving what they read.
   */
  revisionId: z.string().nullable(),
  content: DocumentContent,
  /** Published, and the text is still exactly the published revision's (no Approve or Submit for edit yet). */
  publishedUnchanged: z.boolean().optional(),
});
export type DocumentRecord = z.infer<typeof DocumentRecord>;

export const FIELD_LABELS: Record<string, string> = {
  slug: 'Slug',
  headline: 'Headline',
  dek: 'Dek',
  byline: 'Byline',
  section: 'Section',
  tags: 'Tags',
  contributorLine: 'Contributor line',
  credit: 'Credit',
  photographer: 'Photographer',
  copyright: 'Copyright',
  altText: 'Alt text',
  dateTaken: 'Date taken',
  location: 'Location',
  name: 'Name',
  title: 'Title',
  email: 'Email',
  languages: 'Languages',
  photo: 'Photo',
  headshot: 'Headshot',
  socials: 'Social handles',
  wordBudget: 'Word budget',
};

/** A bio is a paragraph or two, not a profile. */
export const BIO_WORD_BUDGET = 150;

/** Reading time at 230 words a minute, the pace newsrooms commonly quote. */
export function readingMinutes(words: number): number {
  return Math.max(1, Math.round(words / 230));
}

/** Where a count stands against its budget: fine, near (within 10%), or over. */
export function budgetState(count: number, budget: number | null): 'none' | 'ok' | 'near' | 'over' {
  if (!budget) return 'none';
  if (count > budget) return 'over';
  return count >= budget * 0.9 ? 'near' : 'ok';
}

/** What the rich-text body is called on each kind's form. */
export const BODY_LABELS: Record<DocumentKind, string> = { article: 'Body', caption: 'Caption', bio: 'Bio' };

/** A simple email check for the bio form: something@something.tld, no spaces. */
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
