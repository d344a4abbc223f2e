import type { Output, OperationName, ParsedInput } from '../shared/contract.ts';
import { GalleyError } from '../shared/errors.ts';
import type { Caller, ServiceContext, SignedIn } from './services/context.ts';
import * as assets from './services/assets.ts';
import * as commentsService from './services/comments.ts';
import * as documents from './services/documents.ts';
import * as imports from './services/imports.ts';
import * as locks from './services/locks.ts';
import * as notifications from './services/notifications.ts';
import * as people from './services/people.ts';
import * as publishing from './services/publishing.ts';
import * as revisions from './services/revisions.ts';
import * as settings from './services/settings.ts';
import * as style from './services/style.ts';
import * as workflow from './services/workflow.ts';
import { deskLinkHandlers } from './services/desk/handlers.ts';

export type Handler<K extends OperationName> = (
  ctx: ServiceContext,
  input: ParsedInput<K>,
  caller: Caller,
) => Output<K> | Promise<Output<K>>;

/** One handler per contract operation; the type makes a missing one a compile error. */
export type Handlers = { [K in OperationName]: Handler<K> };

/** The dispatcher has checked the role already; this only narrows the type. */
function signedIn(caller: Caller): SignedIn {
  if (!caller.person) throw new GalleyError('no_person', 'Choose who is at the keyboard first.');
  return { person: caller.person };
}

export const handlers: Handlers = {
  'session.get': (ctx) => people.getSession(ctx),
  'session.switch': (ctx, input) => people.switchPerson(ctx, input),
  'people.list': (ctx) => people.listPeople(ctx.db),
  'people.create': (ctx, input) => people.createPerson(ctx, input),
  'documents.list': (ctx, input) => documents.listDesk(ctx, input),
  'documents.create': (ctx, input, caller) => documents.createDocument(ctx, signedIn(caller), input),
  'documents.get': (ctx, input) => documents.getDocument(ctx, input),
  'documents.getMany': (ctx, input) => documents.getDocuments(ctx, input),
  'documents.saveWorking': (ctx, input, caller) => {
    locks.assertMayWrite(ctx, signedIn(caller), input.id, input.session);
    const { saved, content } = documents.saveWorking(ctx, signedIn(caller), input);
    workflow.afterEdit(ctx, signedIn(caller), input.id, content);
    return saved;
  },
  'documents.trash': (ctx, input, caller) => documents.trashDocument(ctx, signedIn(caller), input),
  'documents.restore': (ctx, input, caller) => documents.restoreDocument(ctx, signedIn(caller), input),
  'documents.slugCheck': (ctx, input) => documents.slugCheck(ctx, input),
  'documents.assign': (ctx, input) => documents.assignDocument(ctx, input),
  'workflow.transition': (ctx, input, caller) => workflow.transition(ctx, signedIn(caller), input),
  'workflow.events': (ctx, input) => workflow.events(ctx, input),
  'workflow.prepublish': (ctx, input) => workflow.prepublish(ctx, input),
  'notifications.list': (ctx, _input, caller) => notifications.listNotifications(ctx, signedIn(caller)),
  'notifications.markRead': (ctx, _input, caller) => notifications.markRead(ctx, signedIn(caller)),
  'locks.acquire': (ctx, input, caller) => locks.acquire(ctx, signedIn(caller), input),
  'locks.release': (ctx, input, caller) => locks.release(ctx, signedIn(caller), input),
  'locks.takeOver': (ctx, input, caller) => locks.takeOver(ctx, signedIn(caller), input),
  'comments.list': (ctx, input) => commentsService.comments(ctx, input),
  'comments.add': (ctx, input, caller) => commentsService.addComment(ctx, signedIn(caller), input),
  'comments.resolve': (ctx, input, caller) => commentsService.resolve(ctx, signedIn(caller), input),
  'revisions.list': (ctx, input) => revisions.listHistory(ctx, input),
  'revisions.checkpoint': (ctx, input, caller) => revisions.checkpoint(ctx, signedIn(caller), input),
  'revisions.restore': (ctx, input, caller) => revisions.restore(ctx, signedIn(caller), input),
  'revisions.compare': (ctx, input) => revisions.compare(ctx, input),
  'revisions.prune': (ctx) => revisions.prune(ctx, settings.retention(ctx)),
  'settings.get': (ctx) => settings.getSettings(ctx),
  'settings.update': (ctx, input) => settings.updateSettings(ctx, input),
  'imports.preview': (ctx, input) => imports.previewImport(ctx, input),
  'imports.create': (ctx, input, caller) => imports.createImport(ctx, signedIn(caller), input),
  'style.config': (ctx) => style.styleConfig(ctx),
  'assets.import': (ctx, input, caller) => assets.importAsset(ctx, signedIn(caller), input),
  'assets.get': (ctx, input) => assets.getAssetInfo(ctx, input),
  'assets.image': (ctx, input) => assets.imageData(ctx, input),
  'captions.attachPhoto': (ctx, input, caller) => assets.attachPhoto(ctx, signedIn(caller), input),
  'publishing.targets': (ctx) => publishing.listTargets(ctx),
  'publishing.saveTarget': (ctx, input) => publishing.saveTarget(ctx, input),
  'publishing.removeTarget': (ctx, input) => publishing.removeTarget(ctx, input),
  'publishing.testTarget': (ctx, input) => publishing.testTarget(ctx, input),
  'publishing.setStaffToken': (ctx, input) => publishing.setStaffToken(ctx, input),
  'publishing.status': (ctx, input) => publishing.status(ctx, input),
  'publishing.retry': (ctx, input) => publishing.retry(ctx, input),
  'publishing.cancel': (ctx, input) => publishing.cancel(ctx, input),
  'publishing.resolve': (ctx, input) => publishing.resolve(ctx, input),
  'captions.createFromPhoto': (ctx, input, caller) => assets.createCaptionFromPhoto(ctx, signedIn(caller), input),
  ...deskLinkHandlers,
};
