/**
 * `npm start`'s memory ceiling: MEMORY_LIMIT_MB read and checked, the Node arguments that apply
 * it, a child started with them really has that heap limit, and a child that outgrows it ends as
 * one readable line and exit code 134 rather than eating the machine.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../server/config.ts';
import { ceilingArgs, DEFAULT_MEMORY_LIMIT_MB, memoryLimitMb, runUnderCeiling } from './memory-limit.mjs';

describe('MEMORY_LIMIT_MB', () => {
  it('defaults to 4096 MB and takes a whole number of megabytes', () => {
    expect(DEFAULT_MEMORY_LIMIT_MB).toBe(4096);
    expect(memoryLimitMb({})).toBe(4096);
    expect(memoryLimitMb({ MEMORY_LIMIT_MB: ' ' })).toBe(4096);
    expect(memoryLimitMb({ MEMORY_LIMIT_MB: '2048' })).toBe(2048);
  });

  it('refuses anything else, saying what it must be', () => {
    for (const bad of ['abc', '1.5', '-1', '100', '1e4', '99999999', '2048mb']) {
      expect(() => memoryLimitMb({ MEMORY_LIMIT_MB: bad }), bad).toThrow(/MEMORY_LIMIT_MB must be a whole number of megabytes from 256 to/);
    }
  });

  it('npm start stops at once on a bad value, before building anything', () => {
    const run = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'scripts/start.mjs')], { env: { ...process.env, MEMORY_LIMIT_MB: 'lots' }, encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('City Brain cannot start: MEMORY_LIMIT_MB must be a whole number');
  });
});

describe('the Node arguments', () => {
  it('add the ceiling, keep other flags and replace another ceiling; none needed when it is already set', () => {
    expect(ceilingArgs(['--enable-source-maps'], ['scripts/start.mjs'], 2048)).toEqual(['--enable-source-maps', '--max-old-space-size=2048', 'scripts/start.mjs']);
    expect(ceilingArgs(['--max-old-space-size=512'], ['s.mjs', 'x'], 2048)).toEqual(['--max-old-space-size=2048', 's.mjs', 'x']);
    expect(ceilingArgs(['--max-old-space-size=2048'], ['s.mjs'], 2048)).toBeNull();
  });

  it('give the child that heap limit (V8 adds its young generation on top)', async () => {
    const check = `const mb = require('node:v8').getHeapStatistics().heap_size_limit / 1048576; process.exit(mb >= 300 && mb < 400 ? 0 : 3)`;
    const args = ceilingArgs([], ['-e', check], 300);
    expect(await runUnderCeiling(args ?? [], 300, { stdio: 'ignore' })).toBe(0);
  });

  it('turn a runaway into one readable line and exit code 134', async () => {
    const runaway = 'const kept = []; for (;;) kept.push(new Array(1e6).fill(1.5));';
    const lines: string[] = [];
    const code = await runUnderCeiling(ceilingArgs([], ['-e', runaway], 256) ?? [], 256, { stdio: 'ignore', report: (line) => lines.push(line) });
    expect(code).toBe(134);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('memory ceiling of 256 MB (MEMORY_LIMIT_MB)');
  }, 60_000);
});
