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
