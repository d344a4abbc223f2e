import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseHtml, renderHtml } from '../../electron/services/html.ts';
import { checkRichDoc } from '../../electron/services/richtext.ts';
import type { RichNode } from '../../shared/richtext.ts';

const text = (t: string, marks?: RichNode['marks']): RichNode => (marks ? { type: 'text', text: t, marks } : { type: 'text', text: t });
const p = (...content: RichNode[]): RichNode => ({ type: 'paragraph', content });
const fixture = (name: string) => readFileSync(new URL(`../fixtures/content/${name}`, import.meta.url), 'utf8');

/** One document per node and mark of the schema; each must survive JSON → HTML → JSON. */
const CASES: Record<string, RichNode[]> = {
  paragraph: [p(text('Plain words.'))],
  'heading 2 and 3': [
    { type: 'heading', attrs: { level: 2 }, content: [text('Section')] },
    { type: 'heading', attrs: { level: 3 }, content: [text('Subsection')] },
  ],
  marks: [
    p(
      text('bold', [{ type: 'bold' }]),
      text(' '),
      text('italic', [{ type: 'italic' }]),
      text(' '),
      text('under', [{ type: 'underline' }]),
      text(' '),
      text('struck', [{ type: 'strike' }]),
    ),
  ],
  link: [p(text('the plan', [{ type: 'link', attrs: { href: 'https://harbor.example/plan.pdf', target: null, rel: 'noopener noreferrer nofollow', class: null, title: null } }]))],
  'mail link': [p(text('write', [{ type: 'link', attrs: { href: 'mailto:desk@example.org', target: null, rel: 'noopener noreferrer nofollow', class: null, title: null } }]))],
  'bulleted list': [{ type: 'bulletList', content: [{ type: 'listItem', content: [p(text('one'))] }, { type: 'listItem', content: [p(text('two'))] }] }],
  'numbered list': [{ type: 'orderedList', attrs: { start: 3, type: null }, content: [{ type: 'listItem', content: [p(text('three'))] }] }],
  'block quote': [{ type: 'blockquote', content: [p(text('Quoted.'))] }],
  'pull quote': [{ type: 'pullQuote', attrs: { attribution: 'Tomas Reyes' }, content: [text('We are not against growth.')] }],
  'horizontal rule': [p(text('Above')), { type: 'horizontalRule' }, p(text('Below'))],
  figure: [{ type: 'figure', attrs: { captionId: 'cap-1', captionOverride: null } }],
  'figure with a per-use caption': [{ type: 'figure', attrs: { captionId: 'cap-1', captionOverride: 'Boats, as seen from the quay.' } }],
  'hard break': [p(text('line one'), { type: 'hardBreak' }, text('line two'))],
};

describe('the editor schema', () => {
  for (const [name, content] of Object.entries(CASES)) {
    it(`round-trips ${name} through HTML`, () => {
      const doc: RichNode = { type: 'doc', content };
      checkRichDoc(doc);
      const html = renderHtml(doc);
      const back = parseHtml(html);
      expect(back).toEqual(doc);
      expect(renderHtml(back)).toBe(html);
    });
  }

  it('renders a pull quote and a figure as the CMS expects them', () => {
    expect(renderHtml({ type: 'doc', content: CASES['pull quote']! })).toBe(
      '<aside class="pull-quote"><blockquote>We are not against growth.</blockquote><cite>Tomas Reyes</cite></aside>',
    );
    expect(renderHtml({ type: 'doc', content: CASES['figure with a per-use caption']! })).toBe(
      '<figure data-caption-id="cap-1" class="figure"><figcaption data-override="true">Boats, as seen from the quay.</figcaption></figure>',
    );
  });

  it('escapes text: words that look like markup stay words', () => {
    const html = renderHtml({ type: 'doc', content: [p(text('<script>alert(1)</script> & "quotes"'))] });
    expect(html).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; "quotes"</p>');
  });
});

describe('pasted and imported HTML', () => {
  it('keeps nothing that could run from hostile HTML, and keeps its normal link and bold text', () => {
    const doc = parseHtml(fixture('hostile-paste.html'));
    checkRichDoc(doc);
    const html = renderHtml(doc);
    expect(html).not.toMatch(/<script|<iframe|<object|<svg|<form|<input|<img/i);
    expect(html).not.toMatch(/\son\w+=/i);
    expect(html).not.toMatch(/javascript:|data:text|style=/i);
    expect(html).toMatch(/<a [^>]*href="https:\/\/example\.org\/story"[^>]*>A normal link that should survive<\/a>/);
    expect(html).toContain('<strong>bold text that should survive</strong>');
    expect(html).toContain('A link that runs code'); // the text stays, the link does not
  });

  it('drops link targets that are not web or email addresses, keeping their words', () => {
    const doc = parseHtml('<p><a href="harbor-board.org/vote">relative</a> <a href="/agenda">rooted</a> <a href="mailto:desk@example.org">mail</a></p>');
    checkRichDoc(doc);
    const html = renderHtml(doc);
    expect(html).toBe('<p>relative rooted <a rel="noopener noreferrer nofollow" href="mailto:desk@example.org">mail</a></p>');
  });

  it('cleans a paste from a word processor: paragraphs, bold, italic, links and lists survive; fonts, styles and empty paragraphs do not', () => {
    const doc = parseHtml(fixture('pasted-from-word.html'));
    const html = renderHtml(doc);
    expect(html).not.toMatch(/style=|class="Mso|font-family|<span|<o:p/i);
    expect(html).not.toMatch(/<p><\/p>/);
    expect(html).not.toContain('·');
    expect(html).toContain('<p><strong>Harbor hearing notes</strong></p>');
    expect(html).toContain('The council’s clerk said 212 people signed in. “It’s the biggest crowd since the 2016 budget,” she said.');
    expect(html).toMatch(/<ul><li><p>Dredging: 14 months<\/p><\/li><li><p>Cost: <em>\$48 million<\/em>, per the <a [^>]*href="https:\/\/harbor\.example\/plan\.pdf"[^>]*>authority’s plan<\/a><\/p><\/li><\/ul>/);
  });
});
