// Runs Electron's own download of its runtime, which package.json's allowScripts
// denies to the electron package itself: run as electron's postinstall, a blocked
// download (no route to GitHub, a proxy, an offline laptop) fails the script and npm
// rolls back the whole install, so `npm install && npm start` never reached browser
// mode. Here a failed download costs one line and the install goes on.
// Plain JavaScript on purpose: it runs before anything else is known to be installed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const browserMode = '`npm start` will open browser mode instead';

let electronDir;
try {
  electronDir = dirname(require.resolve('electron/package.json'));
} catch {
  process.exit(0); // an install without dev dependencies: nothing to download
}

if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  console.log(`Electron runtime: not downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD is set); ${browserMode}.`);
  process.exit(0);
}

const result = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
  cwd: electronDir,
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'pipe'],
  // A download that hangs (a silent firewall) must not hold the install forever.
  timeout: 5 * 60_000,
});
const installed = existsSync(join(electronDir, 'path.txt'));
if (result.status === 0 && installed) process.exit(0);

const firstLine = (result.error?.message ?? result.stderr ?? '')
  .split('\n')
  .map((line) => line.trim())
  .find((line) => line.length > 0);
const why = firstLine ? ` (${firstLine.slice(0, 200)})` : '';
console.log(
  `Electron runtime could not be downloaded${why}; ${browserMode}. ` +
    `To try the download again: node node_modules/electron/install.js`,
);
process.exit(0);
