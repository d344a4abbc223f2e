/**
 * Bundles the Electron main process (ESM) and the preload script (CommonJS: a
 * sandboxed preload cannot import modules) into dist-electron/, and copies the SQL
 * migrations beside the bundle where db/migrate.ts looks for them.
 */
import { build } from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';

const common = { bundle: true, platform: 'node' as const, target: 'node20', sourcemap: true, logLevel: 'warning' as const };

mkdirSync('dist-electron', { recursive: true });
await build({
  ...common,
  entryPoints: ['electron/main.ts'],
  outfile: 'dist-electron/main.mjs',
  format: 'esm',
  // Native and Electron modules load at run time; the banner gives bundled CommonJS
  // dependencies a require() inside an ES module.
  external: ['electron', 'better-sqlite3'],
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
await build({
  ...common,
  entryPoints: ['electron/preload.ts'],
  outfile: 'dist-electron/preload.cjs',
  format: 'cjs',
  external: ['electron'],
});
cpSync('db/migrations', 'dist-electron/migrations', { recursive: true });
console.log('built dist-electron/main.mjs and preload.cjs');
