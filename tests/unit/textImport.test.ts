import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScrapedText } from '../../shared/import/textImport.ts';

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
      caption: 'A crane barge lifts a damaged pontoon away from the ferry landing at Halvard Island on Nov. 12, 2026. The authority expects repairs to take at least a week',
      credit: 'Lena Ortiz/Northwind Photo',
    });
    expect(second?.credit).toBe('Amara Osei/Portmere Ledger');
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
