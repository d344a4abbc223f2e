import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { openBackend } from '../../electron/backend.ts';
import { lockFileOf } from '../../electron/dataLock.ts';
import { deadPid, signIn, tempDir } from '../support/backend.ts';

// Browser mode's two processes on one folder: tests/e2e/dataFolder.spec.ts.
describe('one back end per data folder', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));
  function folder() {
    const dir = tempDir('galley-lock-');
    cleanups.push(dir.remove);
    return dir.dir;
  }

  it('a second back end in the same process refuses too, and the folder is free again once the first closes', async () => {
    const dir = folder();
    const first = openBackend({ dataDir: dir, outbox: false });
    await signIn(first, 'Amara Osei', 'reporter');
    expect(() => openBackend({ dataDir: dir, outbox: false })).toThrow(`The data folder ${dir} is in use by another Galley (process ${process.pid}`);
    // The refusal touched nothing of the first's.
    expect(await first.invoke('people.list', {})).toHaveLength(1);
    first.close();
    const again = openBackend({ dataDir: dir, outbox: false });
    expect(await again.invoke('people.list', {})).toHaveLength(1);
    again.close();
  });

  it('a lock left by a process that no longer exists is taken over; one that cannot be read is not', () => {
    const dir = folder();
    writeFileSync(lockFileOf(dir), JSON.stringify({ pid: deadPid(), host: hostname(), startedAt: '2026-12-01T08:00:00.000Z', nonce: 'x' }));
    const backend = openBackend({ dataDir: dir, outbox: false });
    backend.close();
    writeFileSync(lockFileOf(dir), 'garbage');
    expect(() => openBackend({ dataDir: dir, outbox: false })).toThrow(`is in use by another Galley. Close that Galley first`);
  });
});
