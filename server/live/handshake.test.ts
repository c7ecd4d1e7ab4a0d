import { describe, expect, it } from 'vitest';
import type { Principal } from '../auth/principal.ts';
import { COOKIE_NAME } from '../auth/credentials.ts';
import { handshake, type HandshakeSocket } from './handshake.ts';
import { EVERYTHING } from './subscription.ts';

const TOKENS: Record<string, Principal> = { 'wall-token': { role: 'viewer', name: 'wall' }, 'desk-token': { role: 'responder', name: 'desk' } };
const resolveToken = async (token: string) => TOKENS[token] ?? null;

/** Runs the handshake for what a client sent; the error it refused with, or what it set on the socket. */
async function shake(auth: Record<string, unknown>, cookie?: string): Promise<{ refused: string } | { data: HandshakeSocket['data'] }> {
  const socket = { handshake: { auth, headers: cookie === undefined ? {} : { cookie } } } as HandshakeSocket;
  const err = await new Promise<Error | undefined>((resolve) => void handshake(resolveToken)(socket, resolve));
  return err ? { refused: err.message } : { data: socket.data };
}

describe('socket handshake', () => {
  it('signs in with the token sent, else the sign-in cookie, and keeps since, batch and the subscription', async () => {
    expect(await shake({ token: 'wall-token', since: 12, batch: true })).toEqual({ data: { principal: TOKENS['wall-token'], since: 12, batch: true, filter: EVERYTHING } });
    expect(await shake({}, `theme=dark; ${COOKIE_NAME}=desk-token`)).toEqual({ data: { principal: TOKENS['desk-token'], since: undefined, batch: false, filter: EVERYTHING } });
    // A token sent wins over the cookie.
    expect(await shake({ token: 'wall-token' }, `${COOKIE_NAME}=desk-token`)).toMatchObject({ data: { principal: { name: 'wall' } } });
    const narrow = await shake({ token: 'wall-token', subscribe: { layers: ['risk'], regions: ['330106'] } });
    expect('data' in narrow && narrow.data.filter).toEqual({ layers: new Set(['risk']), bbox: null, regions: new Set(['330106']) });
  });

  it('refuses without a token, or with one it does not know, saying which', async () => {
    expect(await shake({})).toEqual({ refused: 'unauthorized: sign in first' });
    expect(await shake({ token: 'stolen' })).toEqual({ refused: 'unauthorized: the token is not valid' });
    expect(await shake({}, `${COOKIE_NAME}=stolen`)).toEqual({ refused: 'unauthorized: the token is not valid' });
  });

  it.each([[-1], [1.5], ['7'], [null]])('refuses since = %j: a resume point is a non-negative integer seq', async (since) => {
    expect(await shake({ token: 'wall-token', since })).toEqual({ refused: 'invalid handshake: "since" must be a non-negative integer seq' });
  });

  it('takes since = 0 (from the very start) and refuses a subscription it cannot read', async () => {
    expect(await shake({ token: 'wall-token', since: 0 })).toMatchObject({ data: { since: 0 } });
    const bad = await shake({ token: 'wall-token', subscribe: { layers: ['weather'] } });
    expect(bad).toMatchObject({ refused: expect.stringMatching(/^invalid handshake: invalid subscription: .*layers/) });
  });
});
