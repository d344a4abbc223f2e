import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { initdb, postgresUser, startPostmaster } from '../../desk/db/localPostgres.ts';

/**
 * A private PostgreSQL for a test: `initdb` into a temp folder, the postmaster on
 * 127.0.0.1 and a socket in that folder, stopped by its PID. Debian's PostgreSQL 15
 * (`apt-get install postgresql`, which .ci/run installs). As root, the cluster runs as
 * the `postgres` system user (PostgreSQL refuses to run as root). The spawning is
 * desk/db/localPostgres.ts, shared with the desk's own database.
 */
const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export function postgresMissing(): string | null {
  if (!existsSync(join(BIN, 'initdb')) || !existsSync(join(BIN, 'postgres'))) {
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

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

export async function startPostgres(): Promise<PgCluster> {
  const missing = postgresMissing();
  if (missing) throw new Error(missing);
  const dir = mkdtempSync(join(tmpdir(), 'galley-pg-'));
  const user = postgresUser();
  if (user) execFileSync('chown', ['-R', `${user.uid}:${user.gid}`, dir]);
  const data = join(dir, 'data');
  initdb(BIN, data, user, { fast: true });
  const port = await freePort();
  const url = `postgres://galley@127.0.0.1:${port}/postgres`;
  // fsync off: a test cluster that dies is thrown away, and it halves commit time on a busy disk.
  const server = await startPostmaster(
    BIN,
    data,
    {
      listen_addresses: '127.0.0.1',
      port,
      unix_socket_directories: dir,
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      max_connections: 200,
    },
    url,
    user,
  );
  return {
    url,
    port,
    dir,
    pid: server.pid,
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
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
