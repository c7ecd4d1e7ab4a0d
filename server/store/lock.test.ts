/**
 * The data-folder lock against other real processes: a live holder keeps it, a dead one, a
 * recycled PID and a garbage file do not.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirInUseError, processStartTime } from './lock.ts';

let dir: string;
const children: ChildProcess[] = [];
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'citybrain-lock-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

/** A live process that is not us. */
function sleeper(): ChildProcess {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  children.push(child);
  return child;
}
const lockFile = () => path.join(dir, 'server.lock');

describe('data folder lock', () => {
  it('writes our PID and start time, and removes the file on release', () => {
    const lock = acquireDataDirLock(dir);
    expect(fs.readFileSync(lockFile(), 'utf8')).toBe(`${process.pid} ${processStartTime(process.pid)}\n`);
    lock.release();
    expect(fs.existsSync(lockFile())).toBe(false);
  });

  it('refuses while another live process holds it', () => {
    const other = sleeper();
    fs.writeFileSync(lockFile(), `${other.pid} ${processStartTime(other.pid!)}\n`);
    expect(() => acquireDataDirLock(dir)).toThrow(DataDirInUseError);
    expect(() => acquireDataDirLock(dir)).toThrow(new RegExp(`process ${other.pid}`));
    // An old-style lock with only the PID counts too.
    fs.writeFileSync(lockFile(), `${other.pid}\n`);
    expect(() => acquireDataDirLock(dir)).toThrow(DataDirInUseError);
  });

  it('takes over a lock whose process is gone', async () => {
    const dead = spawn('true', { stdio: 'ignore' });
    await new Promise((r) => dead.once('exit', r));
    fs.writeFileSync(lockFile(), `${dead.pid} 12345\n`);
    const lock = acquireDataDirLock(dir);
    expect(fs.readFileSync(lockFile(), 'utf8')).toMatch(new RegExp(`^${process.pid} `));
    lock.release();
  });

  it('takes over a lock whose PID now belongs to a different process (recycled PID)', () => {
    const other = sleeper();
    const realStart = processStartTime(other.pid!);
    expect(realStart).toBeDefined();
    fs.writeFileSync(lockFile(), `${other.pid} ${Number(realStart) + 1}\n`);
    acquireDataDirLock(dir).release();
  });

  it('takes over a lock file with garbage in it, and an abandoned takeover', async () => {
    fs.writeFileSync(lockFile(), 'not a pid at all');
    acquireDataDirLock(dir).release();
    const dead = spawn('true', { stdio: 'ignore' });
    await new Promise((r) => dead.once('exit', r));
    fs.writeFileSync(lockFile(), `${dead.pid}\n`);
    fs.writeFileSync(`${lockFile()}.takeover`, `${dead.pid}\n`);
    acquireDataDirLock(dir).release();
    expect(fs.existsSync(`${lockFile()}.takeover`)).toBe(false);
  });
});
