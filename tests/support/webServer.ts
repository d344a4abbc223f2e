import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export type RunningServer = {
  url: string;
  origin: string;
  token: string;
  process: ChildProcess;
  /** Stop the process: SIGTERM lets it close cleanly; SIGKILL is a crash. */
  stop(signal?: NodeJS.Signals): Promise<void>;
};

/**
 * Starts browser mode as a real child process (`node --import tsx electron/web.ts`),
 * so tests can kill and restart the back end the way a crash or a relaunch would.
 */
export async function startWebServer(options: { dataDir: string; port?: number }): Promise<RunningServer> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'electron/web.ts', '--port', String(options.port ?? 0), '--data-dir', options.dataDir],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GALLEY_PORT: '', GALLEY_DATA_DIR: '' } },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`browser mode did not start in 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Open: (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`browser mode exited with ${code}:\n${output}`));
    });
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: /token=([\w-]+)/.exec(parsed.hash)![1]!,
    process: child,
    stop(signal = 'SIGTERM') {
      return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      });
    },
  };
}
