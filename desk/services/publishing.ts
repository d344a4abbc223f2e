import type { DeskHandlers } from '../context.ts';
import { notYet } from './notYet.ts';

type PublishingOps =
  | 'publishing.targets'
  | 'publishing.saveTarget'
  | 'publishing.removeTarget'
  | 'publishing.testTarget'
  | 'publishing.status'
  | 'publishing.retry'
  | 'publishing.cancel'
  | 'publishing.resolve';

export const publishingHandlers: Pick<DeskHandlers, PublishingOps> = {
  'publishing.targets': notYet('publishing.targets'),
  'publishing.saveTarget': notYet('publishing.saveTarget'),
  'publishing.removeTarget': notYet('publishing.removeTarget'),
  'publishing.testTarget': notYet('publishing.testTarget'),
  'publishing.status': notYet('publishing.status'),
  'publishing.retry': notYet('publishing.retry'),
  'publishing.cancel': notYet('publishing.cancel'),
  'publishing.resolve': notYet('publishing.resolve'),
};

/**
 * Called by workflow.act (desk/services/sync.ts) inside its transaction, so the jobs
 * exist exactly when the status change does: the outbox jobs for a publish, schedule or
 * unpublish of `documentId` on every target (and, for an article, its figures'
 * captions). Returns how many jobs were added. The caller wakes the worker after commit.
 */
export async function enqueuePublishing(
  _client: import('pg').PoolClient,
  _ctx: import('../context.ts').DeskContext,
  _input: { documentId: string; action: 'publish' | 'schedule' | 'unpublish'; revisionId: string | null; publishAt: number | null; personId: string },
): Promise<number> {
  return 0;
}
