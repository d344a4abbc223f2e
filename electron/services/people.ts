import { randomUUID } from 'node:crypto';
import { getPerson, insertPerson, listPeople } from '../../db/people.ts';
import { getSetting, setSetting } from '../../db/settings.ts';
import type { Output, ParsedInput } from '../../shared/contract.ts';
import { GalleyError } from '../../shared/errors.ts';
import type { Person } from '../../shared/people.ts';
import type { ServiceContext } from './context.ts';

const CURRENT = 'session.currentPersonId';

/**
 * The workstation remembers who was last at the keyboard, so a restart does not ask
 * again. Alone, roles here are workflow guard rails on a shared computer, not
 * authentication; with a newsroom desk the current person is the one signed in to it,
 * with the desk's role (electron/services/desk/link.ts).
 */
export function currentPerson(ctx: ServiceContext): Person | null {
  const id = getSetting(ctx.db, CURRENT);
  return (id && getPerson(ctx.db, id)) || null;
}

export function getSession(ctx: ServiceContext): Output<'session.get'> {
  return { person: currentPerson(ctx) };
}

/**
 * With a newsroom desk the desk says who is at the keyboard (whoever signed in) and what
 * their role is: a local Switch user could otherwise make anyone an editor of the desk.
 */
function refuseInDeskMode(ctx: ServiceContext): void {
  if (!ctx.desk?.linked()) return;
  const me = currentPerson(ctx);
  const who = ctx.desk.person()?.name ?? me?.name;
  throw new GalleyError(
    'forbidden',
    who
      ? `This workstation is signed in to the newsroom desk as ${who}; sign out in Settings → Newsroom desk to switch.`
      : 'This workstation uses the newsroom desk: sign in in Settings → Newsroom desk; people are added there by an administrator.',
  );
}

export function switchPerson(ctx: ServiceContext, input: ParsedInput<'session.switch'>): Output<'session.switch'> {
  refuseInDeskMode(ctx);
  const person = getPerson(ctx.db, input.personId);
  if (!person) throw new GalleyError('not_found', 'No such person at this workstation; add them with Switch user.');
  setSetting(ctx.db, CURRENT, person.id);
  ctx.emit('session.changed', { personId: person.id });
  return { person };
}

export function createPerson(ctx: ServiceContext, input: ParsedInput<'people.create'>): Person {
  refuseInDeskMode(ctx);
  const taken = listPeople(ctx.db).some((p) => p.name.toLocaleLowerCase() === input.name.toLocaleLowerCase());
  if (taken) {
    throw new GalleyError('conflict', `${input.name} is already at this workstation; pick them in Switch user.`, [
      { path: 'name', message: 'This name is taken' },
    ]);
  }
  const person: Person = { id: randomUUID(), name: input.name, role: input.role, createdAt: ctx.now() };
  insertPerson(ctx.db, person);
  return person;
}

export { listPeople };
