import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cutShort, parseScrapedText } from '../../shared/import/textImport.ts';
import { checkCaption } from '../../shared/captionChecks.ts';
import { emptyContent, type CaptionFields } from '../../shared/documents.ts';

const scraped = readFileSync(new URL('../fixtures/content/scraped-page.txt', import.meta.url), 'utf8');

describe('importing a scraped page', () => {
  const result = parseScrapedText(scraped);

  it('takes the first line as the headline', () => {
    expect(result.headline).toBe('Ferry Service to Halvard Island Suspended as Storm Damage Is Assessed');
  });

  it('keeps the story’s paragraphs in order and turns photo blocks into figures with caption and credit', () => {
    expect(result.body.map((b) => (b.type === 'figure' ? `[${b.figure.title}]` : b.text.slice(0, 30)))).toEqual([
      'The regional ferry authority s',
      'The authority said engineers w',
      '[Ferry landing at Halvard Island]',
      'Islanders said the suspension ',
      '"We have fuel for ten days and',
      '[Halvard Island council member Ruth Abernathy]',
    ]);
    const [first, second] = result.body.filter((b) => b.type === 'figure').map((b) => b.figure);
    expect(first).toEqual({
      title: 'Ferry landing at Halvard Island',
      // The site cut it at "..." right before the credit: kept visibly cut, and flagged.
      caption: 'A crane barge lifts a damaged pontoon away from the ferry landing at Halvard Island on Nov. 12, 2026. The authority expects repairs to take at least a week…',
      credit: 'Lena Ortiz/Northwind Photo',
      cutShort: true,
    });
    expect(second?.credit).toBe('Amara Osei/Portmere Ledger');
    expect(second?.caption).toMatch(/2026\. Abernathy…$/);
    expect(second?.cutShort).toBe(true);
  });

  it('drops the site’s furniture: AI voice notice, logo, rating widget, repeated lines, Read more', () => {
    const body = JSON.stringify(result.body);
    for (const junk of ['Voice is AI-generated', 'Ledger Logo', 'reader meter', 'rate this article', 'committed to accurate reporting', 'Read more']) {
      expect(body.toLowerCase()).not.toContain(junk.toLowerCase());
    }
    expect(result.dropped).toEqual(expect.arrayContaining(['Ledger Logo', 'reader meter', 'Click On Meter To Rate This Article']));
  });

  it('finds the contributor line and the writer’s bio', () => {
    expect(result.contributorLine).toBe('Northwind Wire contributed to this report.');
    expect(result.bio).toEqual({
      name: 'Amara Osei',
      text: expect.stringMatching(/^Amara Osei is a Ledger reporter based in Portmere.*emailing amara\.osei@portmere-ledger\.example\.$/),
      email: 'amara.osei@portmere-ledger.example',
      languages: ['English', 'Twi', 'French'],
    });
  });
});

describe('captions cut short in the source', () => {
  it('an ellipsis at the end ("…" or "...") means cut; so does stopping mid-sentence', () => {
    expect(cutShort('Ruth Abernathy speaks to reporters at the hall…')).toBe(true);
    expect(cutShort('Ruth Abernathy speaks to reporters at the hall...')).toBe(true);
    expect(cutShort('Ruth Abernathy speaks to reporters at the hall on Nov. 12. Abernathy')).toBe(true);
  });

  it('a complete sentence, one ending in an abbreviation such as "Mr.", or a quote is not cut', () => {
    expect(cutShort('A crane barge lifts a damaged pontoon on Nov. 12, 2026.')).toBe(false);
    expect(cutShort('The pontoon was towed away by Mr.')).toBe(false);
    expect(cutShort('Mr. Abernathy... spoke at length on Nov. 12.')).toBe(false);
    expect(cutShort('“We are in trouble,” she said.”')).toBe(false);
    expect(cutShort('')).toBe(false);
  });

  it('a photo block whose caption is complete is not flagged', () => {
    const text = ['Headline', '', 'Ferry landing', 'A crane barge lifts a pontoon at Halvard Island on Nov. 12, 2026. Lena Ortiz/Northwind Photo'].join('\n');
    const figure = parseScrapedText(text).body.find((b) => b.type === 'figure');
    expect(figure?.type === 'figure' && figure.figure).toMatchObject({ caption: 'A crane barge lifts a pontoon at Halvard Island on Nov. 12, 2026.', cutShort: false });
  });

  it('the caption’s Checks say so until the photo desk completes it', () => {
    const fields = emptyContent('caption').fields as CaptionFields;
    const ids = (caption: string) => checkCaption({ fields, caption, hasPhoto: true }).map((c) => c.id);
    const cut = checkCaption({ fields, caption: 'A crane barge lifts a damaged pontoon…', hasPhoto: true }).find((c) => c.id === 'cut-short');
    expect(cut?.message).toBe('The caption was cut short in the source (“…”): complete it.');
    expect(ids('A crane barge lifts a damaged pontoon...')).toContain('cut-short');
    expect(ids('A crane barge lifts a damaged pontoon away from the landing.')).not.toContain('cut-short');
  });
});
