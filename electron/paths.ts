import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const APP_NAME = 'Galley';

/**
 * Where Electron's app.getPath('userData') puts a "Galley" app on each platform, so
 * browser mode and the desktop app open the same data folder by default.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_NAME);
}

/** The built renderer (vite build output), beside the source tree. */
export function defaultRendererDir(): string {
  return fileURLToPath(new URL('../dist/renderer/', import.meta.url));
}

/**
 * The data folder holds every unpublished story, photo and the key to CMS secrets, so
 * it is its owner's alone (0700). A folder an older Galley made 0755 is narrowed at
 * start; one this person does not own is left as it is, with a warning.
 */
export function preparePrivateDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform === 'win32') return;
  try {
    if (statSync(dir).mode & 0o077) chmodSync(dir, 0o700);
  } catch (error) {
    console.warn(`[galley] Could not make the data folder ${dir} private (${(error as Error).message}).`);
  }
}
