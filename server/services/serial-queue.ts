/**
 * A serial queue: tasks run one at a time in the order they were queued, each after the previous
 * one settled, so state held in memory changes in the same order as the store it follows. A task
 * that fails rejects its own promise only; the tasks after it still run.
 */

export interface SerialQueue {
  /** Runs `task` once every task queued before it has settled; resolves or rejects as it does. */
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Resolves once every task queued so far has settled (never rejects; later tasks are not waited for). */
  idle(): Promise<void>;
}

export function createSerialQueue(): SerialQueue {
  /** The last task queued, settled either way: the next one starts after it. */
  let tail: Promise<void> = Promise.resolve();
  return {
    run(task) {
      const result = tail.then(task);
      tail = result.then(
        () => undefined,
        () => undefined,
      );
      return result;
    },
    idle: () => tail,
  };
}
