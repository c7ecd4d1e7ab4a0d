import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Principal } from '../auth/principal.ts';
import { EVERYTHING } from './subscription.ts';
import { createSessions, type SessionSocket } from './sessions.ts';

const logger = pino({ level: 'silent' });

/** A socket that records what it is told and whether it was ended; `drop()` is the client leaving. */
function socket(id: string, principal: Partial<Principal> = {}) {
  const told: { event: string; payload: unknown }[] = [];
  const onDisconnect: (() => void)[] = [];
  let connected = true;
  const s = {
    id,
    data: { principal: { role: 'viewer' as const, name: id, ...principal }, since: undefined, batch: false, filter: EVERYTHING },
    // The real methods are typed per event; these record any.
    emit: ((event: string, payload: unknown) => (told.push({ event, payload }), true)) as SessionSocket['emit'],
    on: ((event: string, listener: () => void) => {
      if (event === 'disconnect') onDisconnect.push(listener);
      return s;
    }) as unknown as SessionSocket['on'],
    disconnect: (() => {
      if (connected) drop();
      return s;
    }) as unknown as SessionSocket['disconnect'],
  };
  function drop() {
    connected = false;
    for (const listener of onDisconnect) listener();
  }
  return Object.assign(s, { told, drop, connected: () => connected });
}

/** The naive model: which reasons each socket was told, in order. */
const endings = (sockets: ReturnType<typeof socket>[]) =>
  Object.fromEntries(sockets.map((s) => [s.id, s.told.filter((t) => t.event === 'session:ended').map((t) => (t.payload as { reason: string }).reason)]));

describe('sessions', () => {
  beforeEach(() => vi.useFakeTimers({ now: Date.parse('2026-11-23T00:00:00Z') }));
  afterEach(() => vi.useRealTimers());

  it('a revoked token ends every socket signed in with it, and only those', () => {
    const sessions = createSessions(logger);
    const a1 = socket('a1', { tokenId: 'A' });
    const a2 = socket('a2', { tokenId: 'A' });
    const b = socket('b', { tokenId: 'B' });
    const env = socket('env');
    for (const s of [a1, a2, b, env]) sessions.add(s);
    sessions.end('A', 'revoked');
    expect(endings([a1, a2, b, env])).toEqual({ a1: ['revoked'], a2: ['revoked'], b: [], env: [] });
    expect([a1, a2, b, env].map((s) => s.connected())).toEqual([false, false, true, true]);
    const told = a1.told.find((t) => t.event === 'session:ended')?.payload as { message: string };
    expect(told.message).toContain('"a1" was revoked');
  });

  it('a socket that left is not ended again; the token\'s later sockets are', () => {
    const sessions = createSessions(logger);
    const gone = socket('gone', { tokenId: 'A' });
    sessions.add(gone);
    gone.drop();
    const later = socket('later', { tokenId: 'A' });
    sessions.add(later);
    sessions.end('A', 'revoked');
    sessions.end('nobody', 'revoked');
    expect(endings([gone, later])).toEqual({ gone: [], later: ['revoked'] });
  });

  it('ends a socket when its token expires, not a moment before; leaving first or stopping cancels it', () => {
    const sessions = createSessions(logger);
    const now = Date.now();
    const soon = socket('soon', { tokenId: 'S', expiresAt: now + 60_000 });
    const past = socket('past', { tokenId: 'P', expiresAt: now - 1 });
    const leaves = socket('leaves', { tokenId: 'L', expiresAt: now + 60_000 });
    const stopped = socket('stopped', { tokenId: 'T', expiresAt: now + 120_000 });
    for (const s of [soon, past, leaves, stopped]) sessions.add(s);
    vi.advanceTimersByTime(0);
    expect(endings([soon, past])).toEqual({ soon: [], past: ['expired'] });
    leaves.drop();
    vi.advanceTimersByTime(59_999);
    expect(endings([soon])).toEqual({ soon: [] });
    vi.advanceTimersByTime(1);
    expect(endings([soon, leaves])).toEqual({ soon: ['expired'], leaves: [] });
    sessions.stopTimers();
    vi.advanceTimersByTime(120_000);
    expect(endings([stopped])).toEqual({ stopped: [] });
  });

  it('waits at most as long as a timer can (a token valid for a year is not ended at once)', () => {
    const sessions = createSessions(logger);
    const year = socket('year', { expiresAt: Date.now() + 365 * 24 * 3600_000 });
    sessions.add(year);
    vi.advanceTimersByTime(24 * 3600_000);
    expect(endings([year])).toEqual({ year: [] });
    sessions.stopTimers();
  });
});
