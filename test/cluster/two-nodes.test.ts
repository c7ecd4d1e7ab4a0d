/**
 * Two real server processes on one real PostgreSQL, as behind a load balancer:
 * - a token revoked on one node stops working on every node: a viewer token used on node B (HTTP
 *   and an open socket) is revoked on node A; node B ends the socket (the socket.io PostgreSQL
 *   adapter carries `sessions:end`) and refuses the token over HTTP once its one-second token
 *   cache lapses;
 * - reads of state a node keeps in memory see earlier writes on any node: a parcel created on node
 *   A is in the vector tile node B serves right after; population put on node A is what node B's
 *   `GET /population` answers once A's recompute has logged `equity:updated`, in A's districts;
 * - a unit's position stored on node A reaches a socket on node B (through the adapter: positions
 *   are not logged);
 * - two dispatchers, one on each node, assigning the one free unit at once: one is given it, the
 *   other is refused (409).
 * Runs in the `api-postgres` project only.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { io, type Socket } from 'socket.io-client';
import { PARCEL_TILE_LAYER } from '../../server/tiles/parcel-tiles.ts';
import { dropTestDatabase, ensureTestDatabase } from '../support/database.ts';
import { startServerProcess, type ServerProcess } from '../support/process.ts';
import { api, tempDataDir } from '../support/server.ts';

const ADMIN_TOKEN = 'two-nodes-test-admin-token';
const clusterDir = tempDataDir();
const nodeDirs = [tempDataDir(), tempDataDir()];
let nodes: ServerProcess[] = [];

describe('two nodes on one PostgreSQL', () => {
  beforeAll(async () => {
    const { DATABASE_URL } = await ensureTestDatabase(clusterDir);
    if (!DATABASE_URL) throw new Error('this test needs the PostgreSQL test cluster (api-postgres project)');
    nodes = await Promise.all(nodeDirs.map((dir) => startServerProcess({ DATA_DIR: dir, DATABASE_URL, ADMIN_TOKEN, DEMO_DATA: 'off' })));
  }, 120_000);

  afterAll(async () => {
    for (const n of nodes) n.child.kill('SIGTERM');
    await Promise.all(nodes.map((n) => n.exited));
    for (const dir of [...nodeDirs, clusterDir]) fs.rmSync(dir, { recursive: true, force: true });
    await dropTestDatabase(clusterDir);
  }, 60_000);

  it('a token revoked on node A ends its socket on node B and is refused there within the cache second', async () => {
    const [a, b] = nodes.map((n) => ({ url: n.url, adminToken: ADMIN_TOKEN })) as [{ url: string; adminToken: string }, { url: string; adminToken: string }];
    const issued = await api(a, 'POST', '/api/v1/tokens', { role: 'viewer', name: 'lobby wall B' });
    expect(issued.status).toBe(201);
    const { id, token } = issued.body as { id: string; token: string };

    // Node B knows the token (and caches it): HTTP works and a socket connects.
    expect((await api(b, 'GET', '/api/v1/regions', undefined, { token })).status).toBe(200);
    const socket: Socket = io(b.url, { auth: { token }, transports: ['websocket'], reconnection: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const ended = new Promise<{ reason: string; message: string; ms: number }>((resolve) => {
      socket.once('session:ended', (e: { reason: string; message: string }) => resolve({ ...e, ms: performance.now() - revokedAt }));
    });
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));

    let revokedAt = performance.now();
    const revoked = await api(a, 'DELETE', `/api/v1/tokens/${id}`);
    revokedAt = performance.now();
    expect(revoked.status).toBe(204);

    const end = await Promise.race([ended, new Promise<null>((resolve) => setTimeout(() => resolve(null), 5_000))]);
    expect(end, 'node B did not end the socket within 5 s').not.toBeNull();
    expect(end?.reason).toBe('revoked');
    expect(end?.message).toMatch(/lobby wall B.*revoked/);
    expect(await disconnected).toBe('io server disconnect');

    // HTTP on node B: refused once the cached hit (1 s) lapses; poll every 100 ms.
    let refusedAfterMs = NaN;
    let last: { status: number; body: any } = { status: 0, body: null };
    while (performance.now() - revokedAt < 5_000) {
      last = await api(b, 'GET', '/api/v1/regions', undefined, { token });
      if (last.status === 401) {
        refusedAfterMs = performance.now() - revokedAt;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(last.status).toBe(401);
    expect(last.body.error.message).toMatch(/lobby wall B.*revoked/);
    expect(refusedAfterMs).toBeLessThan(2_000);
    // A fresh socket to node B with the revoked token is refused at the handshake.
    const again = io(b.url, { auth: { token }, transports: ['websocket'], reconnection: false });
    const refusal = await new Promise<Error>((resolve) => again.once('connect_error', resolve));
    again.close();
    expect(refusal.message).toMatch(/revoked/);
    console.log(`revocation across nodes: socket on node B ended ${end?.ms.toFixed(0)} ms after the DELETE on node A answered; HTTP refused after ${refusedAfterMs.toFixed(0)} ms`);
  });
  it('a parcel created on node A is in the tile node B serves next; node B answers the population node A put', async () => {
    const [a, b] = nodes.map((n) => ({ url: n.url, adminToken: ADMIN_TOKEN })) as [{ url: string; adminToken: string }, { url: string; adminToken: string }];
    const square = (x: number, y: number, size: number) => [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]];
    const districts = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: '330106', name: '西湖区' }, geometry: { type: 'Polygon', coordinates: square(120.0, 30.0, 0.2) } }] };
    expect((await api(a, 'PUT', '/api/v1/regions', districts)).status).toBe(200);

    // Population put on A reaches B with the equity:updated that A's recompute logs (inputs carry no
    // event of their own): B's cells become A's, in A's district, within seconds.
    const cells = Array.from({ length: 20 }, (_, i) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [120.05 + i * 0.001, 30.05] }, properties: { population: 100 + i } }));
    expect((await api(a, 'PUT', '/api/v1/population', { type: 'FeatureCollection', features: cells })).status).toBe(200);
    const populationOnB = async () =>
      (await api(b, 'GET', '/api/v1/population')).body.features.map((f: { properties: { population: number; regionCode: string | null } }) => [f.properties.population, f.properties.regionCode]);
    await expect.poll(populationOnB, { timeout: 10_000, interval: 200 }).toEqual(cells.map((c) => [c.properties.population, '330106']));

    // A tile of B's before the parcel exists, so B's tile index is built and cached without it.
    const [lon, lat] = [120.1, 30.1];
    const z = 14;
    const x = Math.floor(((lon + 180) / 360) * 2 ** z);
    const rad = (lat * Math.PI) / 180;
    const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * 2 ** z);
    const tileCodes = async (url: string): Promise<string[]> => {
      const res = await fetch(`${url}/tiles/parcels/${z}/${x}/${y}.pbf`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      if (res.status === 204) return [];
      expect(res.status).toBe(200);
      const layer = new VectorTile(new PbfReader(new Uint8Array(await res.arrayBuffer()))).layers[PARCEL_TILE_LAYER];
      return Array.from({ length: layer?.length ?? 0 }, (_, i) => String(layer?.feature(i).properties.code));
    };
    expect(await tileCodes(b.url)).toEqual([]);
    const created = await api(a, 'POST', '/api/v1/parcels', { type: 'Feature', geometry: { type: 'Polygon', coordinates: square(lon, lat, 0.001) }, properties: { landUse: '07', name: 'two-node parcel' } });
    expect(created.status).toBe(201);
    const code = created.body.properties.code as string;
    expect(await tileCodes(b.url)).toEqual([code]);
    expect(await tileCodes(a.url)).toEqual([code]);
  });

  it('a position stored on node A reaches a socket on node B that takes the units layer (positions are not in the log)', async () => {
    const [a, b] = nodes.map((n) => ({ url: n.url, adminToken: ADMIN_TOKEN })) as [{ url: string; adminToken: string }, { url: string; adminToken: string }];
    expect((await api(a, 'PUT', '/api/v1/units', [{ id: 'N-1', callSign: 'two-node 1', kind: 'ambulance', serves: ['public_health'] }])).status).toBe(200);
    const socket: Socket = io(b.url, { auth: { token: ADMIN_TOKEN, subscribe: { layers: ['units'] } }, transports: ['websocket'], reconnection: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('replay:done', () => resolve());
      socket.once('connect_error', reject);
    });
    const arrived = new Promise<unknown>((resolve) => socket.on('units:positions', (e: { positions: { unitId: string }[] }) => e.positions.some((p) => p.unitId === 'N-1') && resolve(e.positions)));
    const at = new Date(Date.now() - 1000).toISOString();
    expect((await api(a, 'POST', '/api/v1/units/positions', [{ unitId: 'N-1', lon: 120.07, lat: 30.07, at }])).body).toMatchObject({ accepted: 1 });
    const within5s = await Promise.race([arrived, new Promise((resolve) => setTimeout(() => resolve('nothing within 5 s'), 5000))]);
    expect(within5s).toEqual([{ unitId: 'N-1', lon: 120.07, lat: 30.07, at, speed: null, heading: null }]);
    socket.close();
  });

  it('two dispatchers on two nodes reaching for the one free unit at once: one is given it, the other gets 409', async () => {
    const [a, b] = nodes.map((n) => ({ url: n.url, adminToken: ADMIN_TOKEN })) as [{ url: string; adminToken: string }, { url: string; adminToken: string }];
    const ids = ['NR-1', 'NR-2', 'NR-3', 'NR-4', 'NR-5'];
    expect((await api(a, 'PUT', '/api/v1/units', ids.map((id) => ({ id, callSign: id, kind: 'utility_crew', serves: ['infrastructure'] })))).status).toBe(200);
    let n = 0;
    const incident = async () => (await api(a, 'POST', '/api/v1/incidents', { category: 'infrastructure', lon: 120.05, lat: 30.05, title: `burst main ${++n}` })).body.items[0].id as string;
    for (const unitId of ids) {
      const [x, y] = [await incident(), await incident()];
      const answers = await Promise.all([
        api(a, 'POST', `/api/v1/incidents/${x}/assignments`, { unitId }),
        api(b, 'POST', `/api/v1/incidents/${y}/assignments`, { unitId }),
      ]);
      expect(answers.map((r) => r.status).sort(), unitId).toEqual([201, 409]);
      expect((await api(b, 'GET', `/api/v1/assignments?unitId=${unitId}&state=all`)).body.items).toHaveLength(1);
    }
  });
});
