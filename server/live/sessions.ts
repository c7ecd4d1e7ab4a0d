/**
 * Sessions by token: open sockets grouped by the token they signed in with, so a revocation ends
 * them at once, and a timer per socket that ends it when its token expires; either way the client
 * is told why.
 */
import type { Logger } from 'pino';
import type { LiveSocket } from './live-socket.ts';

/** setTimeout cannot wait longer than this (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What sessions need of a socket: who signed in, how to tell it and end it, when it goes. */
export type SessionSocket = Pick<LiveSocket, 'id' | 'data' | 'emit' | 'disconnect' | 'on'>;

export interface Sessions {
  /** Tracks a socket that has connected (until it disconnects). */
  add(socket: SessionSocket): void;
  /** Ends every socket on this node signed in with this token. */
  end(tokenId: string, reason: 'revoked' | 'expired'): void;
  /** Stops every expiry timer (the server is stopping). */
  stopTimers(): void;
}

export function createSessions(logger: Logger): Sessions {
  const byToken = new Map<string, Set<SessionSocket>>();
  const expiryTimers = new Map<string, NodeJS.Timeout>();

  function endSocket(socket: SessionSocket, reason: 'revoked' | 'expired'): void {
    const name = socket.data.principal.name;
    const message = reason === 'revoked' ? `the token "${name}" was revoked: sign in again with a new one` : `the token "${name}" has expired: sign in again with a new one`;
    socket.emit('session:ended', { reason, message });
    socket.disconnect(true);
    logger.info({ socket: socket.id, name, reason }, 'live: session ended');
  }

  return {
    add(socket) {
      const { tokenId, expiresAt } = socket.data.principal;
      if (tokenId !== undefined) {
        let set = byToken.get(tokenId);
        if (!set) byToken.set(tokenId, (set = new Set()));
        set.add(socket);
      }
      if (expiresAt !== undefined) {
        expiryTimers.set(socket.id, setTimeout(() => endSocket(socket, 'expired'), Math.min(MAX_TIMER_MS, Math.max(0, expiresAt - Date.now()))));
      }
      socket.on('disconnect', () => {
        clearTimeout(expiryTimers.get(socket.id));
        expiryTimers.delete(socket.id);
        if (tokenId === undefined) return;
        const set = byToken.get(tokenId);
        set?.delete(socket);
        if (set?.size === 0) byToken.delete(tokenId);
      });
    },
    end(tokenId, reason) {
      for (const socket of [...(byToken.get(tokenId) ?? [])]) endSocket(socket, reason);
    },
    stopTimers() {
      for (const t of expiryTimers.values()) clearTimeout(t);
    },
  };
}
