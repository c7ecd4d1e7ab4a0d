/**
 * The replay cursor: takes one connecting socket from the seq it resumes at to live. It says hello,
 * replays what the socket missed from the durable log (or asks for a fresh snapshot when the log
 * cannot supply it), waits for this node to be handed what the replay read, then sends what was
 * held for it meanwhile and hands it to fan-out, with no event missed or sent twice.
 */
import type { Logger } from 'pino';
import { PROTOCOL_VERSION } from '../contract/common.ts';
import type { LogEvent } from '../contract/events.ts';
import type { EventLogReader } from '../store/event-log.ts';
import { forRole, send } from './delivery.ts';
import type { FanOut, FanOutSocket } from './fan-out.ts';
import { replayFromLog, type ReplayGate } from './replay.ts';
import { matches } from './subscription.ts';

/** How long a connection waits for this node to be handed what its replay already read. */
export const WAIT_FOR_PUBLISH_MS = 5_000;
/** How often the wait above looks again when no flush wakes it. */
const WAIT_POLL_MS = 100;

/** The connecting socket as the cursor sees it. */
export interface CursorSocket extends FanOutSocket {
  readonly connected: boolean;
}

/** What the cursor reads of the socket's send buffer (see send-buffer.ts); none: nothing queued. */
export interface CursorSendBuffer {
  queuedBytes(): number;
  totalBytes(): number;
  startAt(seq: number): void;
}

export interface CatchUpOptions {
  socket: CursorSocket;
  log: EventLogReader;
  fanOut: FanOut;
  gate: ReplayGate;
  /** The per-socket send-buffer ceiling (replay pages wait while half of it is queued). */
  sendBufferBytes: number;
  sendBuffer: CursorSendBuffer | undefined;
  /** Drops the socket as a slow consumer (its replay stalled). */
  dropSlow(): void;
  serverVersion: string;
  timeZone: string;
  logger: Logger;
  /** @default WAIT_FOR_PUBLISH_MS */
  waitForPublishMs?: number;
}

/** Takes the socket from its `since` (or the head) to live; resolves true once it is live, false if it went away. */
export async function catchUp(options: CatchUpOptions): Promise<boolean> {
  const { socket, log, fanOut, logger, sendBuffer: watch } = options;
  const { principal, since, batch } = socket.data;
  const role = principal.role;
  const buffer = fanOut.hold(socket.id);
  const head = await log.head();
  socket.emit('hello', { protocolVersion: PROTOCOL_VERSION, serverVersion: options.serverVersion, role, seq: head, timeZone: options.timeZone });
  const visible = (events: readonly LogEvent[]) => events.filter((e) => matches(socket.data.filter, e)).map((e) => forRole(e, role));
  let last = since ?? head;
  watch?.startAt(last);
  let replayed = 0;
  const replay = async (after: number): Promise<boolean> => {
    const done = await replayFromLog({
      log,
      gate: options.gate,
      after,
      limitBytes: options.sendBufferBytes,
      mustReach: () => buffer.droppedThrough,
      client: {
        connected: () => socket.connected,
        visible,
        send: (events) => send(socket, events, batch),
        queuedBytes: () => watch?.queuedBytes() ?? 0,
        totalBytes: () => watch?.totalBytes() ?? 0,
        stalled: options.dropSlow,
      },
    });
    if (!done) return false;
    last = done.last;
    replayed += done.replayed;
    return true;
  };
  if (since !== undefined) {
    const oldest = await log.oldest();
    // Too old for the log, or from another history (store reset): only a fresh snapshot helps.
    if (since < oldest - 1 || since > head) {
      socket.emit('snapshot:required', { since, oldest, head });
      last = head;
    } else if (!(await replay(since))) return false;
  }
  const waitMs = options.waitForPublishMs ?? WAIT_FOR_PUBLISH_MS;
  for (;;) {
    // One synchronous step: send what was queued or held meanwhile, then go live. With no await
    // in between, no event can fall into the gap or arrive twice.
    fanOut.flush();
    // The replay read events this node has not been handed yet (committed a moment ago, here or
    // on another node): going live now would send them twice. Wait for publish to reach them.
    const waitUntil = Date.now() + waitMs;
    while (last > fanOut.publishedSeq && socket.connected && Date.now() < waitUntil) {
      await fanOut.nextFlush(WAIT_POLL_MS);
      fanOut.flush();
    }
    if (last > fanOut.publishedSeq) logger.warn({ socket: socket.id, last, publishedSeq: fanOut.publishedSeq }, 'live: the log is ahead of what this node was handed; going live anyway');
    // Events dropped from the hold (too many) that the replay has not read: the log has them.
    if (buffer.droppedThrough <= last || !socket.connected) break;
    if (!(await replay(last))) return false;
  }
  fanOut.release(socket.id);
  if (!socket.connected) return false;
  // The hold has every event published since its last overflow (after droppedThrough ≤ last) and
  // the replay read every event up to `last`: together, no gap; filtering on seq, no repeat.
  const held = buffer.events.filter((e) => e.seq > last);
  const shown = visible(held);
  send(socket, shown, batch);
  replayed += shown.length;
  last = held.at(-1)?.seq ?? last;
  fanOut.goLive(socket);
  socket.emit('replay:done', { seq: last, replayed });
  logger.info({ socket: socket.id, role, name: principal.name, since, replayed, batch }, 'live: client connected');
  return true;
}
