import { z } from 'zod';

/**
 * ProseMirror's JSON shape. This schema only checks the shape and bounds; whether the
 * node and mark types exist is checked against the editor schema in the back end
 * (electron/services/richtext.ts), which drops nothing silently: it refuses.
 */
export type RichMark = { type: string; attrs?: Record<string, unknown> };
export type RichNode = {
  type: string;
  attrs?: Record<string, unknown>;
  content?: RichNode[];
  marks?: RichMark[];
  text?: string;
};

const RichMarkSchema = z.object({
  type: z.string().min(1).max(64),
  attrs: z.record(z.string(), z.unknown()).optional(),
});

export const RichNodeSchema: z.ZodType<RichNode> = z.lazy(() =>
  z.object({
    type: z.string().min(1).max(64),
    attrs: z.record(z.string(), z.unknown()).optional(),
    content: z.array(RichNodeSchema).max(100_000).optional(),
    marks: z.array(RichMarkSchema).max(32).optional(),
    text: z.string().max(1_000_000).optional(),
  }),
);

export const RichDoc = RichNodeSchema.refine((n) => n.type === 'doc', { message: 'The top node must be a doc' });

export function emptyDoc(): RichNode {
  return { type: 'doc', content: [{ type: 'paragraph' }] };
}

/** Plain text of a rich-text tree, blocks separated by newlines (for titles, counts, search). */
export function plainText(node: RichNode): string {
  const out: string[] = [];
  const walk = (n: RichNode, blocks: string[]) => {
    if (n.type === 'text') {
      blocks[blocks.length - 1] += n.text ?? '';
      return;
    }
    if (n.type === 'hardBreak') {
      blocks[blocks.length - 1] += '\n';
      return;
    }
    if (n.content) {
      const isTextBlock = n.content.some((c) => c.type === 'text' || c.type === 'hardBreak');
      if (isTextBlock) {
        blocks.push('');
        for (const c of n.content) walk(c, blocks);
      } else {
        for (const c of n.content) walk(c, blocks);
      }
    }
  };
  const blocks: string[] = [];
  walk(node, blocks);
  for (const b of blocks) if (b.trim()) out.push(b.trim());
  return out.join('\n');
}

const WORD = /[\p{L}\p{N}]+(?:['’.\-][\p{L}\p{N}]+)*/gu;

/** Words as a copy editor counts them: "state-run" and "don't" are one word each. */
export function countWords(text: string): number {
  // One match at a time: text.match(WORD) built an array of every word, 2.7 ms for a
  // 20,000-word story, which the back end counts on every save; this takes about half.
  // (WORD cannot match empty text, so each test moves on.)
  WORD.lastIndex = 0;
  let count = 0;
  while (WORD.test(text)) count++;
  return count;
}
