import { Mark, type Attribute } from '@tiptap/core';
import { z } from 'zod';
import type { RichMark, RichNode } from '../richtext.ts';

/**
 * Suggested edits as marks in the document (the model of
 * @handlewithcare/prosemirror-suggest-changes): `insertion` on text or blocks someone
 * proposed adding, `deletion` on what they proposed cutting (it stays in the text,
 * struck through, until accepted), `modification` on a block whose type or attributes
 * they proposed changing. Marks, not a side table: they travel in the stored revision,
 * the desk's blocks and, later, a Yjs document without anything else to keep in step.
 *
 * The names, the tags and the `id` attribute are the package's, so its commands
 * (accept, reject) and its step handlers find them; who suggested it and when are
 * Galley's additions, stamped by the renderer when a suggestion is made.
 */
export const SUGGESTION_MARKS = ['insertion', 'deletion', 'modification'] as const;
export type SuggestionKind = (typeof SUGGESTION_MARKS)[number];
/** For a node's `marks`: containers whose children may be suggested whole (a new paragraph, a cut list item). */
export const SUGGESTION_MARK_LIST = SUGGESTION_MARKS.join(' ');

export const isSuggestionMark = (type: string): type is SuggestionKind => (SUGGESTION_MARKS as readonly string[]).includes(type);

const SuggestionId = z.union([z.number().int().nonnegative(), z.string().min(1).max(64)]);
const Who = {
  id: SuggestionId,
  authorId: z.string().max(64),
  authorName: z.string().max(200),
  /** Milliseconds since the epoch. */
  time: z.number().int().nonnegative(),
};
const PlainValue = z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]);

/**
 * What a suggestion mark may carry, and nothing more (strict): every back-end check of
 * body JSON (electron/services/richtext.ts) parses suggestion marks' attrs with these.
 */
export const SuggestionAttrs = {
  insertion: z.object(Who).strict(),
  deletion: z.object(Who).strict(),
  modification: z
    .object({
      ...Who,
      type: z.enum(['attr', 'nodeType', 'mark']),
      attrName: z.string().max(64).nullable(),
      previousValue: PlainValue,
      newValue: PlainValue,
    })
    .strict(),
} as const;

const DEFAULTS = { authorId: '', authorName: '', time: 0 };

/** The author attributes: stored as data-* on the element, so a copy within the editor keeps them. */
function whoAttributes(): Record<string, Attribute> {
  return {
    id: {
      default: null,
      parseHTML: (el) => {
        const raw = el.getAttribute('data-id');
        if (raw === null) return null;
        try {
          return JSON.parse(raw) as unknown;
        } catch {
          return raw;
        }
      },
      renderHTML: (attrs) => ({ 'data-id': JSON.stringify(attrs.id) }),
    },
    authorId: {
      default: DEFAULTS.authorId,
      parseHTML: (el) => el.getAttribute('data-author-id') ?? '',
      renderHTML: (attrs) => ({ 'data-author-id': attrs.authorId }),
    },
    authorName: {
      default: DEFAULTS.authorName,
      parseHTML: (el) => el.getAttribute('data-author') ?? '',
      renderHTML: (attrs) => ({ 'data-author': attrs.authorName }),
    },
    time: {
      default: DEFAULTS.time,
      parseHTML: (el) => Number(el.getAttribute('data-time')) || 0,
      renderHTML: (attrs) => ({ 'data-time': String(attrs.time) }),
    },
  };
}

const WORDS: Record<SuggestionKind, string> = { insertion: 'Suggested insertion', deletion: 'Suggested deletion', modification: 'Suggested change' };

/** "Suggested insertion by Ada Editor, 2 Dec 2026 18:40 UTC": the tooltip and the lists' wording. */
export function describeSuggestion(kind: SuggestionKind, authorName: string, time: number): string {
  const who = authorName ? ` by ${authorName}` : '';
  const when = time ? `, ${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC` : '';
  return `${WORDS[kind]}${who}${when}`;
}

const titleOf = (kind: SuggestionKind) => (attrs: Record<string, unknown>) => ({
  title: describeSuggestion(kind, String(attrs.authorName ?? ''), Number(attrs.time ?? 0)),
});

/**
 * Only a pasted or copied element that carries a suggestion id is read as a suggestion
 * (as the package does): a plain <ins> or <del> in pasted HTML stays plain text.
 */
const withId = (tag: string) => [{ tag, getAttrs: (el: HTMLElement) => (el.hasAttribute('data-id') ? null : false) }];

export const Insertion = Mark.create({
  name: 'insertion',
  inclusive: false,
  excludes: 'deletion modification insertion',
  addAttributes: () => whoAttributes(),
  parseHTML: () => withId('ins'),
  renderHTML: ({ mark, HTMLAttributes }) => ['ins', { ...HTMLAttributes, ...titleOf('insertion')(mark.attrs), class: 'suggestion suggestion-insertion' }, 0],
});

export const Deletion = Mark.create({
  name: 'deletion',
  inclusive: false,
  excludes: 'insertion modification deletion',
  addAttributes: () => whoAttributes(),
  parseHTML: () => withId('del'),
  renderHTML: ({ mark, HTMLAttributes }) => ['del', { ...HTMLAttributes, ...titleOf('deletion')(mark.attrs), class: 'suggestion suggestion-deletion' }, 0],
});

export const Modification = Mark.create({
  name: 'modification',
  inclusive: false,
  excludes: 'deletion insertion',
  addAttributes: () => ({
    ...whoAttributes(),
    type: { default: 'attr', parseHTML: (el) => el.getAttribute('data-mod-type') ?? 'attr', renderHTML: (a) => ({ 'data-mod-type': a.type }) },
    attrName: { default: null, parseHTML: (el) => el.getAttribute('data-mod-attr'), renderHTML: (a) => (a.attrName ? { 'data-mod-attr': a.attrName } : {}) },
    previousValue: { default: null, parseHTML: () => null, renderHTML: () => ({}) },
    newValue: { default: null, parseHTML: () => null, renderHTML: () => ({}) },
  }),
  parseHTML: () => [{ tag: "span[data-type='modification']", getAttrs: (el: HTMLElement) => (el.hasAttribute('data-id') ? null : false) }],
  renderHTML: ({ mark, HTMLAttributes }) => ['span', { ...HTMLAttributes, 'data-type': 'modification', ...titleOf('modification')(mark.attrs), class: 'suggestion suggestion-modification' }, 0],
});

/** One suggestion as a list shows it: every stretch of the document carrying its id. */
export type Suggestion = {
  id: number | string;
  kind: SuggestionKind;
  /** Several kinds when one edit replaced text (a deletion and an insertion sharing an id). */
  kinds: SuggestionKind[];
  authorNames: string[];
  time: number;
  /** The words it adds or cuts, shortened for a list. */
  text: string;
};

const suggestionOf = (marks: RichMark[] | undefined) => marks?.find((m) => isSuggestionMark(m.type));

/**
 * The suggestions in a body's JSON, in reading order, one per id. Pure, for the back
 * end's checks and tests; the renderer reads the ProseMirror document the same way.
 */
export function listSuggestions(body: RichNode): Suggestion[] {
  const byId = new Map<string, Suggestion>();
  const visit = (mark: RichMark, text: string) => {
    const kind = mark.type as SuggestionKind;
    const attrs = mark.attrs ?? {};
    const key = JSON.stringify(attrs.id ?? null);
    let s = byId.get(key);
    if (!s) {
      s = { id: (attrs.id as number | string) ?? 0, kind, kinds: [], authorNames: [], time: Number(attrs.time ?? 0), text: '' };
      byId.set(key, s);
    }
    if (!s.kinds.includes(kind)) s.kinds.push(kind);
    const name = String(attrs.authorName ?? '');
    if (name && !s.authorNames.includes(name)) s.authorNames.push(name);
    s.time = Math.max(s.time, Number(attrs.time ?? 0));
    if (s.text.length < 80) s.text += text;
  };
  const textOf = (n: RichNode): string => (n.type === 'text' ? (n.text ?? '') : ` ${(n.content ?? []).map(textOf).join('')}`);
  const walk = (n: RichNode) => {
    const own = suggestionOf(n.marks);
    if (own) visit(own, textOf(n));
    n.content?.forEach(walk);
  };
  walk(body);
  for (const s of byId.values()) s.text = s.text.replace(/\u200B/g, '').replace(/\s+/g, ' ').trim().slice(0, 80);
  return [...byId.values()];
}

export function countSuggestions(body: RichNode): number {
  return listSuggestions(body).length;
}

/** "1 suggestion not yet accepted or rejected" / "3 suggestions …": the pre-publish check's and the refusals' words. */
export function pendingSuggestionsMessage(count: number): string {
  return `${count} suggestion${count === 1 ? '' : 's'} not yet accepted or rejected`;
}
