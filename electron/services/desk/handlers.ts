import { GalleyError } from '../../../shared/errors.ts';
import type { Handlers } from '../../handlers.ts';

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

const notYet = (name: string) => () => {
  throw new GalleyError('unavailable', `This workstation cannot do ${name} yet.`);
};

/** The workstation's side of the newsroom desk (Settings → Newsroom desk, the top bar). */
export const deskLinkHandlers: Pick<Handlers, DeskLinkOps> = {
  'desk.status': () => ({ state: 'alone', address: null, deskName: null, needsSetup: false, person: null, waiting: 0, lastError: null, lastSyncAt: null }),
  'desk.connect': notYet('desk.connect'),
  'desk.setup': notYet('desk.setup'),
  'desk.signIn': notYet('desk.signIn'),
  'desk.acceptInvite': notYet('desk.acceptInvite'),
  'desk.signOut': notYet('desk.signOut'),
  'desk.disconnect': notYet('desk.disconnect'),
  'desk.syncNow': notYet('desk.syncNow'),
  'desk.outbox': () => [],
  'desk.people': notYet('desk.people'),
  'desk.invite': notYet('desk.invite'),
  'desk.setRole': notYet('desk.setRole'),
  'desk.revoke': notYet('desk.revoke'),
};
