import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * A PostgreSQL run by this process from the system's binaries (Debian's
 * postgresql-NN package): the test clusters (tests/support/postgres.ts) and the desk's
 * own database when `npm run desk` is given no --database. The postmaster is spawned
 * directly, not through `pg_ctl start`, so its PID is ours to stop. PostgreSQL refuses
 * to run as root; as root it runs as the `postgres` system user.
 */

/** Where initdb and postgres are: PG_BIN, else the newest /usr/lib/postgresql/<n>/bin. */
export function findPostgresBin(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.PG_BIN) return existsSync(join(env.PG_BIN, 'initdb')) ? env.PG_BIN : null;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : null;
}

export type PostgresUser = { uid: number; gid: number };

/** The user to run PostgreSQL as: ourselves, or `postgres` when we are root. */
export function postgresUser(): PostgresUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('Running as root but there is no postgres user to run PostgreSQL as (apt-get install postgresql makes one)');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function asUser(user: PostgresUser | undefined) {
  return user ? { uid: user.uid, gid: user.gid } : {};
}

/** Makes a folder (and its missing parents) that PostgreSQL's user owns. */
export function ownedFolder(dir: string, user: PostgresUser | undefined): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (user) chownSync(dir, user.uid, user.gid);
}

export function initdb(bin: string, data: string, user: PostgresUser | undefined, options: { fast?: boolean } = {}): void {
  execFileSync(join(bin, 'initdb'), ['-D', data, '-U', 'galley', '--auth=trust', '-E', 'UTF8', ...(options.fast ? ['--no-sync'] : [])], {
    stdio: 'pipe',
    ...asUser(user),
    env: { ...process.env, LC_ALL: 'C' },
  });
}

export type RunningPostgres = {
  pid: number;
  /** The last lines PostgreSQL wrote to stderr (for error messages). */
  log(): string;
  /** Fast shutdown (SIGINT: roll back, disconnect, stop); resolves when it has exited. */
  stop(): Promise<void>;
};

/**
 * Starts the postmaster on `data` with `settings` (-c name=value) and waits until
 * `url` accepts a connection.
 */
export async function startPostmaster(
  bin: string,
  data: string,
  settings: Record<string, string | number>,
  url: string,
  user: PostgresUser | undefined,
  timeoutMs = 60_000,
): Promise<RunningPostgres> {
  const args = ['-D', data, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  const child: ChildProcess = spawn(join(bin, 'postgres'), args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    ...asUser(user),
    env: { ...process.env, LC_ALL: 'C' },
  });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`PostgreSQL did not start:\n${log}`);
    if (await accepts(url)) break;
    if (Date.now() - started > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`PostgreSQL did not accept connections within ${Math.round(timeoutMs / 1000)} s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    pid: child.pid!,
    log: () => log,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      process.kill(child.pid!, 'SIGINT');
      await exited;
    },
  };
}

export async function accepts(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    await client.end().catch(() => undefined);
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// ---------------------------------------------------------------------------------------
// The desk's own database

/** The socket file must fit a Unix socket address (about 107 bytes). */
const SOCKET_PATH_ROOM = 100 - '/.s.PGSQL.5432'.length;
const DATABASE = 'galley';

export type LocalDeskDatabase = { url: string; dir: string; stop(): Promise<void> };

export class NoPostgresError extends Error {
  constructor() {
    super(
      'No --database was given and no PostgreSQL is installed here to start one: pass --database postgres://… (or set GALLEY_DESK_DATABASE), or install PostgreSQL (apt-get install postgresql).',
    );
    this.name = 'NoPostgresError';
  }
}

function socketUrl(socketDir: string): string {
  return `postgres://galley@/${DATABASE}?host=${encodeURIComponent(socketDir)}&port=5432`;
}

/**
 * The desk's database when no --database is given: a cluster in `<dataDir>/postgres`
 * (initdb on first start), reachable only through a Unix socket in a folder only
 * PostgreSQL's user may enter (no TCP port, so no other local user can connect), stopped
 * when the desk stops. A desk killed with -9 leaves its PostgreSQL running: the next
 * start finds it through postmaster.pid and uses it. Meant for one desk process; several
 * desk processes share a database given with --database.
 */
export async function startLocalDeskDatabase(dataDir: string): Promise<LocalDeskDatabase> {
  const bin = findPostgresBin();
  if (!bin) throw new NoPostgresError();
  const user = postgresUser();
  const data = join(dataDir, 'postgres');
  // As root, PostgreSQL's own user must pass through the desk's folder to reach its
  // cluster: a new folder is made enterable (not listable) by others; its key file stays 0600.
  if (!existsSync(dataDir)) {
    mkdirSync(dataDir, { recursive: true, mode: user ? 0o711 : 0o700 });
    if (user) chmodSync(dataDir, 0o711);
  }
  if (user && !reachableBy(user, dataDir)) {
    throw new Error(
      `PostgreSQL refuses to run as root, and its user (postgres) cannot reach the desk's data folder ${dataDir}: pass --data-dir with a folder it can reach (e.g. under /var/lib or /srv), run the desk as an ordinary user, or pass --database.`,
    );
  }

  const adopted = await adoptRunning(data);
  if (adopted) return adopted;

  if (!existsSync(join(data, 'PG_VERSION'))) {
    ownedFolder(data, user);
    initdb(bin, data, user);
  }
  let socketDir = join(dataDir, 'postgres-socket');
  let temporarySocket = false;
  if (socketDir.length > SOCKET_PATH_ROOM) {
    socketDir = mkdtempSync(join(tmpdir(), 'galley-desk-pg-'));
    temporarySocket = true;
  }
  ownedFolder(socketDir, user);
  const server = await startPostmaster(bin, data, { listen_addresses: '', unix_socket_directories: socketDir, port: 5432 }, socketUrl(socketDir).replace(`/${DATABASE}?`, '/postgres?'), user);
  const url = socketUrl(socketDir);
  await ensureDatabase(socketUrl(socketDir).replace(`/${DATABASE}?`, '/postgres?'));
  return {
    url,
    dir: data,
    async stop() {
      await server.stop();
      if (temporarySocket) rmSync(socketDir, { recursive: true, force: true });
    },
  };
}

function reachableBy(user: PostgresUser, dir: string): boolean {
  const probe = spawnSync(process.execPath, ['-e', `require('node:fs').accessSync(${JSON.stringify(dir)}, require('node:fs').constants.X_OK)`], {
    uid: user.uid,
    gid: user.gid,
    stdio: 'ignore',
  });
  return probe.status === 0;
}

/** A PostgreSQL still running on `data` (its desk was killed): use it rather than fail on its lock. */
async function adoptRunning(data: string): Promise<LocalDeskDatabase | null> {
  const pidFile = join(data, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const socketDir = lines[4]?.trim();
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid) || !socketDir) return null;
  const url = socketUrl(socketDir);
  if (!(await accepts(url))) return null;
  return {
    url,
    dir: data,
    async stop() {
      if (!alive(pid)) return;
      process.kill(pid, 'SIGINT');
      const deadline = Date.now() + 30_000;
      while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    },
  };
}

async function ensureDatabase(maintenanceUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: maintenanceUrl });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (!rows.length) await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
}
