/**
 * Resume and batching: a client away for 500 events (across a server restart) gets exactly
 * those 500, in seq order, in `events:batch` messages; subscriptions narrow what a client gets.
 */
import fs from 'node:fs';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, HandshakeAuth, LogEvent, ServerToClientEvents } from '../../server/contract/index.ts';
import { api, emptyStoreDir, startTestServer, tempDataDir, type TestServer } from '../support/server.ts';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
const dataDir = tempDataDir();
const ADMIN_TOKEN = 'resume-test-admin-token';
let s: TestServer | undefined;
const sockets: Client[] = [];

// A copy of the run's migrated empty store: the first start then skips initdb in WASM.
beforeAll(() => emptyStoreDir(dataDir));

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await s?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function open(server: TestServer, auth: HandshakeAuth): { socket: Client; events: LogEvent[]; batches: number[]; done: Promise<{ seq: number; replayed: number }> } {
  const socket: Client = connect(server.url, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
  sockets.push(socket);
  const events: LogEvent[] = [];
  const batches: number[] = [];
  socket.on('events:batch', (batch) => {
    batches.push(batch.length);
    events.push(...batch);
  });
  const done = new Promise<{ seq: number; replayed: number }>((resolve) => socket.once('replay:done', resolve));
  return { socket, events, batches, done };
}

const until = async (check: () => boolean, ms = 15_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};

const postMany = (server: TestServer, prefix: string, n: number, lon = 120.1) =>
  api(server, 'POST', '/api/v1/incidents', Array.from({ length: n }, (_, i) => ({ lat: 30.2, lon, externalId: `${prefix}${i}`, source: 'resume' })));

describe('resume across a restart, in batches', () => {
  it('receives exactly the 500 missed events in seq order, no gaps, no repeats', async () => {
    s = await startTestServer({ dataDir, adminToken: ADMIN_TOKEN });
    const first = open(s, { token: ADMIN_TOKEN, batch: true });
    await first.done;
    await postMany(s, 'warm', 3);
    await until(() => first.events.length === 3);
    expect(first.batches).toEqual([3]); // one POST, one tick, one message
    const lastSeen = first.events.at(-1)!.seq;
    first.socket.disconnect();

    const before = await postMany(s, 'before', 250);
    await s.close();
    s = await startTestServer({ dataDir, adminToken: ADMIN_TOKEN });
    const after = await postMany(s, 'after', 250);
    const expected = [...before.body.items, ...after.body.items].map((i: { seq: number }) => i.seq);
    expect(expected).toEqual(Array.from({ length: 500 }, (_, i) => lastSeen + 1 + i));

    const back = open(s, { token: ADMIN_TOKEN, batch: true, since: lastSeen });
    const done = await back.done;
    expect(done.replayed).toBe(500);
    expect(back.events.map((e) => e.seq)).toEqual(expected);
    expect(back.events.every((e) => e.type === 'incident:created')).toBe(true);
  });

  it('a subscription to a bbox or regions only delivers matching incidents, replay included', async () => {
    const server = s!;
    const west = open(server, { token: ADMIN_TOKEN, batch: true, subscribe: { bbox: [100, 0, 110, 50] } });
    const all = open(server, { token: ADMIN_TOKEN, batch: true });
    await Promise.all([west.done, all.done]);
    await postMany(server, 'east', 4, 120.1);
    await postMany(server, 'west', 2, 105);
    await until(() => all.events.length === 6);
    await until(() => west.events.length === 2);
    await new Promise((r) => setTimeout(r, 200));
    expect(west.events.map((e) => (e.type === 'incident:created' ? e.payload.externalId : ''))).toEqual(['west0', 'west1']);

    const ack = await new Promise<unknown>((resolve) => west.socket.emit('subscribe', { layers: ['regions'] }, resolve));
    expect(ack).toEqual({ ok: true, subscription: { layers: ['regions'] } });
    const bad = await new Promise<{ ok: boolean; message?: string }>((resolve) => west.socket.emit('subscribe', { bbox: [0, 0, 1] } as never, resolve));
    expect(bad.ok).toBe(false);
    expect(bad.message).toContain('bbox');
    await postMany(server, 'west-again', 1, 105);
    await until(() => all.events.length === 7);
    await new Promise((r) => setTimeout(r, 200));
    expect(west.events).toHaveLength(2);
  });
});
