/**
 * The live stream, put together: the socket.io server (origin check, handshake, client-message
 * guard), per-socket send buffers and sessions, the replay cursor that takes each connecting
 * socket to live (replay-cursor.ts), fan-out of what is published (fan-out.ts), heartbeats and
 * shutdown. Events come from the durable event log, never from memory; a client that does not read
 * is dropped at the send-buffer ceiling and resumes from the log.
 */
import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { Server, type ServerOptions } from 'socket.io';
import type { LogEvent } from '../contract/events.ts';
import type { UnitPosition } from '../contract/units.ts';
import type { ResolveToken } from '../auth/principal.ts';
import { isAllowedOrigin } from '../auth/origin.ts';
import type { EventLogReader } from '../store/event-log.ts';
import { isStoreUnavailable, outageLog } from '../store/outage.ts';
import { guardClientMessages } from './client-messages.ts';
import { handshake } from './handshake.ts';
import type { LiveServer, LiveSocket } from './live-socket.ts';
import { createFanOut } from './fan-out.ts';
import { createPositionStream } from './position-stream.ts';
import { createReplayGate } from './replay.ts';
import { catchUp } from './replay-cursor.ts';
import { dropSlowConsumer, watchSendBuffer, type SendBufferWatch } from './send-buffer.ts';
import { createSessions } from './sessions.ts';
import { parseSubscription } from './subscription.ts';

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
  /**
   * Units' newest stored positions, to sockets taking the `units` layer on this node and (several
   * nodes) to the other nodes, coalesced to one per unit per second on the way.
   */
  publishPositions(positions: readonly UnitPosition[]): void;
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
  // Local: every node reads the log and serves its own sockets; the adapter must not relay.
  const fanOut = createFanOut({ occupied: (room) => (io.sockets.adapter.rooms.get(room)?.size ?? 0) > 0, to: (room) => io.local.to(room) }, options.startSeq);
  /** What each open socket has queued and not yet written. */
  const sendBuffers = new Map<string, SendBufferWatch>();
  const replayOutage = outageLog(logger, 'live (replaying to a connecting client)');

  io.use(handshake(options.resolveToken));

  /** Drops a socket that lets its unsent bytes pass the ceiling (or a replay that stalls). */
  function dropSlow(socket: LiveSocket): void {
    const watch = sendBuffers.get(socket.id);
    if (!watch || !socket.connected) return;
    fanOut.release(socket.id);
    dropSlowConsumer(socket, watch, { limitBytes: sendBufferBytes, logger, name: socket.data.principal.name });
  }

  io.on('connection', (socket: LiveSocket) => {
    sendBuffers.set(socket.id, watchSendBuffer(socket, sendBufferBytes, () => dropSlow(socket)));
    sessions.add(socket);
    socket.on('disconnect', () => {
      fanOut.forget(socket.id);
      sendBuffers.delete(socket.id);
    });
    guardClientMessages(socket, logger);
    socket.on('subscribe', (input, ack) => {
      const parsed = parseSubscription(input);
      const reply = typeof ack === 'function' ? ack : () => {};
      if (!parsed.ok) return reply({ ok: false, message: parsed.message });
      socket.data.filter = parsed.filter;
      if (!fanOut.holds(socket.id)) fanOut.goLive(socket);
      reply({ ok: true, subscription: parsed.subscription });
    });
    void connectWhenStoreAnswers(socket).catch((err: unknown) => {
      logger.error({ err, socket: socket.id }, 'live: replay failed; disconnecting the client so it retries');
      fanOut.release(socket.id);
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
        const live = await catchUp({
          socket,
          log,
          fanOut,
          gate: replayGate,
          sendBufferBytes,
          sendBuffer: sendBuffers.get(socket.id),
          dropSlow: () => dropSlow(socket),
          serverVersion: options.version,
          timeZone: options.timeZone,
          logger,
        });
        if (live) replayOutage.recovered();
        return;
      } catch (err) {
        if (!isStoreUnavailable(err) || !socket.connected) throw err;
        replayOutage.failed(err);
        socket.emit('heartbeat', storeDownBeat());
        await new Promise((r) => setTimeout(r, STORE_RETRY_MS));
        if (!socket.connected) return;
      }
    }
  }

  /** A heartbeat saying the database is out; its seq is the last this node handed on. */
  const storeDownBeat = () => ({ seq: fanOut.publishedSeq, at: new Date().toISOString(), store: 'unavailable' as const });

  io.on('sessions:end', sessions.end);
  // Positions are not logged, so the log follower does not bring other nodes' positions: they come
  // through the adapter, already coalesced per unit per second by the node that stored them.
  const relay = options.adapter ? createPositionStream({ receivers: () => [{ key: 'nodes', emit: (positions) => io.serverSideEmit('units:positions', positions) }] }) : undefined;
  io.on('units:positions', (positions) => fanOut.publishPositions(positions));

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
    publish: fanOut.publish,
    publishPositions(positions) {
      fanOut.publishPositions(positions);
      relay?.publish(positions);
    },
    endSessions(tokenId, reason) {
      sessions.end(tokenId, reason);
      if (options.adapter) io.serverSideEmit('sessions:end', tokenId, reason);
    },
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(heartbeat);
        fanOut.close();
        relay?.close();
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
