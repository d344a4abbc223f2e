import { z } from 'zod';
import type { PublishArticle, PublishPhoto, RemoteMedia } from './types.ts';

/**
 * IPTC ninjs ("News in JSON") documents for the webhook and folder targets.
 *
 * Version: **ninjs 2.1** (https://www.iptc.org/std/ninjs/ninjs-schema_2.1.json,
 * approved May 2023), stated in every document's `standard` object.
 *
 * Why 2.1 and not 3.x: IPTC keeps three branches. 1.x uses the old names
 * (`headline`, `body_html`, `byline`, `description_text`, and `associations` /
 * `renditions` as objects keyed by name); 2.x replaces them with arrays carrying a
 * role (`headlines`, `bodies`, `descriptions`, `by`, `associations: [{ name, … }]`,
 * `renditions: [{ name, … }]`) but keeps all-lower-case property names; 3.x is the
 * 2.x model with every property renamed to camelCase (`versionCreated`,
 * `contentType`, `pubStatus`, `copyrightHolder`, …) plus event/planning items.
 * 2.1 is what most existing ninjs consumers (agency feeds, Superdesk-style
 * ingesters) read today, and the lower-case names match the 1.x names that older
 * receivers already look for where the two overlap (`uri`, `version`,
 * `versioncreated`, `pubstatus`, `slugline`, `copyrightholder`, …). Moving to 3.x
 * later is a mechanical rename of keys.
 *
 * The 2.1 schema closes every object (`unevaluatedProperties: false`), so only its
 * own property names are emitted. Mappings that the schema leaves to the provider:
 *   - text: headline → `headlines[{role:'main'}]`; dek → `descriptions[{role:'summary'}]`;
 *     contributor line → `descriptions[{role:'contributors'}]`; body HTML →
 *     `bodies[{role:'main', contenttype:'text/html'}]`; byline → `by`; slug →
 *     `slugline`; section and tags → `subjects` with `rel` 'section' / 'tag'
 *     (2.x has no `keywords`).
 *   - picture: caption → `descriptions[{role:'caption'}]` (text/plain, and text/html
 *     unless the figure overrides the caption); alt text → `descriptions[{role:'alt'}]`;
 *     IPTC credit → `descriptions[{role:'credit'}]`; the newsroom's printed credit
 *     line → `descriptions[{role:'creditline'}]` (2.x has no `creditline` property);
 *     photographer → `by`; copyright → `copyrightnotice`, and the holder's name
 *     derived from it → `copyrightholder`; the file's SHA-256 and the caption
 *     document → `altids` (renditions have no checksum field in 2.1).
 *   - one rendition, `name: 'original'`, with `href` when the caller knows where the
 *     file lives. ninjs declares href as a URI; the folder target writes a reference
 *     relative to the JSON file (`photos/x.jpg`) so the folder can be moved or served
 *     as it is; the schema below accepts absolute URIs and relative references.
 */

export const NINJS_STANDARD = {
  name: 'ninjs',
  version: '2.1',
  schema: 'https://www.iptc.org/std/ninjs/ninjs-schema_2.1.json',
} as const;

export function documentUri(documentId: string): string {
  return `urn:galley:document:${documentId}`;
}

export function pictureUri(sha256: string): string {
  return `urn:galley:picture:${sha256}`;
}

// ---------------------------------------------------------------------------
// The schema: the subset of ninjs 2.1 Galley emits, closed like the official one.

const absoluteUri = z.string().regex(/^[a-z][a-z0-9+.-]*:\S+$/i, 'Expected an absolute URI');

const isAbsoluteUri = (v: string) => /^[a-z][a-z0-9+.-]*:\S+$/i.test(v);
/** RFC 3986 relative reference: no scheme (no ':' before the first '/', '?' or '#'), no spaces. */
const isRelativeRef = (v: string) => v !== '' && !/[\s\\]/.test(v) && !/^[^/?#]*:/.test(v);
const uriReference = z.string().refine((v) => isAbsoluteUri(v) || isRelativeRef(v), 'Expected a URI or a relative reference');

const dateTime = z.iso.datetime({ offset: true });

const textBlock = z.strictObject({
  role: z.string().optional(),
  contenttype: z.string().optional(),
  value: z.string(),
});

const body = z.strictObject({
  role: z.string().optional(),
  contenttype: z.string().optional(),
  charcount: z.number().optional(),
  wordcount: z.number().optional(),
  value: z.string(),
});

const subject = z.strictObject({
  name: z.string().optional(),
  rel: z.string().optional(),
  uri: absoluteUri.optional(),
  literal: z.string().optional(),
});

const altid = z.strictObject({ role: z.string().optional(), value: z.string().optional() });

const rendition = z.strictObject({
  name: z.string(),
  href: uriReference.optional(),
  contenttype: z.string().optional(),
  title: z.string().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  sizeinbytes: z.number().optional(),
});

const standard = z.strictObject({ name: z.literal('ninjs'), version: z.literal('2.1'), schema: absoluteUri });

const pubstatus = z.enum(['usable', 'withheld', 'canceled']);

export const NinjsPictureSchema = z.strictObject({
  uri: absoluteUri,
  type: z.literal('picture'),
  standard: standard.optional(),
  representationtype: z.enum(['full', 'partial']).optional(),
  version: z.string().optional(),
  versioncreated: dateTime.optional(),
  pubstatus: pubstatus.optional(),
  language: z.string().optional(),
  by: z.string().optional(),
  copyrightholder: z.string().optional(),
  copyrightnotice: z.string().optional(),
  descriptions: z.array(textBlock).optional(),
  altids: z.array(altid).optional(),
  renditions: z.array(rendition).optional(),
});
export type NinjsPicture = z.infer<typeof NinjsPictureSchema>;

/** An association: any ninjs item plus its required `name` (2.1 requires name and uri). */
export const NinjsAssociationSchema = NinjsPictureSchema.extend({ name: z.string().min(1) });
export type NinjsAssociation = z.infer<typeof NinjsAssociationSchema>;

export const NinjsTextSchema = z.strictObject({
  uri: absoluteUri,
  type: z.literal('text'),
  standard,
  representationtype: z.enum(['full', 'partial']).optional(),
  version: z.string().optional(),
  firstcreated: dateTime.optional(),
  versioncreated: dateTime,
  embargoed: dateTime.optional(),
  pubstatus,
  language: z.string().optional(),
  copyrightholder: z.string().optional(),
  headlines: z.array(textBlock).optional(),
  slugline: z.string().optional(),
  by: z.string().optional(),
  descriptions: z.array(textBlock).optional(),
  bodies: z.array(body).optional(),
  subjects: z.array(subject).optional(),
  associations: z.array(NinjsAssociationSchema).optional(),
});
export type NinjsText = z.infer<typeof NinjsTextSchema>;

// ---------------------------------------------------------------------------
// Builders: pure functions of their inputs (the clock is a parameter).

export type HrefFor = (photo: PublishPhoto, media: RemoteMedia | null) => string | null | undefined;

export type ArticleNinjsOptions = {
  /** versioncreated, and the reference point for "scheduled" (publishAt in the future). Default Date.now(). */
  now?: number;
  /** 'canceled' for a withdrawn article. Default 'usable'. */
  pubstatus?: 'usable' | 'withheld' | 'canceled';
  /** BCP 47, e.g. 'en-GB'. Omitted when not given. */
  language?: string;
  /** The newsroom, when it should appear as the text's copyright holder. */
  copyrightHolder?: string;
  /** Where each photo's original lives; default: the upload's media URL, else no href. */
  href?: HrefFor;
};

export type PictureNinjsOptions = {
  now?: number;
  href?: string | null;
  /** Replaces the caption document's text for this use of the photo (the figure's override). */
  captionOverride?: string | null;
  language?: string;
};

const iso = (ms: number) => new Date(ms).toISOString();

function nonEmpty(value: string | null | undefined): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** "(c) 2026 Northwind Photo" → "Northwind Photo"; "© Ana Ruiz, 2025" → "Ana Ruiz". */
export function copyrightHolderOf(notice: string): string {
  return notice
    .trim()
    .replace(/^(?:©|\(c\)|copyright)\s*/i, '')
    .replace(/^(?:©|\(c\))\s*/i, '')
    .replace(/^\d{4}(?:\s*[-–]\s*\d{4})?\s*,?\s*/, '')
    .replace(/[\s,]*\d{4}(?:\s*[-–]\s*\d{4})?\s*\.?$/, '')
    .replace(/\.\s*all rights reserved\.?$/i, '')
    .trim();
}

export function pictureNinjs(photo: PublishPhoto, options: PictureNinjsOptions = {}): NinjsPicture {
  const now = options.now ?? Date.now();
  const override = nonEmpty(options.captionOverride) ? options.captionOverride.trim() : null;
  const descriptions: NinjsPicture['descriptions'] = [];
  if (override) descriptions.push({ role: 'caption', contenttype: 'text/plain', value: override });
  else {
    if (nonEmpty(photo.captionText)) descriptions.push({ role: 'caption', contenttype: 'text/plain', value: photo.captionText });
    if (nonEmpty(photo.captionHtml)) descriptions.push({ role: 'caption', contenttype: 'text/html', value: photo.captionHtml });
  }
  if (nonEmpty(photo.altText)) descriptions.push({ role: 'alt', contenttype: 'text/plain', value: photo.altText });
  if (nonEmpty(photo.credit)) descriptions.push({ role: 'credit', contenttype: 'text/plain', value: photo.credit });
  if (nonEmpty(photo.creditLine)) descriptions.push({ role: 'creditline', contenttype: 'text/plain', value: photo.creditLine });

  const holder = nonEmpty(photo.copyright) ? copyrightHolderOf(photo.copyright) : '';
  const item: NinjsPicture = {
    uri: pictureUri(photo.sha256),
    type: 'picture',
    standard: { ...NINJS_STANDARD },
    representationtype: 'full',
    versioncreated: iso(now),
    pubstatus: 'usable',
    ...(options.language ? { language: options.language } : {}),
    ...(nonEmpty(photo.photographer) ? { by: photo.photographer } : {}),
    ...(holder ? { copyrightholder: holder } : {}),
    ...(nonEmpty(photo.copyright) ? { copyrightnotice: photo.copyright } : {}),
    ...(descriptions.length ? { descriptions } : {}),
    altids: [
      { role: 'sha256', value: photo.sha256 },
      { role: 'galley-caption-document', value: photo.captionDocumentId },
    ],
    renditions: [
      {
        name: 'original',
        ...(nonEmpty(options.href) ? { href: options.href } : {}),
        contenttype: photo.mime,
        width: photo.width,
        height: photo.height,
        sizeinbytes: photo.bytes.byteLength,
      },
    ],
  };
  return NinjsPictureSchema.parse(item);
}

/** A picture as an association of a text item: named, and without its own `standard`. */
function association(name: string, photo: PublishPhoto, options: PictureNinjsOptions): NinjsAssociation {
  const { standard: _standard, ...item } = pictureNinjs(photo, options);
  return { name, ...item };
}

const defaultHref: HrefFor = (_photo, media) => (media && nonEmpty(media.url) ? media.url : null);

export function articleNinjs(article: PublishArticle, options: ArticleNinjsOptions = {}): NinjsText {
  const now = options.now ?? Date.now();
  const hrefFor = options.href ?? defaultHref;
  const descriptions: NonNullable<NinjsText['descriptions']> = [];
  if (nonEmpty(article.dek)) descriptions.push({ role: 'summary', contenttype: 'text/plain', value: article.dek });
  if (nonEmpty(article.contributorLine)) descriptions.push({ role: 'contributors', contenttype: 'text/plain', value: article.contributorLine });

  const subjects: NonNullable<NinjsText['subjects']> = [];
  if (nonEmpty(article.section)) subjects.push({ name: article.section, rel: 'section' });
  for (const tag of article.tags) if (nonEmpty(tag)) subjects.push({ name: tag, rel: 'tag' });

  const pictureOptions = (photo: PublishPhoto, media: RemoteMedia | null, captionOverride: string | null): PictureNinjsOptions => ({
    now,
    href: hrefFor(photo, media) ?? null,
    captionOverride,
    ...(options.language ? { language: options.language } : {}),
  });
  const associations: NinjsAssociation[] = [];
  if (article.featured) associations.push(association('featureimage', article.featured.photo, pictureOptions(article.featured.photo, article.featured.media, null)));
  article.figures.forEach((figure, i) => {
    associations.push(association(`picture-${i + 1}`, figure.photo, pictureOptions(figure.photo, figure.media, figure.captionOverride)));
  });

  const item: NinjsText = {
    uri: documentUri(article.documentId),
    type: 'text',
    standard: { ...NINJS_STANDARD },
    representationtype: 'full',
    version: article.revisionId,
    firstcreated: iso(article.firstPublishedAt ?? now),
    versioncreated: iso(now),
    ...(article.publishAt !== null && article.publishAt > now ? { embargoed: iso(article.publishAt) } : {}),
    pubstatus: options.pubstatus ?? 'usable',
    ...(options.language ? { language: options.language } : {}),
    ...(nonEmpty(options.copyrightHolder) ? { copyrightholder: options.copyrightHolder } : {}),
    headlines: [{ role: 'main', contenttype: 'text/plain', value: article.headline }],
    slugline: article.slug,
    ...(nonEmpty(article.byline) ? { by: article.byline } : {}),
    ...(descriptions.length ? { descriptions } : {}),
    bodies: [{ role: 'main', contenttype: 'text/html', value: article.html }],
    ...(subjects.length ? { subjects } : {}),
    ...(associations.length ? { associations } : {}),
  };
  return NinjsTextSchema.parse(item);
}

/** The smallest valid item that says "this article is withdrawn" when only its URI is known. */
export function withdrawnNinjs(uri: string, options: { now?: number; version?: string } = {}): NinjsText {
  return NinjsTextSchema.parse({
    uri,
    type: 'text',
    standard: { ...NINJS_STANDARD },
    representationtype: 'partial',
    ...(options.version ? { version: options.version } : {}),
    versioncreated: iso(options.now ?? Date.now()),
    pubstatus: 'canceled',
  });
}

/** Throws a ZodError when `value` is not a document of the subset above (text or picture). */
export function validateNinjs(value: unknown): NinjsText | NinjsPicture {
  const type = (value as { type?: unknown } | null)?.type;
  return type === 'picture' ? NinjsPictureSchema.parse(value) : NinjsTextSchema.parse(value);
}
