/**
 * The live stream (DOMAIN §7): authenticates sockets, replays what a client missed from the
 * durable event log (never from memory), then streams committed events as they are published.
 */
import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { Server, type Socket } from 'socket.io';
import type { Role } from '../contract/auth.ts';
import { PROTOCOL_VERSION } from '../contract/common.ts';
import type { ClientToServerEvents, HandshakeAuth, LogEvent, ServerToClientEvents } from '../contract/events.ts';
import { incidentForRole, PERSONAL_DATA_ROLES } from '../domain/incidents/masking.ts';
import type { Principal, ResolveToken } from '../http/auth.ts';
import { COOKIE_NAME, readCookie } from '../http/auth.ts';
import type { EventLogReader } from '../store/event-log.ts';

interface SocketData {
  principal: Principal;
  since: number | undefined;
}
type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type LiveServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** Rooms by what a role may see: the same event is encoded once per room, not once per socket. */
const roomFor = (role: Role): string => (PERSONAL_DATA_ROLES.has(role) ? 'live:personal' : 'live:masked');
const REPLAY_PAGE = 1000;

export interface LiveHub {
  readonly io: LiveServer;
  /** Sends committed events, in seq order, to every connected client allowed to see them. */
  publish(events: readonly LogEvent[]): void;
  close(): Promise<void>;
}

function forRole(event: LogEvent, role: Role): LogEvent {
  if (event.type !== 'incident:created') return event;
  return { ...event, payload: incidentForRole(event.payload, role) };
}

function emitEvent(target: { emit: LiveSocket['emit'] }, event: LogEvent): void {
  // The union is correlated (type ↔ payload) but TypeScript cannot follow it through `emit`.
  (target.emit as (name: string, payload: unknown) => boolean)(event.type, event.payload);
}

export function createLiveHub(options: {
  httpServer: HttpServer;
  resolveToken: ResolveToken;
  log: EventLogReader;
  logger: Logger;
  version: string;
}): LiveHub {
  const { logger, log } = options;
  const io: LiveServer = new Server(options.httpServer, { serveClient: false, maxHttpBufferSize: 1e6 });
  /** Sockets still replaying: live events are buffered for them until their replay has caught up. */
  const replaying = new Map<string, LogEvent[]>();

  io.use(async (socket, next) => {
    const auth = (socket.handshake.auth ?? {}) as HandshakeAuth;
    const token = typeof auth.token === 'string' ? auth.token : readCookie(socket.handshake.headers.cookie, COOKIE_NAME);
    const principal = token ? await options.resolveToken(token).catch(() => null) : null;
    if (!principal) return next(new Error(token ? 'unauthorized: the token is not valid' : 'unauthorized: sign in first'));
    const since = auth.since;
    if (since !== undefined && (typeof since !== 'number' || !Number.isInteger(since) || since < 0)) {
      return next(new Error('invalid handshake: "since" must be a non-negative integer seq'));
    }
    socket.data = { principal, since };
    next();
  });

  io.on('connection', (socket: LiveSocket) => {
    void onConnection(socket).catch((err: unknown) => {
      logger.error({ err, socket: socket.id }, 'live: replay failed; disconnecting the client so it retries');
      replaying.delete(socket.id);
      socket.disconnect(true);
    });
  });

  async function onConnection(socket: LiveSocket): Promise<void> {
    const { principal, since } = socket.data;
    const role = principal.role;
    replaying.set(socket.id, []);
    socket.on('disconnect', () => replaying.delete(socket.id));
    const head = await log.head();
    socket.emit('hello', { protocolVersion: PROTOCOL_VERSION, serverVersion: options.version, role, seq: head });
    let last = since ?? head;
    let replayed = 0;
    if (since !== undefined) {
      const oldest = await log.oldest();
      if (since < oldest - 1 || since > head) {
        // Too old for the log, or from another history (store reset): only a fresh snapshot helps.
        socket.emit('snapshot:required', { since, oldest, head });
        last = head;
      } else {
        for (;;) {
          const page = await log.after(last, REPLAY_PAGE);
          if (!socket.connected) return;
          for (const event of page) emitEvent(socket, forRole(event, role));
          replayed += page.length;
          last = page.at(-1)?.seq ?? last;
          if (page.length < REPLAY_PAGE) break;
        }
      }
    }
    // Synchronously: flush what was published meanwhile, then join the live room. No await in
    // between, so no event can fall into the gap or arrive twice.
    const buffered = replaying.get(socket.id) ?? [];
    replaying.delete(socket.id);
    if (!socket.connected) return;
    for (const event of buffered) {
      if (event.seq <= last) continue;
      emitEvent(socket, forRole(event, role));
      last = event.seq;
      replayed++;
    }
    socket.join(roomFor(role));
    socket.emit('replay:done', { seq: last, replayed });
    logger.info({ socket: socket.id, role, name: principal.name, since, replayed }, 'live: client connected');
  }

  return {
    io,
    publish(events) {
      for (const event of events) {
        for (const buffer of replaying.values()) buffer.push(event);
        emitEvent(io.to('live:personal'), event);
        emitEvent(io.to('live:masked'), forRole(event, 'viewer'));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        io.close(() => resolve());
      }),
  };
}
