import { readFileSync, statSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname } from 'node:path';
import type pg from 'pg';
import { keyFileBox, type SecretBox } from '../electron/services/secrets.ts';

/**
 * The desk's sealing key for publish-target secrets: a random 256-bit file, readable
 * only by its owner (electron/services/secrets.ts keyFileBox, AES-256-GCM). Every desk
 * process of one database must use the same file: a secret sealed by one is opened by
 * whichever process sends the job.
 */
export class DeskKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeskKeyError';
  }
}

/** Opens the key file, creating it (0600) if absent; two processes creating it at once both end up with the one that won. */
export function deskSecretBox(file: string): SecretBox {
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, randomBytes(32), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new DeskKeyError(`The desk's key file ${file} cannot be created: ${(error as Error).message}`);
  }
  if (process.platform !== 'win32' && statSync(file).mode & 0o077) chmodSync(file, 0o600);
  if (readFileSync(file).length !== 32) {
    throw new DeskKeyError(`The desk's key file ${file} is damaged (expected 32 bytes); restore it from a backup or from another desk process of this database.`);
  }
  return keyFileBox(dirname(file), basename(file));
}

const CHECK_TEXT = 'galley desk key check';

/**
 * Refuses a key file that is not the one this database's secrets were sealed with (a
 * second desk process started with its own fresh key would otherwise fail every
 * publish later, far from the cause). The first process to start records a sealed
 * check in desk_meta.
 */
export async function checkDeskKey(pool: pg.Pool, box: SecretBox, file: string): Promise<void> {
  await pool.query(`INSERT INTO desk_meta (key, value) VALUES ('key_check', $1) ON CONFLICT (key) DO NOTHING`, [box.seal(CHECK_TEXT).toString('base64')]);
  const { rows } = await pool.query<{ value: string }>(`SELECT value FROM desk_meta WHERE key = 'key_check'`);
  let opened = '';
  try {
    opened = box.open(Buffer.from(rows[0]!.value, 'base64'));
  } catch {
    opened = '';
  }
  if (opened !== CHECK_TEXT) {
    throw new DeskKeyError(
      `The key file ${file} is not the one this desk database's secrets were sealed with: every desk process of one database must share one key file (copy it from the first desk, or pass --key-file).`,
    );
  }
}
