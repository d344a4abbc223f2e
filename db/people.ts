import type { Person, Role } from '../shared/people.ts';
import { sql, type Db } from './connection.ts';

type Row = { id: string; name: string; role: Role; created_at: number };
const toPerson = (r: Row): Person => ({ id: r.id, name: r.name, role: r.role, createdAt: r.created_at });

export function insertPerson(db: Db, person: Person): void {
  sql(db, 'INSERT INTO people (id, name, role, created_at) VALUES (?, ?, ?, ?)').run(
    person.id,
    person.name,
    person.role,
    person.createdAt,
  );
}

export function listPeople(db: Db): Person[] {
  return (sql(db, 'SELECT * FROM people ORDER BY name COLLATE NOCASE').all() as Row[]).map(toPerson);
}

export function getPerson(db: Db, id: string): Person | undefined {
  const row = sql(db, 'SELECT * FROM people WHERE id = ?').get(id) as Row | undefined;
  return row && toPerson(row);
}

/** Adds a person only known by id (and perhaps a name) so records that name them can be stored; the desk's record replaces it. */
export function ensurePerson(db: Db, id: string, name: string, now: number): void {
  sql(db, `INSERT OR IGNORE INTO people (id, name, role, created_at) VALUES (?, ?, 'reporter', ?)`).run(id, name, now);
}

export function personByName(db: Db, name: string): Person | undefined {
  const row = sql(db, 'SELECT * FROM people WHERE name = ? ORDER BY created_at LIMIT 1').get(name) as Row | undefined;
  return row && toPerson(row);
}
