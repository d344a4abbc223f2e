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
export async function startDeskServer(options: { databaseUrl: string; dataDir: string; port?: number }): Promise<RunningDeskServer> {
  const missing = deskServerMissing();
  if (missing) throw new Error(missing);
  // GALLEY_DESK_*: the options here are the only ones this desk sees.
  const desk = spawnDesk(
    ['--host', '127.0.0.1', '--port', String(options.port ?? 0), '--database', options.databaseUrl, '--data-dir', options.dataDir],
    { GALLEY_DESK_DATABASE: '', GALLEY_DESK_KEY_FILE: '' },
  );
  const timer = setTimeout(() => desk.child.kill('SIGKILL'), 60_000);
  const url = await desk.ready.finally(() => clearTimeout(timer));
  const child = desk.child;
  return {
    url: url.replace(/\/$/, ''),
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

/**
 * `desk/start.ts` as a real child process (what `npm run desk` runs), with any
 * arguments: the desk server tests start desks that must refuse to start, too.
 */
export type DeskProcess = {
  child: ChildProcess;
  /** Everything it printed, stdout and stderr. */
  output(): string;
  exited: Promise<number | null>;
  /** Its address once it printed its ready line; rejects if it exits first. */
  ready: Promise<string>;
};

export function spawnDesk(args: string[], env: NodeJS.ProcessEnv = {}): DeskProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'desk/start.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    const look = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /Galley desk "[^"]*" listening on (http:\/\/\S+)/.exec(output);
      if (m) resolve(m[1]!);
    };
    child.stdout!.on('data', look);
    child.stderr!.on('data', look);
    void exited.then((code) => reject(new Error(`The desk exited (${code}) before it was ready:\n${output}`)));
  });
  // A caller that only waits for the exit must not see an unhandled rejection.
  ready.catch(() => undefined);
  return { child, output: () => output, exited, ready };
}

/** SIGTERM (the desk's graceful stop), SIGKILL if it has not exited after 20 s; resolves with the exit code. */
export async function stopDesk(desk: DeskProcess): Promise<number | null> {
  if (desk.child.exitCode !== null || desk.child.signalCode !== null) return desk.child.exitCode;
  process.kill(desk.child.pid!, 'SIGTERM');
  const timer = setTimeout(() => desk.child.exitCode === null && process.kill(desk.child.pid!, 'SIGKILL'), 20_000);
  const code = await desk.exited;
  clearTimeout(timer);
  return code;
}
