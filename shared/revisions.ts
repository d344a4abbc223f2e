import { z } from 'zod';

export const REVISION_LABELS = ['autosave', 'checkpoint', 'submitted', 'approved', 'published', 'restored'] as const;
export const RevisionLabel = z.enum(REVISION_LABELS);
export type RevisionLabel = z.infer<typeof RevisionLabel>;

export const REVISION_LABEL_TEXT: Record<RevisionLabel, string> = {
  autosave: 'Autosave',
  checkpoint: 'Saved version',
  submitted: 'Submitted',
  approved: 'Approved',
  published: 'Published',
  restored: 'Restored',
};

/** Labels that retention never removes: each marks a moment someone chose or a workflow step. */
export const KEPT_LABELS: readonly RevisionLabel[] = ['checkpoint', 'submitted', 'approved', 'published', 'restored'];

export const RevisionSummary = z.object({
  id: z.string(),
  documentId: z.string(),
  parentId: z.string().nullable(),
  authorId: z.string(),
  authorName: z.string(),
  createdAt: z.number(),
  label: RevisionLabel,
  note: z.string().nullable(),
  words: z.number(),
  wordsAdded: z.number(),
  wordsRemoved: z.number(),
  /**
   * With a newsroom desk: this version did not land on the story's line (it was made
   * offline, or while someone else held the story) and is kept beside it, for the holder
   * to Compare and take in (Restore this version).
   */
  aside: z.boolean().optional(),
  /** Who made an aside version: History says "Edited offline by <name>". */
  offlineBy: z.string().optional(),
});
export type RevisionSummary = z.infer<typeof RevisionSummary>;

/** A run of text in a redline: unchanged, inserted or deleted, with its marks. */
export const RedlineSegment = z.object({
  op: z.enum(['same', 'ins', 'del']),
  text: z.string(),
  /** Mark names for display (bold, italic, underline, strike, link). */
  marks: z.array(z.string()).optional(),
  /** Where a link segment points (display only; never made clickable in a redline). */
  href: z.string().optional(),
  /** Text that is a suggested edit in that version (not yet accepted or rejected): what, by whom, when. */
  suggestion: z.object({ kind: z.enum(['insertion', 'deletion', 'modification']), by: z.string(), at: z.number() }).optional(),
});
export type RedlineSegment = z.infer<typeof RedlineSegment>;

/**
 * One top-level block of the body in the comparison. `lines` keeps the block's inner
 * structure (list items, quote paragraphs) readable: each line has a prefix ("•", "1.")
 * and its segments.
 */
export const RedlineBlock = z.object({
  type: z.string(),
  level: z.number().optional(),
  status: z.enum(['same', 'changed', 'inserted', 'deleted', 'moved-from', 'moved-to']),
  lines: z.array(z.object({ prefix: z.string(), segments: z.array(RedlineSegment) })),
});
export type RedlineBlock = z.infer<typeof RedlineBlock>;

export const FieldChange = z.object({
  field: z.string(),
  label: z.string(),
  segments: z.array(RedlineSegment),
});
export type FieldChange = z.infer<typeof FieldChange>;

export const Redline = z.object({
  documentId: z.string(),
  from: RevisionSummary,
  /** null: the current text (the working copy), e.g. "Compare with approved". */
  to: RevisionSummary.nullable(),
  fields: z.array(FieldChange),
  body: z.array(RedlineBlock),
  wordsAdded: z.number(),
  wordsRemoved: z.number(),
});
export type Redline = z.infer<typeof Redline>;

export const RETENTION_MODES = ['keep-all', 'thin-autosaves'] as const;
export const Retention = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('keep-all') }),
  z.object({
    mode: z.literal('thin-autosaves'),
    /** Autosaves younger than this are all kept. */
    olderThanDays: z.number().int().min(1).max(3650),
  }),
]);
export type Retention = z.infer<typeof Retention>;
