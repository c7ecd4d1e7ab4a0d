/**
 * Replays what a connecting client missed from the durable log without starving everyone else:
 * at most a few replays read and send at once (the rest wait their turn, still connected), pages
 * are bounded in events and in bytes, the event loop gets a turn between pages, and a client that
 * has not taken what it was sent gets nothing more until it has.
 */
import type { LogEvent } from '../contract/events.ts';
import type { EventLogReader } from '../store/event-log.ts';

/** Most events one replay page reads from the log (one query, one message in batch mode). */
export const REPLAY_PAGE_EVENTS = 500;
/**
 * Most bytes one page should send: a page of fat events takes fewer of them. Reading, masking and
 * encoding 64 KB takes ~5 ms of the event loop; pages of 256 KB let a health check wait 100-300 ms
 * behind two replays on a busy 2-core machine.
 */
export const REPLAY_PAGE_BYTES = 64 * 1024;
/** The first page is small: it measures how big this client's events are before pages grow. */
const FIRST_PAGE_EVENTS = 50;
/** A client that takes nothing of what it was sent for this long is a slow consumer. */
export const REPLAY_STALL_MS = 20_000;
const DRAIN_POLL_MS = 20;

/**
 * Lets at most `limit` replays in at once (the others wait in arrival order), and runs their pages
 * one after another with a turn of the event loop between any two: the log is read on this thread
 * (PGlite) anyway, so pages side by side add no speed, only a longer wait for everyone else.
 */
export interface ReplayGate {
  /** Waits for a turn; call the returned function to give it back (once). */
  enter(): Promise<() => void>;
  /** Runs one page's work after every page queued before it, and after a turn of the event loop. */
  page<T>(work: () => Promise<T>): Promise<T>;
  /** Holders now, and how many wait (diagnostics, tests). */
  readonly active: number;
  readonly waiting: number;
}

export function createReplayGate(limit: number): ReplayGate {
  let active = 0;
  const queue: (() => void)[] = [];
  let pages: Promise<unknown> = Promise.resolve();
  const release = () => {
    const next = queue.shift();
    if (next) next();
    else active--;
  };
  return {
    enter() {
      let released = false;
      const once = () => {
        if (released) return;
        released = true;
        release();
      };
      if (active < limit) {
        active++;
        return Promise.resolve(once);
      }
      // The slot passes straight from the releaser to the next in line: `active` stays the same.
      return new Promise((resolve) => queue.push(() => resolve(once)));
    },
    page(work) {
      const run = pages.then(nextTurn).then(work);
      pages = run.catch(() => undefined);
      return run;
    },
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
  };
}

/** The connecting client, as a replay sees it. */
export interface ReplayClient {
  connected(): boolean;
  /** What this client may see of these events (subscription, masking). */
  visible(events: readonly LogEvent[]): LogEvent[];
  send(events: readonly LogEvent[]): void;
  /** Bytes queued for it and not yet taken by the network. */
  queuedBytes(): number;
  /** Bytes ever queued for it. */
  totalBytes(): number;
  /** It stopped taking what it is sent: drop it as a slow consumer. */
  stalled(): void;
}

export interface ReplayOptions {
  log: EventLogReader;
  gate: ReplayGate;
  client: ReplayClient;
  /** Replay every event after this seq. */
  after: number;
  /** The per-socket send-buffer ceiling; no page is sent while more than half of it waits. */
  limitBytes: number;
  /**
   * The replay must read at least this far before it may stop (read after every page: it grows
   * when the events published meanwhile were too many to buffer, and the log has to supply them).
   */
  mustReach: () => number;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Events published while a socket replays wait for it, up to this many; beyond, they are dropped
 * and the replay reads them from the log instead (they are committed), so a long replay under a
 * flood holds no unbounded buffer, and the final hand-over to live sends a bounded batch.
 */
export const REPLAY_BUFFER_MAX_EVENTS = 2_000;

/** What was published while a socket replays. */
export interface ReplayBuffer {
  events: LogEvent[];
  /** Events up to this seq were dropped from `events` (too many): the replay must read that far. */
  droppedThrough: number;
}

/** Adds what was just published (in seq order) to a replaying socket's buffer, within its cap. */
export function bufferPublished(buffer: ReplayBuffer, events: readonly LogEvent[]): void {
  for (const e of events) buffer.events.push(e);
  if (buffer.events.length > REPLAY_BUFFER_MAX_EVENTS) {
    buffer.events = [];
    buffer.droppedThrough = events.at(-1)?.seq ?? buffer.droppedThrough;
  }
}

/**
 * Sends every event after `after` up to the log head (and at least up to `mustReach()`); returns
 * the last seq read and how many events were sent, or `undefined` if the client went away.
 */
export async function replayFromLog(options: ReplayOptions): Promise<{ last: number; replayed: number } | undefined> {
  const { log, gate, client, limitBytes } = options;
  const pageBytes = Math.min(REPLAY_PAGE_BYTES, limitBytes / 4);
  let last = options.after;
  let replayed = 0;
  let pageEvents = FIRST_PAGE_EVENTS;
  let leave = await gate.enter();
  try {
    for (;;) {
      if (!client.connected()) return undefined;
      if (client.queuedBytes() > limitBytes / 2) {
        // Waiting for a slow client must not keep other replays out.
        leave();
        if (!(await drained(client, limitBytes / 2))) return undefined;
        leave = await gate.enter();
        continue;
      }
      const from = last;
      const size = pageEvents;
      const sent = await gate.page(async () => {
        const page = await log.after(from, size);
        if (!client.connected()) return undefined;
        const before = client.totalBytes();
        const shown = client.visible(page);
        client.send(shown);
        return { page, shown: shown.length, bytes: client.totalBytes() - before };
      });
      if (!sent) return undefined;
      const { page } = sent;
      replayed += sent.shown;
      last = page.at(-1)?.seq ?? last;
      if (page.length < size && last >= options.mustReach()) return { last, replayed };
      // Size the next page by what this one cost on the wire (events the client does not see cost nothing).
      const perEvent = sent.bytes / Math.max(1, page.length);
      pageEvents = Math.max(1, Math.min(REPLAY_PAGE_EVENTS, Math.floor(pageBytes / Math.max(1, perEvent))));
    }
  } finally {
    leave();
  }
}

/**
 * Resolves true once the client's unsent bytes are at most `belowBytes`; false if it went away, or
 * was dropped for taking nothing for {@link REPLAY_STALL_MS}.
 */
async function drained(client: ReplayClient, belowBytes: number): Promise<boolean> {
  let lowest = client.queuedBytes();
  let progressAt = Date.now();
  while (client.connected()) {
    const queued = client.queuedBytes();
    if (queued <= belowBytes) return true;
    if (queued < lowest) {
      lowest = queued;
      progressAt = Date.now();
    } else if (Date.now() - progressAt > REPLAY_STALL_MS) {
      client.stalled();
      return false;
    }
    await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
  }
  return false;
}
