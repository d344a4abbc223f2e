import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDesk, type TestDesk } from '../support/desk.ts';
import { startPostgres, type PgCluster } from '../support/postgres.ts';
import type { DeskInput, DeskOperationName, SessionGrant } from '../../shared/desk.ts';
import { GalleyError } from '../../shared/errors.ts';
import { deskCall } from '../../desk/dispatch.ts';
import { deskHandlers } from '../../desk/handlers.ts';

/**
 * People, sign-in and sessions on a real PostgreSQL (tests/support/postgres.ts), through
 * the desk's own dispatcher: every refusal here is what the desk says over HTTP too.
 * The clock is injected so that expiry and the sign-in back-off are tested without waiting.
 */
let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPostgres();
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const ADMIN_PASSWORD = 'correct horse battery staple';
const REPORTER_PASSWORD = 'reporter-password-1';

let clock: number;
let desk: TestDesk;
beforeEach(async () => {
  clock = Date.UTC(2026, 11, 2, 13, 0, 0);
  desk = await openTestDesk(cluster, { now: () => clock });
  return () => desk.close();
});

/** The refusal a call gets (fails the test if it succeeds). */
async function refusal<K extends DeskOperationName>(name: K, input: DeskInput<K>, token?: string | null, address = '127.0.0.1'): Promise<GalleyError> {
  const result = await deskCall(desk.ctx, deskHandlers, name, input, { token: token ?? null, address });
  if (result.ok) throw new Error(`${name} was expected to be refused but answered ${JSON.stringify(result.value)}`);
  return GalleyError.fromBody(result.error);
}

async function setUp(): Promise<SessionGrant> {
  return desk.call('desk.setup', { deskName: 'City desk', name: 'Ada Admin', username: 'ada', password: ADMIN_PASSWORD });
}

/** An invited and joined person; returns their session. */
async function join(admin: string, name: string, username: string, role: 'reporter' | 'editor' | 'photo_desk', password = REPORTER_PASSWORD): Promise<SessionGrant> {
  const { code } = await desk.call('people.invite', { name, username, role }, admin);
  return desk.call('auth.acceptInvite', { code, password });
}

describe('setting up a desk', () => {
  it('the first person creates the desk and is its administrator, an editor; a second setup is refused', async () => {
    expect(await desk.call('desk.hello', {})).toMatchObject({ deskName: null, needsSetup: true, protocol: 1 });
    const grant = await setUp();
    expect(grant.person).toMatchObject({ name: 'Ada Admin', username: 'ada', role: 'editor', admin: true, revokedAt: null });
    expect(grant.deskName).toBe('City desk');
    expect(grant.expiresAt).toBe(clock + 30 * DAY);
    expect(await desk.call('desk.hello', {})).toMatchObject({ deskName: 'City desk', needsSetup: false });

    const second = await refusal('desk.setup', { deskName: 'Mine now', name: 'Mallory', username: 'mallory', password: 'mallory-password' });
    expect(second.code).toBe('conflict');
    expect(second.message).toBe('This desk already has an administrator; sign in or ask them for an invite.');
    expect((await desk.call('people.list', {}, grant.token)).map((p) => p.username)).toEqual(['ada']);
    expect((await desk.call('desk.hello', {})).deskName).toBe('City desk');
  });

  it('two setups racing: exactly one wins', async () => {
    const results = await Promise.allSettled([
      desk.call('desk.setup', { deskName: 'One', name: 'First', username: 'first', password: 'first-password' }),
      desk.call('desk.setup', { deskName: 'Two', name: 'Second', username: 'second', password: 'second-password' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((lost.reason as GalleyError).code).toBe('conflict');
    const { rows } = await desk.pool.query('SELECT username FROM people');
    expect(rows).toHaveLength(1);
    const winner = (results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<SessionGrant>).value;
    expect(rows[0].username).toBe(winner.person.username);
    expect((await desk.call('desk.hello', {})).deskName).toBe(winner.deskName);
  });
});

describe('signing in', () => {
  it('the right password gives a session; a wrong password and an unknown username get the same plain refusal', async () => {
    await setUp();
    const grant = await desk.call('auth.signIn', { username: 'ADA', password: ADMIN_PASSWORD, device: 'Desk laptop' });
    expect(grant.person.username).toBe('ada');
    expect(grant.token).toMatch(/^[\w-]{43}$/);
    const me = await desk.call('auth.me', {}, grant.token);
    expect(me).toMatchObject({ deskName: 'City desk', expiresAt: grant.expiresAt, person: { username: 'ada', admin: true } });

    const wrongPassword = await refusal('auth.signIn', { username: 'ada', password: 'not the password' });
    expect(wrongPassword.code).toBe('unauthenticated');
    expect(wrongPassword.message).toBe('Wrong username or password.');
    const wrongUser = await refusal('auth.signIn', { username: 'nobody', password: ADMIN_PASSWORD });
    expect(wrongUser.code).toBe('unauthenticated');
    expect(wrongUser.message).toBe(wrongPassword.message);
  });

  it('after 5 failures in 15 minutes a username is refused, even with the right password, until the failures age out', async () => {
    await setUp();
    for (let i = 0; i < 5; i++) {
      expect((await refusal('auth.signIn', { username: 'ada', password: `guess number ${i}` })).code).toBe('unauthenticated');
      clock += MINUTE;
    }
    // The first failure was 5 minutes ago: it leaves the window in 10 minutes.
    const limited = await refusal('auth.signIn', { username: 'ada', password: ADMIN_PASSWORD });
    expect(limited.code).toBe('rate_limited');
    expect(limited.message).toBe('Too many failed sign-ins for this username; wait 10 minutes and try again.');
    clock += 9 * MINUTE + 30_000;
    expect((await refusal('auth.signIn', { username: 'ada', password: ADMIN_PASSWORD })).message).toBe(
      'Too many failed sign-ins for this username; wait 1 minute and try again.',
    );
    clock += MINUTE;
    expect((await desk.call('auth.signIn', { username: 'ada', password: ADMIN_PASSWORD })).person.username).toBe('ada');
  }, 60_000);

  it('a success clears the username’s failures', async () => {
    await setUp();
    for (let i = 0; i < 4; i++) await refusal('auth.signIn', { username: 'ada', password: `guess ${i}` });
    await desk.call('auth.signIn', { username: 'ada', password: ADMIN_PASSWORD });
    for (let i = 0; i < 4; i++) expect((await refusal('auth.signIn', { username: 'ada', password: `again ${i}` })).code).toBe('unauthenticated');
    expect((await desk.call('auth.signIn', { username: 'ada', password: ADMIN_PASSWORD })).person.username).toBe('ada');
  }, 60_000);

  it('one address guessing many usernames is refused after 20 failures; another address is not', async () => {
    await setUp();
    for (let i = 0; i < 20; i++) {
      expect((await refusal('auth.signIn', { username: `user${i}`, password: 'guess guess' }, null, '203.0.113.9')).code).toBe('unauthenticated');
    }
    const limited = await refusal('auth.signIn', { username: 'ada', password: ADMIN_PASSWORD }, null, '203.0.113.9');
    expect(limited.code).toBe('rate_limited');
    expect(limited.message).toBe('Too many failed sign-ins for this address; wait 15 minutes and try again.');
    const elsewhere = await deskCall(desk.ctx, deskHandlers, 'auth.signIn', { username: 'ada', password: ADMIN_PASSWORD }, { token: null, address: '198.51.100.7' });
    expect(elsewhere.ok).toBe(true);
  }, 120_000);
});

describe('sessions the desk refuses', () => {
  it('no token, an unknown token, an expired token, a signed-out token and a revoked person all get "unauthenticated" with a plain message', async () => {
    const admin = await setUp();

    const none = await refusal('people.list', {});
    expect(none).toMatchObject({ code: 'unauthenticated', message: 'Sign in to the desk first.' });
    const unknown = await refusal('people.list', {}, 'x'.repeat(43));
    expect(unknown).toMatchObject({ code: 'unauthenticated', message: 'This desk does not know that session. Sign in to the desk again.' });

    const signedOut = await desk.call('auth.signIn', { username: 'ada', password: ADMIN_PASSWORD });
    await desk.call('auth.signOut', {}, signedOut.token);
    expect(await refusal('auth.me', {}, signedOut.token)).toMatchObject({ code: 'unauthenticated', message: 'This session was signed out. Sign in to the desk again.' });
    // Signing out one session leaves the others alone.
    expect((await desk.call('auth.me', {}, admin.token)).person.username).toBe('ada');

    const reporter = await join(admin.token, 'Rita Reporter', 'rita', 'reporter');
    const second = await desk.call('auth.signIn', { username: 'rita', password: REPORTER_PASSWORD });
    await desk.call('people.revoke', { personId: reporter.person.id }, admin.token);
    for (const token of [reporter.token, second.token]) {
      expect(await refusal('people.list', {}, token)).toMatchObject({
        code: 'unauthenticated',
        message: 'An administrator revoked your access to this desk. Ask them if this is a mistake.',
      });
    }
    // The right password no longer helps; the wrong one says only that it is wrong.
    expect((await refusal('auth.signIn', { username: 'rita', password: REPORTER_PASSWORD })).message).toBe(
      'An administrator revoked your access to this desk. Ask them if this is a mistake.',
    );
    expect((await refusal('auth.signIn', { username: 'rita', password: 'wrong password' })).message).toBe('Wrong username or password.');

    clock += 30 * DAY;
    expect(await refusal('auth.me', {}, admin.token)).toMatchObject({ code: 'unauthenticated', message: 'Your desk session expired. Sign in to the desk again.' });
  }, 60_000);

  it('a session lasts as long as the desk is configured for', async () => {
    desk.ctx.sessionDays = 1;
    const admin = await setUp();
    expect(admin.expiresAt).toBe(clock + DAY);
    clock += DAY - 1;
    expect((await desk.call('auth.me', {}, admin.token)).person.username).toBe('ada');
    clock += 1;
    expect((await refusal('auth.me', {}, admin.token)).code).toBe('unauthenticated');
  });
});

describe('roles, enforced by the desk on every call', () => {
  it('a reporter calling editor-only or admin operations is refused', async () => {
    const admin = await setUp();
    const reporter = await join(admin.token, 'Rita Reporter', 'rita', 'reporter');
    const invite = await refusal('people.invite', { name: 'Eve', username: 'eve', role: 'editor' }, reporter.token);
    expect(invite.code).toBe('forbidden');
    expect(invite.message).toMatch(/^Only the desk's administrators may do this/);
    const setRole = await refusal('people.setRole', { personId: reporter.person.id, role: 'editor' }, reporter.token);
    expect(setRole.code).toBe('forbidden');
    const target = await refusal('publishing.saveTarget', { name: 'Site', config: { type: 'folder', folder: '/tmp/site' } }, reporter.token);
    expect(target.code).toBe('forbidden');
    expect(target.message).toMatch(/^Reporter may not do this on the desk/);
    const assign = await refusal('documents.assign', { key: 'key-00000001', id: 'doc-1', personId: reporter.person.id }, reporter.token);
    expect(assign.code).toBe('forbidden');
    // Nothing changed: the reporter is still a reporter, nobody was invited.
    expect((await desk.call('people.list', {}, admin.token)).map((p) => [p.username, p.role])).toEqual([
      ['ada', 'editor'],
      ['rita', 'reporter'],
    ]);
  }, 60_000);

  it('a role change takes effect on the very next call', async () => {
    const admin = await setUp();
    const reporter = await join(admin.token, 'Rita Reporter', 'rita', 'reporter');
    expect((await refusal('documents.assign', { key: 'key-00000001', id: 'doc-1', personId: null }, reporter.token)).code).toBe('forbidden');
    await desk.call('people.setRole', { personId: reporter.person.id, role: 'editor' }, admin.token);
    // Past the role check now: whatever the desk says about the document, it is not "forbidden".
    const after = await deskCall(desk.ctx, deskHandlers, 'documents.assign', { key: 'key-00000002', id: 'doc-1', personId: null }, { token: reporter.token, address: '127.0.0.1' });
    expect(after.ok ? 'ok' : after.error.code).not.toBe('forbidden');
    expect((await desk.call('auth.me', {}, reporter.token)).person.role).toBe('editor');

    expect((await refusal('people.invite', { name: 'Eve', username: 'eve', role: 'reporter' }, reporter.token)).code).toBe('forbidden');
    await desk.call('people.setRole', { personId: reporter.person.id, role: 'editor', admin: true }, admin.token);
    expect((await desk.call('people.invite', { name: 'Eve', username: 'eve', role: 'reporter' }, reporter.token)).person.username).toBe('eve');
    await desk.call('people.setRole', { personId: reporter.person.id, role: 'reporter', admin: false }, admin.token);
    expect((await refusal('people.invite', { name: 'Fay', username: 'fay', role: 'reporter' }, reporter.token)).code).toBe('forbidden');
    expect((await refusal('documents.assign', { key: 'key-00000003', id: 'doc-1', personId: null }, reporter.token)).code).toBe('forbidden');
  }, 60_000);

  it('the last administrator cannot be demoted or revoked', async () => {
    const admin = await setUp();
    const demote = await refusal('people.setRole', { personId: admin.person.id, role: 'editor', admin: false }, admin.token);
    expect(demote).toMatchObject({ code: 'conflict', message: "Ada Admin is this desk's only administrator; make someone else an administrator first." });
    const revoke = await refusal('people.revoke', { personId: admin.person.id }, admin.token);
    expect(revoke.code).toBe('conflict');
    expect(revoke.message).toMatch(/only administrator/);
    expect((await desk.call('auth.me', {}, admin.token)).person.admin).toBe(true);

    // With a second administrator, the first may step down.
    const editor = await join(admin.token, 'Ed Editor', 'ed', 'editor');
    await desk.call('people.setRole', { personId: editor.person.id, role: 'editor', admin: true }, admin.token);
    expect((await desk.call('people.setRole', { personId: admin.person.id, role: 'reporter', admin: false }, admin.token)).admin).toBe(false);
    expect((await refusal('people.invite', { name: 'Eve', username: 'eve', role: 'reporter' }, admin.token)).code).toBe('forbidden');
  }, 60_000);

  it('every change to a person is in the change feed', async () => {
    const admin = await setUp();
    const reporter = await join(admin.token, 'Rita Reporter', 'rita', 'reporter');
    await desk.call('people.setRole', { personId: reporter.person.id, role: 'photo_desk' }, admin.token);
    await desk.call('people.revoke', { personId: reporter.person.id }, admin.token);
    const { rows } = await desk.pool.query<{ kind: string; ref: string }>('SELECT kind, ref FROM changes ORDER BY seq');
    expect(rows.map((r) => r.ref)).toEqual([admin.person.id, reporter.person.id, reporter.person.id, reporter.person.id, reporter.person.id]);
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['person']));
  }, 60_000);
});

describe('identity comes only from the token', () => {
  it('an input naming a person id is refused by the strict schema, and auth.me is always the token’s person', async () => {
    const admin = await setUp();
    const reporter = await join(admin.token, 'Rita Reporter', 'rita', 'reporter');
    for (const field of ['personId', 'actorId']) {
      const forged = await refusal('auth.me', { [field]: admin.person.id } as never, reporter.token);
      expect(forged.code).toBe('invalid_input');
      expect(forged.message).toMatch(/Unrecognized key/);
      expect((await refusal('people.list', { [field]: admin.person.id } as never, reporter.token)).code).toBe('invalid_input');
    }
    const setup = await refusal('auth.signIn', { username: 'ada', password: ADMIN_PASSWORD, personId: admin.person.id } as never);
    expect(setup.code).toBe('invalid_input');
    expect((await desk.call('auth.me', {}, reporter.token)).person.id).toBe(reporter.person.id);
    expect((await desk.call('auth.me', {}, admin.token)).person.id).toBe(admin.person.id);
  }, 60_000);
});

describe('invites', () => {
  it('invite → the code joins once, in any case and spacing → a session with the invited role; the username is taken', async () => {
    const admin = await setUp();
    const invite = await desk.call('people.invite', { name: 'Pat Photo', username: 'pat', role: 'photo_desk' }, admin.token);
    expect(invite.code).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{4}){5}$/);
    expect(invite.expiresAt).toBe(clock + 7 * DAY);
    expect(invite.person).toMatchObject({ name: 'Pat Photo', username: 'pat', role: 'photo_desk', admin: false });

    const early = await refusal('auth.signIn', { username: 'pat', password: 'anything at all' });
    expect(early.code).toBe('unauthenticated');
    expect(early.message).toMatch(/invited but have not joined yet/);

    const typed = invite.code.toLowerCase().replace(/-/g, ' ');
    const grant = await desk.call('auth.acceptInvite', { code: typed, password: 'photo-desk-password', device: 'Photo Mac' });
    expect(grant.person).toMatchObject({ id: invite.person.id, role: 'photo_desk' });
    expect((await desk.call('auth.me', {}, grant.token)).person.username).toBe('pat');
    expect((await desk.call('auth.signIn', { username: 'pat', password: 'photo-desk-password' })).person.id).toBe(invite.person.id);

    const again = await refusal('auth.acceptInvite', { code: invite.code, password: 'take-over-password' });
    expect(again).toMatchObject({ code: 'conflict', message: 'This invite code was already used; sign in with your username and password.' });
    expect((await refusal('auth.signIn', { username: 'pat', password: 'take-over-password' })).code).toBe('unauthenticated');

    const taken = await refusal('people.invite', { name: 'Another Pat', username: 'Pat', role: 'reporter' }, admin.token);
    expect(taken).toMatchObject({ code: 'conflict', message: 'The username "pat" is already taken on this desk; choose another.' });
    const unknown = await refusal('auth.acceptInvite', { code: 'AAAA-BBBB-CCCC-DDDD-EEEE-FFFF', password: 'whatever-password' });
    expect(unknown.code).toBe('not_found');
  }, 60_000);

  it('an invite expires after 7 days, and a revoked person’s invite is dead', async () => {
    const admin = await setUp();
    const late = await desk.call('people.invite', { name: 'Late Larry', username: 'larry', role: 'reporter' }, admin.token);
    const gone = await desk.call('people.invite', { name: 'Gone Gina', username: 'gina', role: 'reporter' }, admin.token);
    await desk.call('people.revoke', { personId: gone.person.id }, admin.token);
    expect((await refusal('auth.acceptInvite', { code: gone.code, password: 'gina-password-1' })).message).toBe(
      'An administrator revoked this invite. Ask them if this is a mistake.',
    );
    clock += 7 * DAY;
    const expired = await refusal('auth.acceptInvite', { code: late.code, password: 'larry-password-1' });
    expect(expired).toMatchObject({ code: 'conflict' });
    expect(expired.message).toMatch(/expired/);
    const { rows } = await desk.pool.query('SELECT password_hash FROM people WHERE id = ANY($1)', [[late.person.id, gone.person.id]]);
    expect(rows.map((r) => r.password_hash)).toEqual([null, null]);
  }, 60_000);
});

describe('what the desk keeps', () => {
  it('people.list is everyone by name, without secrets; no password, token or invite code is in any answer or any table', async () => {
    const admin = await setUp();
    const { code } = await desk.call('people.invite', { name: 'zoe Zed', username: 'zoe', role: 'reporter' }, admin.token);
    const zoe = await desk.call('auth.acceptInvite', { code, password: 'zoe-secret-password' });
    const bo = await join(admin.token, 'Bo Baker', 'bo', 'editor', 'bo-secret-password');
    const list = await desk.call('people.list', {}, zoe.token);
    expect(list.map((p) => p.name)).toEqual(['Ada Admin', 'Bo Baker', 'zoe Zed']);
    for (const p of list) expect(Object.keys(p).sort()).toEqual(['admin', 'createdAt', 'id', 'name', 'revokedAt', 'role', 'username']);

    const passwords = [ADMIN_PASSWORD, 'zoe-secret-password', 'bo-secret-password'];
    const answers = JSON.stringify([admin, zoe, bo, list, await desk.call('auth.me', {}, bo.token)]);
    for (const secret of passwords) expect(answers).not.toContain(secret);

    const { rows: tables } = await desk.pool.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`);
    let dump = '';
    for (const { tablename } of tables) {
      const { rows } = await desk.pool.query(`SELECT row_to_json(t)::text AS j FROM "${tablename}" t`);
      dump += rows.map((r) => r.j).join('\n');
    }
    expect(dump).toContain('zoe Zed');
    for (const secret of [...passwords, admin.token, zoe.token, bo.token, code, code.replace(/-/g, '')]) expect(dump).not.toContain(secret);
    const { rows: hashes } = await desk.pool.query<{ password_hash: string }>('SELECT password_hash FROM people');
    for (const { password_hash } of hashes) expect(password_hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
  }, 60_000);
});
