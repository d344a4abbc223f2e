import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { DESK_PROTOCOL, type DeskPerson, type SessionGrant } from '../../shared/desk.ts';
import { GalleyError } from '../../shared/errors.ts';
import type { DeskCaller, DeskContext, DeskHandlers } from '../context.ts';
import { hashToken, signedIn, toDeskPerson } from '../dispatch.ts';
import { recordChange, tx } from '../db/pool.ts';
import { dummyHash, hashPassword, verifyPassword } from '../passwords.ts';

type PeopleOps = 'desk.hello' | 'desk.setup' | 'auth.signIn' | 'auth.acceptInvite' | 'auth.signOut' | 'auth.me' | 'people.list' | 'people.invite' | 'people.setRole' | 'people.revoke';

const DAY = 24 * 60 * 60 * 1000;
const MINUTE = 60 * 1000;
export const DEFAULT_SESSION_DAYS = 30;
export const INVITE_DAYS = 7;

/** Failed sign-ins are counted over this window… */
export const FAILURE_WINDOW_MS = 15 * MINUTE;
/** …and refused once a username has this many… */
export const MOST_FAILURES_PER_USERNAME = 5;
/** …or one address (a guesser trying many usernames) has this many. */
export const MOST_FAILURES_PER_ADDRESS = 20;

// Held (per transaction) by every write that must see the people table as a whole: the
// first setup, and changes that could leave the desk without an administrator.
const PEOPLE_LOCK = 17002;

/** Selecting a person's public columns (never the password hash). */
const PERSON_COLUMNS = 'id, name, username, role, admin, revoked_at, created_at';

async function deskName(db: pg.Pool | pg.PoolClient): Promise<string | null> {
  const { rows } = await db.query<{ value: string }>(`SELECT value FROM desk_meta WHERE key = 'name'`);
  return rows[0]?.value ?? null;
}

async function personById(db: pg.Pool | pg.PoolClient, id: string, forUpdate = false): Promise<DeskPerson | null> {
  const { rows } = await db.query(`SELECT ${PERSON_COLUMNS} FROM people WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] ? toDeskPerson(rows[0]) : null;
}

/** A new session for `person`, written in the caller's transaction; the token is returned once and stored only as its hash. */
async function openSession(ctx: DeskContext, client: pg.PoolClient, person: DeskPerson, device: string | undefined): Promise<SessionGrant> {
  const token = randomBytes(32).toString('base64url');
  const now = ctx.now();
  const expiresAt = now + (ctx.sessionDays ?? DEFAULT_SESSION_DAYS) * DAY;
  await client.query(
    'INSERT INTO sessions (token_hash, person_id, device, created_at, expires_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $4)',
    [hashToken(token), person.id, device ?? null, now, expiresAt],
  );
  return { token, expiresAt, person, deskName: (await deskName(client)) ?? '' };
}

function usernameTaken(username: string): GalleyError {
  return new GalleyError('conflict', `The username "${username}" is already taken on this desk; choose another.`);
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';
}

// ---------------------------------------------------------------------------------------
// Slowing down guessing

function waitWords(ms: number): string {
  const minutes = Math.max(1, Math.ceil(ms / MINUTE));
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/**
 * Refuses a sign-in while its username or its address has too many recent failures.
 * The wait is until enough of those failures have left the window to bring the count
 * below the limit.
 */
async function refuseIfTooManyFailures(ctx: DeskContext, username: string, address: string): Promise<void> {
  const since = ctx.now() - FAILURE_WINDOW_MS;
  const checks = [
    { column: 'username', value: username, limit: MOST_FAILURES_PER_USERNAME, what: 'this username' },
    { column: 'address', value: address, limit: MOST_FAILURES_PER_ADDRESS, what: 'this address' },
  ] as const;
  for (const check of checks) {
    // The newest `limit` failures: when the oldest of them leaves the window, the count drops below the limit.
    const { rows } = await ctx.pool.query<{ at: number }>(
      `SELECT at FROM sign_in_failures WHERE ${check.column} = $1 AND at > $2 ORDER BY at DESC LIMIT $3`,
      [check.value, since, check.limit],
    );
    if (rows.length >= check.limit) {
      const wait = rows[rows.length - 1]!.at + FAILURE_WINDOW_MS - ctx.now();
      throw new GalleyError('rate_limited', `Too many failed sign-ins for ${check.what}; wait ${waitWords(wait)} and try again.`);
    }
  }
}

async function recordFailure(ctx: DeskContext, username: string, address: string): Promise<void> {
  const now = ctx.now();
  await ctx.pool.query('INSERT INTO sign_in_failures (username, address, at) VALUES ($1, $2, $3)', [username, address, now]);
  // Rows older than the window no longer count for anything.
  await ctx.pool.query('DELETE FROM sign_in_failures WHERE (username = $1 OR address = $2) AND at <= $3', [username, address, now - FAILURE_WINDOW_MS]);
}

const WRONG_PASSWORD = 'Wrong username or password.';

// ---------------------------------------------------------------------------------------
// Invites

// RFC 4648 base32: no 0/1/8/9, so a code read aloud or retyped is not misread as O/I/B/g.
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** 120 random bits as 24 base32 letters in six groups of four: "ABCD-EFGH-…". */
function newInviteCode(): string {
  const bytes = randomBytes(15);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out.match(/.{4}/g)!.join('-');
}

/** A code as typed (any case, with or without dashes or spaces) to its stored hash. */
function inviteCodeHash(code: string): string {
  const normal = code.toUpperCase().replace(/[^A-Z2-7]/g, '');
  return createHash('sha256').update(normal, 'utf8').digest('hex');
}

// ---------------------------------------------------------------------------------------
// Administrators

async function liveAdminCount(client: pg.PoolClient): Promise<number> {
  const { rows } = await client.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM people WHERE admin AND revoked_at IS NULL');
  return rows[0]!.n;
}

/** A person to change, locked for this transaction; refuses an unknown or revoked one. */
async function personToChange(client: pg.PoolClient, id: string, what: string): Promise<DeskPerson> {
  const person = await personById(client, id, true);
  if (!person) throw new GalleyError('not_found', 'This desk has no such person.');
  if (person.revokedAt !== null) throw new GalleyError('conflict', `${person.name} was revoked; invite them again to ${what}.`);
  return person;
}

// ---------------------------------------------------------------------------------------

export const peopleHandlers: Pick<DeskHandlers, PeopleOps> = {
  async 'desk.hello'(ctx) {
    const { rows } = await ctx.pool.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM people) AS any');
    return { deskName: await deskName(ctx.pool), needsSetup: !rows[0]!.any, protocol: DESK_PROTOCOL, serverTime: ctx.now() };
  },

  async 'desk.setup'(ctx, input) {
    // Hashed before the transaction: the lock is held for milliseconds, not for scrypt.
    const passwordHash = await hashPassword(input.password);
    return tx(ctx.pool, async (client) => {
      // Two racing setups: the second waits here, then sees the first one's administrator.
      await client.query('SELECT pg_advisory_xact_lock($1)', [PEOPLE_LOCK]);
      const { rows } = await client.query('SELECT 1 FROM people LIMIT 1');
      if (rows.length) throw new GalleyError('conflict', 'This desk already has an administrator; sign in or ask them for an invite.');
      const now = ctx.now();
      await client.query(`INSERT INTO desk_meta (key, value) VALUES ('name', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`, [input.deskName]);
      const person: DeskPerson = { id: randomUUID(), name: input.name, username: input.username, role: 'editor', admin: true, revokedAt: null, createdAt: now };
      await client.query('INSERT INTO people (id, name, username, role, admin, password_hash, created_at) VALUES ($1, $2, $3, $4, TRUE, $5, $6)', [
        person.id,
        person.name,
        person.username,
        person.role,
        passwordHash,
        now,
      ]);
      await recordChange(client, 'person', person.id, now);
      return openSession(ctx, client, person, undefined);
    });
  },

  async 'auth.signIn'(ctx, input, caller) {
    await refuseIfTooManyFailures(ctx, input.username, caller.address);
    const { rows } = await ctx.pool.query(`SELECT ${PERSON_COLUMNS}, password_hash FROM people WHERE username = $1`, [input.username]);
    const row = rows[0] as (Parameters<typeof toDeskPerson>[0] & { password_hash: string | null }) | undefined;
    // Always one scrypt, so an unknown username takes as long as a wrong password.
    const matches = await verifyPassword(input.password, row?.password_hash ?? (await dummyHash()));
    if (!row || !matches) {
      if (row && row.password_hash === null) {
        throw new GalleyError('unauthenticated', 'You have been invited but have not joined yet: use the invite code from your administrator to choose a password.');
      }
      await recordFailure(ctx, input.username, caller.address);
      throw new GalleyError('unauthenticated', WRONG_PASSWORD);
    }
    // Said only to someone who knows the password.
    if (row.revoked_at !== null) throw new GalleyError('unauthenticated', 'An administrator revoked your access to this desk. Ask them if this is a mistake.');
    return tx(ctx.pool, async (client) => {
      await client.query('DELETE FROM sign_in_failures WHERE username = $1', [input.username]);
      return openSession(ctx, client, toDeskPerson(row), input.device);
    });
  },

  async 'auth.acceptInvite'(ctx, input) {
    const passwordHash = await hashPassword(input.password);
    const codeHash = inviteCodeHash(input.code);
    return tx(ctx.pool, async (client) => {
      const { rows } = await client.query<{ person_id: string; expires_at: number; used_at: number | null }>(
        'SELECT person_id, expires_at, used_at FROM invites WHERE code_hash = $1 FOR UPDATE',
        [codeHash],
      );
      const invite = rows[0];
      const now = ctx.now();
      if (!invite) throw new GalleyError('not_found', 'This desk does not know that invite code; check it, or ask your administrator for a new one.');
      const person = (await personById(client, invite.person_id, true))!;
      if (person.revokedAt !== null) throw new GalleyError('unauthenticated', 'An administrator revoked this invite. Ask them if this is a mistake.');
      if (invite.used_at !== null) throw new GalleyError('conflict', 'This invite code was already used; sign in with your username and password.');
      if (invite.expires_at <= now) throw new GalleyError('conflict', `This invite code expired (they last ${INVITE_DAYS} days); ask your administrator for a new one.`);
      await client.query('UPDATE invites SET used_at = $2 WHERE code_hash = $1', [codeHash, now]);
      await client.query('UPDATE people SET password_hash = $2 WHERE id = $1', [person.id, passwordHash]);
      await recordChange(client, 'person', person.id, now);
      return openSession(ctx, client, person, input.device);
    });
  },

  async 'auth.signOut'(ctx, _input, caller) {
    await ctx.pool.query('UPDATE sessions SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL', [sessionOf(caller), ctx.now()]);
    return { ok: true as const };
  },

  async 'auth.me'(ctx, _input, caller) {
    const person = signedIn(caller);
    const { rows } = await ctx.pool.query<{ expires_at: number }>('SELECT expires_at FROM sessions WHERE token_hash = $1', [sessionOf(caller)]);
    return { person, deskName: (await deskName(ctx.pool)) ?? '', expiresAt: rows[0]!.expires_at };
  },

  async 'people.list'(ctx) {
    const { rows } = await ctx.pool.query(`SELECT ${PERSON_COLUMNS} FROM people ORDER BY lower(name), name, id`);
    return rows.map(toDeskPerson);
  },

  async 'people.invite'(ctx, input, caller) {
    const admin = signedIn(caller);
    const code = newInviteCode();
    const now = ctx.now();
    const expiresAt = now + INVITE_DAYS * DAY;
    try {
      return await tx(ctx.pool, async (client) => {
        const taken = await client.query('SELECT 1 FROM people WHERE username = $1', [input.username]);
        if (taken.rows.length) throw usernameTaken(input.username);
        const person: DeskPerson = { id: randomUUID(), name: input.name, username: input.username, role: input.role, admin: false, revokedAt: null, createdAt: now };
        await client.query('INSERT INTO people (id, name, username, role, admin, created_at) VALUES ($1, $2, $3, $4, FALSE, $5)', [
          person.id,
          person.name,
          person.username,
          person.role,
          now,
        ]);
        await client.query('INSERT INTO invites (code_hash, person_id, created_by, expires_at) VALUES ($1, $2, $3, $4)', [inviteCodeHash(code), person.id, admin.id, expiresAt]);
        await recordChange(client, 'person', person.id, now);
        return { person, code, expiresAt };
      });
    } catch (error) {
      // Two admins inviting one username at once: the second insert hits the unique index.
      if (isUniqueViolation(error)) throw usernameTaken(input.username);
      throw error;
    }
  },

  async 'people.setRole'(ctx, input) {
    return tx(ctx.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [PEOPLE_LOCK]);
      const person = await personToChange(client, input.personId, 'change their role');
      const admin = input.admin ?? person.admin;
      if (person.admin && !admin && (await liveAdminCount(client)) <= 1) {
        throw new GalleyError('conflict', `${person.name} is this desk's only administrator; make someone else an administrator first.`);
      }
      if (person.role === input.role && person.admin === admin) return person;
      await client.query('UPDATE people SET role = $2, admin = $3 WHERE id = $1', [person.id, input.role, admin]);
      await recordChange(client, 'person', person.id, ctx.now());
      return { ...person, role: input.role, admin };
    });
  },

  async 'people.revoke'(ctx, input) {
    return tx(ctx.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [PEOPLE_LOCK]);
      const found = await personById(client, input.personId, true);
      if (!found) throw new GalleyError('not_found', 'This desk has no such person.');
      if (found.revokedAt !== null) return found;
      if (found.admin && (await liveAdminCount(client)) <= 1) {
        throw new GalleyError('conflict', `${found.name} is this desk's only administrator; make someone else an administrator before revoking them.`);
      }
      const now = ctx.now();
      await client.query('UPDATE people SET revoked_at = $2 WHERE id = $1', [found.id, now]);
      await client.query('UPDATE sessions SET revoked_at = $2 WHERE person_id = $1 AND revoked_at IS NULL', [found.id, now]);
      // An invite not yet accepted dies with the person.
      await client.query('UPDATE invites SET used_at = $2 WHERE person_id = $1 AND used_at IS NULL', [found.id, now]);
      await recordChange(client, 'person', found.id, now);
      return { ...found, revokedAt: now };
    });
  },
};

function sessionOf(caller: DeskCaller): string {
  if (!caller.sessionTokenHash) throw new GalleyError('unauthenticated', 'Sign in to the desk first.');
  return caller.sessionTokenHash;
}
