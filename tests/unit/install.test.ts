import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  allowScripts: Record<string, boolean>;
  devDependencies: Record<string, string>;
};

let project: string | undefined;
afterEach(() => {
  if (project) rmSync(project, { recursive: true, force: true });
  project = undefined;
});

/** A project folder whose electron package's own download fails the way a blocked network does. */
function projectWithBlockedElectron(): string {
  project = mkdtempSync(join(tmpdir(), 'galley-install-'));
  mkdirSync(join(project, 'scripts'));
  copyFileSync(join(ROOT, 'scripts/install-electron.mjs'), join(project, 'scripts/install-electron.mjs'));
  const electron = join(project, 'node_modules/electron');
  mkdirSync(electron, { recursive: true });
  writeFileSync(join(electron, 'package.json'), JSON.stringify({ name: 'electron', version: '44.0.0' }));
  writeFileSync(
    join(electron, 'install.js'),
    "console.error('RequestError: getaddrinfo ENOTFOUND github.com\\n    at ClientRequest.<anonymous>'); process.exit(1);",
  );
  return project;
}

function runPostinstall(cwd: string, env: NodeJS.ProcessEnv = {}) {
  const clean = { ...process.env, ...env };
  if (!('ELECTRON_SKIP_BINARY_DOWNLOAD' in env)) delete clean.ELECTRON_SKIP_BINARY_DOWNLOAD;
  const [command, ...args] = packageJson.scripts.postinstall!.split(' ');
  expect(command).toBe('node');
  return spawnSync(process.execPath, args, { cwd, env: clean, encoding: 'utf8' });
}

describe('the first command works on a network that blocks Electron’s download', () => {
  it('npm may not run electron’s own download; the project’s postinstall runs it instead', () => {
    // electron's postinstall fails the whole `npm install` (and npm rolls it back) when
    // its runtime cannot be fetched; denying it leaves the download to our script.
    expect(packageJson.allowScripts.electron).toBe(false);
    expect(packageJson.allowScripts['better-sqlite3']).toBe(true);
    expect(packageJson.scripts.postinstall).toBe('node scripts/install-electron.mjs');
  });

  it('a download that fails costs one line and a successful exit, not the install', () => {
    const result = runPostinstall(projectWithBlockedElectron());
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('Electron runtime could not be downloaded (RequestError: getaddrinfo ENOTFOUND github.com)');
    expect(lines[0]).toContain('`npm start` will open browser mode instead');
    expect(result.stderr).toBe('');
  });

  it('says so when the download was skipped on purpose', () => {
    const result = runPostinstall(projectWithBlockedElectron(), { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('not downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD is set)');
  });
});

/** The `electronFuses:` block of electron-builder.yml, read as `key: true|false` lines. */
function fusesIn(config: string): Record<string, boolean> {
  const block = /^electronFuses:\n((?:[ \t]+\w+:[ \t]*(?:true|false)[ \t]*\n?)+)/m.exec(config);
  if (!block) return {};
  return Object.fromEntries([...block[1]!.matchAll(/(\w+):\s*(true|false)/g)].map((m) => [m[1]!, m[2] === 'true']));
}

describe('the desktop package', () => {
  it('uses an Electron major that Electron still supports (43–45 as of December 2026)', () => {
    const major = Number(/^\D*(\d+)\./.exec(packageJson.devDependencies.electron!)![1]);
    expect(major).toBeGreaterThanOrEqual(43);
  });

  it('flips the fuses that keep the packaged app from running as Node or loading other code', () => {
    expect(fusesIn(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8'))).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });
});

describe('npm start on a machine without the Electron runtime', () => {
  it('looks for the runtime without starting a download (requiring electron 41+ downloads it)', () => {
    const script = "import('./electron/runtime.ts').then((m) => console.log(JSON.stringify(m.findElectron())))";
    const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).not.toContain('Downloading Electron binary');
    expect(result.stderr).not.toContain('fetch failed');
    const found = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { path?: string; missing?: string };
    expect(found.path ?? found.missing).toBeTruthy();
  });
});
