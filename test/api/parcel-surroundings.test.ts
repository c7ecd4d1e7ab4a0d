/**
 * Surroundings of a parcel (docs/domain.md §6.5): facilities, open incidents, neighbouring parcels and
 * population within the radius of the parcel's center, checked against a brute-force loop over
 * every row of the demo's store (read straight from the database, not through the API).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParcelSurroundings } from '../../server/contract/index.ts';
import { api, startTestServer, type TestServer } from '../support/server.ts';

function metres(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const r = 6_371_008.8;
  const toRad = (d: number) => (d * Math.PI) / 180;
  const a = Math.sin(toRad(lat2 - lat1) / 2) ** 2 + Math.cos(toRad(lat1)) * Math.cos(toRad(lat2)) * Math.sin(toRad(lon2 - lon1) / 2) ** 2;
  return 2 * r * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a));
}

describe('parcel surroundings', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ demoData: true });
  });
  afterAll(() => s?.close());

  it('equal a brute-force search over every facility, open incident, parcel and population cell', async () => {
    const db = s.server.store.db;
    const facilities = await db.query<{ id: string; lon: number; lat: number }>('SELECT id, lon, lat FROM facilities');
    const incidents = await db.query<{ id: string; lon: number; lat: number; status: string }>('SELECT id, lon, lat, status FROM incidents');
    const parcels = await db.query<{ code: string; lon: number; lat: number }>('SELECT code, lon, lat FROM parcels');
    const cells = await db.query<{ lon: number; lat: number; population: number }>('SELECT lon, lat, population FROM population_cells');
    expect(facilities.length).toBeGreaterThan(50);
    expect(parcels.length).toBeGreaterThan(100);
    // The parcels nearest to the 8 most populous cells: where people, facilities and parcels crowd,
    // so every list is exercised.
    const busiest = [...cells].sort((a, b) => b.population - a.population).slice(0, 8);
    const crowded = busiest.map((c) => parcels.reduce((best, q) => (metres(c.lon, c.lat, q.lon, q.lat) < metres(c.lon, c.lat, best.lon, best.lat) ? q : best)));
    let nonEmpty = { facilities: 0, incidents: 0, parcels: 0 };
    for (const radius of [500, 1200]) {
      for (const p of crowded) {
        const res = await api(s, 'GET', `/api/v1/parcels/${p.code}/surroundings?radius=${radius}`);
        expect(res.status).toBe(200);
        const got = res.body as ParcelSurroundings;
        const [lon, lat] = got.center;
        const near = <T extends { lon: number; lat: number }>(rows: T[]) => rows.filter((r) => metres(lon, lat, r.lon, r.lat) <= radius);
        const ids = (rows: { id: string }[]) => rows.map((r) => r.id).sort();
        expect(ids(got.facilities)).toEqual(ids(near(facilities)));
        expect(ids(got.incidents)).toEqual(ids(near(incidents.filter((i) => !['resolved', 'rejected'].includes(i.status)))));
        expect(got.parcels.map((x) => x.code).sort()).toEqual(near(parcels).map((x) => x.code).filter((c) => c !== p.code).sort());
        expect(got.population).toBeCloseTo(near(cells).reduce((sum, c) => sum + Number(c.population), 0), 6);
        // Sorted nearest first, distances right to the centimetre.
        const distances = got.facilities.map((f) => f.distanceM);
        expect(distances).toEqual([...distances].sort((a, b) => a - b));
        for (const f of got.facilities) expect(f.distanceM).toBeCloseTo(metres(lon, lat, f.lon, f.lat), 2);
        nonEmpty = { facilities: nonEmpty.facilities + got.facilities.length, incidents: nonEmpty.incidents + got.incidents.length, parcels: nonEmpty.parcels + got.parcels.length };
      }
    }
    expect(nonEmpty.facilities).toBeGreaterThan(0);
    expect(nonEmpty.incidents).toBeGreaterThan(0);
    expect(nonEmpty.parcels).toBeGreaterThan(0);
  });

  it('refuses a radius out of range and answers 404 for an unknown parcel', async () => {
    const [p] = await s.server.store.db.query<{ code: string }>('SELECT code FROM parcels LIMIT 1');
    expect((await api(s, 'GET', `/api/v1/parcels/${p!.code}/surroundings?radius=0`)).status).toBe(400);
    expect((await api(s, 'GET', `/api/v1/parcels/${p!.code}/surroundings?radius=100000`)).status).toBe(400);
    expect((await api(s, 'GET', '/api/v1/parcels/330106-2026-99999-X/surroundings')).status).toBe(404);
  });
});
