/**
 * Single writer (docs/reliability.md): two servers started at the same moment on a folder with a stale
 * lock (its process was killed with SIGKILL): exactly one serves, the other exits saying why.
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { chaosCount } from '../support/chaos.ts';
import { spawnServer } from '../support/process.ts';
import { tempDataDir } from '../support/server.ts';

const dataDir = tempDataDir();
const env = { DATA_DIR: dataDir, DEMO_DATA: 'off', ADMIN_TOKEN: 'single-writer-admin-token' };
const started: ReturnType<typeof spawnServer>[] = [];

afterAll(async () => {
  for (const p of started) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await Promise.all(started.map((p) => p.exited));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const serving = (p: ReturnType<typeof spawnServer>) => /http:\/\/127\.0\.0\.1:\d+\/\?token=/.test(p.output());

describe('two servers, one folder', () => {
  const rounds = chaosCount(2, 6);
  it(`exactly one of two simultaneous starts wins a stale lock (${rounds} rounds)`, async () => {
    for (let round = 0; round < rounds; round++) {
      const pair = [spawnServer(env), spawnServer(env)];
      started.push(...pair);
      const deadline = Date.now() + 90_000;
      // Wait until one serves and the other has exited.
      while (Date.now() < deadline && !(pair.some(serving) && pair.some((p) => p.child.exitCode !== null))) await new Promise((r) => setTimeout(r, 100));
      const winners = pair.filter(serving);
      const losers = pair.filter((p) => p.child.exitCode !== null);
      expect(winners, pair.map((p) => p.output()).join('\n---\n')).toHaveLength(1);
      expect(losers).toHaveLength(1);
      expect(losers[0]!.child.exitCode).not.toBe(0);
      expect(losers[0]!.output()).toMatch(/in use by another City Brain server \(process \d+\)/);
      // Leave a stale lock behind for the next round, as a crash would.
      winners[0]!.child.kill('SIGKILL');
      await winners[0]!.exited;
      expect(fs.existsSync(`${dataDir}/server.lock`)).toBe(true);
    }
  }, 300_000);
});
