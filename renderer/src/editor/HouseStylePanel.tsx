import type { Editor } from '@tiptap/core';
import type { DocIssue } from './houseStyle.ts';

/** The copy desk's findings for this text, each with why and, where there is one, a fix. */
export function HouseStylePanel({ issues, editor, problems }: { issues: DocIssue[]; editor: Editor | null; problems: string[] }) {
  const fix = (issue: DocIssue) => {
    if (!editor || issue.suggestion === undefined) return;
    // Only if the text is still what the check saw (typing may have moved on since).
    if (editor.state.doc.textBetween(issue.pos, issue.end, '\n', '\ufffc') !== issue.text) return;
    editor.chain().focus().insertContentAt({ from: issue.pos, to: issue.end }, issue.suggestion).run();
  };
  return (
    <section className="house-style" aria-labelledby="house-style-title">
      <h2 id="house-style-title">House style</h2>
      {problems.map((p) => (
        <p key={p} className="error">
          {p}
        </p>
      ))}
      {issues.length === 0 ? (
        <p className="ok">No house-style problems.</p>
      ) : (
        <ul aria-label="House style">
          {issues.slice(0, 100).map((issue) => (
            <li key={`${issue.ruleId}:${issue.pos}`} className={issue.severity}>
              <span className="message">{issue.message}</span> <span className="why">{issue.why}</span>
              {issue.suggestion !== undefined && editor?.isEditable && (
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
