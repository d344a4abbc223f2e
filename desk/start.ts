import { randomBytes } from 'node:crypto';
import { homedir, hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { adapterFor } from '../electron/cms/index.ts';
import type { DeskContext } from './context.ts';
import { migrateDesk, NewerDeskSchemaError } from './db/migrate.ts';
import { startLocalDeskDatabase, NoPostgresError, type LocalDeskDatabase } from './db/localPostgres.ts';
import { openPool } from './db/pool.ts';
import { deskHandlers } from './handlers.ts';
import { startPublishingWorker } from './publisher.ts';
import { checkDeskKey, DeskKeyError, deskSecretBox } from './secrets.ts';
import { DeskServer } from './server.ts';
import { DEFAULT_SESSION_DAYS } from './services/people.ts';

/** `npm run desk -- …`: the newsroom desk server (issue #17). */
export const USAGE = `Usage: npm run desk -- [options]

Runs the Galley newsroom desk: people, shared stories, review and publishing for
many workstations, on PostgreSQL.

Options:
  --port N           Port to listen on (default 0: any free port, printed at start)
  --host ADDR        Address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
  --database URL     PostgreSQL to keep the desk in: postgres://user:password@host:port/db
                     (or GALLEY_DESK_DATABASE). Without it the desk starts its own
                     PostgreSQL in the data folder (the system's PostgreSQL binaries).
  --data-dir DIR     The desk's folder (default $XDG_DATA_HOME/galley-desk or
                     ~/.local/share/galley-desk; or GALLEY_DESK_DATA_DIR)
  --key-file FILE    The key that seals publish targets' passwords (or
                     GALLEY_DESK_KEY_FILE; default <data-dir>/desk-secret.key, created
                     if absent). Every desk process of one database must share this
                     one file: copy it to each machine that runs a desk process.
  --session-days N   How long a sign-in lasts (default ${DEFAULT_SESSION_DAYS})
  --help             Print this and exit

Several desk processes may serve one database (behind any load balancer); they tell
each other of changes through PostgreSQL LISTEN/NOTIFY.`;

export type DeskOptions = {
  port: number;
  host: string;
  database: string | null;
  dataDir: string;
  keyFile: string;
  sessionDays: number;
};

export class UsageError extends Error {}

export function defaultDeskDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_DATA_HOME && env.XDG_DATA_HOME.startsWith('/') ? env.XDG_DATA_HOME : join(homedir(), '.local', 'share');
  return join(base, 'galley-desk');
}

export function parseDeskArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): DeskOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        database: { type: 'string' },
        'data-dir': { type: 'string' },
        'key-file': { type: 'string' },
        'session-days': { type: 'string' },
        help: { type: 'boolean' },
      },
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${USAGE}`);
  }
  if (values.help) return 'help';
  const portText = values.port ?? (env.GALLEY_DESK_PORT || undefined) ?? '0';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535 (0 picks a free port); got "${portText}".`);
  const daysText = values['session-days'] ?? String(DEFAULT_SESSION_DAYS);
  const sessionDays = Number(daysText);
  if (!Number.isFinite(sessionDays) || sessionDays <= 0 || sessionDays > 3650) throw new UsageError(`--session-days must be a number of days from 1 to 3650; got "${daysText}".`);
  const dataDir = resolve(values['data-dir'] ?? (env.GALLEY_DESK_DATA_DIR || undefined) ?? defaultDeskDataDir(env));
  const database = values.database ?? (env.GALLEY_DESK_DATABASE || undefined) ?? null;
  if (database !== null && !/^postgres(ql)?:\/\//.test(database)) throw new UsageError(`--database must be a postgres:// address; got "${redact(database)}".`);
  return {
    port,
    host: values.host ?? '127.0.0.1',
    database,
    dataDir,
    keyFile: resolve(values['key-file'] ?? (env.GALLEY_DESK_KEY_FILE || undefined) ?? join(dataDir, 'desk-secret.key')),
    sessionDays,
  };
}

/** A database address without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]+):[^@]*@/, '$1:***@');
}

export type RunningDesk = { server: DeskServer; ctx: DeskContext; stop(): Promise<void> };

/** Starts the desk; throws with a one-sentence message when it cannot. */
export async function startDesk(options: DeskOptions): Promise<RunningDesk> {
  let local: LocalDeskDatabase | null = null;
  const database = options.database ?? (local = await startLocalDeskDatabase(options.dataDir)).url;
  const pool = openPool(database);
  const cleanUp = async () => {
    await pool.end().catch(() => undefined);
    await local?.stop();
  };
  try {
    try {
      await migrateDesk(pool);
    } catch (error) {
      if (error instanceof NewerDeskSchemaError) throw error;
      throw new Error(`The desk cannot use its database at ${redact(database)}: ${(error as Error).message}`);
    }
    const secrets = deskSecretBox(options.keyFile);
    await checkDeskKey(pool, secrets, options.keyFile);
    let kick = () => undefined as void;
    const ctx: DeskContext = {
      pool,
      now: Date.now,
      processId: `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
      secrets,
      adapterFactory: adapterFor,
      kickPublishing: () => kick(),
      sessionDays: options.sessionDays,
    };
    // A claim on a publishing job lapses this long after its process stopped renewing it
    // (killed); tests shorten it so a take-over is seen in seconds, not a minute.
    const leaseMs = Number(process.env.GALLEY_DESK_PUBLISH_LEASE_MS) || undefined;
    const worker = startPublishingWorker(ctx, { leaseMs });
    kick = () => worker.kick();
    let server: DeskServer;
    try {
      // Another process may have queued publishing jobs: every change wakes this one's worker too.
      server = await DeskServer.start({ ctx, handlers: deskHandlers, databaseUrl: database, host: options.host, port: options.port, onChange: () => worker.kick() });
    } catch (error) {
      await worker.stop();
      throw error;
    }
    return {
      server,
      ctx,
      async stop() {
        await worker.stop().catch((error: Error) => console.error('[desk] the publishing worker did not stop cleanly:', error.message));
        await server.close();
        await cleanUp();
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

async function deskNameOf(ctx: DeskContext): Promise<string | null> {
  const { rows } = await ctx.pool.query<{ value: string }>(`SELECT value FROM desk_meta WHERE key = 'name'`);
  return rows[0]?.value ?? null;
}

/** The process: start, print the one ready line, stop cleanly on SIGTERM/SIGINT. */
export async function runDesk(argv: string[]): Promise<void> {
  const options = parseDeskArgs(argv);
  if (options === 'help') {
    console.log(USAGE);
    return;
  }
  // Signals are taken from the start: a stop that comes while the desk is still starting
  // (its own PostgreSQL already running, the schema being migrated) is carried out once
  // the start is through, so nothing it started is left behind. Before, a SIGTERM then
  // ended the process at once and left its PostgreSQL running.
  let desk: RunningDesk | null = null;
  let stopping: string | null = null;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = signal;
    console.log(`Galley desk stopping (${signal})`);
    if (desk) finish(desk);
  };
  const finish = (running: RunningDesk) =>
    running.stop().then(
      () => process.exit(0),
      (error: Error) => {
        console.error(`Galley desk did not stop cleanly: ${error.message}`);
        process.exit(1);
      },
    );
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  try {
    desk = await startDesk(options);
  } catch (error) {
    // startDesk has cleaned up what it started; a stop asked for meanwhile is done.
    if (stopping) process.exit(0);
    throw error;
  }
  if (stopping) {
    await finish(desk);
    return;
  }
  const name = await deskNameOf(desk.ctx);
  if (!options.database) console.log(`Desk database: PostgreSQL in ${join(options.dataDir, 'postgres')} (started by this desk)`);
  console.log(`Key file: ${options.keyFile} (every desk process of this database needs this same file)`);
  console.log(`Galley desk "${name ?? 'new'}" listening on ${desk.server.url}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  runDesk(process.argv.slice(2)).catch((error: unknown) => {
    // One sentence a person can act on: the known refusals are already written that way.
    const known = error instanceof NewerDeskSchemaError || error instanceof NoPostgresError || error instanceof DeskKeyError || error instanceof UsageError;
    const message = error instanceof Error ? error.message : String(error);
    console.error(known ? message : `Galley desk could not start: ${message}`);
    process.exit(1);
  });
}
