/**
 * Store outage (docs/reliability.md): a server on a PostgreSQL cluster of this test's own, which the
 * test stops (`pg_ctl stop -m fast`, every connection cut) and starts again:
 * - while it is down, writes answer 503 with Retry-After and say nothing was stored; reads that need
 *   the database answer 503 too, reads held in memory (districts) still answer; live sockets get a
 *   heartbeat saying the store is unavailable (the wall shows its banner at once); the server stays up;
 * - when it is back, everything recovers by itself: writes succeed, the live stream carries new
 *   events again, heartbeats are plain again;
 * - no acknowledged write is lost and no refused one was half-stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import type { LogEvent } from '../../server/contract/events.ts';
import { startCluster, type ThrowawayCluster } from '../../scripts/postgres-cluster.mjs';
import { api, startTestServer, type TestServer } from '../support/server.ts';

let cluster: ThrowawayCluster;
let s: TestServer;
let socket: Socket;
const beats: { seq: number; store?: string; atMs: number }[] = [];
const created: string[] = [];

const batch = (tag: string, n = 20) =>
  Array.from({ length: n }, (_, i) => ({ source: 'outage', externalId: `${tag}-${i}`, lon: 0.05, lat: 0.05, title: `outage test ${tag} ${i}`, category: 'fire', severity: 'minor' }));

describe('store outage on PostgreSQL', () => {
  beforeAll(async () => {
    cluster = await startCluster();
    s = await startTestServer({ env: { DATABASE_URL: cluster.url } });
    const square = { type: 'Polygon', coordinates: [[[0, 0], [0.1, 0], [0.1, 0.1], [0, 0.1], [0, 0]]] };
    expect((await api(s, 'PUT', '/api/v1/regions', { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: square, properties: { code: 'O1', name: 'O1', population: 1000 } }] })).status).toBe(200);
    socket = io(s.url, { auth: { token: s.adminToken, batch: true }, transports: ['websocket'] });
    socket.on('heartbeat', (b: { seq: number; store?: string }) => beats.push({ ...b, atMs: Date.now() }));
    socket.on('events:batch', (events: LogEvent[]) => {
      for (const e of events) if (e.type === 'incident:created') created.push((e.payload as { externalId: string }).externalId);
    });
    await new Promise<void>((resolve) => socket.once('replay:done', () => resolve()));
  }, 120_000);

  afterAll(async () => {
    socket?.close();
    await s?.close();
    cluster?.stop();
  }, 60_000);

  it('answers 503 with Retry-After while the database is down, keeps the server up, and recovers by itself', async () => {
    const before = await api(s, 'POST', '/api/v1/incidents', batch('before'));
    expect(before.status).toBe(201);
    await expect.poll(() => created.filter((id) => id.startsWith('before-')).length, { timeout: 10_000 }).toBe(20);

    cluster.pause();
    const downAt = Date.now();

    // Writes: refused, with when to come back, and saying nothing was stored.
    const write = await api(s, 'POST', '/api/v1/incidents', batch('during'));
    expect(write.status).toBe(503);
    expect(Number(write.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(write.body.error.code).toBe('unavailable');
    expect(write.body.error.message).toMatch(/nothing was stored/);
    const status = await api(s, 'PATCH', `/api/v1/incidents/${encodeURIComponent('whatever')}`, { status: 'acknowledged' });
    expect([503, 404]).toContain(status.status);
    if (status.status === 503) expect(status.headers.get('retry-after')).toBeTruthy();
    // Reads: from the database, 503 with Retry-After; from memory, still answered.
    const list = await api(s, 'GET', '/api/v1/incidents');
    expect(list.status).toBe(503);
    expect(list.headers.get('retry-after')).toBeTruthy();
    const regions = await api(s, 'GET', '/api/v1/regions');
    expect(regions.status).toBe(200);
    expect(regions.body.features).toHaveLength(1);
    // Screens are told within a heartbeat or two.
    await expect.poll(() => beats.some((b) => b.store === 'unavailable' && b.atMs >= downAt), { timeout: 15_000 }).toBe(true);
    // Still down a while later: the server has not crashed and keeps answering.
    await new Promise((r) => setTimeout(r, 2000));
    expect((await api(s, 'POST', '/api/v1/incidents', batch('during'))).status).toBe(503);

    cluster.resume();
    const upAt = Date.now();
    // Recovery by itself: the same batch goes through once the pool reconnects.
    let after: Awaited<ReturnType<typeof api>> | undefined;
    await expect
      .poll(async () => {
        after = await api(s, 'POST', '/api/v1/incidents', batch('during'));
        return after.status;
      }, { timeout: 30_000, interval: 500 })
      .toBe(201);
    expect(after!.body.accepted).toBe(20); // nothing of it had been stored while refused
    const recoveredMs = Date.now() - upAt;
    await expect.poll(() => created.filter((id) => id.startsWith('during-')).length, { timeout: 15_000 }).toBe(20);
    await expect.poll(() => beats.at(-1)?.store, { timeout: 15_000 }).toBeUndefined();

    // Nothing acknowledged lost, nothing twice.
    const all = (await api(s, 'GET', '/api/v1/incidents?limit=1000')).body.features as { properties: { externalId: string } }[];
    const ids = all.map((f) => f.properties.externalId).sort();
    expect(ids).toEqual([...batch('before'), ...batch('during')].map((b) => b.externalId).sort());
    console.log(`store outage: down ${upAt - downAt} ms; writes 503 with Retry-After, districts still served; writes back ${recoveredMs} ms after the database; 40 of 40 acknowledged incidents stored once`);
  }, 120_000);
});
