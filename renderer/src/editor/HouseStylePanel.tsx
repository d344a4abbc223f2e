import type { Editor } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { useState } from 'react';
import type { DocumentContent } from '../../../shared/documents.ts';
import { fieldIssues, fixAllFieldsCounted, type FieldIssue } from '../../../shared/style/fieldStyle.ts';
import type { CompiledRules } from '../../../shared/style/houseStyle.ts';
import { fixAllInBody, type DocIssue } from './houseStyle.ts';

type Props = {
  /** The body's findings (the editor's house-style plugin). */
  issues: DocIssue[];
  editor: Editor | null;
  problems: string[];
  /** The fields, checked here as they change (a headline is short: no need to wait). */
  content?: Pick<DocumentContent, 'kind' | 'fields'>;
  rules?: CompiledRules | null;
  /** The normal save path for fields (DocumentEditor's setField). */
  setFields?: (patch: Record<string, string>) => void;
};

/** What Fix all changed, to put back: the fields as they were and the body after it. */
type Undo = { fields: Record<string, string>; fixed: Record<string, string>; bodyAfter: PMNode | null; count: number };

/**
 * The copy desk's findings for this document: the prose fields first (each named,
 * "Headline: …"), then the body; each with why and, where there is one, a fix. Fix all
 * applies every fix that is safe without a reader (safe rules: shared/style/houseStyle.ts)
 * and leaves the rest listed.
 */
export function HouseStylePanel({ issues, editor, problems, content, rules, setFields }: Props) {
  const [undo, setUndo] = useState<Undo | null>(null);
  const editable = editor?.isEditable ?? false;
  const inFields: FieldIssue[] = content && rules ? fieldIssues(content, rules) : [];
  const fix = (issue: DocIssue) => {
    if (!editor || issue.suggestion === undefined) return;
    // Only if the text is still what the check saw (typing may have moved on since).
    if (editor.state.doc.textBetween(issue.pos, issue.end, '\n', '\ufffc') !== issue.text) return;
    editor.chain().focus().insertContentAt({ from: issue.pos, to: issue.end }, issue.suggestion).run();
  };
  const fixField = (issue: FieldIssue) => {
    const value = (content?.fields as Record<string, unknown> | undefined)?.[issue.field];
    if (typeof value !== 'string' || issue.suggestion === undefined || value.slice(issue.from, issue.to) !== issue.text) return;
    setFields?.({ [issue.field]: value.slice(0, issue.from) + issue.suggestion + value.slice(issue.to) });
  };
  const anySafe = issues.some((i) => i.safe) || inFields.some((i) => i.safe);
  const fixAll = () => {
    if (!rules || !editor) return;
    // Counted in places, as the body is, not in fields: a headline can hold several.
    const { patch: fixed, count: inFieldsCount } = content ? fixAllFieldsCounted(content, rules) : { patch: {}, count: 0 };
    const before = Object.fromEntries(Object.keys(fixed).map((k) => [k, String((content!.fields as Record<string, unknown>)[k])]));
    const inBody = fixAllInBody(editor, rules);
    if (Object.keys(fixed).length) setFields?.(fixed);
    // The body's plugin re-checks after the change, as after any edit; the fields re-check as they render.
    const count = inBody + inFieldsCount;
    setUndo(count ? { fields: before, fixed, bodyAfter: inBody ? editor.state.doc : null, count } : null);
  };
  /**
   * Puts back what Fix all changed, where nothing was typed over it since: the body by
   * its own undo (the fixes were one step), each field if it still holds the fixed text.
   */
  const undoFixAll = () => {
    if (!undo || !editor) return;
    if (undo.bodyAfter && editor.state.doc === undo.bodyAfter) editor.commands.undo();
    const fields = (content?.fields ?? {}) as Record<string, unknown>;
    const back = Object.fromEntries(Object.entries(undo.fields).filter(([k]) => fields[k] === undo.fixed[k]));
    if (Object.keys(back).length) setFields?.(back);
    setUndo(null);
  };
  const none = issues.length === 0 && inFields.length === 0;
  return (
    <section className="house-style" aria-labelledby="house-style-title">
      <h2 id="house-style-title">House style</h2>
      {problems.map((p) => (
        <p key={p} className="error">
          {p}
        </p>
      ))}
      {editable && anySafe && (
        <button type="button" onClick={fixAll} title="Fix every problem that has a safe fix: straight quotes, double spaces, two hyphens, three dots">
          Fix all
        </button>
      )}
      {undo && (
        <p role="status" className="fixed-note">
          {undo.count === 1 ? 'Fixed 1 place.' : `Fixed ${undo.count} places.`}{' '}
          {editable && (
            <button type="button" className="secondary" onClick={undoFixAll}>
              Undo Fix all
            </button>
          )}
        </p>
      )}
      {none ? (
        <p className="ok">No house-style problems.</p>
      ) : (
        <ul aria-label="House style">
          {inFields.map((issue) => (
            <li key={`${issue.field}:${issue.ruleId}:${issue.from}`} className={issue.severity}>
              <span className="message">{issue.message}</span> <span className="why">{issue.why}</span>
              {issue.suggestion !== undefined && editable && setFields && (
                // Named by its text, not aria-label: a label holding "Headline" would
                // also answer to the Headline box's name (getByLabel, screen readers' label lists).
                <button type="button" onClick={() => fixField(issue)}>
                  Fix<span className="visually-hidden">: {issue.message}</span>
                </button>
              )}
            </li>
          ))}
          {issues.slice(0, 100).map((issue) => (
            <li key={`${issue.ruleId}:${issue.pos}`} className={issue.severity}>
              <span className="message">{issue.message}</span> <span className="why">{issue.why}</span>
              {issue.suggestion !== undefined && editable && (
                <button type="button" onClick={() => fix(issue)} aria-label={`Fix: ${issue.message}`}>
                  Fix
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
