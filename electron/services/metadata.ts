import exifr from 'exifr';
import type { PhotoMetadata } from '../../shared/photos.ts';

/**
 * Reads a photo's embedded IPTC IIM and XMP metadata (exifr) into caption fields.
 * XMP is always UTF-8 and wins where both say the same thing. IIM text is read by
 * exifr as Latin-1; agencies write it as UTF-8 (with or without the 1:90 marker), so
 * text that is valid UTF-8 when read as bytes is decoded again (Zoë Đorđević, not
 * "ZoÃ« ÄorÄeviÄ").
 */
type LangAlt = string | { lang?: string; value?: string } | { lang?: string; value?: string }[] | string[];

function text(value: unknown, decode: (s: string) => string = (s) => s): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return decode(value).trim();
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.map((v) => text(v, decode)).filter(Boolean).join(', ');
  if (typeof value === 'object' && 'value' in (value as object)) return text((value as { value: unknown }).value, decode);
  return '';
}

const XML_ENTITY = /&(?:#(\d{1,7})|#x([0-9a-fA-F]{1,6})|(lt|gt|amp|quot|apos));/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * XMP is XML, and exifr hands its text over still escaped ("Boats &lt;3"), which the
 * caption then showed, and publishing escaped again (&amp;lt;). Decoded here, once, in
 * one pass: "&amp;lt;" is the text "&lt;", not "<". A reference to no character stays.
 */
export function decodeXmlEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(XML_ENTITY, (whole, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (name) return NAMED[name]!;
    const code = dec !== undefined ? Number(dec) : parseInt(hex!, 16);
    const valid = code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff);
    return valid ? String.fromCodePoint(code) : whole;
  });
}

/** XMP text, decoded (IIM text is not XML, so it is never decoded). */
const xmp = (value: unknown) => text(value, decodeXmlEntities);

export function repairIimText(s: string): string {
  if (!/[\u0080-\u00ff]/.test(s) || /[^\u0000-\u00ff]/.test(s)) return s;
  const utf8 = Buffer.from(s, 'latin1').toString('utf8');
  return utf8.includes('\ufffd') ? s : utf8;
}

/** IIM dates are CCYYMMDD; XMP dates ISO 8601. Shown as YYYY-MM-DD. */
function isoDate(value: string): string {
  const iim = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (iim) return `${iim[1]}-${iim[2]}-${iim[3]}`;
  const iso = /^(\d{4}-\d{2}-\d{2})/.exec(value);
  return iso ? iso[1]! : value;
}

type Segments = {
  iptc?: Record<string, unknown>;
  dc?: Record<string, unknown>;
  photoshop?: Record<string, unknown>;
  Iptc4xmpCore?: Record<string, unknown>;
  Iptc4xmpExt?: Record<string, unknown>;
  xmp?: Record<string, unknown>;
};

export async function readPhotoMetadata(bytes: Uint8Array): Promise<PhotoMetadata> {
  let seg: Segments = {};
  try {
    seg =
      ((await exifr.parse(Buffer.from(bytes), {
        iptc: true,
        xmp: true,
        tiff: false,
        exif: false,
        icc: false,
        jfif: false,
        ihdr: false,
        mergeOutput: false,
        multiSegment: true,
      })) as Segments | undefined) ?? {};
  } catch {
    seg = {}; // unreadable metadata is no metadata; the image itself was checked already
  }
  const iim = (key: string) => repairIimText(text(seg.iptc?.[key]));
  const first = (...values: string[]) => values.find((v) => v.trim()) ?? '';
  const ps = seg.photoshop ?? {};
  const core = seg.Iptc4xmpCore ?? {};
  const dc = seg.dc ?? {};
  const city = first(xmp(ps.City), iim('City'));
  const country = first(xmp(ps.Country), iim('Country'));
  return {
    caption: first(xmp(dc.description as LangAlt), iim('Caption')),
    photographer: first(xmp(dc.creator as LangAlt), iim('Byline')),
    credit: first(xmp(ps.Credit), iim('Credit')),
    copyright: first(xmp(dc.rights as LangAlt), iim('CopyrightNotice')),
    altText: first(xmp(core.AltTextAccessibility as LangAlt), xmp(seg.Iptc4xmpExt?.AltTextAccessibility as LangAlt)),
    dateTaken: isoDate(first(xmp(ps.DateCreated), iim('DateCreated'))),
    location: [city, country].filter(Boolean).join(', '),
  };
}
