import type { Editor } from '@tiptap/core';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { Comment } from '../../../shared/comments.ts';
import { useClient, useEvent } from '../api/context.tsx';
import { commentsKey } from '../editor/comments.ts';
import { describeError } from '../errors.ts';
import { whenChanged } from '../time.ts';

/** Select text, Comment, write it; the list of every comment on the document, with Resolve. */
export function CommentsPanel({ documentId, editor, beforeComment }: { documentId: string; editor: Editor | null; beforeComment: () => Promise<void> }) {
  const client = useClient();
  const [comments, setComments] = useState<Comment[]>([]);
  const [draft, setDraft] = useState<{ from: number; to: number; quote: string } | null>(null);
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    client.call('comments.list', { documentId }).then(setComments, (e: unknown) => setError(describeError(e)));
  }, [client, documentId]);
  useEffect(load, [load]);
  useEvent(
    'comments.changed',
    useCallback((p) => p.documentId === documentId && load(), [documentId, load]),
  );

  // The editor shows open comments' anchors; it maps them from here on.
  useEffect(() => {
    if (!editor) return;
    const open = comments.filter((c) => c.resolvedAt === null).map(({ id, from, to, detached }) => ({ id, from, to, detached }));
    editor.view.dispatch(editor.state.tr.setMeta(commentsKey, open).setMeta('addToHistory', false));
  }, [editor, comments]);

  const start = () => {
    setError(null);
    if (!editor) return;
    const { from, to } = editor.state.selection;
    if (to <= from) {
      setError('Select the text to comment on first.');
      return;
    }
    setDraft({ from, to, quote: editor.state.doc.textBetween(from, to, ' ').slice(0, 2000) });
  };

  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (!draft) return;
    try {
      // Anchors are positions in the saved text: save first, so both agree.
      await beforeComment();
      await client.call('comments.add', { documentId, body, ...draft });
      setDraft(null);
      setBody('');
    } catch (err) {
      setError(describeError(err));
    }
  };

  const open = comments.filter((c) => c.resolvedAt === null);
  const resolved = comments.filter((c) => c.resolvedAt !== null);
  return (
    <section className="comments" aria-labelledby="comments-title">
      <div className="comments-head">
        <h2 id="comments-title">Comments</h2>
        <button type="button" onMouseDown={(e) => e.preventDefault()} onClick={start}>
          Comment
        </button>
      </div>
      {draft && (
        <form onSubmit={add} className="comment-form">
          <p className="quote">“{draft.quote}”</p>
          <label>
            Comment
            <textarea value={body} onChange={(e) => setBody(e.target.value)} rows={2} autoFocus />
          </label>
          <button type="submit">Add comment</button>
          <button type="button" className="secondary" onClick={() => setDraft(null)}>
            Cancel
          </button>
        </form>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <ul aria-label="Comments">
        {open.map((c) => (
          <li key={c.id} className={c.detached ? 'detached' : undefined}>
            <span className="quote">“{c.quote}”</span>
            {c.detached && <span className="detached-note"> (the commented text was deleted)</span>}
            <p className="body">{c.body}</p>
            <span className="meta">
              {c.authorName}, {whenChanged(c.createdAt)}
            </span>
            <button type="button" onClick={() => client.call('comments.resolve', { id: c.id }).catch((e: unknown) => setError(describeError(e)))}>
              Resolve
            </button>
          </li>
        ))}
      </ul>
      {open.length === 0 && <p className="empty-state">No open comments. Select text and choose Comment.</p>}
      {resolved.length > 0 && (
        <details>
          <summary>{resolved.length} resolved</summary>
          <ul>
            {resolved.map((c) => (
              <li key={c.id}>
                “{c.quote}”: {c.body} — resolved by {c.resolvedByName}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
