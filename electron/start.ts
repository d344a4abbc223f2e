/**
 * `npm start`: the desktop app where the Electron runtime is installed; browser mode
 * where it is not (its download is blocked on some machines, and CI has no display).
 */
import { spawnSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectron } from './runtime.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const require = createRequire(import.meta.url);

/**
 * better-sqlite3 in node_modules is built for Node (tests, browser mode). Electron
 * needs its own build, kept apart in dist-electron/node_modules, where the bundled main
 * process finds it first. Rebuilt only when the Electron version changes.
 */
function prepareNativeModules(): void {
  const electronVersion = (require('electron/package.json') as { version: string }).version;
  const stage = join(root, 'dist-electron');
  const stamp = join(stage, 'native-electron-version');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === electronVersion) return;
  mkdirSync(join(stage, 'node_modules'), { recursive: true });
  for (const dep of ['better-sqlite3', 'bindings', 'file-uri-to-path']) {
    cpSync(join(root, 'node_modules', dep), join(stage, 'node_modules', dep), { recursive: true });
  }
  const sqliteVersion = (require('better-sqlite3/package.json') as { version: string }).version;
  writeFileSync(join(stage, 'package.json'), JSON.stringify({ name: 'galley-native', private: true, dependencies: { 'better-sqlite3': sqliteVersion } }));
  console.log(`Building the database module for Electron ${electronVersion} (once)…`);
  const result = spawnSync(
    process.execPath,
    [require.resolve('@electron/rebuild/lib/cli.js'), '-f', '-v', electronVersion, '-m', stage, '-o', 'better-sqlite3'],
    { stdio: 'inherit', cwd: root },
  );
  if (result.status !== 0) throw new Error('Could not build better-sqlite3 for Electron (see above).');
  writeFileSync(stamp, electronVersion);
}

async function main(): Promise<void> {
  const electron = findElectron();
  if ('missing' in electron) {
    console.log(`Starting browser mode: ${electron.missing}.`);
    const { runWeb } = await import('./web.ts');
    await runWeb(process.argv.slice(2));
    return;
  }
  const build = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build-electron.ts'], { stdio: 'inherit', cwd: root });
  if (build.status !== 0) process.exit(build.status ?? 1);
  prepareNativeModules();
  const child = spawn(electron.path, ['.', ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
  child.on('exit', (code) => process.exit(code ?? 0));
}

main().catch((error: unknown) => {
  console.error(`Galley could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
