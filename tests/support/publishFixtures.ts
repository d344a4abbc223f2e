import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import type { PublishArticle, PublishPhoto, RemoteMedia } from '../../electron/cms/types.ts';

/**
 * Builders for what the publishing worker hands an adapter: a PublishPhoto read from a
 * real fixture JPEG (true bytes, SHA-256 and dimensions) and a PublishArticle. Shared
 * by the CMS adapter tests; every field can be overridden.
 */

const MIME: Record<string, PublishPhoto['mime']> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

/** The words embedded in tests/fixtures/images/harbor-dawn.jpg (see tests/integration/assets.test.ts). */
const HARBOR_DAWN = {
  captionText: 'Fishing boats return to the harbor at dawn in Portmere on Oct. 3, 2026, a day before the council vote on the expansion plan.',
  photographer: 'Lena Ortiz',
  credit: 'Lena Ortiz/Northwind Photo',
  copyright: '(c) 2026 Northwind Photo',
  altText: 'Six small fishing boats with orange hulls moored along a stone quay under a pale sky.',
};

export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../fixtures/images/${name}`, import.meta.url)));
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * A photo as published, from a fixture image (default harbor-dawn.jpg with its own
 * caption, credit and alt text). `fixture` picks another file in tests/fixtures/images.
 */
export async function samplePhoto(overrides: Partial<PublishPhoto> & { fixture?: string } = {}): Promise<PublishPhoto> {
  const { fixture = 'harbor-dawn.jpg', ...rest } = overrides;
  const bytes = rest.bytes ?? fixtureBytes(fixture);
  const meta = await sharp(bytes).metadata();
  const sha256 = sha256Hex(bytes);
  const ext = fixture.split('.').pop()?.toLowerCase() ?? 'jpg';
  const stem = fixture.replace(/\.[^.]+$/, '');
  const words = fixture === 'harbor-dawn.jpg' ? HARBOR_DAWN : { captionText: `A photo (${stem}).`, photographer: 'Ana Ruiz', credit: 'Ana Ruiz/Harbour Times', copyright: '© 2026 Harbour Times', altText: `A test photo, ${stem}.` };
  return {
    sha256,
    mime: MIME[ext] ?? 'image/jpeg',
    fileName: `${stem}-${sha256.slice(0, 8)}.${ext === 'jpeg' ? 'jpg' : ext}`,
    bytes,
    width: meta.width ?? 0,
    height: meta.height ?? 0,
    captionDocumentId: `caption-${stem}`,
    captionText: words.captionText,
    captionHtml: `<p>${escapeText(words.captionText)}</p>`,
    credit: words.credit,
    photographer: words.photographer,
    copyright: words.copyright,
    altText: words.altText,
    creditLine: `Photo: ${words.credit}`,
    ...rest,
  };
}

/** An article with a plain body and no figures; use withFigures() to add photos. */
export function sampleArticle(overrides: Partial<PublishArticle> = {}): PublishArticle {
  return {
    documentId: 'doc-harbour-vote',
    revisionId: 'rev-1',
    slug: 'council-votes-on-harbour-expansion',
    headline: 'Council votes on harbour expansion',
    dek: 'The plan would double the quay and move the fish market.',
    byline: 'By Marta Kovacs',
    section: 'Local',
    tags: ['harbour', 'council'],
    contributorLine: 'Additional reporting by Sam Lee',
    html: '<p>The council meets on Thursday to vote on the plan.</p><p>Fishers say the quay is too small.</p>',
    figures: [],
    featured: null,
    publishAt: null,
    firstPublishedAt: null,
    ...overrides,
  };
}

/** A figure as the renderer fills it in (electron/services/publishHtml.ts): img + figcaption with the credit. */
export function figureHtml(photo: PublishPhoto, src: string, captionOverride: string | null = null): string {
  const caption = escapeText(captionOverride ?? photo.captionText);
  const srcAttr = src ? ` src="${escapeText(src)}"` : '';
  return `<figure><img${srcAttr} alt="${escapeText(photo.altText)}" width="${photo.width}" height="${photo.height}"><figcaption>${caption} <span class="credit">${escapeText(photo.creditLine)}</span></figcaption></figure>`;
}

/**
 * The article with these photos as its figures (the first is also the featured image),
 * each figure appended to the body with `src` = the upload's media URL.
 */
export function withFigures(article: PublishArticle, figures: { photo: PublishPhoto; media: RemoteMedia | null; captionOverride?: string | null }[]): PublishArticle {
  const list = figures.map((f) => ({ photo: f.photo, media: f.media, captionOverride: f.captionOverride ?? null }));
  const first = list[0];
  return {
    ...article,
    figures: list,
    featured: first ? { photo: first.photo, media: first.media } : null,
    html: article.html + list.map((f) => figureHtml(f.photo, f.media?.url ?? '', f.captionOverride)).join(''),
  };
}
