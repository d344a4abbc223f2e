import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * The Electron executable, or why there is none. Read from the electron package's own
 * record (path.txt, written when its runtime was downloaded) rather than by requiring
 * the package: since Electron 41 requiring it starts the download when the runtime is
 * missing, which on a blocked network prints a stack (or waits on a silent firewall)
 * before browser mode can start.
 */
export function findElectron(): { path: string } | { missing: string } {
  let dir: string;
  try {
    dir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { missing: 'the electron package is not installed' };
  }
  const record = join(dir, 'path.txt');
  const executable = existsSync(record) ? join(dir, 'dist', readFileSync(record, 'utf8').trim()) : '';
  if (executable && existsSync(executable)) return { path: executable };
  return { missing: 'the Electron runtime is not installed (its download was skipped or blocked; `node node_modules/electron/install.js` tries again)' };
}
