import { z } from 'zod';

/**
 * The copy desk's house-style rules. Built-in rules are small functions; a newsroom
 * adds its own as data (a regular expression, a message, why, and an optional
 * replacement) in house-style.json in the data folder. Each finding says what is
 * wrong, why (the rule's source), and, where one exists, the fix.
 */
export type StyleIssue = {
  ruleId: string;
  from: number;
  to: number;
  message: string;
  why: string;
  /** The replacement text for [from, to), if the rule knows one. */
  suggestion?: string;
  /** The suggestion is right wherever the rule fires, so Fix all may apply it unasked. */
  safe?: true;
  severity: 'warning' | 'error';
};

export const CustomRule = z.object({
  id: z.string().regex(/^[\w-]{1,60}$/, 'Rule ids are letters, digits, - and _'),
  pattern: z.string().min(1).max(500),
  flags: z.string().regex(/^[imu]*$/, 'Flags may be i, m and u').default(''),
  message: z.string().min(1).max(300),
  why: z.string().min(1).max(300),
  replacement: z.string().max(200).optional(),
  severity: z.enum(['warning', 'error']).default('warning'),
  /** The replacement is right wherever the pattern matches: Fix all may apply it. */
  fixAll: z.boolean().default(false),
});
export type CustomRule = z.infer<typeof CustomRule>;

export const StyleConfig = z.object({
  headlineMaxChars: z.number().int().min(20).max(300).default(90),
  disabled: z.array(z.string()).default([]),
  rules: z.array(CustomRule).max(200).default([]),
});
export type StyleConfig = z.infer<typeof StyleConfig>;
export const DEFAULT_STYLE: StyleConfig = { headlineMaxChars: 90, disabled: [], rules: [] };

/**
 * safe: the rule's fix is unambiguous (a straight quote has one right curly form here,
 * two spaces are one), so Fix all applies it. Rules whose fix needs a reader (a doubled
 * word may be a name, a small number may be an age) stay for a person to fix.
 */
type Builtin = { id: string; why: string; safe?: true; find: (text: string) => Omit<StyleIssue, 'ruleId' | 'why'>[] };

const NUMBER_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const MONTHS: Record<string, string> = {
  January: 'Jan.',
  February: 'Feb.',
  August: 'Aug.',
  September: 'Sept.',
  October: 'Oct.',
  November: 'Nov.',
  December: 'Dec.',
};
const NEVER_ABBREVIATED: Record<string, string> = { 'Mar.': 'March', 'Apr.': 'April', 'Jun.': 'June', 'Jul.': 'July', 'Sep.': 'Sept.' };

function* matches(text: string, re: RegExp) {
  const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  for (let m = g.exec(text); m; m = g.exec(text)) {
    if (m[0] === '') {
      g.lastIndex++;
      continue;
    }
    yield m;
  }
}

/** A straight quote's curly form, judged by what comes before it. */
function curly(text: string, index: number, quote: '"' | "'"): string {
  const before = index === 0 ? ' ' : text[index - 1]!;
  const opening = /[\s([{\u2014\u2013-]/.test(before);
  if (quote === '"') return opening ? '\u201c' : '\u201d';
  return opening ? '\u2018' : '\u2019'; // apostrophes close: don't → don’t
}

export const BUILTIN_RULES: Builtin[] = [
  {
    id: 'doubled-word',
    why: 'Copy desk: a repeated word is almost always a typo.',
    find: (text) =>
      [...matches(text, /\b([\p{L}']+)\s+\1\b/iu)]
        .filter((m) => !/^(that|had|is)$/i.test(m[1]!)) // "had had", "that that" can be right
        .map((m) => ({ from: m.index, to: m.index + m[0].length, message: `Doubled word: “${m[0]}”`, suggestion: m[1]!, severity: 'warning' as const })),
  },
  {
    id: 'tk',
    why: 'Newsroom convention: TK marks material still to come and must not be published.',
    find: (text) =>
      [...matches(text, /\bTK\b/)].map((m) => ({ from: m.index, to: m.index + 2, message: 'TK placeholder left in: fill it or cut it', severity: 'error' as const })),
  },
  {
    id: 'straight-quotes',
    safe: true,
    why: 'House style: curly quotes and apostrophes (“ ” ‘ ’).',
    find: (text) =>
      [...matches(text, /["']/)].map((m) => ({
        from: m.index,
        to: m.index + 1,
        message: m[0] === '"' ? 'Straight quotation mark' : 'Straight apostrophe',
        suggestion: curly(text, m.index, m[0] as '"' | "'"),
        severity: 'warning' as const,
      })),
  },
  {
    id: 'double-space',
    safe: true,
    why: 'House style: one space between words and after a full stop.',
    find: (text) =>
      [...matches(text, / {2,}/)].map((m) => ({ from: m.index, to: m.index + m[0].length, message: 'Double space', suggestion: ' ', severity: 'warning' as const })),
  },
  {
    id: 'double-hyphen',
    safe: true,
    why: 'House style: a real dash, not two hyphens: an en dash in ranges (1990–95), an em dash elsewhere.',
    find: (text) =>
      [...matches(text, /-{2,3}/)].map((m) => {
        const range = /\d/.test(text[m.index - 1] ?? '') && /\d/.test(text[m.index + m[0].length] ?? '');
        return { from: m.index, to: m.index + m[0].length, message: 'Two hyphens for a dash', suggestion: range ? '\u2013' : '\u2014', severity: 'warning' as const };
      }),
  },
  {
    id: 'three-dots',
    safe: true,
    why: 'House style: an ellipsis (…), not three full stops.',
    find: (text) =>
      [...matches(text, /(?<!\.)\.{3}(?!\.)/)].map((m) => ({ from: m.index, to: m.index + 3, message: 'Three dots for an ellipsis', suggestion: '\u2026', severity: 'warning' as const })),
  },
  {
    id: 'spell-small-numbers',
    why: 'AP style: spell out whole numbers one through nine (except ages, percentages, dates, money and scores).',
    find: (text) =>
      [...matches(text, /(?<![\p{N}.,:$\-\/])\b[1-9]\b(?![\p{N}.,:%\-\/]|\s*(?:percent|per cent|%|a\.m\.|p\.m\.|years? old|-year-old))/u)]
        .filter((m) => !/\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?\s*$/i.test(text.slice(Math.max(0, m.index - 12), m.index)))
        .filter((m) => !/\b(No|Route|Highway|Room|Chapter|Section|Article|page|Exit)\.?\s*$/i.test(text.slice(Math.max(0, m.index - 10), m.index)))
        .map((m) => ({ from: m.index, to: m.index + 1, message: `Spell out “${m[0]}”`, suggestion: NUMBER_WORDS[Number(m[0])]!, severity: 'warning' as const })),
  },
  {
    id: 'percent-sign',
    why: 'House style: “percent” in body text; the % sign only in tables and charts.',
    find: (text) =>
      [...matches(text, /(\p{N})\s?%/u)].map((m) => ({
        from: m.index + m[1]!.length,
        to: m.index + m[0].length,
        message: 'Use “percent”, not “%”, in body text',
        suggestion: ' percent',
        severity: 'warning' as const,
      })),
  },
  {
    id: 'ap-months',
    why: 'AP style: abbreviate Jan., Feb., Aug., Sept., Oct., Nov. and Dec. with a date; never March, April, May, June or July.',
    find: (text) => [
      ...[...matches(text, /\b(January|February|August|September|October|November|December)(?=\s+\d{1,2}\b)/)].map((m) => ({
        from: m.index,
        to: m.index + m[0].length,
        message: `With a date, write “${MONTHS[m[1]!]}”`,
        suggestion: MONTHS[m[1]!]!,
        severity: 'warning' as const,
      })),
      ...[...matches(text, /\b(Mar|Apr|Jun|Jul|Sep)\.(?=\s+\d{1,2}\b)/)].map((m) => ({
        from: m.index,
        to: m.index + m[0].length,
        message: `Write “${NEVER_ABBREVIATED[m[0]]}”`,
        suggestion: NEVER_ABBREVIATED[m[0]]!,
        severity: 'warning' as const,
      })),
    ],
  },
];

export type CompiledRules = { builtins: Builtin[]; custom: { rule: CustomRule; re: RegExp }[] };

export function compileRules(config: StyleConfig): CompiledRules {
  return {
    builtins: BUILTIN_RULES.filter((r) => !config.disabled.includes(r.id)),
    custom: config.rules.flatMap((rule) => {
      try {
        return [{ rule, re: new RegExp(rule.pattern, `${rule.flags}g`) }];
      } catch {
        return []; // checked when the file is read; a bad pattern never reaches here
      }
    }),
  };
}

/** Every finding in one run of text (a paragraph), in order. */
export function findIssues(text: string, rules: CompiledRules): StyleIssue[] {
  const out: StyleIssue[] = [];
  for (const rule of rules.builtins) {
    for (const i of rule.find(text)) out.push({ ...i, ruleId: rule.id, why: rule.why, ...(rule.safe && i.suggestion !== undefined ? { safe: true as const } : {}) });
  }
  for (const { rule, re } of rules.custom) {
    for (const m of matches(text, re)) {
      out.push({
        ruleId: rule.id,
        from: m.index,
        to: m.index + m[0].length,
        message: rule.message,
        why: rule.why,
        severity: rule.severity,
        ...(rule.replacement !== undefined ? { suggestion: m[0].replace(new RegExp(rule.pattern, rule.flags), rule.replacement) } : {}),
        ...(rule.replacement !== undefined && rule.fixAll ? { safe: true as const } : {}),
      });
    }
  }
  return out.sort((a, b) => a.from - b.from || a.to - b.to);
}

/** The headline's own check: its length against the newsroom's budget. */
export function headlineIssue(headline: string, config: StyleConfig): string | null {
  const n = [...headline].length;
  return n > config.headlineMaxChars ? `Headline is ${n} characters, over the ${config.headlineMaxChars} allowed: shorten it.` : null;
}

/** A replacement in a run of text: [from, to) becomes `insert`. */
export type TextFix = { from: number; to: number; insert: string };

/**
 * The safe fixes for one run of text (see Builtin's safe), in order and never
 * overlapping: where two overlap, the first wins and the other waits for the next pass.
 */
export function safeFixes(text: string, rules: CompiledRules, only?: (issue: StyleIssue) => boolean): TextFix[] {
  const out: TextFix[] = [];
  let end = 0;
  for (const issue of findIssues(text, rules)) {
    if (!issue.safe || issue.suggestion === undefined || (only && !only(issue))) continue;
    if (issue.from < end || text.slice(issue.from, issue.to) === issue.suggestion) continue;
    out.push({ from: issue.from, to: issue.to, insert: issue.suggestion });
    end = issue.to;
  }
  return out;
}

/** Applies fixes found on `text` (as safeFixes gives them) to it. */
export function applyFixes(text: string, fixes: TextFix[]): string {
  let out = text;
  for (const f of [...fixes].reverse()) out = out.slice(0, f.from) + f.insert + out.slice(f.to);
  return out;
}

/**
 * Every safe fix applied to a field's text, until none is left: one fix can make room
 * for another (two overlapping findings). Bounded, so two rules that undo each other
 * (a newsroom's own) cannot loop.
 */
export function fixAllInText(text: string, rules: CompiledRules, only?: (issue: StyleIssue) => boolean): string {
  return fixAllInTextCounted(text, rules, only).text;
}

/** fixAllInText, with how many places it fixed (for "Fixed N places.", counted as the body's are). */
export function fixAllInTextCounted(text: string, rules: CompiledRules, only?: (issue: StyleIssue) => boolean): { text: string; count: number } {
  let out = text;
  let count = 0;
  for (let pass = 0; pass < 5; pass++) {
    const fixes = safeFixes(out, rules, only);
    if (!fixes.length) break;
    out = applyFixes(out, fixes);
    count += fixes.length;
  }
  return { text: out, count };
}
