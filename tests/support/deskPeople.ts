import { randomBytes, randomUUID } from 'node:crypto';
import { hashToken, toDeskPerson } from '../../desk/dispatch.ts';
import type { DeskPerson } from '../../shared/desk.ts';
import type { Role } from '../../shared/people.ts';
import type { TestDesk } from './desk.ts';

/**
 * A person with a live session on a test desk, inserted with SQL: tests of the desk's
 * documents, workflow and publishing need people before (and independently of) the
 * sign-in code. The session token is stored only as its hash, as sign-in stores it;
 * no password is set (this person cannot sign in with one).
 */
export async function addPerson(
  desk: Pick<TestDesk, 'pool' | 'ctx'>,
  spec: { name: string; role: Role; admin?: boolean; username?: string; expiresInMs?: number },
): Promise<{ person: DeskPerson; token: string }> {
  const now = desk.ctx.now();
  const id = randomUUID();
  const username = spec.username ?? `${spec.name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}.${id.slice(0, 6)}`;
  const { rows } = await desk.pool.query(
    `INSERT INTO people (id, name, username, role, admin, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
    [id, spec.name, username, spec.role, spec.admin ?? false, now],
  );
  const token = randomBytes(24).toString('base64url');
  await addSession(desk, id, token, now + (spec.expiresInMs ?? 24 * 3600_000));
  return { person: toDeskPerson(rows[0]), token };
}

/** Another session for the same person (a second workstation), or an expired one. */
export async function addSession(desk: Pick<TestDesk, 'pool' | 'ctx'>, personId: string, token = randomBytes(24).toString('base64url'), expiresAt = desk.ctx.now() + 24 * 3600_000): Promise<string> {
  const now = desk.ctx.now();
  await desk.pool.query(
    `INSERT INTO sessions (token_hash, person_id, device, created_at, expires_at, last_seen_at) VALUES ($1, $2, 'test', $3, $4, $3)`,
    [hashToken(token), personId, now, expiresAt],
  );
  return token;
}

/** Revokes a person as an administrator would (every session of theirs dies). */
export async function revokePerson(desk: Pick<TestDesk, 'pool' | 'ctx'>, personId: string): Promise<void> {
  await desk.pool.query('UPDATE people SET revoked_at = $2 WHERE id = $1', [personId, desk.ctx.now()]);
}
