import pg from 'pg';

/**
 * PostgreSQL connections for the desk. BIGINT columns hold milliseconds and counters
 * that fit a JavaScript number, so they are read as numbers rather than strings.
 */
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export type Pool = pg.Pool;
export type Client = pg.PoolClient;

export function openPool(connectionString: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, application_name: 'galley-desk' });
  // An idle client whose server went away must not crash the process; the next query reconnects.
  pool.on('error', (error) => console.error('[desk] idle PostgreSQL connection failed:', error.message));
  return pool;
}

/** The changes a transaction recorded, written to the feed just before it commits. */
const pendingChanges = new WeakMap<pg.PoolClient, Map<string, { kind: ChangeKind; ref: string; at: number }>>();

/** Runs `fn` in one transaction (rolled back whole if it throws). */
export async function tx<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const changes = new Map<string, { kind: ChangeKind; ref: string; at: number }>();
  pendingChanges.set(client, changes);
  try {
    await client.query('BEGIN');
    const value = await fn(client);
    if (changes.size) await writeChanges(client, [...changes.values()]);
    await client.query('COMMIT');
    return value;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    pendingChanges.delete(client);
    client.release();
  }
}

/** The advisory lock every change-writing transaction holds until it commits (see 0001_desk.sql). */
export const CHANGE_LOCK = 17017;

/** The NOTIFY channel desk processes use to tell each other (and their sockets) that the feed moved. */
export const CHANGE_CHANNEL = 'galley_desk_changes';

export type ChangeKind = 'person' | 'document' | 'revision' | 'comment' | 'event' | 'asset' | 'publishing';

/**
 * Notes a change for the feed, inside the caller's transaction (tx). The rows are
 * written only as the transaction's last step, under the feed's advisory lock, which is
 * then held just until COMMIT: feed order stays commit order (a reader never skips a row
 * committed late with a lower seq), but concurrent writers wait on each other for one
 * statement, not for their whole transaction (the desk bench showed 17 of 20
 * connections queued on that lock while it spanned a push). The same entity noted twice
 * in one transaction is one row. NOTIFY is delivered only when the transaction commits.
 */
export async function recordChange(client: pg.PoolClient, kind: ChangeKind, ref: string, at: number): Promise<void> {
  const changes = pendingChanges.get(client);
  // Every desk write is a tx(); a change outside one would have no commit to be ordered by.
  if (!changes) throw new Error('recordChange must be called inside tx()');
  const key = `${kind}\u0000${ref}`;
  // Re-noted: it moves to the end, so the feed keeps the order of last change.
  changes.delete(key);
  changes.set(key, { kind, ref, at });
}

async function writeChanges(client: pg.PoolClient, changes: { kind: ChangeKind; ref: string; at: number }[]): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock($1)', [CHANGE_LOCK]);
  const { rows } = await client.query<{ seq: number }>(
    'INSERT INTO changes (kind, ref, at) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[]) RETURNING seq',
    [changes.map((c) => c.kind), changes.map((c) => c.ref), changes.map((c) => c.at)],
  );
  const last = Math.max(...rows.map((r) => r.seq));
  await client.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, String(last)]);
}
