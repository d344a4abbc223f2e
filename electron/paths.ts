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
