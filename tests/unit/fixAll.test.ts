// @vitest-environment jsdom
import { Editor } from '@tiptap/core';
import { describe, expect, it } from 'vitest';
import { emptyContent } from '../../shared/documents.ts';
import { editorExtensions } from '../../shared/editor/extensions.ts';
import { fieldIssues, fixAllFields, fixAllFieldsCounted } from '../../shared/style/fieldStyle.ts';
import { DEFAULT_STYLE, StyleConfig, compileRules, findIssues, fixAllInText } from '../../shared/style/houseStyle.ts';
import { fixAllInBody } from '../../renderer/src/editor/houseStyle.ts';

const rules = compileRules(DEFAULT_STYLE);
const only = (text: string, id: string) => findIssues(text, rules).filter((i) => i.ruleId === id);

describe('house style’s safe fixes', () => {
  it('finds double spaces, two hyphens and three dots, each with its one right fix', () => {
    expect(only('The vote  was close.', 'double-space')).toMatchObject([{ from: 8, to: 10, suggestion: ' ', safe: true }]);
    expect(only('The vote--late--passed.', 'double-hyphen').map((i) => i.suggestion)).toEqual(['\u2014', '\u2014']);
    expect(only('From 1990--95.', 'double-hyphen')).toMatchObject([{ suggestion: '\u2013' }]);
    expect(only('And then...', 'three-dots')).toMatchObject([{ suggestion: '\u2026' }]);
    expect(only('A well-known plan.', 'double-hyphen')).toEqual([]);
  });

  it('Fix all applies only the safe rules and leaves the rest for a person', () => {
    const text = `"The  the vote--late--is on December 9," she said. It's 5 days... TK`;
    const fixed = fixAllInText(text, rules);
    expect(fixed).toBe('\u201cThe the vote\u2014late\u2014is on December 9,\u201d she said. It\u2019s 5 days\u2026 TK');
    // What needs a reader is still there: the doubled word (or a name?), the month (or a
    // count of Decembers?), the small number (or an age?), TK.
    expect(findIssues(fixed, rules).map((i) => i.ruleId).sort()).toEqual(['ap-months', 'doubled-word', 'spell-small-numbers', 'tk']);
    expect(fixAllInText(fixed, rules)).toBe(fixed);
  });

  it('a newsroom’s own rule joins Fix all only when it says its fix is safe', () => {
    const base = { id: 'city', pattern: '\\bPortmere city council\\b', message: 'Capitalize City Council', why: 'Ledger style', replacement: 'Portmere City Council' };
    const unsafe = compileRules(StyleConfig.parse({ rules: [base] }));
    expect(fixAllInText('The Portmere city council met.', unsafe)).toBe('The Portmere city council met.');
    const safe = compileRules(StyleConfig.parse({ rules: [{ ...base, fixAll: true }] }));
    expect(fixAllInText('The Portmere city council met.', safe)).toBe('The Portmere City Council met.');
  });
});

describe('house style on the headline, dek and alt text', () => {
  it('names the field each finding is in, and keeps headline style (figures and %) in the headline', () => {
    const article = emptyContent('article');
    const content = { ...article, fields: { ...article.fields, headline: `Fares rise 5% as board says "yes"`, dek: 'A 5 to 2  vote.' } };
    const found = fieldIssues(content, rules);
    expect(found.map((i) => i.message)).toEqual([
      'Headline: Straight quotation mark',
      'Headline: Straight quotation mark',
      'Dek: Spell out “5”',
      'Dek: Spell out “2”',
      'Dek: Double space',
    ]);
    expect(fixAllFields(content, rules)).toEqual({ headline: 'Fares rise 5% as board says \u201cyes\u201d', dek: 'A 5 to 2 vote.' });
    // "Fixed N places." counts places, not fields: two quotes in the headline, one double space in the dek.
    expect(fixAllFieldsCounted(content, rules).count).toBe(3);
  });

  it('checks a caption’s alt text, not its credit; a bio’s fields are not prose', () => {
    const caption = emptyContent('caption');
    const content = { ...caption, fields: { ...caption.fields, altText: 'Boats  at dawn', credit: 'Lena  Ortiz' } };
    expect(fieldIssues(content, rules).map((i) => i.message)).toEqual(['Alt text: Double space']);
    const bio = emptyContent('bio');
    expect(fieldIssues({ ...bio, fields: { ...bio.fields, title: `Reporter  "at large"` } }, rules)).toEqual([]);
  });
});

describe('Fix all in the body', () => {
  it('is one transaction: one undo takes every fix back', () => {
    const editor = new Editor({
      extensions: editorExtensions(),
      // JSON, not HTML: HTML's parsing would fold the double space before Fix all saw it.
      content: {
        type: 'doc',
        content: [
          { type: 'paragraph', content: [{ type: 'text', text: '"Yes," she said  twice...' }] },
          { type: 'paragraph', content: [{ type: 'text', text: 'The vote--late--passed the the board.' }] },
        ],
      },
    });
    const before = editor.getText();
    expect(fixAllInBody(editor, rules)).toBe(6);
    expect(editor.getText()).toBe('\u201cYes,\u201d she said twice\u2026\n\nThe vote\u2014late\u2014passed the the board.');
    editor.commands.undo();
    expect(editor.getText()).toBe(before);
    editor.destroy();
  });

  it('keeps bold and links on the words around a fix', () => {
    const text = (t: string, marks: { type: string; attrs?: Record<string, string> }[]) => ({ type: 'text', text: t, marks });
    const editor = new Editor({
      extensions: editorExtensions(),
      content: {
        type: 'doc',
        content: [{ type: 'paragraph', content: [text('"Bold"', [{ type: 'bold' }]), { type: 'text', text: ' and ' }, text('a  link', [{ type: 'link', attrs: { href: 'https://a.example' } }])] }],
      },
    });
    fixAllInBody(editor, rules);
    expect(editor.getHTML()).toContain('<strong>\u201cBold\u201d</strong>');
    expect(editor.getHTML()).toMatch(/<a [^>]*href="https:\/\/a\.example"[^>]*>a link<\/a>/);
    editor.destroy();
  });
});
