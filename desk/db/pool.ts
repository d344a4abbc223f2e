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

/** Runs `fn` in one transaction (rolled back whole if it throws). */
export async function tx<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const value = await fn(client);
    await client.query('COMMIT');
    return value;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** The advisory lock every change-writing transaction holds until it commits (see 0001_desk.sql). */
export const CHANGE_LOCK = 17017;

/** The NOTIFY channel desk processes use to tell each other (and their sockets) that the feed moved. */
export const CHANGE_CHANNEL = 'galley_desk_changes';

export type ChangeKind = 'person' | 'document' | 'revision' | 'comment' | 'event' | 'asset' | 'publishing';

/**
 * Appends to the change feed inside the caller's transaction. The first call in a
 * transaction takes the feed's advisory lock, so feed order is commit order; NOTIFY is
 * delivered by PostgreSQL only when the transaction commits.
 */
export async function recordChange(client: pg.PoolClient, kind: ChangeKind, ref: string, at: number): Promise<number> {
  await client.query('SELECT pg_advisory_xact_lock($1)', [CHANGE_LOCK]);
  const { rows } = await client.query<{ seq: number }>('INSERT INTO changes (kind, ref, at) VALUES ($1, $2, $3) RETURNING seq', [kind, ref, at]);
  const seq = rows[0]!.seq;
  await client.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, String(seq)]);
  return seq;
}
