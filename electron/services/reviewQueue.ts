import { reviewQueue } from '../../db/workflow.ts';
import { BIO_WORD_BUDGET, DocumentKind } from '../../shared/documents.ts';
import { QUEUE_DONE_FOR_MS, type QueueItem } from '../../shared/reviewQueue.ts';
import type { ServiceContext, SignedIn } from './context.ts';

const STATE = { approve: 'approved', requestChanges: 'changesRequested' } as const;

/** The caller's Review queue (db/workflow.ts reviewQueue says what is in it and in which order). */
export function queue(ctx: ServiceContext, caller: SignedIn): QueueItem[] {
  return reviewQueue(ctx.db, caller.person.id, ctx.now() - QUEUE_DONE_FOR_MS).map((r) => {
    const kind = DocumentKind.parse(r.kind);
    const budget = kind === 'article' ? (typeof r.wordBudget === 'number' ? r.wordBudget : null) : kind === 'bio' ? BIO_WORD_BUDGET : null;
    return {
      id: r.id,
      kind,
      title: r.title,
      state: r.myAction === 'approve' || r.myAction === 'requestChanges' ? STATE[r.myAction] : 'waiting',
      submittedByName: r.submittedByName,
      submittedAt: r.submittedAt,
      actedAt: r.actedAt,
      wordCount: r.wordCount,
      wordBudget: budget,
      openComments: r.openComments,
      assignedToYou: r.assigneeId === caller.person.id,
    };
  });
}
