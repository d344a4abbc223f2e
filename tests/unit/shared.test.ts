import { describe, expect, it } from 'vitest';
import { documentTitle, emptyContent } from '../../shared/documents.ts';
import { isBareAddress, isSafeHref } from '../../shared/editor/links.ts';
import { canCreate, canEdit } from '../../shared/permissions.ts';
import { countWords, plainText } from '../../shared/richtext.ts';
import { jsonNestsDeeperThan, nestsDeeperThan } from '../../shared/nesting.ts';
import { slugify } from '../../shared/slug.ts';

describe('shared rules', () => {
  it('counts words the way a copy editor does', () => {
    expect(countWords('The board’s 5-2 vote, state-run port, don’t stop.')).toBe(8);
    expect(countWords('   ')).toBe(0);
    expect(countWords('Київ — площа Незалежності')).toBe(3);
  });

  it('reads plain text out of a rich-text tree, one line per block', () => {
    const doc = {
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Vote' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'Bold ', marks: [{ type: 'bold' }] }, { type: 'text', text: 'move' }] },
        { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'one' }] }] }] },
      ],
    };
    expect(plainText(doc)).toBe('Vote\nBold move\none');
  });

  it('measures nesting without recursing, in parsed values and in JSON text, not counting brackets inside strings', () => {
    const encode = (s: string) => new TextEncoder().encode(s);
    expect(jsonNestsDeeperThan(encode('{"a":[{"b":[]}]}'), 4)).toBe(false);
    expect(jsonNestsDeeperThan(encode('{"a":[{"b":[]}]}'), 3)).toBe(true);
    expect(jsonNestsDeeperThan(encode('{"a":"[[[[\\"[[{{","b":"\\\\"}'), 1)).toBe(false);
    expect(jsonNestsDeeperThan(encode(`{"s":"Київ ${'['.repeat(50)}"}`), 1)).toBe(false);
    expect(jsonNestsDeeperThan(encode('['.repeat(1_000_000)), 300)).toBe(true);
    expect(nestsDeeperThan({ a: [{ b: [] }] }, 4)).toBe(false);
    expect(nestsDeeperThan({ a: [{ b: [] }] }, 3)).toBe(true);
    expect(nestsDeeperThan({ photo: new Uint8Array(10) }, 1)).toBe(false);
    let deep: unknown = [];
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(nestsDeeperThan(deep, 300)).toBe(true);
  });

  it('makes slugs from headlines', () => {
    expect(slugify('Harbor board approves dredging plan after four-hour meeting')).toBe(
      'harbor-board-approves-dredging-plan-after-four-hour-meeting',
    );
    expect(slugify('Größe & Café: “Crème” 2026!')).toBe('grosse-cafe-creme-2026');
    expect(slugify('a '.repeat(100)).length).toBeLessThanOrEqual(80);
  });

  it('makes slugs from headlines in any script, Ukrainian by its national romanisation', () => {
    expect(slugify('Київ: мер оголосив')).toBe('kyiv-mer-oholosyv');
    expect(slugify('Їжак у Згоранах, Знам’янка, Юрій')).toBe('yizhak-u-zghoranakh-znamianka-yurii');
    expect(slugify('Łódź café')).toBe('lodz-cafe');
    expect(slugify('Zoë Đorđević in Þórshöfn')).toBe('zoe-dordevic-in-thorshofn');
    expect(slugify('Москва: мэр объявил')).toBe('moskva-mer-obyavil');
    expect(slugify('Ζωή στην Αθήνα')).toBe('zoi-stin-athina');
    expect(slugify('iPhone sales at McDonald’s & O’Brien’s')).toBe('iphone-sales-at-mcdonalds-obriens');
  });

  it('titles a document by its headline, name or caption start', () => {
    const caption = emptyContent('caption');
    caption.body = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Boats at dawn.' }] }] };
    expect(documentTitle(caption)).toBe('Boats at dawn.');
    const bio = emptyContent('bio');
    if (bio.kind === 'bio') bio.fields.name = '  Lena   Ortiz ';
    expect(documentTitle(bio)).toBe('Lena Ortiz');
  });

  it('accepts only web and mail links', () => {
    for (const ok of ['https://example.org/a', 'http://example.org', 'mailto:desk@example.org']) expect(isSafeHref(ok)).toBe(true);
    for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'java\tscript:alert(1)', ' javascript:x', 'data:text/html,x', 'vbscript:x', 'file:///etc/passwd', '/relative', '', null]) {
      expect(isSafeHref(bad)).toBe(false);
    }
  });

  it('lets autolink take an address typed without its scheme, and nothing else', () => {
    for (const ok of ['harbor-board.org', 'harbor-board.org/vote?x=1', 'www.example.org', 'news@harbor-board.org']) expect(isBareAddress(ok)).toBe(true);
    // With a scheme it is isSafeHref's to judge; spaces and empty text are not addresses.
    for (const bad of ['javascript:alert(1)', 'data:text/html,x', 'https://example.org', 'localhost:8080', '/agenda', '//example.org', 'two words.org', '', null]) expect(isBareAddress(bad)).toBe(false);
  });

  it('gives each role its desks', () => {
    const reporter = { id: 'r', name: 'R', role: 'reporter' as const, createdAt: 0 };
    const desk = { id: 'p', name: 'P', role: 'photo_desk' as const, createdAt: 0 };
    expect(canCreate('reporter', 'caption')).toBe(false);
    expect(canCreate('photo_desk', 'caption')).toBe(true);
    expect(canEdit(reporter, { kind: 'article', ownerId: 'r', assigneeId: null })).toBe(true);
    expect(canEdit(reporter, { kind: 'article', ownerId: 'x', assigneeId: null })).toBe(false);
    expect(canEdit(desk, { kind: 'caption', ownerId: 'x', assigneeId: null })).toBe(true);
    expect(canEdit(desk, { kind: 'article', ownerId: 'p', assigneeId: null })).toBe(false);
  });
});
