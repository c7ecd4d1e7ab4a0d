import { describe, expect, it } from 'vitest';
import { createSerialQueue } from './serial-queue.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A task that records when it starts and ends, waits `ms`, then returns `name` or throws. */
function recorder() {
  const trace: string[] = [];
  let running = 0;
  let most = 0;
  const task = (name: string, ms: number, fails = false) => async () => {
    running++;
    most = Math.max(most, running);
    trace.push(`start ${name}`);
    await sleep(ms);
    trace.push(`end ${name}`);
    running--;
    if (fails) throw new Error(`${name} failed`);
    return name;
  };
  return { trace, task, most: () => most };
}

/** The naive model: the tasks one after another, in the order they were queued. */
const oneAfterAnother = (names: string[]) => names.flatMap((n) => [`start ${n}`, `end ${n}`]);

describe('serial queue', () => {
  it('runs tasks one at a time in the order queued, however long each takes', async () => {
    const queue = createSerialQueue();
    const { trace, task, most } = recorder();
    // The later tasks are quicker: run side by side they would finish first.
    const tasks: [string, number][] = [['a', 30], ['b', 1], ['c', 15], ['d', 0]];
    const results = await Promise.all(tasks.map(([name, ms]) => queue.run(task(name, ms))));
    expect(results).toEqual(tasks.map(([name]) => name));
    expect(trace).toEqual(oneAfterAnother(tasks.map(([name]) => name)));
    expect(most()).toBe(1);
  });

  it('a failing task rejects its own promise, and the tasks after it still run in order', async () => {
    const queue = createSerialQueue();
    const { trace, task } = recorder();
    const a = queue.run(task('a', 5));
    const b = queue.run(task('b', 5, true));
    const c = queue.run(task('c', 5));
    await expect(a).resolves.toBe('a');
    await expect(b).rejects.toThrow('b failed');
    await expect(c).resolves.toBe('c');
    expect(trace).toEqual(oneAfterAnother(['a', 'b', 'c']));
  });

  it('idle waits for every task queued so far, failed ones included, and never rejects', async () => {
    const queue = createSerialQueue();
    const { trace, task } = recorder();
    void queue.run(task('a', 10)).catch(() => undefined);
    void queue.run(task('b', 10, true)).catch(() => undefined);
    await queue.idle();
    expect(trace).toEqual(oneAfterAnother(['a', 'b']));
  });

  it('idle does not wait for tasks queued after it was asked', async () => {
    const queue = createSerialQueue();
    const { trace, task } = recorder();
    void queue.run(task('a', 5));
    const idle = queue.idle().then(() => trace.push('idle'));
    void queue.run(task('b', 30));
    await idle;
    // Resolved once a had ended, while b (30 ms) was still running.
    expect(trace.slice(0, 2)).toEqual(oneAfterAnother(['a']));
    expect(trace).toContain('idle');
    expect(trace).not.toContain('end b');
    await queue.idle();
    expect(trace.at(-1)).toBe('end b');
  });

  it('a task queued from inside a running task runs after it, not inside it', async () => {
    const queue = createSerialQueue();
    const { trace, task } = recorder();
    let inner: Promise<string> | undefined;
    await queue.run(async () => {
      inner = queue.run(task('inner', 1));
      await sleep(10);
      trace.push('outer done');
    });
    expect(await inner).toBe('inner');
    expect(trace).toEqual(['outer done', ...oneAfterAnother(['inner'])]);
  });
});
