import type { CaptionFields } from './documents.ts';

/**
 * The photo desk's caption checks: warnings shown live, never blocks. Rules are data
 * (a newsroom can change the numbers and switch rules off) plus one small function
 * each; every message says how to fix the problem.
 */
export type CaptionRules = {
  /** Longest caption, in characters. */
  maxCaptionLength: number;
  /** Whether a caption must say when and where (AP style does). */
  requireWhenAndWhere: boolean;
};

export const DEFAULT_CAPTION_RULES: CaptionRules = { maxCaptionLength: 300, requireWhenAndWhere: true };

export type CaptionCheck = { id: string; message: string };
export type CaptionInput = { fields: CaptionFields; caption: string; hasPhoto: boolean };

const MONTH = /\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\b|\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b|\b\d{4}-\d{2}-\d{2}\b/i;

const RULES: { id: string; applies: (r: CaptionRules) => boolean; fails: (c: CaptionInput, r: CaptionRules) => string | null }[] = [
  {
    id: 'no-photo',
    applies: () => true,
    fails: (c) => (c.hasPhoto ? null : 'No photo yet: use Import photo, or drop a JPEG, PNG or WebP file on the photo area.'),
  },
  {
    id: 'credit-missing',
    applies: () => true,
    fails: (c) => (c.fields.credit.trim() ? null : 'Credit is missing: add the photographer and agency, e.g. "Lena Ortiz/Northwind Photo".'),
  },
  {
    id: 'alt-missing',
    applies: () => true,
    fails: (c) => (c.fields.altText.trim() ? null : 'Alt text is missing: describe what the photo shows for readers who cannot see it.'),
  },
  {
    id: 'alt-same-as-caption',
    applies: () => true,
    fails: (c) =>
      c.fields.altText.trim() && normal(c.fields.altText) === normal(c.caption)
        ? 'Alt text repeats the caption: describe what is visible (people, place, action) instead of the news.'
        : null,
  },
  {
    // Import text keeps a caption the source cut short visibly cut (issue #18, item 13).
    id: 'cut-short',
    applies: () => true,
    fails: (c) => (/(?:\.\.\.|…)\s*$/u.test(c.caption) ? 'The caption was cut short in the source (“…”): complete it.' : null),
  },
  {
    id: 'caption-too-long',
    applies: () => true,
    fails: (c, r) =>
      [...c.caption].length > r.maxCaptionLength
        ? `Caption is ${[...c.caption].length} characters, over the ${r.maxCaptionLength} allowed: cut it down.`
        : null,
  },
  {
    id: 'caption-when-where',
    applies: (r) => r.requireWhenAndWhere,
    fails: (c) => {
      if (!c.caption.trim()) return 'Caption is empty: say who or what is shown, where and when.';
      const hasWhen = MONTH.test(c.caption);
      const place = c.fields.location.split(',')[0]?.trim();
      const hasWhere = place ? c.caption.toLowerCase().includes(place.toLowerCase()) : false;
      if (hasWhen && hasWhere) return null;
      const missing = [!hasWhen && 'when (e.g. "on Oct. 3")', !hasWhere && `where${place ? ` (e.g. "in ${place}")` : ''}`].filter(Boolean);
      return `Caption does not say ${missing.join(' or ')}.`;
    },
  },
];

const normal = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

export function checkCaption(input: CaptionInput, rules: CaptionRules = DEFAULT_CAPTION_RULES): CaptionCheck[] {
  return RULES.filter((r) => r.applies(rules)).flatMap((r) => {
    const message = r.fails(input, rules);
    return message ? [{ id: r.id, message }] : [];
  });
}
