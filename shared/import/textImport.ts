import { z } from 'zod';

/**
 * Turns a story copied as plain text from a web page into an article: the first line
 * is the headline; photo blocks (a title line, then a caption ending in a credit)
 * become figures; the site's furniture (rating widgets, "Voice is AI-generated",
 * logos, "Read more" teasers, lines repeated on the page) is dropped; "… contributed
 * to this report." becomes the contributor line; an "About the writer" section
 * becomes a bio. Pure: the back end decides what matches existing bios.
 */
export const ImportedFigure = z.object({
  title: z.string(),
  caption: z.string(),
  credit: z.string(),
  /** The source cut the caption short (an ellipsis, or it stops mid-sentence): the photo desk completes it. */
  cutShort: z.boolean(),
});
export const ImportedBio = z.object({ name: z.string(), text: z.string(), email: z.string(), languages: z.array(z.string()) });

export const ParsedImport = z.object({
  headline: z.string(),
  /** Body in reading order: paragraphs and figures. */
  body: z.array(z.discriminatedUnion('type', [z.object({ type: z.literal('paragraph'), text: z.string() }), z.object({ type: z.literal('figure'), figure: ImportedFigure })])),
  contributorLine: z.string(),
  bio: ImportedBio.nullable(),
  dropped: z.array(z.string()),
});
export type ParsedImport = z.infer<typeof ParsedImport>;

const BOILERPLATE = [
  /voice is ai-generated/i,
  /inconsistencies may occur/i,
  /rate this article/i,
  /\bmeter\b.*\brate\b|\brate\b.*\bmeter\b/i,
  /^reader meter$/i,
  /\blogo$/i,
  /(\.\.\.|…)\s*read more\.?$/i,
  /^read more\.?$/i,
  /^(share|print|email|advertisement|subscribe|sign up|listen to this article)\b.{0,30}$/i,
  /committed to accurate reporting/i,
  /tell us what you think/i,
];

// "… ending in Name/Agency": the credit is the last words, containing a slash. Sites
// cut long captions with an ellipsis right before the credit; where there is one,
// that is the split.
const CREDIT_AFTER_ELLIPSIS = /^(.*)(?:\.\.\.|…)\s+([^/]{2,60}\/[^/]{2,60})$/u;
const CREDIT = /^(.*?)\s+((?:[\p{Lu}][\p{L}'-]*\.?\s){0,3}[\p{Lu}][\p{L}'-]*\/[\p{L}'. -]{2,60})$/u;
const ABOUT = /^about the (writer|author|reporter)s?$/i;
const CONTRIBUTED = /contributed to this report\.?$/i;

const ELLIPSIS_END = /(?:\.\.\.|…)\s*$/u;
// A sentence ends in . ! or ? (an abbreviation such as "Mr." too), perhaps inside quotes or brackets.
const SENTENCE_END = /[.!?][)\]"'”’»]*$/u;

/**
 * Whether a caption was cut short: it ends in an ellipsis ("…" or "...") or stops
 * mid-sentence, with no closing punctuation.
 */
export function cutShort(text: string): boolean {
  const t = text.trim();
  if (!t) return false;
  return ELLIPSIS_END.test(t) || !SENTENCE_END.test(t);
}

export function parseScrapedText(input: string): ParsedImport {
  const lines = input.replace(/\r\n?/g, '\n').split('\n').map((l) => l.replace(/\s+/g, ' ').trim());
  const counts = new Map<string, number>();
  for (const l of lines) if (l) counts.set(l, (counts.get(l) ?? 0) + 1);

  const dropped: string[] = [];
  const keep = (l: string) => {
    if (!l) return false;
    if ((counts.get(l) ?? 0) > 1 || BOILERPLATE.some((re) => re.test(l))) {
      if (!dropped.includes(l)) dropped.push(l);
      return false;
    }
    return true;
  };

  // Blocks of consecutive non-empty lines, as the page laid them out.
  const blocks: string[][] = [];
  let current: string[] = [];
  for (const l of lines) {
    if (!l) {
      if (current.length) blocks.push(current);
      current = [];
    } else current.push(l);
  }
  if (current.length) blocks.push(current);

  const headline = blocks[0]?.[0] ?? '';
  const body: ParsedImport['body'] = [];
  let contributorLine = '';
  let bio: ParsedImport['bio'] = null;
  let inAbout = false;

  for (const [i, block] of blocks.entries()) {
    const kept = block.filter((l, j) => !(i === 0 && j === 0) && keep(l));
    if (!kept.length) continue;
    if (kept.length === 1 && ABOUT.test(kept[0]!)) {
      inAbout = true;
      continue;
    }
    if (inAbout) {
      if (!bio) bio = parseBio(kept.join(' '));
      else dropped.push(...kept);
      continue;
    }
    const credit = kept.length === 2 && !/[.!?"”]$/.test(kept[0]!) ? (CREDIT_AFTER_ELLIPSIS.exec(kept[1]!) ?? CREDIT.exec(kept[1]!)) : null;
    if (credit) {
      const caption = credit[1]!.trim();
      // Split at an ellipsis: the site cut the caption there. Kept visibly cut ("…"), so
      // the caption's Checks flag it until the photo desk completes it.
      const cut = CREDIT_AFTER_ELLIPSIS.test(kept[1]!) || cutShort(caption);
      body.push({ type: 'figure', figure: { title: kept[0]!, caption: cut ? `${caption.replace(ELLIPSIS_END, '').trimEnd()}…` : caption, credit: credit[2]!.trim(), cutShort: cut } });
      continue;
    }
    for (const line of kept) {
      if (CONTRIBUTED.test(line)) contributorLine = line;
      else body.push({ type: 'paragraph', text: line });
    }
  }
  return { headline, body, contributorLine, bio, dropped };
}

function parseBio(text: string): ParsedImport['bio'] {
  const name = /^((?:[\p{Lu}][\p{L}'-]+\s){1,3}?[\p{Lu}][\p{L}'-]+)\s(?:is|was|covers|writes|reports)\b/u.exec(text)?.[1] ?? '';
  const email = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/.exec(text)?.[0] ?? '';
  const langs = /Languages?:\s*([^.]+)\.?$/i.exec(text)?.[1] ?? '';
  const languages = langs
    .split(/,|\band\b/)
    .map((s) => s.trim())
    .filter(Boolean);
  const clean = text.replace(/\s*Languages?:\s*[^.]+\.?$/i, '').trim();
  return { name, text: clean, email, languages };
}
