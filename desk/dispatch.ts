import { createHash } from 'node:crypto';
import { deskContract, isDeskOperationName, type DeskPerson } from '../shared/desk.ts';
import { GalleyError, invalidInput, type ErrorBody } from '../shared/errors.ts';
import { ROLE_LABELS } from '../shared/people.ts';
import type { DeskCaller, DeskContext, DeskHandlers } from './context.ts';

export type DeskCallResult = { ok: true; value: unknown } | { ok: false; error: ErrorBody };

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

type PersonRow = {
  id: string;
  name: string;
  username: string;
  role: DeskPerson['role'];
  admin: boolean;
  revoked_at: number | null;
  created_at: number;
};

export function toDeskPerson(row: PersonRow): DeskPerson {
  return { id: row.id, name: row.name, username: row.username, role: row.role, admin: row.admin, revokedAt: row.revoked_at, createdAt: row.created_at };
}

const SIGN_IN_AGAIN = 'Sign in to the desk again.';

/**
 * Who a session token belongs to, read fresh on every call: a role change or a
 * revocation takes effect on the next call, not at the next sign-in.
 */
export async function authenticate(ctx: DeskContext, token: string | null): Promise<{ person: DeskPerson; tokenHash: string } | null> {
  if (!token) return null;
  const tokenHash = hashToken(token);
  const { rows } = await ctx.pool.query<PersonRow & { expires_at: number; session_revoked_at: number | null }>(
    `SELECT p.*, s.expires_at, s.revoked_at AS session_revoked_at
       FROM sessions s JOIN people p ON p.id = s.person_id WHERE s.token_hash = $1`,
    [tokenHash],
  );
  const row = rows[0];
  if (!row) throw new GalleyError('unauthenticated', `This desk does not know that session. ${SIGN_IN_AGAIN}`);
  if (row.revoked_at !== null) throw new GalleyError('unauthenticated', 'An administrator revoked your access to this desk. Ask them if this is a mistake.');
  if (row.session_revoked_at !== null) throw new GalleyError('unauthenticated', `This session was signed out. ${SIGN_IN_AGAIN}`);
  if (row.expires_at <= ctx.now()) throw new GalleyError('unauthenticated', `Your desk session expired. ${SIGN_IN_AGAIN}`);
  return { person: toDeskPerson(row), tokenHash };
}

/**
 * The desk's one entry point for every transport (HTTP in desk/server.ts, in-process in
 * tests): parse the input with the contract, authenticate, check access, run the
 * handler, check the answer. Never throws.
 */
export async function deskCall(
  ctx: DeskContext,
  handlers: DeskHandlers,
  name: string,
  raw: unknown,
  auth: { token: string | null; address: string },
): Promise<DeskCallResult> {
  try {
    if (!isDeskOperationName(name)) throw new GalleyError('unknown_operation', `The desk has no operation named "${name}".`);
    const op = deskContract[name];
    let caller: DeskCaller = { person: null, sessionTokenHash: null, address: auth.address };
    if (op.access !== 'anyone') {
      const who = await authenticate(ctx, auth.token);
      if (!who) throw new GalleyError('unauthenticated', `Sign in to the desk first.`);
      caller = { person: who.person, sessionTokenHash: who.tokenHash, address: auth.address };
      if (op.access === 'admin' && !who.person.admin) {
        throw new GalleyError('forbidden', `Only the desk's administrators may do this (${op.summary.toLowerCase()}).`);
      }
      if (Array.isArray(op.access) && !op.access.includes(who.person.role)) {
        throw new GalleyError('forbidden', `${ROLE_LABELS[who.person.role]} may not do this on the desk (${op.summary.toLowerCase()}).`);
      }
    }
    const parsed = op.input.safeParse(raw ?? {});
    if (!parsed.success) throw invalidInput(name, parsed.error);
    const handler = handlers[name] as (c: DeskContext, i: unknown, caller: DeskCaller) => Promise<unknown>;
    const value = await handler(ctx, parsed.data, caller);
    const out = op.output.safeParse(value);
    if (!out.success) {
      console.error(`[desk] ${name} produced an answer outside the contract:`, out.error.issues.slice(0, 3));
      throw new GalleyError('internal', `The desk produced an unexpected answer for ${name}.`);
    }
    return { ok: true, value: out.data };
  } catch (error) {
    if (error instanceof GalleyError) return { ok: false, error: error.toBody() };
    console.error(`[desk] ${name} failed:`, error);
    return { ok: false, error: { code: 'internal', message: 'Something went wrong on the desk; the error was logged there. Nothing you sent was half-saved.' } };
  }
}

/** Narrows a caller the dispatcher has already authenticated. */
export function signedIn(caller: DeskCaller): DeskPerson {
  if (!caller.person) throw new GalleyError('unauthenticated', 'Sign in to the desk first.');
  return caller.person;
}
