import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/**
 * `desk/start.ts` as a real child process (what `npm run desk` runs), for the desk
 * server tests and the desk benchmark. Stopped by its PID.
 */
const ROOT = join(import.meta.dirname, '..', '..');

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
