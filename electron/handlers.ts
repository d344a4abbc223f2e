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
import { preview as publishPreview } from './services/publishPreview.ts';
import * as reviewQueue from './services/reviewQueue.ts';
import * as revisions from './services/revisions.ts';
import * as settings from './services/settings.ts';
import * as style from './services/style.ts';
import * as workflow from './services/workflow.ts';
import { deskLinkHandlers } from './services/desk/handlers.ts';
import * as desk from './services/desk/forward.ts';
import { getPerson } from '../db/people.ts';

export type Handler<K extends OperationName> = (
  ctx: ServiceContext,
  input: ParsedInput<K>,
  caller: Caller,
) => Output<K> | Promise<Output<K>>;

/** One handler per contract operation; the type makes a missing one a compile error. */
export type Handlers = { [K in OperationName]: Handler<K> };

/** The desk's answer when a desk is configured, else the local one. */
function withDesk<T>(ctx: ServiceContext, remote: (link: NonNullable<ServiceContext['desk']>) => Promise<T>, local: () => T | Promise<T>): T | Promise<T> {
  const link = desk.linked(ctx);
  return link ? remote(link) : local();
}

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
    ctx.desk?.assertMayWrite();
    locks.assertMayWrite(ctx, signedIn(caller), input.id, input.session);
    const { saved, content } = documents.saveWorking(ctx, signedIn(caller), input);
    workflow.afterEdit(ctx, signedIn(caller), input.id, content);
    return saved;
  },
  'documents.trash': (ctx, input, caller) => {
    ctx.desk?.assertMayWrite();
    const doc = documents.trashDocument(ctx, signedIn(caller), input);
    desk.afterDocumentChange(ctx, signedIn(caller), { operation: 'documents.trash', id: doc.id, title: doc.title });
    return doc;
  },
  'documents.restore': (ctx, input, caller) => {
    ctx.desk?.assertMayWrite();
    const doc = documents.restoreDocument(ctx, signedIn(caller), input);
    desk.afterDocumentChange(ctx, signedIn(caller), { operation: 'documents.restore', id: doc.id, title: doc.title });
    return doc;
  },
  'documents.slugCheck': (ctx, input) => documents.slugCheck(ctx, input),
  'documents.assign': (ctx, input, caller) => {
    ctx.desk?.assertMayWrite();
    const doc = documents.assignDocument(ctx, input);
    const personName = input.personId ? (getPerson(ctx.db, input.personId)?.name ?? null) : null;
    desk.afterDocumentChange(ctx, signedIn(caller), { operation: 'documents.assign', id: doc.id, title: doc.title, personId: input.personId, personName });
    return doc;
  },
  'workflow.transition': (ctx, input, caller) => {
    ctx.desk?.assertMayWrite();
    const approvedBefore = documents.getDocument(ctx, { id: input.documentId }).approvedRevisionId;
    const record = workflow.transition(ctx, signedIn(caller), input);
    desk.afterTransition(ctx, signedIn(caller), input, record, approvedBefore);
    return record;
  },
  'workflow.events': (ctx, input) => workflow.events(ctx, input),
  'workflow.queue': (ctx, _input, caller) => reviewQueue.queue(ctx, signedIn(caller)),
  'workflow.prepublish': (ctx, input) => workflow.prepublish(ctx, input),
  'notifications.list': (ctx, _input, caller) => notifications.listNotifications(ctx, signedIn(caller)),
  'notifications.markRead': (ctx, _input, caller) => notifications.markRead(ctx, signedIn(caller)),
  // With a desk, its lock decides who edits; the local lock stands in while it is away.
  'locks.acquire': (ctx, input, caller) => desk.lockCall(ctx, 'locks.acquire', input, () => locks.acquire(ctx, signedIn(caller), input)),
  'locks.release': (ctx, input, caller) => desk.releaseCall(ctx, input, () => locks.release(ctx, signedIn(caller), input)),
  'locks.takeOver': (ctx, input, caller) => desk.lockCall(ctx, 'locks.takeOver', input, () => locks.takeOver(ctx, signedIn(caller), input)),
  'comments.list': (ctx, input) => commentsService.comments(ctx, input),
  'comments.add': (ctx, input, caller) => {
    ctx.desk?.assertMayWrite();
    const comment = commentsService.addComment(ctx, signedIn(caller), input);
    desk.afterCommentAdded(ctx, signedIn(caller), comment, documents.getDocument(ctx, { id: comment.documentId }).title);
    return comment;
  },
  'comments.reply': (ctx, input, caller) => {
    ctx.desk?.assertMayWrite();
    const comment = commentsService.reply(ctx, signedIn(caller), input);
    desk.afterCommentAdded(ctx, signedIn(caller), comment, documents.getDocument(ctx, { id: comment.documentId }).title);
    return comment;
  },
  'comments.resolve': (ctx, input, caller) => {
    ctx.desk?.assertMayWrite();
    const comment = commentsService.resolve(ctx, signedIn(caller), input);
    desk.afterCommentResolved(ctx, signedIn(caller), comment);
    return comment;
  },
  'revisions.list': (ctx, input) => revisions.listHistory(ctx, input),
  'revisions.checkpoint': (ctx, input, caller) => revisions.checkpoint(ctx, signedIn(caller), input),
  'revisions.restore': (ctx, input, caller) => revisions.restore(ctx, signedIn(caller), input),
  'revisions.compare': (ctx, input) => revisions.compare(ctx, input),
  'revisions.prune': (ctx) => revisions.prune(ctx, settings.retention(ctx)),
  'settings.get': (ctx) => settings.getSettings(ctx),
  'settings.update': (ctx, input, caller) => settings.updateSettings(ctx, input, caller),
  'imports.preview': (ctx, input) => imports.previewImport(ctx, input),
  'imports.create': (ctx, input, caller) => imports.createImport(ctx, signedIn(caller), input),
  'style.config': (ctx) => style.styleConfig(ctx),
  'assets.import': (ctx, input, caller) => assets.importAsset(ctx, signedIn(caller), input),
  'assets.get': (ctx, input) => assets.getAssetInfo(ctx, input),
  'assets.image': (ctx, input) => assets.imageData(ctx, input),
  'captions.attachPhoto': (ctx, input, caller) => assets.attachPhoto(ctx, signedIn(caller), input),
  // With a desk, publishing (targets, jobs, their secrets) is the desk's: these ask it.
  'publishing.targets': (ctx) => withDesk(ctx, (link) => desk.publishingTargets(link), () => publishing.listTargets(ctx)),
  'publishing.saveTarget': (ctx, input) => withDesk(ctx, (link) => desk.publishingCall(ctx, link, 'publishing.saveTarget', input), () => publishing.saveTarget(ctx, input)),
  'publishing.removeTarget': (ctx, input) => withDesk(ctx, (link) => desk.publishingCall(ctx, link, 'publishing.removeTarget', input), () => publishing.removeTarget(ctx, input)),
  'publishing.testTarget': (ctx, input) => withDesk(ctx, (link) => desk.publishingCall(ctx, link, 'publishing.testTarget', input), () => publishing.testTarget(ctx, input)),
  'publishing.setStaffToken': (ctx, input) => {
    if (desk.linked(ctx)) {
      throw new GalleyError('invalid_input', 'Publish targets are on the newsroom desk: give the Staff access token in the target’s form (Settings → Publish targets).');
    }
    return publishing.setStaffToken(ctx, input);
  },
  'publishing.status': (ctx, input) => withDesk(ctx, (link) => desk.publishingStatus(ctx, link, input), () => publishing.status(ctx, input)),
  'publishing.preview': async (ctx, input) => {
    const link = desk.linked(ctx);
    const { targets } = link ? await desk.publishingTargets(link) : publishing.listTargets(ctx);
    return publishPreview(ctx, input, targets, !link);
  },
  'publishing.retry': (ctx, input) => withDesk(ctx, (link) => desk.publishingCall(ctx, link, 'publishing.retry', input), () => publishing.retry(ctx, input)),
  'publishing.cancel': (ctx, input) => withDesk(ctx, (link) => desk.publishingCall(ctx, link, 'publishing.cancel', input), () => publishing.cancel(ctx, input)),
  'publishing.resolve': (ctx, input) => withDesk(ctx, (link) => desk.publishingCall(ctx, link, 'publishing.resolve', input), () => publishing.resolve(ctx, input)),
  'captions.createFromPhoto': (ctx, input, caller) => assets.createCaptionFromPhoto(ctx, signedIn(caller), input),
  ...deskLinkHandlers,
};
