import { chmodSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseFile, openBackend, type Backend } from '../../electron/backend.ts';
import { signIn, tempDir } from '../support/backend.ts';

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

// File modes are POSIX; Windows keeps a user's AppData private by its own ACLs.
describe.skipIf(process.platform === 'win32')('the data folder is private', () => {
  let dir: ReturnType<typeof tempDir>;
  let backend: Backend | undefined;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => {
    backend?.close();
    backend = undefined;
    dir.remove();
  });

  it('a first start makes the data folder readable by its owner only, and the database with its WAL too', async () => {
    const dataDir = join(dir.dir, 'Galley');
    backend = openBackend({ dataDir });
    await signIn(backend, 'Amara Osei', 'reporter');
    await backend.invoke('documents.create', { kind: 'article' });
    const db = databaseFile(dataDir);
    expect(existsSync(`${db}-wal`) && existsSync(`${db}-shm`)).toBe(true);
    expect(modeOf(dataDir)).toBe('700');
    expect([modeOf(db), modeOf(`${db}-wal`), modeOf(`${db}-shm`)]).toEqual(['600', '600', '600']);
  });

  it('a folder and database an older Galley left readable by others are made private at the next start', async () => {
    const dataDir = join(dir.dir, 'Galley');
    backend = openBackend({ dataDir });
    await signIn(backend, 'Amara Osei', 'reporter');
    backend.close();
    const db = databaseFile(dataDir);
    // What an older Galley left: its umask's 0755 and 0644, and the WAL files of a crash.
    writeFileSync(`${db}-wal`, '');
    writeFileSync(`${db}-shm`, '');
    chmodSync(dataDir, 0o755);
    for (const f of [db, `${db}-wal`, `${db}-shm`]) chmodSync(f, 0o644);

    backend = openBackend({ dataDir });
    expect(await backend.invoke('session.get', {})).toMatchObject({ person: { name: 'Amara Osei' } });
    expect(modeOf(dataDir)).toBe('700');
    expect([modeOf(db), modeOf(`${db}-wal`), modeOf(`${db}-shm`)]).toEqual(['600', '600', '600']);
  });

  it('a data folder given in a new place is created private, parents and all', () => {
    const dataDir = join(dir.dir, 'newsroom', 'desk');
    backend = openBackend({ dataDir });
    expect(modeOf(join(dir.dir, 'newsroom'))).toBe('700');
    expect(modeOf(dataDir)).toBe('700');
  });
});
