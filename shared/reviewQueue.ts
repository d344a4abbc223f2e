import { z } from 'zod';
import { DocumentKind } from './documents.ts';

/**
 * One row of an editor's Review queue (workflow.queue): a story waiting for review, or
 * one this editor acted on lately, which stays in the list marked done so that acting
 * on a story never empties the view under the editor.
 */
export const QueueItem = z.object({
  id: z.string(),
  kind: DocumentKind,
  title: z.string(),
  /** waiting: submitted, not reviewed since; the others: what this editor did last. */
  state: z.enum(['waiting', 'approved', 'changesRequested']),
  /** Who submitted it last (a stale approval counts as a resubmission by the editor). */
  submittedByName: z.string().nullable(),
  submittedAt: z.number().nullable(),
  /** When this editor approved it or sent it back (done rows only). */
  actedAt: z.number().nullable(),
  wordCount: z.number(),
  /** Articles: their word budget if set; bios: the house's bio budget; captions: none. */
  wordBudget: z.number().nullable(),
  /** Open comment threads (replies are not counted; resolved ones are not open). */
  openComments: z.number(),
  assignedToYou: z.boolean(),
});
export type QueueItem = z.infer<typeof QueueItem>;

/** How long a story this editor acted on stays in their queue, marked done. */
export const QUEUE_DONE_FOR_MS = 12 * 3_600_000;
