import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { loadMigrations, type Migration } from '../../db/migrate.ts';

/**
 * The desk's schema, like the workstation's: numbered SQL files in desk/migrations,
 * applied in order, each in a transaction, recorded in schema_migrations. Several desk
 * processes may start at once against one database, so migrating holds an advisory
 * lock. A database newer than this desk refuses to start it and changes nothing.
 */
export function deskMigrationsDir(): string {
  return fileURLToPath(new URL('../migrations/', import.meta.url));
}

export function loadDeskMigrations(dir = deskMigrationsDir()): Migration[] {
  return loadMigrations(dir);
}

export class NewerDeskSchemaError extends Error {
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(
      `This desk database was written by a newer version of the Galley desk (schema ${found}; this desk knows up to ${known}). ` +
        'Update the desk to use it. Nothing was changed.',
    );
    this.name = 'NewerDeskSchemaError';
  }
}

const MIGRATE_LOCK = 17001;

export async function migrateDesk(pool: pg.Pool, migrations = loadDeskMigrations()): Promise<{ applied: string[] }> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATE_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`);
    const { rows } = await client.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations');
    const found = rows[0]?.v ?? 0;
    const known = migrations.length;
    if (found > known) throw new NewerDeskSchemaError(found, known);
    const applied: string[] = [];
    for (const m of migrations.slice(found)) {
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, Date.now()]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
      applied.push(m.name);
    }
    return { applied };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATE_LOCK]).catch(() => undefined);
    client.release();
  }
}
