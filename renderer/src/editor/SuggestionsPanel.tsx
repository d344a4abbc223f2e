import type { Editor } from '@tiptap/core';
import { useEditorState } from '@tiptap/react';
import { describeSuggestion, type Suggestion } from '../../../shared/editor/suggestions.ts';
import { acceptAll, acceptSuggestion, hasSuggestions, isSuggesting, rejectAll, rejectSuggestion, setSuggesting, suggestionsIn } from './suggest.ts';
import './suggestions.css';

const NONE: Suggestion[] = [];

/**
 * The toolbar's **Suggest edits** toggle (editors only): while pressed, what is typed
 * and deleted in the body shows as suggestions for the writer to accept or reject.
 */
export function SuggestToggle({ editor }: { editor: Editor }) {
  const on = useEditorState({ editor, selector: ({ editor: e }) => isSuggesting(e.state) });
  return (
    <button
      type="button"
      className="suggest-toggle"
      aria-pressed={on}
      title={on ? 'Suggesting: your edits show as suggestions for the writer to accept or reject' : 'Suggest edits instead of changing the text'}
      onMouseDown={(e) => e.preventDefault()}
      onClick={() => {
        setSuggesting(editor, !on);
        editor.commands.focus();
      }}
    >
      Suggest edits
    </button>
  );
}

function kindWords(s: Suggestion): string {
  if (s.kinds.includes('insertion') && s.kinds.includes('deletion')) return 'Suggested replacement';
  return describeSuggestion(s.kind, '', 0);
}

/**
 * The list named **Suggestions** beside the body: each suggestion with who made it and
 * when, and **Accept** / **Reject**; **Accept all** / **Reject all** for the lot. Shown
 * only while the body holds suggestions; the buttons only to someone who may edit it.
 */
export function SuggestionsPanel({ editor, editable }: { editor: Editor; editable: boolean }) {
  const list = useEditorState({ editor, selector: ({ editor: e }) => (hasSuggestions(e.state) ? suggestionsIn(e.state.doc) : NONE) });
  if (list.length === 0) return null;
  return (
    <section className="suggestions" aria-labelledby="suggestions-title">
      <h3 id="suggestions-title">Suggestions</h3>
      <ul aria-label="Suggestions">
        {list.map((s) => {
          const who = s.authorNames.join(', ') || 'someone';
          const when = s.time ? new Date(s.time).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '';
          return (
            <li key={JSON.stringify(s.id)} className={`suggestion-item suggestion-${s.kind}`}>
              <span className="suggestion-what">
                {kindWords(s)} by {who}
                {when && <time dateTime={new Date(s.time).toISOString()}>, {when}</time>}
              </span>
              {s.text && <q className="suggestion-text">{s.text}</q>}
              {editable && (
                <span className="suggestion-actions">
                  <button type="button" onClick={() => acceptSuggestion(editor, s.id)}>
                    Accept
                  </button>
                  <button type="button" className="secondary" onClick={() => rejectSuggestion(editor, s.id)}>
                    Reject
                  </button>
                </span>
              )}
            </li>
          );
        })}
      </ul>
      {editable && (
        <p className="suggestion-all">
          <button type="button" onClick={() => acceptAll(editor)}>
            Accept all
          </button>
          <button type="button" className="secondary" onClick={() => rejectAll(editor)}>
            Reject all
          </button>
        </p>
      )}
    </section>
  );
}
