import type { DeskHandlers } from '../context.ts';
import * as assets from './assets.ts';
import * as comments from './comments.ts';
import * as documents from './documents.ts';
import * as feed from './feed.ts';
import * as locks from './locks.ts';
import * as notifications from './notifications.ts';
import { push } from './push.ts';
import * as workflow from './workflow.ts';

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

/** The desk's shared documents: sync, workflow, comments, locks, notifications and photos. */
export const syncHandlers: Pick<DeskHandlers, SyncOps> = {
  'sync.pull': (ctx, input) => feed.pull(ctx, input),
  'sync.blocks': (ctx, input) => feed.blocks(ctx, input),
  'sync.push': push,
  'documents.get': (ctx, input) => documents.get(ctx, input),
  'documents.assign': documents.assign,
  'documents.trash': documents.trash,
  'documents.restore': documents.restore,
  'workflow.act': workflow.act,
  'workflow.events': (ctx, input) => workflow.eventsOf(ctx, input),
  'comments.add': comments.add,
  'comments.resolve': comments.resolve,
  'locks.acquire': locks.acquire,
  'locks.release': locks.release,
  'locks.takeOver': locks.takeOver,
  'notifications.list': (ctx, _input, caller) => notifications.list(ctx, caller),
  'notifications.markRead': (ctx, _input, caller) => notifications.markRead(ctx, caller),
  'assets.put': assets.put,
  'assets.has': (ctx, input) => assets.has(ctx, input),
  'assets.get': (ctx, input) => assets.get(ctx, input),
};
