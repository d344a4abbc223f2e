import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { DeskContext } from '../../desk/context.ts';
import { openPool } from '../../desk/db/pool.ts';
import { migrateDesk } from '../../desk/db/migrate.ts';
import { deskCall } from '../../desk/dispatch.ts';
import { deskHandlers } from '../../desk/handlers.ts';
import type { DeskInput, DeskOperationName, DeskOutput } from '../../shared/desk.ts';
import { GalleyError } from '../../shared/errors.ts';
import { adapterFor } from '../../electron/cms/index.ts';
import { keyFileBox } from '../../electron/services/secrets.ts';
import { tempDir } from './backend.ts';
import type { PgCluster } from './postgres.ts';

/**
 * An in-process desk on a fresh database of a test's private PostgreSQL: the same
 * dispatcher and handlers as `npm run desk`, without HTTP. `call` returns the answer
 * or throws the desk's GalleyError; `as(token)` calls with a session token.
 */
export type TestDesk = {
  ctx: DeskContext;
  pool: pg.Pool;
  url: string;
  call<K extends DeskOperationName>(name: K, input: DeskInput<K>, token?: string | null): Promise<DeskOutput<K>>;
  close(): Promise<void>;
};

export async function openTestDesk(cluster: PgCluster, options: { now?: () => number } = {}): Promise<TestDesk> {
  const url = await cluster.createDatabase(`desk_${randomUUID().replace(/-/g, '').slice(0, 12)}`);
  const pool = openPool(url);
  await migrateDesk(pool);
  const ctx: DeskContext = {
    pool,
    now: options.now ?? Date.now,
    processId: `test:${process.pid}:${randomUUID().slice(0, 8)}`,
    secrets: keyFileBox(tempDir('galley-desk-keys-').dir),
    adapterFactory: adapterFor,
    kickPublishing: () => undefined,
  };
  return {
    ctx,
    pool,
    url,
    async call(name, input, token = null) {
      const result = await deskCall(ctx, deskHandlers, name, input, { token, address: '127.0.0.1' });
      if (!result.ok) throw GalleyError.fromBody(result.error);
      return result.value as never;
    },
    async close() {
      await pool.end();
    },
  };
}
