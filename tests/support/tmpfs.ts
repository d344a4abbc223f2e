import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A small real file system that can be filled: a tmpfs mounted for one test (we run as
 * root here). Where mounting is not allowed, `mountSmallDisk` says why, and the test
 * reports itself skipped with that reason.
 */
export type SmallDisk = {
  dir: string;
  /** Fills every free byte with a filler file. */
  fill(): void;
  /** Deletes the filler again. */
  free(): void;
  unmount(): void;
};

export function mountSmallDisk(sizeMb: number): SmallDisk | { unavailable: string } {
  const dir = mkdtempSync(join(tmpdir(), 'galley-disk-'));
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir], { encoding: 'utf8' });
  if (mount.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return { unavailable: `cannot mount a ${sizeMb} MB tmpfs to fill (${(mount.stderr || mount.error?.message || `exit ${mount.status}`).trim()})` };
  }
  const filler = join(dir, 'filler');
  return {
    dir,
    fill() {
      const fd = openSync(filler, 'a');
      try {
        // Big writes first, then ever smaller ones, until not one more byte fits.
        for (const size of [1 << 20, 1 << 12, 1]) {
          const chunk = Buffer.alloc(size, 0x2e);
          for (;;) {
            try {
              if (writeSync(fd, chunk) < size) break;
            } catch (error) {
              if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
              throw error;
            }
          }
        }
      } finally {
        closeSync(fd);
      }
    },
    free() {
      rmSync(filler, { force: true });
    },
    unmount() {
      spawnSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function dataFolderOn(disk: SmallDisk): string {
  const dir = join(disk.dir, 'data');
  mkdirSync(dir, { recursive: true });
  return dir;
}
