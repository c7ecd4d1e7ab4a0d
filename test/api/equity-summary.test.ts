/**
 * `GET /api/v1/equity/summary` (the wall's Gini tile) and the live stream's `heartbeat`, on a city
 * small enough to work out by hand: two population points 48 km apart, one hospital beside the
 * first and one school beside the second, each far inside its default catchment of the one and
 * far outside of the other.
 *
 * Hospital (radius 5 km): R = 60 / 300 = 0.2 → A(a) = 0.2, A(b) = 0; P = 400,
 *   μ = 300·0.2 / 400 = 0.15; gini = 2·300·100·0.2 / (2·400²·0.15) = 0.25;
 *   theil = (1/400)·300·(0.2/0.15)·ln(0.2/0.15) = ln(4/3).
 * School (radius 2 km): R = 10 / 100 = 0.1 → A(a) = 0, A(b) = 0.1; μ = 100·0.1 / 400 = 0.025;
 *   gini = 2·300·100·0.1 / (2·400²·0.025) = 0.75; theil = (1/400)·100·4·ln 4 = ln 4.
 */
import fs from 'node:fs';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, EquityDefaultSummaries, ServerToClientEvents } from '../../server/contract/index.ts';
import { api, emptyStoreDir, startTestServer, tempDataDir, type TestServer } from '../support/server.ts';

const A = { lon: 120.0, lat: 30.0 };
const B = { lon: 120.5, lat: 30.0 };
const point = (p: { lon: number; lat: number }, properties: Record<string, unknown>) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [p.lon, p.lat] }, properties });

const population = { type: 'FeatureCollection', features: [point(A, { id: 'a', population: 300 }), point(B, { id: 'b', population: 100 })] };
const facilities = {
  type: 'FeatureCollection',
  features: [
    point({ lon: A.lon + 0.001, lat: A.lat }, { id: 'h1', kind: 'hospital', capacity: 60, name: 'Hospital A' }),
    point({ lon: B.lon + 0.001, lat: B.lat }, { id: 's1', kind: 'school', capacity: 10, name: 'School B' }),
  ],
};

const EXPECTED = {
  hospital: { radius: 5000, gini: 0.25, theil: Math.log(4 / 3), meanAccess: 0.15 },
  school: { radius: 2000, gini: 0.75, theil: Math.log(4), meanAccess: 0.025 },
};

function expectHandWorked(body: EquityDefaultSummaries): void {
  expect(body.summaries.map((s) => s.kind)).toEqual(['hospital', 'school']);
  for (const summary of body.summaries) {
    const expected = EXPECTED[summary.kind as keyof typeof EXPECTED];
    expect(summary.method).toBe('2sfca');
    expect(summary.radius).toBe(expected.radius);
    expect(summary.gini).toBeCloseTo(expected.gini, 9);
    expect(summary.theil).toBeCloseTo(expected.theil, 9);
    expect(summary.meanAccess).toBeCloseTo(expected.meanAccess, 9);
  }
  expect(Number.isNaN(Date.parse(body.at))).toBe(false);
}

describe('GET /api/v1/equity/summary', () => {
  const dataDir = tempDataDir();
  let server: TestServer;
  let viewerToken: string;

  beforeAll(async () => {
    await emptyStoreDir(dataDir);
    server = await startTestServer({ dataDir, adminToken: 'equity-summary-admin' });
    viewerToken = (await api(server, 'POST', '/api/v1/tokens', { role: 'viewer', name: 'wall' })).body.token as string;
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('needs a sign-in', async () => {
    const res = await api(server, 'GET', '/api/v1/equity/summary', undefined, { token: null });
    expect(res.status).toBe(401);
  });

  it('answers an empty list before there are facilities', async () => {
    const res = await api(server, 'GET', '/api/v1/equity/summary', undefined, { token: viewerToken });
    expect(res.status).toBe(200);
    expect(res.body.summaries).toEqual([]);
  });

  it('answers the default view of every kind, as worked out by hand, to a viewer', async () => {
    expect((await api(server, 'PUT', '/api/v1/population', population)).status).toBe(200);
    expect((await api(server, 'PUT', '/api/v1/facilities', facilities)).status).toBe(200);
    const res = await api(server, 'GET', '/api/v1/equity/summary', undefined, { token: viewerToken });
    expect(res.status).toBe(200);
    const body = res.body as EquityDefaultSummaries;
    expectHandWorked(body);
  });

  it('after a restart (no recompute yet) computes the same figures on demand', async () => {
    await server.close();
    server = await startTestServer({ dataDir, adminToken: 'equity-summary-admin' });
    const res = await api(server, 'GET', '/api/v1/equity/summary');
    expect(res.status).toBe(200);
    expectHandWorked(res.body as EquityDefaultSummaries);
  }, 60_000);

  it('sends every socket a heartbeat carrying the log head', async () => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connect(server.url, { auth: { token: viewerToken }, transports: ['websocket'] });
    try {
      const beat = await new Promise<{ seq: number; at: string }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no heartbeat within 12 s')), 12_000);
        socket.on('heartbeat', (e) => {
          clearTimeout(timer);
          resolve(e);
        });
      });
      const health = (await api(server, 'GET', '/api/v1/health')).body as { seq: number };
      expect(beat.seq).toBe(health.seq);
      expect(Number.isNaN(Date.parse(beat.at))).toBe(false);
    } finally {
      socket.close();
    }
  }, 20_000);
});
