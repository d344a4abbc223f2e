import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The Electron executable, or why there is none. */
export function findElectron(): { path: string } | { missing: string } {
  try {
    // The electron package's index throws when its binary was never downloaded.
    const path = require('electron') as unknown as string;
    if (typeof path === 'string' && existsSync(path)) return { path };
    return { missing: 'the Electron runtime is not installed' };
  } catch {
    return { missing: 'the Electron runtime is not installed (its download was skipped or blocked)' };
  }
}
