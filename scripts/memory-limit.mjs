/**
 * The server's memory ceiling: `npm start` runs the server in a Node process started with
 * `--max-old-space-size=MEMORY_LIMIT_MB`, so a runaway (a leak, an input no limit caught) ends as
 * one logged, restartable out-of-memory exit instead of swapping the whole machine to a halt.
 * V8 fixes its heap size when the process starts, so the ceiling needs a process of its own.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';

/** Generous for one city on a 24 GiB machine, which also runs PostgreSQL and the browsers of a wall. */
export const DEFAULT_MEMORY_LIMIT_MB = 4096;
const MIN_MB = 256;
const MAX_MB = 1024 * 1024;
const FLAG = '--max-old-space-size=';

/** `MEMORY_LIMIT_MB` as a whole number of megabytes, or the default; throws a readable Error otherwise. */
export function memoryLimitMb(env) {
  const raw = env.MEMORY_LIMIT_MB?.trim();
  if (raw === undefined || raw === '') return DEFAULT_MEMORY_LIMIT_MB;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < MIN_MB || value > MAX_MB) {
    throw new Error(`MEMORY_LIMIT_MB must be a whole number of megabytes from ${MIN_MB} to ${MAX_MB} (this machine has ${Math.round(os.totalmem() / 1048576)} MB), not "${env.MEMORY_LIMIT_MB}"`);
  }
  return value;
}

/**
 * The Node arguments that run `scriptArgs` under a `limitMb` heap, keeping the other flags this
 * process was started with; null when this process already runs under exactly that ceiling.
 */
export function ceilingArgs(execArgv, scriptArgs, limitMb) {
  const flag = `${FLAG}${limitMb}`;
  if (execArgv.includes(flag)) return null;
  return [...execArgv.filter((a) => !a.startsWith(FLAG)), flag, ...scriptArgs];
}

/** Exit codes as a shell reports them: 128 + the signal's number for a process a signal ended. */
const exitCodeOf = (code, signal) => code ?? 128 + (os.constants.signals[signal] ?? 0);

/**
 * Runs `args` in a child Node process, passing signals on (a graceful stop stays the server's own)
 * and resolving with its exit code. An abort (V8 out of memory aborts the process) is reported on
 * `report` with the ceiling and what to do, as a line an operator or a supervisor's log shows.
 */
export function runUnderCeiling(args, limitMb, { report = (line) => process.stderr.write(`${line}\n`), env = process.env, stdio = 'inherit' } = {}) {
  const child = spawn(process.execPath, args, { stdio, env });
  const forward = (signal) => child.kill(signal);
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, forward);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      for (const s of signals) process.off(s, forward);
      if (signal === 'SIGABRT' || code === 134) {
        report(
          `City Brain stopped: it reached its memory ceiling of ${limitMb} MB (MEMORY_LIMIT_MB) and Node aborted. ` +
            'Nothing acknowledged is lost; start it again (a supervisor such as systemd restarts it), and raise MEMORY_LIMIT_MB only if the load is expected.',
        );
      }
      resolve(exitCodeOf(code, signal));
    });
  });
}
