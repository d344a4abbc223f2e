import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseHtml, renderHtml } from '../../electron/services/html.ts';
import { renderPublishHtml } from '../../electron/services/publishHtml.ts';
import { normaliseRichDoc } from '../../electron/services/richtext.ts';
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
  link: [p(text('the plan', [{ type: 'link', attrs: { href: 'https://harbor.example/plan.pdf' } }]))],
  'mail link': [p(text('write', [{ type: 'link', attrs: { href: 'mailto:desk@example.org' } }]))],
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
      expect(normaliseRichDoc(doc)).toEqual(doc);
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
    normaliseRichDoc(doc);
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
    normaliseRichDoc(doc);
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

describe('what the back end stores of a body', () => {
  const link = (attrs: Record<string, unknown>): RichNode => ({ type: 'doc', content: [p(text('the plan', [{ type: 'link', attrs }]))] });

  it('keeps only a link’s address: a pasted rel="opener", target, class, title or onclick is dropped', () => {
    const hostile = link({ href: 'https://harbor.example/plan', rel: 'opener', target: '_blank', class: 'evil', title: 'Plan', onclick: 'alert(1)' });
    expect(normaliseRichDoc(hostile)).toEqual(link({ href: 'https://harbor.example/plan' }));
  });

  it('drops attributes no node declares, keeping the node and its words', () => {
    const doc: RichNode = {
      type: 'doc',
      content: [
        { type: 'paragraph', attrs: { style: 'color:red', onclick: 'alert(1)' }, content: [text('Words stay.')] },
        { type: 'heading', attrs: { level: 2, class: 'x', id: 'top' }, content: [text('Section')] },
      ],
    };
    expect(normaliseRichDoc(doc)).toEqual({
      type: 'doc',
      content: [
        { type: 'paragraph', content: [text('Words stay.')] },
        { type: 'heading', attrs: { level: 2 }, content: [text('Section')] },
      ],
    });
  });

  it('refuses an unknown mark or node, naming it, rather than storing less than was written', () => {
    const mark: RichNode = { type: 'doc', content: [p(text('styled', [{ type: 'span', attrs: { style: 'x' } }]))] };
    const node: RichNode = { type: 'doc', content: [{ type: 'iframe', attrs: { src: 'https://evil.example' } }] };
    expect(() => normaliseRichDoc(mark)).toThrow(/body: not a document the editor can hold.*span/);
    expect(() => normaliseRichDoc(node)).toThrow(/body: not a document the editor can hold.*iframe/);
  });

  it('refuses a javascript: link and an attribute that is not text or a number', () => {
    expect(() => normaliseRichDoc(link({ href: 'javascript:alert(1)' }))).toThrow('body: links may only use http, https or mailto');
    const figure: RichNode = { type: 'doc', content: [{ type: 'figure', attrs: { captionId: { toString: 'x' }, captionOverride: null } }] };
    expect(() => normaliseRichDoc(figure)).toThrow("body: a figure's captionId must be text or a number");
  });

  it('renders every link with Galley’s rel and no target, even one stored with its own before they were dropped', () => {
    const old = link({ href: 'https://harbor.example/plan', rel: 'opener', target: '_blank', class: 'evil', title: null });
    expect(renderHtml(old)).toBe('<p><a rel="noopener noreferrer nofollow" href="https://harbor.example/plan">the plan</a></p>');
    expect(renderPublishHtml(old, new Map())).toBe('<p><a rel="noopener noreferrer nofollow" href="https://harbor.example/plan">the plan</a></p>');
  });

  it('pasted links lose their rel, target and class', () => {
    const doc = parseHtml('<p><a href="https://harbor.example/plan" rel="opener" target="_blank" class="x" onclick="alert(1)">plan</a></p>');
    expect(renderHtml(doc)).toBe('<p><a rel="noopener noreferrer nofollow" href="https://harbor.example/plan">plan</a></p>');
  });
});
