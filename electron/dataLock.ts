import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { GalleyError } from '../shared/errors.ts';

/**
 * One back end per data folder. Two processes on one folder (a second `npm run web`, or
 * the desktop app and browser mode) would each cache, autosave and publish from the
 * same database behind the other's back. Electron's single-instance lock covers only
 * the desktop app, so the folder itself is locked, in plain Node: a lock file naming
 * its owner's process, created only if absent. A lock whose process has died (a crash,
 * a kill) is stale and taken over.
 */
export type DataLock = { file: string; release(): void };

type Owner = { pid: number; host: string; startedAt: string; nonce: string };

export const lockFileOf = (dataDir: string) => join(dataDir, 'galley.lock');

export function lockDataFolder(dataDir: string): DataLock {
  mkdirSync(dataDir, { recursive: true });
  const file = lockFileOf(dataDir);
  const mine = JSON.stringify({
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    nonce: randomBytes(8).toString('hex'),
  } satisfies Owner);
  // Twice at most: once more after clearing a stale lock (or one released meanwhile).
  for (let attempt = 0; attempt < 2; attempt++) {
    if (create(file, mine)) return { file, release: () => removeIf(file, mine) };
    const held = readLock(file);
    if (held === undefined) continue;
    const owner = parseOwner(held);
    if (owner && !isAlive(owner)) {
      removeIf(file, held);
      continue;
    }
    throw refusal(dataDir, file, owner);
  }
  throw refusal(dataDir, file, parseOwner(readLock(file) ?? ''));
}

/**
 * Creates the lock with its content in one step: written under a private name, then
 * hard-linked to the lock's name, which fails if the lock exists. So a lock file is
 * never seen empty or half-written, not even after a crash mid-way.
 */
function create(file: string, content: string): boolean {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    writeFileSync(tmp, content, { mode: 0o644 });
    linkSync(tmp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    // A file system without hard links: exclusive create (O_EXCL) instead.
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
    try {
      writeFileSync(file, content, { flag: 'wx', mode: 0o644 });
      return true;
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw again;
    }
  } finally {
    rmSync(tmp, { force: true });
  }
}

function readLock(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function parseOwner(text: string): Owner | undefined {
  try {
    const o = JSON.parse(text) as Partial<Owner>;
    // A pid of 0 or below would ask about a whole process group, not one process.
    if (Number.isInteger(o.pid) && o.pid! > 0 && typeof o.host === 'string' && typeof o.startedAt === 'string') return o as Owner;
  } catch {
    /* not ours to read: treated as held */
  }
  return undefined;
}

/** Removes the lock only if it still holds `content`: never another owner's newer lock. */
function removeIf(file: string, content: string): void {
  if (readLock(file) === content) unlinkSync(file);
}

function isAlive(owner: Owner): boolean {
  // A process on another machine (a folder on a network share) cannot be asked.
  if (owner.host !== hostname()) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function refusal(dataDir: string, file: string, owner: Owner | undefined): GalleyError {
  const who = owner
    ? `another Galley (process ${owner.pid}${owner.host === hostname() ? '' : ` on ${owner.host}`}, started ${owner.startedAt.replace('T', ' ').slice(0, 19)} UTC)`
    : 'another Galley';
  return new GalleyError(
    'conflict',
    `The data folder ${dataDir} is in use by ${who}. Close that Galley first, or start this one with another --data-dir. ` +
      `(If no Galley is running, delete ${file}.)`,
  );
}
