/** Runs the real server entry point (`server/main.ts`) as a child process, as an operator would. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../server/config.ts';
import { databaseEnv, ensureTestDatabase } from './database.ts';

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
}

/** `nodeArgs`: flags for Node itself, e.g. the heap ceiling `--max-old-space-size=1024` that `npm start` sets. */
export function spawnServer(env: Record<string, string>, nodeArgs: readonly string[] = []): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(PROJECT_ROOT, 'server', 'main.ts')], {
    cwd: PROJECT_ROOT,
    // In the api-postgres project the child uses the data folder's own test database.
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...(env.DATA_DIR && databaseEnv(env.DATA_DIR)), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** Starts the server and waits for the sign-in line that says it is serving. */
export async function startServerProcess(env: Record<string, string>, timeoutMs = 60_000, nodeArgs: readonly string[] = []): Promise<ServerProcess> {
  if (env.DATA_DIR) await ensureTestDatabase(env.DATA_DIR);
  const p = spawnServer(env, nodeArgs);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=/.exec(p.output());
    if (match?.[1]) return { ...p, url: match[1] };
    if (p.child.exitCode !== null) throw new Error(`server exited with ${p.child.exitCode} before serving:\n${p.output()}`);
    if (Date.now() > deadline) {
      p.child.kill('SIGKILL');
      throw new Error(`server did not start within ${timeoutMs} ms:\n${p.output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
