/**
 * The socket handshake: who is connecting (bearer token or the sign-in cookie), from which seq it
 * resumes, batch mode and its subscription, or a refusal that says why.
 */
import type { HandshakeAuth } from '../contract/events.ts';
import { COOKIE_NAME, readCookie } from '../auth/credentials.ts';
import { authorise } from '../auth/permissions.ts';
import { refusalOf, type ResolveToken } from '../auth/principal.ts';
import type { LiveSocket } from './live-socket.ts';
import { parseSubscription } from './subscription.ts';

/** What the handshake reads of a socket (what the client sent) and sets on it. */
export type HandshakeSocket = Pick<LiveSocket, 'data'> & { handshake: Pick<LiveSocket['handshake'], 'auth' | 'headers'> };

export function handshake(resolveToken: ResolveToken) {
  return async (socket: HandshakeSocket, next: (err?: Error) => void): Promise<void> => {
    const auth = (socket.handshake.auth ?? {}) as HandshakeAuth;
    const token = typeof auth.token === 'string' ? auth.token : readCookie(socket.handshake.headers.cookie, COOKIE_NAME);
    const principal = token ? await resolveToken(token).catch(() => null) : null;
    // Say why, as HTTP does: a wall whose token was revoked or expired shows that, not "not valid".
    if (!principal) return next(new Error(token ? `unauthorized: ${await refusalOf(resolveToken, token)}` : 'unauthorized: sign in first'));
    // The stream shows the city: the same capability, from the same table, as reading it over HTTP.
    const refusal = authorise(principal, 'city:read');
    if (refusal) return next(new Error(`${refusal.code}: ${refusal.message}`));
    const since = auth.since;
    if (since !== undefined && (typeof since !== 'number' || !Number.isInteger(since) || since < 0)) {
      return next(new Error('invalid handshake: "since" must be a non-negative integer seq'));
    }
    const subscription = parseSubscription(auth.subscribe);
    if (!subscription.ok) return next(new Error(`invalid handshake: ${subscription.message}`));
    socket.data = { principal, since, batch: auth.batch === true, filter: subscription.filter };
    next();
  };
}
