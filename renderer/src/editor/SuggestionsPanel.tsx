import type { Editor } from '@tiptap/core';
import { useEditorState } from '@tiptap/react';
import { useEffect, useState } from 'react';
import { describeSuggestion, type Suggestion } from '../../../shared/editor/suggestions.ts';
import { acceptAll, acceptSuggestion, hasSuggestions, isSuggesting, rejectAll, rejectSuggestion, setSuggesting, suggestionsIn } from './suggest.ts';
import { whenTypingPauses } from '../typingPause.ts';
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

const listOf = (editor: Editor) => (hasSuggestions(editor.state) ? suggestionsIn(editor.state.doc) : NONE);

const sameList = (a: Suggestion[], b: Suggestion[]) =>
  a.length === b.length &&
  a.every((s, i) => {
    const t = b[i]!;
    return s.id === t.id && s.kind === t.kind && s.time === t.time && s.text === t.text && s.kinds.join() === t.kinds.join() && s.authorNames.join() === t.authorNames.join();
  });

/**
 * The body's suggestions for the list. While someone types in the body (each key
 * growing a suggestion) the list is brought up to date once typing pauses, not on
 * every keystroke: reading the story and re-rendering the list on each key cost the
 * typist a quarter of a millisecond a key in a long story, for a list nobody reads
 * mid-word. A change made anywhere else (Accept, Reject, a pull from the desk) shows
 * at once.
 */
function useSuggestionList(editor: Editor): Suggestion[] {
  const [list, setList] = useState(() => listOf(editor));
  useEffect(() => {
    let waiting = false;
    let cancel = () => {};
    const refresh = () => {
      waiting = false;
      const next = listOf(editor);
      setList((current) => (sameList(current, next) ? current : next));
    };
    const onTransaction = ({ transaction }: { transaction: { docChanged: boolean } }) => {
      if (!transaction.docChanged || waiting) return;
      if (!editor.view.hasFocus()) return refresh();
      waiting = true;
      cancel = whenTypingPauses(refresh);
    };
    refresh();
    editor.on('transaction', onTransaction);
    return () => {
      editor.off('transaction', onTransaction);
      cancel();
    };
  }, [editor]);
  return list;
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
  const list = useSuggestionList(editor);
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
