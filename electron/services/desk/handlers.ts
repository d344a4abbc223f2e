import type { DeskLink } from '../../../shared/contract.ts';
import { GalleyError } from '../../../shared/errors.ts';
import type { Handlers } from '../../handlers.ts';
import type { ServiceContext } from '../context.ts';
import type { Link } from './link.ts';
import { outboxItems } from './outbox.ts';

type DeskLinkOps =
  | 'desk.status'
  | 'desk.connect'
  | 'desk.setup'
  | 'desk.signIn'
  | 'desk.acceptInvite'
  | 'desk.signOut'
  | 'desk.disconnect'
  | 'desk.syncNow'
  | 'desk.outbox'
  | 'desk.people'
  | 'desk.invite'
  | 'desk.setRole'
  | 'desk.revoke';

const ALONE: DeskLink = { state: 'alone', address: null, deskName: null, needsSetup: false, person: null, waiting: 0, lastError: null, lastSyncAt: null };

function link(ctx: ServiceContext): Link {
  if (!ctx.desk) throw new GalleyError('unavailable', 'This back end runs without a newsroom desk link.');
  return ctx.desk;
}

/** The workstation's side of the newsroom desk (Settings → Newsroom desk, the top bar). */
export const deskLinkHandlers: Pick<Handlers, DeskLinkOps> = {
  'desk.status': (ctx) => ctx.desk?.status() ?? ALONE,
  'desk.connect': (ctx, input) => link(ctx).connect(input.address),
  'desk.setup': (ctx, input) => link(ctx).setup(input),
  'desk.signIn': (ctx, input) => link(ctx).signIn(input),
  'desk.acceptInvite': (ctx, input) => link(ctx).acceptInvite(input),
  'desk.signOut': (ctx) => link(ctx).signOut(),
  'desk.disconnect': (ctx) => link(ctx).disconnect(),
  'desk.syncNow': (ctx) => link(ctx).syncNow(),
  'desk.outbox': (ctx) => outboxItems(ctx),
  // The desk decides who may: these only carry the request (it checks admin on every call).
  'desk.people': (ctx) => link(ctx).call('people.list', {}),
  'desk.invite': (ctx, input) => link(ctx).call('people.invite', input),
  'desk.setRole': async (ctx, input) => {
    const person = await link(ctx).call('people.setRole', input);
    link(ctx).adopt(person);
    return person;
  },
  'desk.revoke': async (ctx, input) => {
    const person = await link(ctx).call('people.revoke', input);
    link(ctx).adopt(person);
    return person;
  },
};
