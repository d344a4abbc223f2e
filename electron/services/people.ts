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
 * again. Roles here are workflow guard rails on a shared desk, not authentication.
 */
export function currentPerson(ctx: ServiceContext): Person | null {
  const id = getSetting(ctx.db, CURRENT);
  return (id && getPerson(ctx.db, id)) || null;
}

export function getSession(ctx: ServiceContext): Output<'session.get'> {
  return { person: currentPerson(ctx) };
}

export function switchPerson(ctx: ServiceContext, input: ParsedInput<'session.switch'>): Output<'session.switch'> {
  const person = getPerson(ctx.db, input.personId);
  if (!person) throw new GalleyError('not_found', 'No such person at this workstation; add them with Switch user.');
  setSetting(ctx.db, CURRENT, person.id);
  ctx.emit('session.changed', { personId: person.id });
  return { person };
}

export function createPerson(ctx: ServiceContext, input: ParsedInput<'people.create'>): Person {
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
