import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repairIimText } from '../../electron/services/metadata.ts';
import { plainText } from '../../shared/richtext.ts';
import { signIn, tempBackend } from '../support/backend.ts';

const image = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/images/${name}`, import.meta.url)));

/**
 * A valid black 1-bit greyscale PNG, built directly: 0.6 MB for 14,000 × 14,000 pixels
 * in a fraction of a second, where sharp took 8–16 s on this machine to encode it.
 */
function hugePng(width: number, height: number): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, no filter, no interlace
  // Each row: filter byte 0, then width/8 bytes of black.
  const rows = Buffer.alloc((1 + Math.ceil(width / 8)) * height);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return new Uint8Array(Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]));
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name);
}

describe('photo import', () => {
  let backend: ReturnType<typeof tempBackend>;
  beforeEach(async () => {
    backend = tempBackend();
    await signIn(backend, 'Lena Ortiz', 'photo_desk');
  });
  afterEach(() => backend.remove());

  it('reads caption, credit, photographer, copyright, alt text, date and place from harbor-dawn.jpg', async () => {
    const asset = await backend.invoke('assets.import', { fileName: 'harbor-dawn.jpg', data: image('harbor-dawn.jpg') });
    expect(asset).toMatchObject({ mime: 'image/jpeg', width: 1200, height: 800, originalName: 'harbor-dawn.jpg' });
    expect(asset.metadata).toEqual({
      caption: 'Fishing boats return to the harbor at dawn in Portmere on Oct. 3, 2026, a day before the council vote on the expansion plan.',
      photographer: 'Lena Ortiz',
      credit: 'Lena Ortiz/Northwind Photo',
      copyright: '(c) 2026 Northwind Photo',
      altText: 'Six small fishing boats with orange hulls moored along a stone quay under a pale sky.',
      dateTaken: '2026-10-03',
      location: 'Portmere, Freedonia',
    });
  });

  it('keeps UTF-8 names and Cyrillic intact (kyiv-square.jpg)', async () => {
    const { metadata } = await backend.invoke('assets.import', { fileName: 'kyiv-square.jpg', data: image('kyiv-square.jpg') });
    expect(metadata.photographer).toBe('Zoë Đorđević');
    expect(metadata.credit).toBe('Zoë Đorđević/Ostrava Images');
    expect(metadata.copyright).toBe('© 2026 Ostrava Images');
    expect(metadata.caption).toBe('Зоя Дорошенко walks across Sofiivska Square in Kyiv — Київ — on a winter morning; café tables stand empty.');
  });

  it('reads IIM-only metadata (council-chamber.jpg) and copes with none (no-metadata.png)', async () => {
    const council = await backend.invoke('assets.import', { fileName: 'council-chamber.jpg', data: image('council-chamber.jpg') });
    expect(council.metadata).toMatchObject({ caption: 'Council members listen to public comment in the chamber.', photographer: 'Staff', credit: '' });
    const png = await backend.invoke('assets.import', { fileName: 'no-metadata.png', data: image('no-metadata.png') });
    expect(png).toMatchObject({ mime: 'image/png', width: 400, height: 300 });
    expect(Object.values(png.metadata).every((v) => v === '')).toBe(true);
  });

  it('decodes XMP text once: a caption written "Boats &lt;3" reads "Boats <3", and "&amp;lt;" stays "&lt;"', async () => {
    const xmp = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
  xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/" photoshop:Credit="Ortiz &amp; Daughters/Northwind" photoshop:City="Portmere &quot;Old Town&quot;">
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">Boats &lt;3 the harbor &#8212; write &amp;lt; for &#x3C; in HTML</rdf:li></rdf:Alt></dc:description>
<dc:creator><rdf:Seq><rdf:li>Zoë &amp; Đorđe</rdf:li></rdf:Seq></dc:creator>
<Iptc4xmpCore:AltTextAccessibility><rdf:Alt><rdf:li xml:lang="x-default">A sign reading &apos;&lt;b&gt;OPEN&lt;/b&gt;&apos;</rdf:li></rdf:Alt></Iptc4xmpCore:AltTextAccessibility>
</rdf:Description></rdf:RDF></x:xmpmeta>`;
    const data = new Uint8Array(await sharp({ create: { width: 16, height: 16, channels: 3, background: '#888' } }).jpeg().withXmp(xmp).toBuffer());
    const asset = await backend.invoke('assets.import', { fileName: 'entities.jpg', data });
    expect(asset.metadata).toMatchObject({
      caption: 'Boats <3 the harbor — write &lt; for < in HTML',
      photographer: 'Zoë & Đorđe',
      credit: 'Ortiz & Daughters/Northwind',
      altText: "A sign reading '<b>OPEN</b>'",
      location: 'Portmere "Old Town"',
    });
    const caption = await backend.invoke('captions.createFromPhoto', { sha256: asset.sha256 });
    expect(plainText(caption.content.body)).toBe('Boats <3 the harbor — write &lt; for < in HTML');
  });

  it('repairs only text that really is UTF-8 read as Latin-1', () => {
    const asLatin1 = (s: string) => Buffer.from(s, 'utf8').toString('latin1');
    expect(repairIimText(asLatin1('Zoë Đorđević'))).toBe('Zoë Đorđević');
    expect(repairIimText('Café')).toBe('Café'); // genuine Latin-1 stays
    expect(repairIimText('Зоя')).toBe('Зоя');
  });

  it('stores the bytes once under their SHA-256, with a thumbnail and a preview', async () => {
    const a = await backend.invoke('assets.import', { fileName: 'harbor-dawn.jpg', data: image('harbor-dawn.jpg') });
    const b = await backend.invoke('assets.import', { fileName: 'copy-of-harbor.jpg', data: image('harbor-dawn.jpg') });
    expect(b.sha256).toBe(a.sha256);
    const files = filesUnder(join(backend.dataDir, 'assets'));
    expect(files.sort()).toEqual([`${a.sha256}-1280.webp`, `${a.sha256}-320.webp`, `${a.sha256}.jpg`].sort());
    expect(readFileSync(join(backend.dataDir, 'assets', a.sha256.slice(0, 2), `${a.sha256}.jpg`))).toEqual(Buffer.from(image('harbor-dawn.jpg')));
    const thumb = await backend.invoke('assets.image', { sha256: a.sha256, size: 'thumb' });
    expect(thumb.dataUrl).toMatch(/^data:image\/webp;base64,/);
  });

  it('refuses a truncated JPEG, a file that is not an image, and an over-size file, naming the file; nothing half-imported remains', async () => {
    const cases: [string, Uint8Array, RegExp][] = [
      ['truncated.jpg', image('truncated.jpg'), /^truncated\.jpg: the image is damaged or incomplete/],
      ['not-an-image.jpg', image('not-an-image.jpg'), /^not-an-image\.jpg: this is not a JPEG, PNG or WebP image/],
      ['huge.jpg', (() => { const b = new Uint8Array(50 * 1024 * 1024 + 1); b.set([0xff, 0xd8, 0xff]); return b; })(), /^huge\.jpg: the file is 50\.0 MB; photos can be at most 50\.0 MB/],
    ];
    for (const [fileName, data, message] of cases) {
      const result = await backend.call('assets.import', { fileName, data });
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      if (!result.ok) expect(result.error.message).toMatch(message);
    }
    expect(filesUnder(join(backend.dataDir, 'assets'))).toEqual([]);
    expect(backend.db.prepare('SELECT COUNT(*) AS n FROM assets').get()).toEqual({ n: 0 });
  });

  it('refuses a small file that is a huge image (14,000 × 14,000 PNG) by its size in pixels, before decoding it', async () => {
    const png = hugePng(14_000, 14_000);
    expect(png.length).toBeLessThan(1024 * 1024);
    const result = await backend.call('assets.import', { fileName: 'poster.png', data: png });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    if (!result.ok) {
      expect(result.error.message).toBe('poster.png: the image is 14,000 × 14,000 pixels (196 megapixels); photos can be at most 120 megapixels. Export a smaller version.');
    }
    expect(filesUnder(join(backend.dataDir, 'assets'))).toEqual([]);
    expect(backend.db.prepare('SELECT COUNT(*) AS n FROM assets').get()).toEqual({ n: 0 });
  });

  it('starts a caption document prefilled from the photo', async () => {
    const asset = await backend.invoke('assets.import', { fileName: 'harbor-dawn.jpg', data: image('harbor-dawn.jpg') });
    const caption = await backend.invoke('captions.createFromPhoto', { sha256: asset.sha256 });
    expect(caption.kind).toBe('caption');
    expect(caption.content.fields).toMatchObject({ photo: asset.sha256, credit: 'Lena Ortiz/Northwind Photo', location: 'Portmere, Freedonia' });
    expect(plainText(caption.content.body)).toMatch(/^Fishing boats return to the harbor at dawn/);
    expect(caption.title).toMatch(/^Fishing boats return/);
  });

  it('attaches a photo to a caption the desk started, keeping what they wrote and filling the rest', async () => {
    const doc = await backend.invoke('documents.create', { kind: 'caption' });
    const fields = { ...doc.content.fields, credit: 'Desk credit' };
    await backend.invoke('documents.saveWorking', { id: doc.id, version: doc.version, content: { ...doc.content, fields } as never });
    const asset = await backend.invoke('assets.import', { fileName: 'harbor-dawn.jpg', data: image('harbor-dawn.jpg') });
    const updated = await backend.invoke('captions.attachPhoto', { documentId: doc.id, sha256: asset.sha256 });
    expect(updated.content.fields).toMatchObject({ photo: asset.sha256, credit: 'Desk credit', photographer: 'Lena Ortiz' });
    expect(plainText(updated.content.body)).toMatch(/^Fishing boats return/);
  });
});
