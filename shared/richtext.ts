import { z } from 'zod';
import { nestsDeeperThan } from './nesting.ts';

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

/**
 * Blocks inside blocks (quotes, lists in lists) a body may nest. A reporter's story
 * needs a handful; zod's recursive check overflows the stack at about 500, so deeper
 * bodies are refused by a flat walk before it runs. Each level is two levels of JSON
 * (the node and its content array), and attrs may add a few.
 */
export const MAX_BODY_NESTING = 100;
export const MAX_BODY_DEPTH = 2 * MAX_BODY_NESTING + 8;

const shallowEnough = z.unknown().superRefine((value, ctx) => {
  if (nestsDeeperThan(value, MAX_BODY_DEPTH)) {
    ctx.addIssue({ code: 'custom', message: `Nested more than ${MAX_BODY_NESTING} levels deep; no story needs that`, abort: true });
  }
});

// Typed as the node schema it pipes into, so callers still see a RichNode going in.
export const RichDoc = shallowEnough
  .pipe(RichNodeSchema)
  .refine((n) => n.type === 'doc', { message: 'The top node must be a doc' }) as unknown as z.ZodType<RichNode, RichNode>;

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
