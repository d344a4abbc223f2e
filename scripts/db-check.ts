/**
 * `npm run db:check [-- --data-dir DIR]`: SQLite's integrity check, the hash check of
 * every stored block, and every photo's files (originals against their SHA-256),
 * read-only. Exit code 1 when anything is wrong.
 */
import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkStore, describeUnreadable, formatReport, isGalleyDatabase } from '../db/check.ts';
import { defaultDataDir } from '../electron/paths.ts';

const { values } = parseArgs({ options: { 'data-dir': { type: 'string' } } });
const dataDir = resolve(values['data-dir'] ?? process.env.GALLEY_DATA_DIR ?? defaultDataDir());
const file = join(dataDir, 'galley.db');
if (!existsSync(file)) {
  console.error(`No Galley database at ${file}. Pass --data-dir to check another folder.`);
  process.exit(2);
}
// Every failure below is a sentence, not a stack: this is run by a person worried
// about their data, often on a file that is not what it should be.
const fail = (sentence: string): never => {
  console.error(sentence);
  process.exit(1);
};
function open(): Database.Database {
  if (statSync(file).size === 0) return fail(`${file} is empty (0 bytes): there is no Galley data in it. If Galley's data was here, restore it from a backup.`);
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    // Opening reads nothing yet; the first query is what meets a file that is not a database.
    if (isGalleyDatabase(db)) return db;
  } catch (error) {
    db?.close();
    return fail(describeUnreadable(file, error));
  }
  db.close();
  return fail(`${file} is a SQLite database but not a Galley database (it has no Galley tables). Check that --data-dir names Galley's data folder.`);
}

const db = open();
console.log(`Checking ${file}`);
let report: ReturnType<typeof checkStore>;
try {
  report = checkStore(db, { dataDir });
} catch (error) {
  // A database that opens can still be too damaged to read to the end.
  report = fail(describeUnreadable(file, error));
} finally {
  db.close();
}
console.log(formatReport(report));
process.exit(report.ok ? 0 : 1);
