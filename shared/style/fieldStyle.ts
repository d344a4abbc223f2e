import type { DocumentContent } from '../documents.ts';
import { FIELD_LABELS } from '../documents.ts';
import { findIssues, fixAllInTextCounted, type CompiledRules, type StyleIssue } from './houseStyle.ts';

/**
 * House style on the prose fields around the body: an article's headline and dek, a
 * caption's alt text (the caption text and a bio are bodies, checked in the editor).
 * Slugs, names, credits and emails are not prose and are not checked.
 */
const PROSE_FIELDS: Record<DocumentContent['kind'], string[]> = {
  article: ['headline', 'dek'],
  caption: ['altText'],
  bio: [],
};

/**
 * Headlines follow headline style: AP headlines use figures for every number and the %
 * sign, so the body's rules on those would be wrong there.
 */
const NOT_IN: Record<string, string[]> = { headline: ['spell-small-numbers', 'percent-sign'] };

const applies = (field: string) => (issue: StyleIssue) => !NOT_IN[field]?.includes(issue.ruleId);

/** A finding in a field: its place in that field's text, and the field's label first in its message. */
export type FieldIssue = StyleIssue & { field: string; label: string; text: string };

export function fieldIssues(content: Pick<DocumentContent, 'kind' | 'fields'>, rules: CompiledRules): FieldIssue[] {
  const fields = content.fields as Record<string, unknown>;
  return PROSE_FIELDS[content.kind].flatMap((field) => {
    const text = fields[field];
    if (typeof text !== 'string' || !text) return [];
    const label = FIELD_LABELS[field] ?? field;
    return findIssues(text, rules)
      .filter(applies(field))
      .map((issue) => ({ ...issue, field, label, message: `${label}: ${issue.message}`, text: text.slice(issue.from, issue.to) }));
  });
}

/** The fields Fix all changes, with their fixed text (only those that change). */
export function fixAllFields(content: Pick<DocumentContent, 'kind' | 'fields'>, rules: CompiledRules): Record<string, string> {
  return fixAllFieldsCounted(content, rules).patch;
}

/** fixAllFields, with how many places it fixed in them all (a headline can have several). */
export function fixAllFieldsCounted(content: Pick<DocumentContent, 'kind' | 'fields'>, rules: CompiledRules): { patch: Record<string, string>; count: number } {
  const fields = content.fields as Record<string, unknown>;
  const patch: Record<string, string> = {};
  let count = 0;
  for (const field of PROSE_FIELDS[content.kind]) {
    const text = fields[field];
    if (typeof text !== 'string') continue;
    const fixed = fixAllInTextCounted(text, rules, applies(field));
    if (fixed.text !== text) patch[field] = fixed.text;
    count += fixed.count;
  }
  return { patch, count };
}
