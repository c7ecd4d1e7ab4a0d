/**
 * With several server nodes on one PostgreSQL, the event log is the bus: every node reads what was
 * committed (by itself or any other node) from the log, in `seq` order, and hands it to the same
 * consumers a single node's writers call directly (live stream, risk map, equity, tiles). A NOTIFY
 * sent by the committing transaction says "look now"; a slow poll covers a NOTIFY lost while the
 * listening connection was down. Reading the log, not forwarding messages, is what makes every
 * node see one identical order with no gap, and lets a client resume on any node.
 */
import type { Logger } from 'pino';
import type { LogEvent } from '../contract/events.ts';
import type { EventLogReader } from '../store/event-log.ts';
import { outageLog } from '../store/outage.ts';

const PAGE = 1000;

export interface LogFollower {
  /** Something was committed (here or elsewhere): read the log now. */
  poke(): void;
  /** The highest seq handed to the consumers. */
  readonly seq: number;
  /** Resolves once everything committed before the call has been delivered. */
  caughtUp(): Promise<void>;
  close(): Promise<void>;
}

export interface LogFollowerOptions {
  log: EventLogReader;
  /** Delivers a page of committed events in seq order; the next page waits for it. */
  deliver(events: readonly LogEvent[]): Promise<void> | void;
  /** Events after this seq are delivered (read the head before loading any state from the store). */
  fromSeq: number;
  /** Subscribes to commit notifications; resolves with an unsubscribe. */
  listen?(onNotify: () => void, onError: (err: Error) => void): Promise<() => Promise<void>>;
  logger: Logger;
  /** Safety poll for notifications lost while the listener reconnects. @default 2000 */
  pollMs?: number;
}

export async function createLogFollower(options: LogFollowerOptions): Promise<LogFollower> {
  const { log, logger } = options;
  let seq = options.fromSeq;
  let again = false;
  let running: Promise<void> | null = null;
  let closed = false;
  let unlisten: (() => Promise<void>) | null = null;
  let retry: NodeJS.Timeout | undefined;
  // An outage retries every second or two: a few lines in the log, not one per retry.
  const reading = outageLog(logger, 'log follower (reading the event log)');
  const listening = outageLog(logger, 'log follower (listening for commits)');

  async function drain(): Promise<void> {
    while (again && !closed) {
      again = false;
      for (;;) {
        const page = await log.after(seq, PAGE);
        reading.recovered();
        if (page.length === 0 || closed) break;
        await options.deliver(page);
        seq = page.at(-1)!.seq;
        if (page.length < PAGE) break;
      }
    }
  }

  function poke(): void {
    again = true;
    running ??= drain()
      .catch((err: unknown) => {
        // The store is unreachable: the poll (or the next notification) tries again.
        reading.failed(err);
      })
      .finally(() => {
        running = null;
        if (again && !closed) poke();
      });
  }

  async function subscribe(): Promise<void> {
    if (!options.listen || closed) return;
    try {
      unlisten = await options.listen(poke, (err) => {
        listening.failed(err);
        const stale = unlisten;
        unlisten = null;
        void stale?.();
        retry = setTimeout(() => void subscribe(), 1000);
      });
      listening.recovered();
      poke(); // whatever was committed while not listening
    } catch (err) {
      listening.failed(err);
      retry = setTimeout(() => void subscribe(), 1000);
    }
  }

  await subscribe();
  const poll = setInterval(poke, options.pollMs ?? 2000);
  poll.unref();
  poke();

  return {
    poke,
    get seq() {
      return seq;
    },
    async caughtUp() {
      const head = await log.head();
      while (seq < head && !closed) {
        poke();
        await (running ?? new Promise((r) => setTimeout(r, 10)));
      }
    },
    async close() {
      closed = true;
      clearInterval(poll);
      clearTimeout(retry);
      await running;
      await unlisten?.();
    },
  };
}

/** How long a read waits for its node to catch up with the log before answering from memory. */
export const READ_CATCH_UP_MS = 2_000;

/**
 * For reads of state a node keeps in memory and changes on events (equity inputs, the tile index):
 * resolves once this node has been handed everything committed before the call, so the answer
 * reflects every earlier write on any node; or after `ms` (the store is out, or far behind), so a
 * read still answers from memory. Never rejects.
 */
export function catchUpWithin(follower: Pick<LogFollower, 'caughtUp'>, ms = READ_CATCH_UP_MS): () => Promise<void> {
  return async () => {
    let timer: NodeJS.Timeout | undefined;
    const giveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
    await Promise.race([follower.caughtUp().catch(() => undefined), giveUp]);
    clearTimeout(timer);
  };
}
