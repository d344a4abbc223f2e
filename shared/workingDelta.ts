import { z } from 'zod';
import type { DocumentContent } from './documents.ts';
import { RichNodeSchema, type RichNode } from './richtext.ts';

/**
 * A working-copy save as the changes since the copy the back end already holds (the
 * base: the content it stored at the save's version). Typing changes one paragraph at a
 * time, so a save of a 20,000-word story carries that paragraph and a few numbers
 * instead of the whole story (README, Performance: working copy).
 */

/** A run of the base's top-level blocks kept as they were: base.body.content.slice(from, from + count). */
export const KeptBlocks = z.object({ from: z.number().int().nonnegative(), count: z.number().int().positive() }).strict();
export type KeptBlocks = z.infer<typeof KeptBlocks>;
const isKept = (block: KeptBlocks | RichNode): block is KeptBlocks => !('type' in block);

/** As many top-level blocks as a whole body may have (RichNodeSchema's content bound). */
const MAX_BLOCKS = 100_000;

export const WorkingDelta = z
  .object({
    /** How many top-level blocks the base has: both sides must mean the same base. */
    baseBlocks: z.number().int().nonnegative(),
    /** Only the fields whose value changed since the base; the others stay as they are. */
    fields: z.record(z.string(), z.unknown()),
    /** The new body's top-level blocks in order: runs kept from the base, or blocks in full. */
    blocks: z.array(z.union([KeptBlocks, RichNodeSchema])).min(1).max(MAX_BLOCKS),
  })
  .strict()
  // Checked before anything is built: a few runs repeated could otherwise describe
  // millions of blocks in a small request.
  .refine((delta) => delta.blocks.reduce((n, block) => n + (isKept(block) ? block.count : 1), 0) <= MAX_BLOCKS, {
    message: `A body has at most ${MAX_BLOCKS} blocks`,
    path: ['blocks'],
  });
export type WorkingDelta = z.infer<typeof WorkingDelta>;

/** Why a delta cannot be applied to the stored copy; the sender then saves the whole content. */
export class StaleBase extends Error {
  constructor(readonly path: string, message: string) {
    super(message);
    this.name = 'StaleBase';
  }
}

/**
 * The renderer's memory of what the back end holds: the last content it confirmed,
 * its fields and top-level blocks serialized once, and where each block sits.
 */
export type DeltaBase = { version: number; kind: DocumentContent['kind']; fields: Record<string, string>; blocks: string[]; index: Map<string, number> };

/**
 * Blocks serialized once per block object. The editor hands back the same object for a
 * block that did not change (see renderer/src/editor/bodyJson.ts), so a save in a long
 * story serializes only what was typed in, not every paragraph again.
 */
const serialized = new WeakMap<object, string>();
function serialize(block: RichNode): string {
  let text = serialized.get(block);
  if (text === undefined) serialized.set(block, (text = JSON.stringify(block)));
  return text;
}

export function deltaBase(version: number, content: DocumentContent): DeltaBase {
  const blocks = (content.body.content ?? []).map(serialize);
  const index = new Map<string, number>();
  // The first of two equal blocks is the one referred to; either would do.
  blocks.forEach((text, i) => index.has(text) || index.set(text, i));
  const fields = Object.fromEntries(Object.entries(content.fields).map(([key, value]) => [key, JSON.stringify(value)]));
  return { version, kind: content.kind, fields, blocks, index };
}

/**
 * The changes from `base` to `content`, or null when a delta would not be smaller than
 * the content itself (nothing of the base kept) or the body is not a plain list of blocks.
 */
export function makeDelta(base: DeltaBase, content: DocumentContent): WorkingDelta | null {
  const body = content.body;
  if (content.kind !== base.kind || body.type !== 'doc' || body.attrs || body.marks || !body.content?.length) return null;
  const blocks: (KeptBlocks | RichNode)[] = [];
  let kept = 0;
  for (const block of body.content) {
    const at = base.index.get(serialize(block));
    const last = blocks.at(-1);
    if (at === undefined) blocks.push(block);
    else if (last && isKept(last) && last.from + last.count === at) last.count++;
    else blocks.push({ from: at, count: 1 });
    if (at !== undefined) kept++;
  }
  if (kept === 0) return null;
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(content.fields)) {
    if (base.fields[key] !== JSON.stringify(value)) fields[key] = value;
  }
  return { baseBlocks: base.blocks.length, fields, blocks };
}

/**
 * The content a delta describes, built on the stored copy it was made against. Throws
 * StaleBase when the delta refers to anything that copy does not have. The result is
 * not yet validated: the caller checks it like any full save.
 */
export function applyDelta(base: DocumentContent, delta: WorkingDelta): unknown {
  const baseBlocks = base.body.content ?? [];
  if (baseBlocks.length !== delta.baseBlocks) {
    throw new StaleBase('delta.baseBlocks', `The saved copy has ${baseBlocks.length} blocks, not ${delta.baseBlocks}`);
  }
  const blocks: RichNode[] = [];
  delta.blocks.forEach((block, i) => {
    if (!isKept(block)) blocks.push(block);
    else if (block.from + block.count > baseBlocks.length) {
      throw new StaleBase(`delta.blocks.${i}`, `Blocks ${block.from}–${block.from + block.count - 1} are not in the saved copy`);
    } else {
      for (let b = block.from; b < block.from + block.count; b++) blocks.push(baseBlocks[b]!);
    }
  });
  return { kind: base.kind, fields: { ...base.fields, ...delta.fields }, body: { ...base.body, content: blocks } };
}
