import { useCallback, useEffect, useState } from 'react';
import { KIND_LABELS } from '../../../shared/documents.ts';
import type { QueueItem } from '../../../shared/reviewQueue.ts';
import { useClient, useEvent } from '../api/context.tsx';
import { describeError } from '../errors.ts';
import { whenChanged, whenExactly } from '../time.ts';

const DONE: Record<Exclude<QueueItem['state'], 'waiting'>, string> = {
  approved: 'Approved by you',
  changesRequested: 'Changes requested by you',
};

export function wordsLine(item: Pick<QueueItem, 'wordCount' | 'wordBudget'>): string {
  const words = `${item.wordCount} ${item.wordCount === 1 ? 'word' : 'words'}`;
  return item.wordBudget === null ? words : `${item.wordCount} of ${item.wordBudget} words`;
}

const commentsLine = (n: number) => (n === 0 ? 'no open comments' : `${n} open ${n === 1 ? 'comment' : 'comments'}`);

/**
 * An editor's Review queue (workflow.queue): what waits for them, oldest submission
 * first (stories assigned to them before the rest). A story they approve or send back
 * stays, marked done, below the waiting ones, and the next waiting one is offered, so
 * acting on a story never leaves an empty view behind it.
 */
export function ReviewQueue({ openId, onOpen }: { openId: string | null; onOpen: (id: string) => void }) {
  const client = useClient();
  const [items, setItems] = useState<QueueItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    client.call('workflow.queue', {}).then(
      (q) => {
        setItems(q);
        setError(null);
      },
      (e: unknown) => setError(describeError(e)),
    );
  }, [client]);
  useEffect(load, [load]);
  // A step, a submit or an assignment changes the queue; a working-copy save (it carries
  // a session) changes at most a word count, which can wait for the next step.
  useEvent(
    'documents.changed',
    useCallback((p) => p.session === undefined && load(), [load]),
  );
  useEvent('comments.changed', load);

  const waiting = items?.filter((i) => i.state === 'waiting') ?? [];
  const current = items?.find((i) => i.id === openId);
  const next = current && current.state !== 'waiting' ? waiting[0] : undefined;
  return (
    // Not a region of its own: the list is named Review queue, as the button that opens it.
    <div className="review-queue">
      <h2>Review queue — oldest first</h2>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {next && (
        <button type="button" className="next-in-queue" onClick={() => onOpen(next.id)}>
          Next in queue: {next.title || 'Untitled'}
        </button>
      )}
      <ul aria-label="Review queue">
        {items?.map((i) => {
          const over = i.wordBudget !== null && i.wordCount > i.wordBudget;
          return (
            <li key={i.id} className={i.state === 'waiting' ? undefined : 'done'}>
              <button type="button" className="queue-item" onClick={() => onOpen(i.id)} aria-current={i.id === openId ? 'true' : undefined}>
                <span className="kind">{KIND_LABELS[i.kind]}</span>
                <span className="title">{i.title || 'Untitled'}</span>
                {i.state !== 'waiting' && <span className="done-note">{DONE[i.state]}</span>}
                <span className="meta">
                  {i.submittedByName ? `Submitted by ${i.submittedByName}` : 'Submitted'}
                  {i.submittedAt !== null && (
                    <>
                      , <time title={whenExactly(i.submittedAt)}>{whenChanged(i.submittedAt)}</time>
                    </>
                  )}
                  {i.assignedToYou ? ' · assigned to you' : ''}
                </span>
                <span className="meta">
                  <span className={over ? 'over-budget' : undefined}>{wordsLine(i)}</span> · {commentsLine(i.openComments)}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      {items && items.length === 0 && <p className="empty-state">Nothing waits for review.</p>}
      {items && items.length > 0 && waiting.length === 0 && <p className="empty-state">Nothing else waits for review.</p>}
    </div>
  );
}
