import type Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type Migration = { version: number; name: string; sql: string };

/**
 * Migrations are numbered SQL files (0001_name.sql), applied in order, each inside a
 * transaction, and recorded in schema_migrations. A landed migration is never edited;
 * a change is a new file.
 *
 * The folder sits next to this module in the source tree and next to the bundle in
 * the packaged app (scripts/build-electron.ts copies it).
 */
export function defaultMigrationsDir(): string {
  return fileURLToPath(new URL('./migrations/', import.meta.url));
}

export function loadMigrations(dir = defaultMigrationsDir()): Migration[] {
  const files = readdirSync(dir).filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f)).sort();
  const migrations = files.map((file) => ({
    version: Number(file.slice(0, 4)),
    name: file.replace(/\.sql$/, ''),
    sql: readFileSync(`${dir}/${file}`, 'utf8'),
  }));
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migration ${m.name} is out of sequence: expected number ${i + 1}.`);
  });
  return migrations;
}

export class NewerSchemaError extends Error {
  constructor(
    readonly found: number,
    readonly known: number,
    file: string,
  ) {
    super(
      `The database ${file} was written by a newer version of Galley (schema ${found}; this version knows up to ${known}). ` +
        'Update Galley to open it, or choose another data folder. Nothing was changed.',
    );
    this.name = 'NewerSchemaError';
  }
}

export function currentSchemaVersion(db: Database.Database): number {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!table) return 0;
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}

/** Brings the database up to date; refuses (changing nothing) if it is newer than we know. */
export function migrate(db: Database.Database, migrations: Migration[], file: string): { applied: string[] } {
  const known = migrations.length;
  const found = currentSchemaVersion(db);
  if (found > known) throw new NewerSchemaError(found, known, file);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const applied: string[] = [];
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of migrations.slice(found)) {
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, Date.now());
    })();
    applied.push(m.name);
  }
  db.pragma(`user_version = ${known}`);
  return { applied };
}
