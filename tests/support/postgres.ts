import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * A private PostgreSQL for a test: `initdb` into a temp folder, `pg_ctl start` on
 * 127.0.0.1 and a socket in that folder, stopped by its PID. Debian's PostgreSQL 15
 * (`apt-get install postgresql`, which .ci/run installs). As root, the cluster runs as
 * the `postgres` system user (PostgreSQL refuses to run as root).
 */
const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export function postgresMissing(): string | null {
  if (!existsSync(join(BIN, 'initdb')) || !existsSync(join(BIN, 'pg_ctl'))) {
    return `PostgreSQL 15 is not installed (no ${BIN}/initdb); apt-get install postgresql`;
  }
  return null;
}

export type PgCluster = {
  url: string;
  port: number;
  dir: string;
  pid: number;
  /** A fresh database in this cluster; returns its connection string. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

function asPostgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('Running as root but there is no postgres user to run PostgreSQL as (apt-get install postgresql makes one)');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

export async function startPostgres(): Promise<PgCluster> {
  const missing = postgresMissing();
  if (missing) throw new Error(missing);
  const dir = mkdtempSync(join(tmpdir(), 'galley-pg-'));
  const user = asPostgresUser();
  if (user) execFileSync('chown', ['-R', `${user.uid}:${user.gid}`, dir]);
  const data = join(dir, 'data');
  const run = (cmd: string, args: string[]) =>
    execFileSync(join(BIN, cmd), args, { stdio: 'pipe', ...(user ? { uid: user.uid, gid: user.gid } : {}), env: { ...process.env, LC_ALL: 'C' } });
  run('initdb', ['-D', data, '-U', 'galley', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  // fsync off: a test cluster that dies is thrown away, and it halves commit time on a busy disk.
  const options = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  // Not `pg_ctl start`'s own wait: the postmaster is spawned here so its PID is ours to stop.
  const child = spawn(join(BIN, 'postgres'), ['-D', data, ...options.split(' ')], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: false,
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
    env: { ...process.env, LC_ALL: 'C' },
  });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  const url = `postgres://galley@127.0.0.1:${port}/postgres`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`PostgreSQL did not start:\n${log}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      break;
    } catch {
      await client.end().catch(() => undefined);
      if (Date.now() - started > 60_000) throw new Error(`PostgreSQL did not accept connections within 60 s:\n${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const pid = child.pid!;
  return {
    url,
    port,
    dir,
    pid,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
      } finally {
        await client.end();
      }
      return `postgres://galley@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        // SIGINT is PostgreSQL's "fast shutdown": roll back, disconnect, stop.
        process.kill(pid, 'SIGINT');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
