import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connection.ts';
import { NewerSchemaError, currentSchemaVersion, loadMigrations } from '../../db/migrate.ts';
import { tempDir } from '../support/backend.ts';

describe('the local store', () => {
  let dir: ReturnType<typeof tempDir>;
  let file: string;
  beforeEach(() => {
    dir = tempDir();
    file = join(dir.dir, 'galley.db');
  });
  afterEach(() => dir.remove());

  it('applies every migration to an empty database, in WAL mode', () => {
    const db = openDatabase(file);
    const known = loadMigrations().length;
    expect(known).toBeGreaterThan(0);
    expect(currentSchemaVersion(db)).toBe(known);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((r: any) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['people', 'documents', 'settings', 'schema_migrations']));
    db.close();
  });

  it('reopens an up-to-date database without applying anything again', () => {
    const first = openDatabase(file);
    first.prepare("INSERT INTO people (id, name, role, created_at) VALUES ('p1', 'Amara', 'reporter', 1)").run();
    const applied = first.prepare('SELECT version, applied_at FROM schema_migrations ORDER BY version').all();
    first.close();
    const again = openDatabase(file);
    expect(again.prepare('SELECT version, applied_at FROM schema_migrations ORDER BY version').all()).toEqual(applied);
    expect(again.prepare('SELECT name FROM people').all()).toEqual([{ name: 'Amara' }]);
    again.close();
  });

  it('refuses a database written by a newer Galley, and changes nothing in it', () => {
    openDatabase(file).close();
    const raw = new Database(file);
    const future = loadMigrations().length + 5;
    raw.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(future, 'from_the_future', 1);
    raw.close();
    expect(() => openDatabase(file)).toThrow(NewerSchemaError);
    expect(() => openDatabase(file)).toThrow(/newer version of Galley \(schema \d+; this version knows up to \d+\)/);
    const check = new Database(file, { readonly: true });
    expect(check.prepare('SELECT MAX(version) AS v FROM schema_migrations').get()).toEqual({ v: future });
    check.close();
  });

  it('numbers migrations without gaps', () => {
    const migrations = loadMigrations();
    migrations.forEach((m, i) => expect(m.version).toBe(i + 1));
  });
});
