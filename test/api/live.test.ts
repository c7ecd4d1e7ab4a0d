/**
 * The live stream over a real socket.io connection: events after commit with their seq, resume
 * from `since` with every missed event in order, masking per role, refused bad tokens.
 */
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, Incident, ServerToClientEvents } from '../../server/contract/index.ts';
import { api, startTestServer, type TestServer } from '../support/server.ts';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
let s: TestServer;
const sockets: Client[] = [];

beforeAll(async () => {
  s = await startTestServer({ demoData: false });
});
afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await s?.close();
});

function open(auth: { token?: string; since?: number }): Client {
  const socket: Client = connect(s.url, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
  sockets.push(socket);
  return socket;
}

function collect(socket: Client): Incident[] {
  const got: Incident[] = [];
  socket.on('incident:created', (i) => got.push(i));
  return got;
}

const until = async (check: () => boolean, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};

const post = (body: unknown) => api(s, 'POST', '/api/v1/incidents', body);

describe('live stream', () => {
  it('says hello with the protocol version and streams a posted incident with its seq', async () => {
    const socket = open({ token: s.adminToken });
    // Both listeners before any await: hello and replay:done can arrive in the same tick.
    const helloP = new Promise<Parameters<ServerToClientEvents['hello']>[0]>((resolve) => socket.once('hello', resolve));
    const doneP = new Promise((resolve) => socket.once('replay:done', resolve));
    expect(await helloP).toMatchObject({ protocolVersion: 1, role: 'admin', seq: 0 });
    await doneP;
    const got = collect(socket);
    const res = await post({ title: '现场火情', category: 'fire', severity: 'severe', lat: 30.25, lon: 120.17 });
    await until(() => got.length === 1);
    expect(got[0]).toMatchObject({ title: '现场火情', category: 'fire', seq: res.body.items[0].seq, id: res.body.items[0].id });
  });

  it('a client that was away receives exactly the events it missed, in seq order, then live ones', async () => {
    const first = open({ token: s.adminToken });
    const seen = collect(first);
    await new Promise((resolve) => first.once('replay:done', resolve));
    await post(Array.from({ length: 5 }, (_, i) => ({ lat: 30, lon: 120, externalId: `a${i}`, source: 'live' })));
    await until(() => seen.length === 5);
    const lastSeen = seen.at(-1)!.seq;
    first.disconnect();

    const missed = await post(Array.from({ length: 300 }, (_, i) => ({ lat: 30, lon: 120, externalId: `b${i}`, source: 'live' })));
    const expectedSeqs = missed.body.items.map((i: { seq: number }) => i.seq);

    const back = open({ token: s.adminToken, since: lastSeen });
    const got = collect(back);
    const done = await new Promise<{ seq: number; replayed: number }>((resolve) => back.once('replay:done', resolve));
    expect(done.replayed).toBe(300);
    expect(got.map((i) => i.seq)).toEqual(expectedSeqs);
    await post({ lat: 30, lon: 120, externalId: 'c0', source: 'live' });
    await until(() => got.length === 301);
    expect(got.at(-1)!.externalId).toBe('c0');
    const seqs = got.map((i) => i.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it('masks reporter phone and name for a viewer, on HTTP and the socket; an admin sees them', async () => {
    const viewerToken = (await api(s, 'POST', '/api/v1/tokens', { role: 'viewer', name: 'lobby wall' })).body.token as string;
    const viewer = open({ token: viewerToken });
    const admin = open({ token: s.adminToken });
    const vGot = collect(viewer);
    const aGot = collect(admin);
    await Promise.all([viewer, admin].map((x) => new Promise((r) => x.once('replay:done', r))));
    const res = await post({ lat: 30, lon: 120, title: '12345 appeal', reporter: { name: '张三丰', phone: '13812345678' } });
    await until(() => vGot.length === 1 && aGot.length === 1);
    expect(vGot[0]!.reporter).toEqual({ name: '张**', phone: '138****5678' });
    expect(aGot[0]!.reporter).toEqual({ name: '张三丰', phone: '13812345678' });
    const viaHttp = await api(s, 'GET', `/api/v1/incidents/${res.body.items[0].id}`, undefined, { token: viewerToken });
    expect(viaHttp.body.properties.reporter).toEqual({ name: '张**', phone: '138****5678' });
  });

  it('refuses a bad token with connect_error', async () => {
    const socket = open({ token: 'wrong-token-123' });
    const err = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
    expect(err.message).toContain('unauthorized');
  });

  it('asks for a snapshot when since is ahead of the log (another history)', async () => {
    const socket = open({ token: s.adminToken, since: 999_999 });
    const e = await new Promise<{ since: number; head: number }>((resolve) => socket.once('snapshot:required', resolve));
    expect(e.since).toBe(999_999);
    expect(e.head).toBe((await api(s, 'GET', '/api/v1/health')).body.seq);
  });
});
