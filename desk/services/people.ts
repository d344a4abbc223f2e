import type { DeskHandlers } from '../context.ts';
import { notYet } from './notYet.ts';

type PeopleOps = 'desk.hello' | 'desk.setup' | 'auth.signIn' | 'auth.acceptInvite' | 'auth.signOut' | 'auth.me' | 'people.list' | 'people.invite' | 'people.setRole' | 'people.revoke';

export const peopleHandlers: Pick<DeskHandlers, PeopleOps> = {
  'desk.hello': notYet('desk.hello'),
  'desk.setup': notYet('desk.setup'),
  'auth.signIn': notYet('auth.signIn'),
  'auth.acceptInvite': notYet('auth.acceptInvite'),
  'auth.signOut': notYet('auth.signOut'),
  'auth.me': notYet('auth.me'),
  'people.list': notYet('people.list'),
  'people.invite': notYet('people.invite'),
  'people.setRole': notYet('people.setRole'),
  'people.revoke': notYet('people.revoke'),
};
