/**
 * The socket boundary (docs/domain.md §8.4, docs/reliability.md): oversized or unknown client messages are dropped
 * with an error and the connection stays; foreign origins cannot connect; a stopping server says so.
 */
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, ServerToClientEvents } from '../../server/contract/index.ts';
import { api, startTestServer, type TestServer } from '../support/server.ts';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
let s: TestServer;
const sockets: Client[] = [];

beforeAll(async () => {
  s = await startTestServer({ demoData: false, env: { CORS_ORIGINS: 'https://wall.example.org' } });
});
afterAll(async () => {
  for (const c of sockets) c.disconnect();
  await s?.close();
});

function open(extraHeaders: Record<string, string> = {}): Client {
  const c: Client = connect(s.url, { auth: { token: s.adminToken }, transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders });
  sockets.push(c);
  return c;
}
const ready = (c: Client) =>
  new Promise<void>((resolve, reject) => {
    c.once('replay:done', () => resolve());
    c.once('connect_error', reject);
  });

describe('client messages', () => {
  it('drops a message over 64 KB with message:rejected, keeps the connection, and still delivers events', async () => {
    const c = open();
    await ready(c);
    const rejected = new Promise<{ event: string; code: string; limitBytes: number }>((resolve) => c.once('message:rejected', resolve));
    let acked = false;
    // A subscription with 70 KB of region codes: over the limit by the UTF-8 byte count.
    const huge = { regions: Array.from({ length: 7000 }, (_, i) => `R${String(i).padStart(8, '0')}`) };
    expect(Buffer.byteLength(JSON.stringify([huge]))).toBeGreaterThan(64 * 1024);
    c.emit('subscribe', huge, () => (acked = true));
    const r = await rejected;
    expect(r).toMatchObject({ event: 'subscribe', code: 'too_large', limitBytes: 65536 });
    expect(acked).toBe(false);
    expect(c.connected).toBe(true);
    // Just under the limit passes (the ack answers).
    const small = { regions: Array.from({ length: 100 }, (_, i) => `R${i}`) };
    const answer = await c.timeout(5000).emitWithAck('subscribe', small);
    expect(answer.ok).toBe(true);
    await c.timeout(5000).emitWithAck('subscribe', {});
    const created = new Promise<string>((resolve) => c.once('incident:created', (i) => resolve(i.title)));
    await api(s, 'POST', '/api/v1/incidents', { lat: 30, lon: 120, title: 'after the big message' });
    expect(await created).toBe('after the big message');
  });

  it('answers an unknown event with message:rejected', async () => {
    const c = open();
    await ready(c);
    const rejected = new Promise<{ code: string; event: string }>((resolve) => c.once('message:rejected', resolve));
    (c.emit as (name: string, ...args: unknown[]) => void)('drop:tables', { please: true });
    expect(await rejected).toMatchObject({ code: 'unknown_event', event: 'drop:tables' });
    expect(c.connected).toBe(true);
  });
});

describe('origins', () => {
  it('refuses a handshake from a foreign origin and accepts its own and a listed one', async () => {
    const evil = open({ origin: 'http://evil.example' });
    const error = await new Promise<Error>((resolve) => evil.once('connect_error', resolve));
    expect(error).toBeInstanceOf(Error);
    expect(evil.connected).toBe(false);
    const own = open({ origin: s.url });
    await ready(own);
    const listed = open({ origin: 'https://wall.example.org' });
    await ready(listed);
  });
});

describe('stopping', () => {
  it('tells every client the server is stopping before the connection closes', async () => {
    const c = open();
    await ready(c);
    const order: string[] = [];
    c.on('server:closing', (e) => order.push(`closing:${e.reason}:${e.retryAfterMs > 0}`));
    const disconnected = new Promise<string>((resolve) => c.once('disconnect', (reason) => resolve(reason)));
    const closing = s.close();
    const reason = await disconnected;
    order.push('disconnect');
    await closing;
    expect(order).toEqual(['closing:shutdown:true', 'disconnect']);
    expect(reason).toBe('io server disconnect');
  });
});
