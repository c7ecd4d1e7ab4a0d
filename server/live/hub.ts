/**
 * The live stream: authenticates sockets, replays what a client missed from the
 * durable event log (never from memory), then streams committed events. Events published in the
 * same tick go out together: as one `events:batch` message to batch-mode clients. A client that
 * does not read is dropped at the send-buffer ceiling and resumes from the log.
 */
import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { Server, type ServerOptions } from 'socket.io';
import { PROTOCOL_VERSION } from '../contract/common.ts';
import type { LogEvent } from '../contract/events.ts';
import type { ResolveToken } from '../http/auth.ts';
import { isAllowedOrigin } from '../http/security.ts';
import type { EventLogReader } from '../store/event-log.ts';
import { isStoreUnavailable, outageLog } from '../store/outage.ts';
import { guardClientMessages } from './client-messages.ts';
import { handshake } from './handshake.ts';
import type { LiveServer, LiveSocket } from './live-socket.ts';
import { forRole, roomOf, send } from './delivery.ts';
import { bufferPublished, createReplayGate, replayFromLog, type ReplayBuffer } from './replay.ts';
import { dropSlowConsumer, watchSendBuffer, type SendBufferWatch } from './send-buffer.ts';
import { createSessions } from './sessions.ts';
import { isEverything, matches, parseSubscription } from './subscription.ts';

/** Per-socket send-buffer ceiling when none is configured (see `LIVE_SEND_BUFFER_MB`). */
export const DEFAULT_SEND_BUFFER_BYTES = 8 * 1024 * 1024;
/** Replays reading and sending at once when none is configured (see `LIVE_REPLAY_CONCURRENCY`). */
export const DEFAULT_REPLAY_CONCURRENCY = 2;
/**
 * A quiet city sends no events for minutes: the heartbeat lets a wall tell "nothing happened" from
 * "the connection is dead" (it shows a stale banner after 15 s without either).
 */
export const HEARTBEAT_MS = 5_000;

export interface LiveHub {
  readonly io: LiveServer;
  /** Queues committed events (in seq order) for every client allowed to see them; sent this tick. */
  publish(events: readonly LogEvent[]): void;
  /** Ends every socket signed in with this token (revoked or expired), telling it why. */
  endSessions(tokenId: string, reason: 'revoked' | 'expired'): void;
  /** Tells every client the server is stopping (so it reconnects elsewhere or later), then closes. */
  close(): Promise<void>;
}

/**
 * Above this engine.io closes the connection outright (it cannot parse what it will not buffer);
 * between {@link SOCKET_MESSAGE_LIMIT_BYTES} and this the message is dropped with an error.
 */
const HARD_MESSAGE_LIMIT_BYTES = 1_000_000;
/** How long after `server:closing` a client should wait before reconnecting. */
const RECONNECT_AFTER_MS = 2000;
/** How long a connection waits for this node to be handed what its replay already read. */
const WAIT_FOR_PUBLISH_MS = 5_000;
/** How often a connecting client's replay is tried again while the database cannot be reached. */
const STORE_RETRY_MS = 2_000;

export function createLiveHub(options: {
  httpServer: HttpServer;
  resolveToken: ResolveToken;
  log: EventLogReader;
  logger: Logger;
  version: string;
  /** The centre's `TIME_ZONE`, named in every `hello`. */
  timeZone: string;
  /** How often every socket gets a `heartbeat` (ms). @default HEARTBEAT_MS */
  heartbeatMs?: number;
  /** Origins besides the server's own whose pages may open a socket (CORS_ORIGINS). */
  corsOrigins?: readonly string[];
  /**
   * The highest seq handed on before this hub existed (the log head at start, or further when the
   * demo load and the first ratings committed events meanwhile): every event up to it needs no
   * `publish`. Events after it reach this hub through `publish`, in seq order.
   */
  startSeq: number;
  /** Several server nodes: the socket.io adapter that lets them end a token's sessions everywhere. */
  adapter?: ServerOptions['adapter'];
  /** Bytes queued for one socket and not yet written before it is dropped. @default DEFAULT_SEND_BUFFER_BYTES */
  sendBufferBytes?: number;
  /** Replays that read and send at once. @default DEFAULT_REPLAY_CONCURRENCY */
  replayConcurrency?: number;
}): LiveHub {
  const { logger, log } = options;
  const sendBufferBytes = options.sendBufferBytes ?? DEFAULT_SEND_BUFFER_BYTES;
  const replayGate = createReplayGate(options.replayConcurrency ?? DEFAULT_REPLAY_CONCURRENCY);
  const corsOrigins = options.corsOrigins ?? [];
  const io: LiveServer = new Server(options.httpServer, {
    serveClient: false,
    maxHttpBufferSize: HARD_MESSAGE_LIMIT_BYTES,
    ...(options.adapter && { adapter: options.adapter }),
    // A page from another origin must not ride a signed-in browser's cookie onto the stream.
    allowRequest: (req, callback) => {
      const ok = isAllowedOrigin(req.headers.origin, req.headers.host, corsOrigins);
      if (!ok) logger.warn({ origin: req.headers.origin }, 'live: refused a connection from an origin not in CORS_ORIGINS');
      callback(ok ? null : 'origin not allowed', ok);
    },
  });
  const sessions = createSessions(logger);
  /** Sockets still replaying: what is published meanwhile waits here until their replay caught up. */
  const replaying = new Map<string, ReplayBuffer>();
  /** What each open socket has queued and not yet written. */
  const sendBuffers = new Map<string, SendBufferWatch>();
  /** Live sockets with a narrower subscription than "everything". */
  const filtered = new Map<string, LiveSocket>();
  let pending: LogEvent[] = [];
  let flushScheduled = false;
  /** Highest seq handed to `publish`: events up to it reach sockets through the rooms or buffers. */
  let publishedSeq = options.startSeq;
  const replayOutage = outageLog(logger, 'live (replaying to a connecting client)');
  /** Connections whose replay read further than `publishedSeq`, waiting for publish to catch up. */
  const waiters = new Set<() => void>();

  /** Sockets in a room; socket.io encodes a broadcast before it looks whether anyone is there. */
  const occupied = (room: string): boolean => (io.sockets.adapter.rooms.get(room)?.size ?? 0) > 0;

  function flush(): void {
    flushScheduled = false;
    if (pending.length === 0) return;
    const events = pending;
    pending = [];
    for (const buffer of replaying.values()) bufferPublished(buffer, events);
    let masked: LogEvent[] | undefined;
    const maskedEvents = () => (masked ??= events.map((e) => forRole(e, 'viewer')));
    for (const batch of [true, false]) {
      const personalRoom = roomOf('admin', batch);
      const maskedRoom = roomOf('viewer', batch);
      // Local: every node reads the log and serves its own sockets; the adapter must not relay.
      if (occupied(personalRoom)) send(io.local.to(personalRoom), events, batch);
      if (occupied(maskedRoom)) send(io.local.to(maskedRoom), maskedEvents(), batch);
    }
    for (const socket of filtered.values()) {
      const { filter, batch, principal } = socket.data;
      send(socket, events.filter((e) => matches(filter, e)).map((e) => forRole(e, principal.role)), batch);
    }
    for (const wake of waiters) wake();
    waiters.clear();
  }

  /** Puts a socket that has caught up where live events reach it (room or one-by-one list). */
  function goLive(socket: LiveSocket): void {
    for (const room of socket.rooms) if (room !== socket.id) void socket.leave(room);
    filtered.delete(socket.id);
    if (isEverything(socket.data.filter)) void socket.join(roomOf(socket.data.principal.role, socket.data.batch));
    else filtered.set(socket.id, socket);
  }

  io.use(handshake(options.resolveToken));

  /** Drops a socket that lets its unsent bytes pass the ceiling (or a replay that stalls). */
  function dropSlow(socket: LiveSocket): void {
    const watch = sendBuffers.get(socket.id);
    if (!watch || !socket.connected) return;
    replaying.delete(socket.id);
    dropSlowConsumer(socket, watch, { limitBytes: sendBufferBytes, logger, name: socket.data.principal.name });
  }

  io.on('connection', (socket: LiveSocket) => {
    sendBuffers.set(socket.id, watchSendBuffer(socket, sendBufferBytes, () => dropSlow(socket)));
    sessions.add(socket);
    socket.on('disconnect', () => {
      replaying.delete(socket.id);
      filtered.delete(socket.id);
      sendBuffers.delete(socket.id);
    });
    guardClientMessages(socket, logger);
    socket.on('subscribe', (input, ack) => {
      const parsed = parseSubscription(input);
      const reply = typeof ack === 'function' ? ack : () => {};
      if (!parsed.ok) return reply({ ok: false, message: parsed.message });
      socket.data.filter = parsed.filter;
      if (!replaying.has(socket.id)) goLive(socket);
      reply({ ok: true, subscription: parsed.subscription });
    });
    void connectWhenStoreAnswers(socket).catch((err: unknown) => {
      logger.error({ err, socket: socket.id }, 'live: replay failed; disconnecting the client so it retries');
      replaying.delete(socket.id);
      socket.disconnect(true);
    });
  });

  /**
   * Replays and goes live; while the database cannot be reached the socket stays connected, is
   * told so (a store-down heartbeat: the wall shows its banner) and the replay is tried again.
   */
  async function connectWhenStoreAnswers(socket: LiveSocket): Promise<void> {
    for (;;) {
      try {
        return await onConnection(socket);
      } catch (err) {
        if (!isStoreUnavailable(err) || !socket.connected) throw err;
        replayOutage.failed(err);
        socket.emit('heartbeat', storeDownBeat());
        await new Promise((r) => setTimeout(r, STORE_RETRY_MS));
        if (!socket.connected) return;
      }
    }
  }

  async function onConnection(socket: LiveSocket): Promise<void> {
    const { principal, since, batch } = socket.data;
    const role = principal.role;
    const buffer: ReplayBuffer = { events: [], droppedThrough: 0 };
    replaying.set(socket.id, buffer);
    const head = await log.head();
    socket.emit('hello', { protocolVersion: PROTOCOL_VERSION, serverVersion: options.version, role, seq: head, timeZone: options.timeZone });
    const visible = (events: readonly LogEvent[]) => events.filter((e) => matches(socket.data.filter, e)).map((e) => forRole(e, role));
    const watch = sendBuffers.get(socket.id);
    let last = since ?? head;
    watch?.startAt(last);
    let replayed = 0;
    const replay = async (after: number): Promise<boolean> => {
      const done = await replayFromLog({
        log,
        gate: replayGate,
        after,
        limitBytes: sendBufferBytes,
        mustReach: () => buffer.droppedThrough,
        client: {
          connected: () => socket.connected,
          visible,
          send: (events) => send(socket, events, batch),
          queuedBytes: () => watch?.queuedBytes() ?? 0,
          totalBytes: () => watch?.totalBytes() ?? 0,
          stalled: () => dropSlow(socket),
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
      } else if (!(await replay(since))) return;
    }
    for (;;) {
      // One synchronous step: send what was queued or buffered meanwhile, then go live. With no
      // await in between, no event can fall into the gap or arrive twice.
      flush();
      // The replay read events this hub has not been handed yet (committed a moment ago, here or
      // on another node): going live now would send them twice. Wait for publish to reach them.
      const waitUntil = Date.now() + WAIT_FOR_PUBLISH_MS;
      while (last > publishedSeq && socket.connected && Date.now() < waitUntil) {
        await new Promise<void>((resolve) => {
          waiters.add(resolve);
          setTimeout(resolve, 100);
        });
        flush();
      }
      if (last > publishedSeq) logger.warn({ socket: socket.id, last, publishedSeq }, 'live: the log is ahead of what this node was handed; going live anyway');
      // Events dropped from the buffer (too many) that the replay has not read: the log has them.
      if (buffer.droppedThrough <= last || !socket.connected) break;
      if (!(await replay(last))) return;
    }
    replaying.delete(socket.id);
    if (!socket.connected) return;
    // The buffer holds every event published since its last overflow (after droppedThrough ≤ last)
    // and the replay read every event up to `last`: together, no gap; filtering on seq, no repeat.
    const buffered = buffer.events.filter((e) => e.seq > last);
    const shown = visible(buffered);
    send(socket, shown, batch);
    replayed += shown.length;
    last = buffered.at(-1)?.seq ?? last;
    goLive(socket);
    socket.emit('replay:done', { seq: last, replayed });
    replayOutage.recovered();
    logger.info({ socket: socket.id, role, name: principal.name, since, replayed, batch }, 'live: client connected');
  }

  /** A heartbeat saying the database is out; its seq is the last this node handed on. */
  const storeDownBeat = () => ({ seq: publishedSeq, at: new Date().toISOString(), store: 'unavailable' as const });

  io.on('sessions:end', sessions.end);

  const heartbeat = setInterval(() => {
    log
      .head()
      .then((seq) => io.local.emit('heartbeat', { seq, at: new Date().toISOString() }))
      // The database is out: screens are told at once (they show a banner and keep the last data);
      // anything else (closing, busy) only skips a beat.
      .catch((err: unknown) => {
        if (isStoreUnavailable(err)) io.local.emit('heartbeat', storeDownBeat());
      });
  }, options.heartbeatMs ?? HEARTBEAT_MS);
  heartbeat.unref();

  return {
    io,
    publish(events) {
      if (events.length === 0) return;
      // A loop, not push(...events): spreading 100k+ elements into arguments overflows the stack.
      for (const e of events) pending.push(e);
      publishedSeq = Math.max(publishedSeq, events.at(-1)!.seq);
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flush);
      }
    },
    endSessions(tokenId, reason) {
      sessions.end(tokenId, reason);
      if (options.adapter) io.serverSideEmit('sessions:end', tokenId, reason);
    },
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(heartbeat);
        sessions.stopTimers();
        io.local.emit('server:closing', { reason: 'shutdown', message: 'the server is stopping; reconnecting shortly', retryAfterMs: RECONNECT_AFTER_MS });
        // A deliberate disconnect ("io server disconnect"), not a dropped transport: clients know
        // the server meant it and come back after retryAfterMs.
        // Closing the transports at once would drop that packet unsent: let clients hang up first
        // (they do on receiving it), for at most a second.
        io.local.disconnectSockets(false);
        const deadline = Date.now() + 1000;
        const finish = () => {
          if (io.engine.clientsCount > 0 && Date.now() < deadline) return void setTimeout(finish, 20);
          io.close(() => resolve());
        };
        finish();
      }),
  };
}
