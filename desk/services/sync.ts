import type { DeskHandlers } from '../context.ts';
import { notYet } from './notYet.ts';

type SyncOps =
  | 'sync.pull'
  | 'sync.blocks'
  | 'sync.push'
  | 'documents.get'
  | 'documents.assign'
  | 'documents.trash'
  | 'documents.restore'
  | 'workflow.act'
  | 'workflow.events'
  | 'comments.add'
  | 'comments.resolve'
  | 'locks.acquire'
  | 'locks.release'
  | 'locks.takeOver'
  | 'notifications.list'
  | 'notifications.markRead'
  | 'assets.put'
  | 'assets.has'
  | 'assets.get';

export const syncHandlers: Pick<DeskHandlers, SyncOps> = {
  'sync.pull': notYet('sync.pull'),
  'sync.blocks': notYet('sync.blocks'),
  'sync.push': notYet('sync.push'),
  'documents.get': notYet('documents.get'),
  'documents.assign': notYet('documents.assign'),
  'documents.trash': notYet('documents.trash'),
  'documents.restore': notYet('documents.restore'),
  'workflow.act': notYet('workflow.act'),
  'workflow.events': notYet('workflow.events'),
  'comments.add': notYet('comments.add'),
  'comments.resolve': notYet('comments.resolve'),
  'locks.acquire': notYet('locks.acquire'),
  'locks.release': notYet('locks.release'),
  'locks.takeOver': notYet('locks.takeOver'),
  'notifications.list': notYet('notifications.list'),
  'notifications.markRead': notYet('notifications.markRead'),
  'assets.put': notYet('assets.put'),
  'assets.has': notYet('assets.has'),
  'assets.get': notYet('assets.get'),
};
