import { describe, expect, it } from 'vitest';
import { DEFAULT_STYLE, StyleConfig, compileRules, findIssues, headlineIssue } from '../../shared/style/houseStyle.ts';

const rules = compileRules(DEFAULT_STYLE);
const ids = (text: string) => findIssues(text, rules).map((i) => i.ruleId);
const only = (text: string, id: string) => findIssues(text, rules).filter((i) => i.ruleId === id);

describe('house style', () => {
  it('doubled words', () => {
    const [issue] = only('He said the the vote was close.', 'doubled-word');
    expect(issue).toMatchObject({ from: 8, to: 15, message: 'Doubled word: “the the”', suggestion: 'the' });
    expect(only('The vote was close.', 'doubled-word')).toEqual([]);
    expect(only('What he had had was enough.', 'doubled-word')).toEqual([]);
  });

  it('TK placeholders', () => {
    expect(only('The budget is TK million.', 'tk')).toMatchObject([{ severity: 'error', from: 14, to: 16 }]);
    expect(only('The TKO came in round two.', 'tk')).toEqual([]);
  });

  it('straight quotes, with the right curly replacement', () => {
    const found = only(`"It's late," she said.`, 'straight-quotes');
    expect(found.map((i) => i.suggestion)).toEqual(['\u201c', '\u2019', '\u201d']);
    expect(only('“It’s late,” she said.', 'straight-quotes')).toEqual([]);
  });

  it('numbers one to nine spelled out, not ages, percentages, dates or money', () => {
    expect(only('The council voted 5 times.', 'spell-small-numbers')).toMatchObject([{ suggestion: 'five' }]);
    for (const ok of ['The vote was 5-2.', 'She is 7 years old.', 'Rates rose 3 percent.', 'It cost $5.', 'On Oct. 3 the board met.', 'It has 12 members.', 'Route 9 closed.']) {
      expect(only(ok, 'spell-small-numbers'), ok).toEqual([]);
    }
  });

  it('percent, not %', () => {
    expect(only('Fares rose 12% this year.', 'percent-sign')).toMatchObject([{ from: 13, to: 14, suggestion: ' percent' }]);
    expect(only('Fares rose 12 percent this year.', 'percent-sign')).toEqual([]);
  });

  it('AP month abbreviations with dates', () => {
    expect(only('The vote is on December 9.', 'ap-months')).toMatchObject([{ suggestion: 'Dec.' }]);
    expect(only('The vote is on Mar. 9.', 'ap-months')).toMatchObject([{ suggestion: 'March' }]);
    expect(only('The vote is on Dec. 9, and in March.', 'ap-months')).toEqual([]);
    expect(only('December was cold.', 'ap-months')).toEqual([]);
  });

  it('headline over its budget', () => {
    expect(headlineIssue('Short headline', DEFAULT_STYLE)).toBeNull();
    expect(headlineIssue('x'.repeat(95), DEFAULT_STYLE)).toBe('Headline is 95 characters, over the 90 allowed: shorten it.');
  });

  it('takes a newsroom’s own rules as data, and can switch built-ins off', () => {
    const config = StyleConfig.parse({
      disabled: ['straight-quotes'],
      rules: [{ id: 'portmere', pattern: '\\bPortmere city council\\b', flags: 'i', message: 'Capitalize City Council', why: 'Ledger style', replacement: 'Portmere City Council' }],
    });
    const custom = compileRules(config);
    const found = findIssues('The "Portmere city council" met.', custom);
    expect(found.map((i) => i.ruleId)).toEqual(['portmere']);
    expect(found[0]).toMatchObject({ suggestion: 'Portmere City Council', why: 'Ledger style' });
  });

  it('finds nothing in clean copy', () => {
    expect(ids('The Portmere City Council on Tuesday postponed its vote on a $48 million harbor expansion, after more than 200 residents packed the chamber.')).toEqual([]);
  });
});
