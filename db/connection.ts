import Database from 'better-sqlite3';
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadMigrations, migrate, type Migration } from './migrate.ts';

export type Db = Database.Database;

/**
 * Opens (creating if needed) the workstation's database and brings it up to date.
 * WAL lets the story list read while a save writes; synchronous=NORMAL in WAL mode
 * keeps every committed save across a crash or kill of the app (only an OS crash or
 * power loss can lose the last moments), at a fraction of FULL's fsync cost on the
 * typing path.
 */
export function openDatabase(file: string, options: { migrations?: Migration[] } = {}): Db {
  if (file !== ':memory:') {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    makePrivate(file);
  }
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, options.migrations ?? loadMigrations(), file);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * The database holds every unpublished story, so only its owner may read it: 0600 for
 * the file and its -wal and -shm (SQLite creates those with the database file's own
 * permissions, so creating it 0600 first covers them; files an older Galley made 0644
 * are narrowed).
 */
function makePrivate(file: string): void {
  if (process.platform === 'win32') return;
  try {
    closeSync(openSync(file, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      if (statSync(f).mode & 0o077) chmodSync(f, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

const statements = new WeakMap<Db, Map<string, Database.Statement>>();

/**
 * A prepared statement, compiled once per connection. Preparing costs more than
 * running most of our queries (measured: it was a third of the time to cut a
 * revision), so hot paths reuse them. Not for `.iterate()`, which holds the
 * statement until the loop ends.
 */
export function sql(db: Db, text: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let statement = cache.get(text);
  if (!statement) cache.set(text, (statement = db.prepare(text)));
  return statement;
}
