import { describe, expect, it } from 'vitest';
import {
  NINJS_STANDARD,
  NinjsTextSchema,
  articleNinjs,
  copyrightHolderOf,
  documentUri,
  pictureNinjs,
  validateNinjs,
  withdrawnNinjs,
} from '../../electron/cms/ninjs.ts';
import { sampleArticle, samplePhoto, sha256Hex, withFigures } from '../support/publishFixtures.ts';

const NOW = Date.parse('2026-10-04T09:30:00Z');

describe('ninjs 2.1 text item', () => {
  it('carries the headline, body HTML, dek, byline, slug, section and tags', () => {
    const article = sampleArticle({ firstPublishedAt: Date.parse('2026-10-01T08:00:00Z') });
    const item = articleNinjs(article, { now: NOW, language: 'en-GB' });
    expect(item).toMatchObject({
      uri: 'urn:galley:document:doc-harbour-vote',
      type: 'text',
      standard: { name: 'ninjs', version: '2.1', schema: 'https://www.iptc.org/std/ninjs/ninjs-schema_2.1.json' },
      version: 'rev-1',
      firstcreated: '2026-10-01T08:00:00.000Z',
      versioncreated: '2026-10-04T09:30:00.000Z',
      pubstatus: 'usable',
      language: 'en-GB',
      slugline: 'council-votes-on-harbour-expansion',
      by: 'By Marta Kovacs',
    });
    expect(item.headlines).toEqual([{ role: 'main', contenttype: 'text/plain', value: 'Council votes on harbour expansion' }]);
    expect(item.bodies).toEqual([{ role: 'main', contenttype: 'text/html', value: article.html }]);
    expect(item.descriptions).toContainEqual({ role: 'summary', contenttype: 'text/plain', value: article.dek });
    expect(item.subjects).toEqual([
      { name: 'Local', rel: 'section' },
      { name: 'harbour', rel: 'tag' },
      { name: 'council', rel: 'tag' },
    ]);
    expect(item).not.toHaveProperty('embargoed');
    expect(item).not.toHaveProperty('associations');
    // Only ninjs 2.1 names: none of the 1.x ones the schema would reject.
    for (const old of ['headline', 'body_html', 'byline', 'description_text', 'keywords']) expect(item).not.toHaveProperty(old);
    expect(() => NinjsTextSchema.parse(JSON.parse(JSON.stringify(item)))).not.toThrow();
  });

  it('is embargoed when scheduled, canceled when withdrawn', () => {
    const publishAt = NOW + 3_600_000;
    expect(articleNinjs(sampleArticle({ publishAt }), { now: NOW }).embargoed).toBe(new Date(publishAt).toISOString());
    expect(articleNinjs(sampleArticle({ publishAt: NOW - 1000 }), { now: NOW })).not.toHaveProperty('embargoed');
    expect(articleNinjs(sampleArticle(), { now: NOW, pubstatus: 'canceled' }).pubstatus).toBe('canceled');
    const gone = withdrawnNinjs(documentUri('doc-1'), { now: NOW });
    expect(gone).toMatchObject({ uri: 'urn:galley:document:doc-1', pubstatus: 'canceled', standard: NINJS_STANDARD });
  });

  it('associates the featured image and every figure as pictures with caption, alt text, by, copyright and a rendition', async () => {
    const harbor = await samplePhoto();
    const council = await samplePhoto({ fixture: 'council-chamber.jpg' });
    const article = withFigures(sampleArticle(), [
      { photo: harbor, media: { remoteId: 'm1', url: 'https://cdn.example.org/harbor.jpg' } },
      { photo: council, media: { remoteId: 'm2', url: 'https://cdn.example.org/council.jpg' }, captionOverride: 'Councillors before the vote.' },
    ]);
    const item = articleNinjs(article, { now: NOW });
    expect(item.associations?.map((a) => a.name)).toEqual(['featureimage', 'picture-1', 'picture-2']);

    const first = item.associations?.[1];
    expect(first).toMatchObject({
      name: 'picture-1',
      uri: `urn:galley:picture:${harbor.sha256}`,
      type: 'picture',
      by: 'Lena Ortiz',
      copyrightholder: 'Northwind Photo',
      copyrightnotice: '(c) 2026 Northwind Photo',
    });
    expect(first).not.toHaveProperty('standard');
    expect(first?.descriptions).toEqual(
      expect.arrayContaining([
        { role: 'caption', contenttype: 'text/plain', value: harbor.captionText },
        { role: 'caption', contenttype: 'text/html', value: harbor.captionHtml },
        { role: 'alt', contenttype: 'text/plain', value: harbor.altText },
        { role: 'credit', contenttype: 'text/plain', value: 'Lena Ortiz/Northwind Photo' },
        { role: 'creditline', contenttype: 'text/plain', value: 'Photo: Lena Ortiz/Northwind Photo' },
      ]),
    );
    expect(first?.renditions).toEqual([
      { name: 'original', href: 'https://cdn.example.org/harbor.jpg', contenttype: 'image/jpeg', width: 1200, height: 800, sizeinbytes: harbor.bytes.byteLength },
    ]);
    expect(first?.altids).toContainEqual({ role: 'sha256', value: sha256Hex(harbor.bytes) });

    // The per-use caption replaces the caption document's words for that figure only.
    const second = item.associations?.[2];
    const captions = second?.descriptions?.filter((d) => d.role === 'caption');
    expect(captions).toEqual([{ role: 'caption', contenttype: 'text/plain', value: 'Councillors before the vote.' }]);
    expect(second?.renditions?.[0]).toMatchObject({ width: council.width, height: council.height });

    expect(() => validateNinjs(JSON.parse(JSON.stringify(item)))).not.toThrow();
  });

  it('uses the href function when given, and omits href when nothing is known', async () => {
    const photo = await samplePhoto();
    const withHref = articleNinjs(withFigures(sampleArticle(), [{ photo, media: null }]), { now: NOW, href: (p) => `photos/${p.fileName}` });
    expect(withHref.associations?.[0]?.renditions?.[0]?.href).toBe(`photos/${photo.fileName}`);
    const without = articleNinjs(withFigures(sampleArticle(), [{ photo, media: null }]), { now: NOW });
    expect(without.associations?.[0]?.renditions?.[0]).not.toHaveProperty('href');
  });

  it('builds a standalone picture item', async () => {
    const photo = await samplePhoto({ fixture: 'kyiv-square.jpg', photographer: 'Zoë Đorđević', copyright: '© Ostrava Images 2026' });
    const item = pictureNinjs(photo, { now: NOW, href: 'https://cdn.example.org/k.jpg' });
    expect(item).toMatchObject({ type: 'picture', standard: NINJS_STANDARD, by: 'Zoë Đorđević', copyrightholder: 'Ostrava Images' });
    expect(validateNinjs(item)).toEqual(item);
  });

  it('the schema rejects what ninjs 2.1 does not allow', () => {
    const good = articleNinjs(sampleArticle(), { now: NOW });
    expect(() => validateNinjs({ ...good, headline: 'old 1.x name' })).toThrow();
    expect(() => validateNinjs({ ...good, pubstatus: 'live' })).toThrow();
    expect(() => validateNinjs({ ...good, uri: 'not a uri' })).toThrow();
    expect(() => validateNinjs({ ...good, associations: [{ uri: 'urn:x:1', type: 'picture' }] })).toThrow(); // no name
    expect(() => validateNinjs({ ...good, versioncreated: 'yesterday' })).toThrow();
  });

  it('derives copyright holders from notices', () => {
    expect(copyrightHolderOf('(c) 2026 Northwind Photo')).toBe('Northwind Photo');
    expect(copyrightHolderOf('© Ana Ruiz, 2025')).toBe('Ana Ruiz');
    expect(copyrightHolderOf('Copyright © 2024-2026 Harbour Times. All rights reserved.')).toBe('Harbour Times');
    expect(copyrightHolderOf('Harbour Times')).toBe('Harbour Times');
  });
});
