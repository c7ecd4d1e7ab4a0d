/**
 * The socket's inbound boundary: every client message passes here first; oversized or unknown ones
 * are dropped with `message:rejected` (and a reason), and the connection stays.
 */
import type { Logger } from 'pino';
import type { Socket } from 'socket.io';
import { SOCKET_MESSAGE_LIMIT_BYTES, type ClientToServerEvents, type ServerToClientEvents } from '../contract/events.ts';

/** Events a client may send; anything else is answered with `message:rejected`. */
const CLIENT_EVENTS = new Set<string>(['subscribe']);

export function guardClientMessages(socket: Socket<ClientToServerEvents, ServerToClientEvents>, logger: Logger): void {
  socket.use((packet, next) => {
    const event = String(packet[0]);
    if (!CLIENT_EVENTS.has(event)) {
      socket.emit('message:rejected', { event: event.slice(0, 100), code: 'unknown_event', limitBytes: SOCKET_MESSAGE_LIMIT_BYTES, message: `the server does not know the event "${event.slice(0, 100)}"` });
      return;
    }
    let size = 0;
    try {
      size = Buffer.byteLength(JSON.stringify(packet.slice(1).filter((a) => typeof a !== 'function')) ?? '', 'utf8');
    } catch {
      size = Number.POSITIVE_INFINITY; // cyclic or otherwise unencodable
    }
    if (size > SOCKET_MESSAGE_LIMIT_BYTES) {
      socket.emit('message:rejected', {
        event,
        code: 'too_large',
        limitBytes: SOCKET_MESSAGE_LIMIT_BYTES,
        message: `the "${event}" message is ${Number.isFinite(size) ? `${Math.ceil(size / 1024)} KB` : 'not encodable'}, over the limit of ${SOCKET_MESSAGE_LIMIT_BYTES / 1024} KB; it was dropped`,
      });
      logger.warn({ socket: socket.id, event, bytes: size }, 'live: dropped an oversized client message');
      return;
    }
    next();
  });
}
