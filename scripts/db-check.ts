/**
 * `npm run db:check [-- --data-dir DIR]`: SQLite's integrity check plus the hash check
 * of every stored block, read-only. Exit code 1 when anything is wrong.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkStore, formatReport } from '../db/check.ts';
import { defaultDataDir } from '../electron/paths.ts';

const { values } = parseArgs({ options: { 'data-dir': { type: 'string' } } });
const dataDir = resolve(values['data-dir'] ?? process.env.GALLEY_DATA_DIR ?? defaultDataDir());
const file = join(dataDir, 'galley.db');
if (!existsSync(file)) {
  console.error(`No Galley database at ${file}. Pass --data-dir to check another folder.`);
  process.exit(2);
}
const db = new Database(file, { readonly: true, fileMustExist: true });
console.log(`Checking ${file}`);
const report = checkStore(db);
db.close();
console.log(formatReport(report));
process.exit(report.ok ? 0 : 1);
