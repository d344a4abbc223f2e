/**
 * Typography as the copy desk wants it, applied as a person types: curly quotes and
 * apostrophes, dashes and the ellipsis. One table of rules serves the body (as tiptap
 * input rules, shared/editor/typography.ts) and the plain Headline and Dek boxes
 * (typesetTyped below), so both turn the same keys into the same characters.
 *
 * The rules follow tiptap's Typography extension (@tiptap/extension-typography, MIT,
 * Copyright (c) 2025 Tiptap GmbH), which has no release matching our tiptap 3.32.2.
 * Only the rules a newsroom wants are kept: no ©, ®, →, ½ or ≠ appearing in copy when
 * someone types (c), ->, 1/2 or != on purpose. Added: an en dash for "--" after a
 * digit (ranges, 1990–95), and apostrophes where tiptap's rules open a quote instead
 * (’90s, rock ’n’ roll).
 *
 * Each rule's pattern ends at the caret; group 1 is the text it replaces (what the
 * person just typed, and sometimes a character before it); the rest of the match is
 * context and stays as it is.
 */
export type TypographyRule = { name: string; find: RegExp; replace: string };

/** Characters after which a quote opens rather than closes. */
const OPENS = `\\s{[(<'"\u2018\u201c\u2013\u2014`;

export const TYPOGRAPHY_RULES: readonly TypographyRule[] = [
  // A digit after an opening single quote was an apostrophe: ’90s, ’08.
  { name: 'decade-apostrophe', find: new RegExp(`(?:^|[${OPENS}])(\u2018)\\d$`), replace: '\u2019' },
  // rock ’n’ roll: both marks are apostrophes (tiptap's rules open the first).
  { name: 'n-apostrophes', find: new RegExp(`(?:^|\\s)(\u2018n')$`, 'i'), replace: '' },
  { name: 'en-dash', find: /\d(--)$/, replace: '\u2013' },
  { name: 'em-dash', find: /(--)$/, replace: '\u2014' },
  { name: 'ellipsis', find: /(\.\.\.)$/, replace: '\u2026' },
  { name: 'open-double-quote', find: new RegExp(`(?:^|[${OPENS}])(")$`), replace: '\u201c' },
  { name: 'close-double-quote', find: /(")$/, replace: '\u201d' },
  { name: 'open-single-quote', find: new RegExp(`(?:^|[${OPENS}])(')$`), replace: '\u2018' },
  // Apostrophes close: don’t, O’Brien, the Smiths’.
  { name: 'close-single-quote', find: /(')$/, replace: '\u2019' },
];

/**
 * An address being typed (https://…, www.…, a mail address): left as typed, since a
 * dash or quote changed inside it breaks the link.
 */
const ADDRESS_TAIL = /(?:[a-z][\w+.-]*:\/\/|www\.|[\w.+-]+@)\S*$/i;

export type TypographyMatch = {
  rule: TypographyRule;
  /** Offsets into the text: [from, to) becomes `insert`. */
  from: number;
  to: number;
  insert: string;
};

/**
 * The replacement for the text before the caret, just after a person typed into it,
 * or null when nothing changes. `textBefore` ends at the caret.
 */
export function typographyMatch(textBefore: string): TypographyMatch | null {
  if (ADDRESS_TAIL.test(textBefore)) return null;
  for (const rule of TYPOGRAPHY_RULES) {
    const m = rule.find.exec(textBefore);
    if (!m || m[1] === undefined) continue;
    const from = m.index + m[0].lastIndexOf(m[1]);
    const insert = rule.name === 'n-apostrophes' ? `\u2019${m[1].slice(1, -1)}\u2019` : rule.replace;
    return { rule, from, to: from + m[1].length, insert };
  }
  return null;
}

/**
 * What a plain text box holds after a person typed `typed` with the caret now at
 * `caret`: the value and caret after the conversion, or null when nothing changes.
 * Only typing converts: a paste, a deletion or an undo leaves the text as it is.
 */
export function typesetTyped(value: string, caret: number, typed: string): { value: string; caret: number; from: number; to: number; insert: string } | null {
  // One character typed (a key); a longer insertion is a paste or a dictation.
  if ([...typed].length !== 1 || !/["'.\-\d]/.test(typed)) return null;
  const match = typographyMatch(value.slice(0, caret));
  if (!match) return null;
  const next = value.slice(0, match.from) + match.insert + value.slice(match.to);
  return { value: next, caret: match.from + match.insert.length + (caret - match.to), from: match.from, to: match.to, insert: match.insert };
}
