/**
 * One server per data folder. PGlite does not lock its folder, and two writers would corrupt it,
 * so the server holds a lock file naming its process. A lock left by a dead process (kill -9) is
 * taken over — safely: the lock names the process *and its start time*, so a recycled PID does not
 * look alive, and a takeover happens under its own exclusive file, so two servers starting at once
 * on a stale lock cannot both win.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface DataDirLock {
  readonly file: string;
  release(): void;
}

export class DataDirInUseError extends Error {
  constructor(readonly dir: string, readonly pid: number) {
    super(
      `the data folder ${dir} is in use by another City Brain server (process ${pid}); ` +
        `stop that server, or start this one with a different DATA_DIR`,
    );
    this.name = 'DataDirInUseError';
  }
}

export interface LockHolder {
  pid: number;
  /** The process's start time in clock ticks since boot (Linux `/proc/<pid>/stat` field 22). */
  start?: string;
}

/** Start time of a live process, or undefined where /proc is missing (or it is gone). */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else — still alive.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function describeHolder(holder: LockHolder): string {
  return `${holder.pid}${holder.start === undefined ? '' : ` ${holder.start}`}\n`;
}

/** Reads a lock file's holder; null when the content is not a lock (garbage is a stale lock). */
export function parseHolder(text: string): LockHolder | null {
  const match = /^\s*(\d{1,10})(?:\s+(\d{1,20}))?\s*$/.exec(text);
  if (!match) return null;
  const pid = Number(match[1]);
  if (!Number.isSafeInteger(pid) || pid <= 0) return null;
  return { pid, ...(match[2] !== undefined && { start: match[2] }) };
}

/** Whether the holder is a live process, and the same one that wrote the lock (not a reused PID). */
export function isHeld(holder: LockHolder | null): holder is LockHolder {
  if (!holder || holder.pid === process.pid || !isAlive(holder.pid)) return false;
  if (holder.start === undefined) return true;
  const now = processStartTime(holder.pid);
  return now === undefined || now === holder.start;
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Takes the lock on `dir` (created if missing) or throws `DataDirInUseError`. */
export function acquireDataDirLock(dir: string): DataDirLock {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'server.lock');
  const takeover = `${file}.takeover`;
  const mine = describeHolder({ pid: process.pid, ...(processStartTime(process.pid) !== undefined && { start: processStartTime(process.pid)! }) });
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      fs.writeFileSync(file, mine, { flag: 'wx' });
      let released = false;
      return {
        file,
        release() {
          if (released) return;
          released = true;
          if (readText(file) === mine) fs.rmSync(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const seen = readText(file);
    if (seen === null) continue; // released between our two steps: try again
    const holder = parseHolder(seen);
    if (isHeld(holder)) throw new DataDirInUseError(dir, holder.pid);
    // Stale. Only one process may replace it: whoever creates the takeover file.
    try {
      fs.writeFileSync(takeover, mine, { flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const other = readText(takeover);
      // A takeover abandoned by a process that died half-way is itself stale.
      if (other !== null && !isHeld(parseHolder(other))) fs.rmSync(takeover, { force: true });
      else pause(20);
      continue;
    }
    try {
      // Still the same stale lock? (Another server may have replaced it and be running now.)
      if (readText(file) === seen) fs.rmSync(file, { force: true });
    } finally {
      fs.rmSync(takeover, { force: true });
    }
  }
  throw new Error(`could not take the lock file ${file}: it keeps changing; is another server starting on ${dir}?`);
}
