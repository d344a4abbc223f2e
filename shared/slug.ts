import transliterateToSlug from '@sindresorhus/slugify';

/**
 * URL slugs from headlines: lower-case ASCII words joined by hyphens, every script
 * transliterated by @sindresorhus/slugify ("Łódź café" → "lodz-cafe", "Ζωή" → "zoi";
 * it runs in the browser too, since the desk's Slug field follows the headline).
 *
 * What it does differently from the old slugs is switched back: ä, ö and ü lose their
 * dots ("Größe" → "grosse", as in WordPress's own slugs, not German "groesse"), "&" is
 * dropped rather than spelled "and", every apostrophe goes ("O’Brien" → "obrien"), and
 * camel case is not split ("iPhone" → "iphone", not "i-phone").
 */
const REPLACEMENTS: [string, string][] = [
  ['&', ' '],
  ["'", ''],
  ['’', ''],
  ['ʼ', ''],
  ['ä', 'a'],
  ['Ä', 'A'],
  ['ö', 'o'],
  ['Ö', 'O'],
  ['ü', 'u'],
  ['Ü', 'U'],
];

export function slugify(text: string, max = 80): string {
  const source = UKRAINIAN_ONLY.test(text) ? romaniseUkrainian(text) : text;
  const slug = transliterateToSlug(source, { decamelize: false, customReplacements: REPLACEMENTS });
  if (slug.length <= max) return slug;
  const cut = slug.slice(0, max);
  return cut.includes('-') ? cut.slice(0, cut.lastIndexOf('-')) : cut;
}

/**
 * Ukrainian is romanised by its national standard (Cabinet of Ministers resolution 55,
 * 2010: passports, road signs, the AP's and most newsrooms' spellings): "Київ" → "kyiv",
 * where the library's general Cyrillic table, made for Russian, gives "kiyiv". The
 * library has no Ukrainian locale, and the standard's letters depend on position (є, ї,
 * й, ю, я begin a word as ye, yi, y, yu, ya and are ie, i, i, iu, ia inside it), which
 * plain replacements cannot express. A headline counts as Ukrainian when it has a letter
 * only Ukrainian uses (ґ, є, і, ї); other Cyrillic keeps the library's table.
 */
const UKRAINIAN_ONLY = /[ҐґЄєІіЇї]/;

/** [at the start of a word, inside it] */
const UKRAINIAN: Record<string, string | [string, string]> = {
  а: 'a', б: 'b', в: 'v', г: 'h', ґ: 'g', д: 'd', е: 'e', є: ['ye', 'ie'], ж: 'zh', з: 'z',
  и: 'y', і: 'i', ї: ['yi', 'i'], й: ['y', 'i'], к: 'k', л: 'l', м: 'm', н: 'n', о: 'o',
  п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh',
  щ: 'shch', ь: '', ю: ['yu', 'iu'], я: ['ya', 'ia'],
};
const LETTER = /\p{L}/u;
const APOSTROPHE = /['’ʼ]/;

function romaniseUkrainian(text: string): string {
  const chars = [...text];
  let out = '';
  let inWord = false;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const lower = c.toLowerCase();
    // "зг" is "zgh", so that it does not read as "zh" (Згорани → Zghorany).
    if (lower === 'з' && chars[i + 1]?.toLowerCase() === 'г') {
      out += 'zgh';
      i++;
      inWord = true;
      continue;
    }
    const latin = UKRAINIAN[lower];
    if (latin !== undefined) {
      out += typeof latin === 'string' ? latin : latin[inWord ? 1 : 0];
      inWord = true;
    } else if (inWord && APOSTROPHE.test(c) && LETTER.test(chars[i + 1] ?? '')) {
      // The apostrophe inside a word is not written (Знам'янка → Znamianka).
    } else {
      out += c;
      inWord = LETTER.test(c);
    }
  }
  return out;
}

/**
 * A story on a site (published, or scheduled with its address set) has a live slug:
 * its URL is out there, in links and search results. Editing the headline then leaves
 * the slug alone, and changing it by hand takes an unlock (the Slug box's Unlock slug;
 * documents.saveWorking's unlockSlug). Withdrawn everywhere, nothing links to a live
 * page any more and the slug follows the desk's edits again.
 */
export const LIVE_REMOTE_STATUSES = ['published', 'scheduled'] as const;

export function slugIsLive(remotes: { remoteStatus: string | null }[]): boolean {
  return remotes.some((r) => (LIVE_REMOTE_STATUSES as readonly (string | null)[]).includes(r.remoteStatus));
}

/** The refusal of a save that changes a live slug without the unlock. */
export function liveSlugRefusal(slug: string): string {
  return `This story is published: its slug “${slug}” is its address on the site. Use Unlock slug to change it (links to the story will break).`;
}
