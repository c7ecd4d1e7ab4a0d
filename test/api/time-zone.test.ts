/**
 * The server names its `TIME_ZONE` where every page can learn it: in public health (before sign-in,
 * no socket) and in the socket's `hello` (again on every reconnection); unset, it is Asia/Shanghai.
 */
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, HelloEvent, ServerToClientEvents } from '../../server/contract/index.ts';
import { api, startTestServer, type TestServer } from '../support/server.ts';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

async function helloFrom(s: TestServer): Promise<HelloEvent> {
  const socket: Client = connect(s.url, { auth: { token: s.adminToken }, transports: ['websocket'], reconnection: false, forceNew: true });
  try {
    return await new Promise<HelloEvent>((resolve, reject) => {
      socket.once('hello', resolve);
      socket.once('connect_error', reject);
    });
  } finally {
    socket.disconnect();
  }
}

describe('the centre’s time zone', () => {
  let berlin: TestServer;
  let unset: TestServer;
  beforeAll(async () => {
    [berlin, unset] = await Promise.all([startTestServer({ env: { TIME_ZONE: 'Europe/Berlin' } }), startTestServer()]);
  });
  afterAll(async () => {
    await Promise.all([berlin?.close(), unset?.close()]);
  });

  it('is in health for anyone, signed in or not', async () => {
    const health = await api(berlin, 'GET', '/api/v1/health', undefined, { token: null });
    expect(health.status).toBe(200);
    expect(health.body.timeZone).toBe('Europe/Berlin');
    expect((await api(unset, 'GET', '/api/v1/health', undefined, { token: null })).body.timeZone).toBe('Asia/Shanghai');
  });

  it('is in every hello', async () => {
    expect((await helloFrom(berlin)).timeZone).toBe('Europe/Berlin');
    expect((await helloFrom(unset)).timeZone).toBe('Asia/Shanghai');
  });
});
