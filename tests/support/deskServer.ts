import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const START = join(ROOT, 'desk', 'start.ts');

export type RunningDeskServer = {
  /** http://127.0.0.1:port — what a workstation types into Desk address. */
  url: string;
  port: number;
  process: ChildProcess;
  /** SIGTERM lets the desk stop cleanly; SIGKILL is a crash (it must lose nothing). */
  stop(signal?: NodeJS.Signals): Promise<void>;
};

/**
 * The environment without GALLEY_DESK_* (removed, not emptied: an empty key-file path
 * would resolve to the working folder), so the options given here are the only ones.
 */
function deskEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GALLEY_DESK_')));
}

/** Why the desk process cannot be started from this tree, or null if it can. */
export function deskServerMissing(): string | null {
  return existsSync(START) ? null : 'desk/start.ts is not in this tree (the desk server, branch h/desk-people)';
}

/**
 * Starts a desk process as a real child (`node --import tsx desk/start.ts`) on a
 * database of a private cluster (tests/support/postgres.ts), and resolves once it
 * prints `Galley desk "…" listening on http://host:port`. Several can share one
 * database; pass the same dataDir (or keyFile) so they share the sealing key.
 */
export async function startDeskServer(options: {
  databaseUrl: string;
  dataDir: string;
  port?: number;
}): Promise<RunningDeskServer> {
  const missing = deskServerMissing();
  if (missing) throw new Error(missing);
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      START,
      '--host',
      '127.0.0.1',
      '--port',
      String(options.port ?? 0),
      '--database',
      options.databaseUrl,
      '--data-dir',
      options.dataDir,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: deskEnv() },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the desk did not start in 60 s:\n${output}`));
    }, 60_000);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`the desk exited with ${code}:\n${output}`));
    };
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve(match[1]!.replace(/\/$/, ''));
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', onExit);
  });
  return {
    url,
    port: Number(new URL(url).port),
    process: child,
    stop(signal = 'SIGTERM') {
      return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        // By PID: only this desk, never anything else of the same name.
        process.kill(child.pid!, signal);
      });
    },
  };
}
