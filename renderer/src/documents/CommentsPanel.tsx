import type { Editor } from '@tiptap/core';
import { useCallback, useEffect, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { Comment } from '../../../shared/comments.ts';
import { useClient, useEvent } from '../api/context.tsx';
import { commentsKey } from '../editor/comments.ts';
import { describeError } from '../errors.ts';
import { whenChanged } from '../time.ts';
import { useMarginLayout } from './commentMargin.ts';

/** Ctrl+Enter (Cmd+Enter on a Mac) posts, as in the chat and mail tools people know. */
function postOnCtrlEnter(e: KeyboardEvent<HTMLTextAreaElement>) {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey) {
    e.preventDefault();
    e.currentTarget.form?.requestSubmit();
  }
}

/**
 * Select text, Comment, write it; every comment thread on the document with its replies,
 * Reply and Resolve. On a wide enough page the threads sit in a margin beside the words
 * they are about (commentMargin.ts); on a narrow one they are a list below the text.
 */
export function CommentsPanel({ documentId, editor, beforeComment }: { documentId: string; editor: Editor | null; beforeComment: () => Promise<void> }) {
  const client = useClient();
  const [comments, setComments] = useState<Comment[]>([]);
  const [draft, setDraft] = useState<{ from: number; to: number; quote: string } | null>(null);
  const [body, setBody] = useState('');
  const [replyTo, setReplyTo] = useState<string | null>(null);
  const [reply, setReply] = useState('');
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    client.call('comments.list', { documentId }).then(setComments, (e: unknown) => setError(describeError(e)));
  }, [client, documentId]);
  useEffect(load, [load]);
  useEvent(
    'comments.changed',
    useCallback((p) => p.documentId === documentId && load(), [documentId, load]),
  );

  const threads = comments.filter((c) => c.parentId === null);
  const open = threads.filter((c) => c.resolvedAt === null);
  const resolved = threads.filter((c) => c.resolvedAt !== null);
  const repliesTo = (id: string) => comments.filter((c) => c.parentId === id);

  // The editor shows open threads' anchors; it maps them from here on. Replies have none.
  useEffect(() => {
    if (!editor) return;
    const anchors = comments.filter((c) => c.parentId === null && c.resolvedAt === null).map(({ id, from, to, detached }) => ({ id, from, to, detached }));
    editor.view.dispatch(editor.state.tr.setMeta(commentsKey, anchors).setMeta('addToHistory', false));
  }, [editor, comments]);

  const margin = useMarginLayout(editor, open.map((c) => c.id).join(' '), `${comments.length} ${replyTo ?? ''} ${draft ? 'draft' : ''}`);

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

  const postReply = async (e: FormEvent, parentId: string) => {
    e.preventDefault();
    try {
      setError(null);
      await client.call('comments.reply', { parentId, body: reply });
      setReplyTo(null);
      setReply('');
    } catch (err) {
      setError(describeError(err));
    }
  };

  return (
    <section ref={margin.section} className={margin.on ? 'comments in-margin' : 'comments'} aria-labelledby="comments-title">
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
            <textarea value={body} onChange={(e) => setBody(e.target.value)} onKeyDown={postOnCtrlEnter} rows={2} autoFocus aria-keyshortcuts="Control+Enter Meta+Enter" />
          </label>
          <button type="submit" title="Add comment (Ctrl+Enter)">
            Add comment
          </button>
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
      <ul aria-label="Comments" ref={margin.list} style={margin.on ? { height: margin.height } : undefined}>
        {open.map((c) => {
          const replies = repliesTo(c.id);
          return (
            <li
              key={c.id}
              data-thread={c.id}
              className={c.detached ? 'detached' : undefined}
              style={margin.on ? { position: 'absolute', top: margin.tops.get(c.id) ?? 0, left: 0, right: 0 } : undefined}
            >
              <span className="quote">“{c.quote}”</span>
              {c.detached && <span className="detached-note"> (the commented text was deleted)</span>}
              <p className="body">{c.body}</p>
              <span className="meta">
                {c.authorName}, {whenChanged(c.createdAt)}
              </span>
              {replies.length > 0 && (
                <ul className="replies" aria-label="Replies">
                  {replies.map((r) => (
                    <li key={r.id}>
                      <p className="body">{r.body}</p>
                      <span className="meta">
                        {r.authorName}, {whenChanged(r.createdAt)}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
              {replyTo === c.id ? (
                <form className="comment-form" onSubmit={(e) => postReply(e, c.id)}>
                  <label>
                    Reply
                    <textarea value={reply} onChange={(e) => setReply(e.target.value)} onKeyDown={postOnCtrlEnter} rows={2} autoFocus aria-keyshortcuts="Control+Enter Meta+Enter" />
                  </label>
                  <button type="submit" title="Post reply (Ctrl+Enter)">
                    Post reply
                  </button>
                  <button type="button" className="secondary" onClick={() => setReplyTo(null)}>
                    Cancel
                  </button>
                </form>
              ) : (
                <button
                  type="button"
                  onClick={() => {
                    setReplyTo(c.id);
                    setReply('');
                  }}
                >
                  Reply
                </button>
              )}
              <button type="button" onClick={() => client.call('comments.resolve', { id: c.id }).catch((e: unknown) => setError(describeError(e)))}>
                Resolve
              </button>
            </li>
          );
        })}
      </ul>
      {open.length === 0 && <p className="empty-state">No open comments. Select text and choose Comment.</p>}
      {resolved.length > 0 && (
        <details>
          <summary>{resolved.length} resolved</summary>
          <ul>
            {resolved.map((c) => {
              const n = repliesTo(c.id).length;
              return (
                <li key={c.id}>
                  “{c.quote}”: {c.body} — resolved by {c.resolvedByName}
                  {n > 0 ? ` (${n} ${n === 1 ? 'reply' : 'replies'})` : ''}
                </li>
              );
            })}
          </ul>
        </details>
      )}
    </section>
  );
}
