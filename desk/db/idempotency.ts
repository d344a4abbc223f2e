import type pg from 'pg';
import { GalleyError } from '../../shared/errors.ts';
import { tx } from './pool.ts';

/**
 * Runs a write at most once per idempotency key: a workstation's outbox resends an
 * action whose answer it never heard (a dropped connection, a killed desk), and the
 * resend gets the first answer instead of acting twice. The key is claimed inside the
 * same transaction as the write, so either both commit or neither does; a concurrent
 * resend waits on the key's row and then reads the answer.
 */
export async function once<T>(
  pool: pg.Pool,
  claim: { key: string; personId: string; operation: string; now: number },
  fn: (client: pg.PoolClient) => Promise<T>,
  /** An answer that is not final (a push still waiting for blocks) leaves the key free for the resend that completes it. */
  keep: (answer: T) => boolean = () => true,
): Promise<T> {
  return tx(pool, async (client) => {
    const inserted = await client.query(
      `INSERT INTO idempotency (key, person_id, operation, answer, created_at) VALUES ($1, $2, $3, 'null'::jsonb, $4)
       ON CONFLICT (key) DO NOTHING RETURNING key`,
      [claim.key, claim.personId, claim.operation, claim.now],
    );
    if (inserted.rowCount === 0) {
      const { rows } = await client.query<{ person_id: string; operation: string; answer: T }>(
        'SELECT person_id, operation, answer FROM idempotency WHERE key = $1',
        [claim.key],
      );
      const row = rows[0]!;
      if (row.person_id !== claim.personId || row.operation !== claim.operation) {
        throw new GalleyError('conflict', 'This request key was already used for another request; send it with a new key.');
      }
      return row.answer;
    }
    const answer = await fn(client);
    if (!keep(answer)) await client.query('DELETE FROM idempotency WHERE key = $1', [claim.key]);
    else await client.query('UPDATE idempotency SET answer = $2 WHERE key = $1', [claim.key, JSON.stringify(answer)]);
    return answer;
  });
}
