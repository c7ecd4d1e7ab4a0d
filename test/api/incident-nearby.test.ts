/**
 * Nearby answer of an incident (docs/domain.md §4.6, for responders): nearest fire stations and hospitals, residents,
 * parcels (hazardous first) and other open incidents, checked against a brute-force search over every
 * row of the demo's store, written here with its own haversine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentNearby } from '../../server/contract/incident-nearby.ts';
import { api, startTestServer, type TestServer } from '../support/server.ts';

function metres(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const r = 6_371_008.8;
  const toRad = (d: number) => (d * Math.PI) / 180;
  const a = Math.sin(toRad(lat2 - lat1) / 2) ** 2 + Math.cos(toRad(lat1)) * Math.cos(toRad(lat2)) * Math.sin(toRad(lon2 - lon1) / 2) ** 2;
  return 2 * r * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a));
}

describe('incident nearby', () => {
  let s: TestServer;
  let responder: string;
  beforeAll(async () => {
    s = await startTestServer({ demoData: true });
    responder = (await api(s, 'POST', '/api/v1/tokens', { role: 'responder', name: '值班员' })).body.token;
  });
  afterAll(() => s?.close());

  it('equals a brute-force search over facilities, cells, parcels and open incidents', async () => {
    const db = s.server.store.db;
    const facilities = await db.query<{ id: string; kind: string; lon: number; lat: number }>('SELECT id, kind, lon, lat FROM facilities');
    const cells = await db.query<{ lon: number; lat: number; population: number }>('SELECT lon, lat, population FROM population_cells');
    const parcels = await db.query<{ code: string; lon: number; lat: number; hazardous: boolean }>('SELECT code, lon, lat, hazardous FROM parcels');
    const hazardous = parcels.filter((p) => p.hazardous);
    expect(hazardous.length).toBeGreaterThan(0);
    // One incident on a hazardous parcel (so the hazardous-first rule is exercised), one in the densest cell.
    const densest = [...cells].sort((a, b) => b.population - a.population)[0]!;
    const spots = [
      { lon: hazardous[0]!.lon, lat: hazardous[0]!.lat },
      { lon: densest.lon + 0.0004, lat: densest.lat - 0.0003 },
    ];
    let sawHazardousAndOther = false;
    for (const [k, spot] of spots.entries()) {
      const posted = await api(s, 'POST', '/api/v1/incidents', { title: `近旁测试 ${k}`, category: 'fire', severity: 'severe', lon: spot.lon, lat: spot.lat }, { token: responder });
      expect(posted.status).toBe(201);
      const id = posted.body.items[0].id as string;
      const incidents = await db.query<{ id: string; lon: number; lat: number; status: string }>('SELECT id, lon, lat, status FROM incidents');
      for (const radius of [800, 2500]) {
        const res = await api(s, 'GET', `/api/v1/incidents/${id}/nearby?radius=${radius}`, undefined, { token: responder });
        expect(res.status).toBe(200);
        const got = res.body as IncidentNearby;
        expect(got.center).toEqual([spot.lon, spot.lat]);
        expect(got.radius).toBe(radius);
        for (const [kind, list] of [['fire_station', got.fireStations], ['hospital', got.hospitals]] as const) {
          const expected = facilities
            .filter((f) => f.kind === kind)
            .map((f) => ({ id: f.id, d: metres(spot.lon, spot.lat, f.lon, f.lat) }))
            .sort((a, b) => a.d - b.d)
            .slice(0, 3);
          expect(expected.length).toBe(3);
          expect(list.map((f) => f.id)).toEqual(expected.map((f) => f.id));
          list.forEach((f, i) => expect(f.distanceM).toBeCloseTo(expected[i]!.d, 2));
        }
        const inside = <T extends { lon: number; lat: number }>(rows: T[]) => rows.filter((r) => metres(spot.lon, spot.lat, r.lon, r.lat) <= radius);
        expect(got.residents).toBeCloseTo(inside(cells).reduce((sum, c) => sum + Number(c.population), 0), 6);
        expect(got.parcels.map((p) => p.code).sort()).toEqual(inside(parcels).map((p) => p.code).sort());
        // Hazardous first: no ordinary parcel comes before a hazardous one; each group nearest first.
        const firstOrdinary = got.parcels.findIndex((p) => !p.hazardous);
        if (firstOrdinary >= 0) expect(got.parcels.slice(firstOrdinary).every((p) => !p.hazardous)).toBe(true);
        for (const group of [got.parcels.filter((p) => p.hazardous), got.parcels.filter((p) => !p.hazardous)]) {
          const d = group.map((p) => p.distanceM);
          expect(d).toEqual([...d].sort((a, b) => a - b));
        }
        if (got.parcels.some((p) => p.hazardous) && got.parcels.some((p) => !p.hazardous)) sawHazardousAndOther = true;
        const openOthers = inside(incidents.filter((i) => i.id !== id && !['resolved', 'rejected'].includes(i.status)));
        expect(got.incidents.map((i) => i.id).sort()).toEqual(openOthers.map((i) => i.id).sort());
      }
    }
    expect(sawHazardousAndOther).toBe(true);
  });

  it('answers 404 for an unknown incident and 400 naming radius for a bad radius', async () => {
    const posted = await api(s, 'POST', '/api/v1/incidents', { title: '半径测试', lon: 120.17, lat: 30.25 }, { token: responder });
    const id = posted.body.items[0].id as string;
    const ok = await api(s, 'GET', `/api/v1/incidents/${id}/nearby`, undefined, { token: responder });
    expect(ok.status).toBe(200);
    expect(ok.body.radius).toBe(1000);
    for (const bad of ['0', '-5', '10001', 'abc', '']) {
      const res = await api(s, 'GET', `/api/v1/incidents/${id}/nearby?radius=${bad}`, undefined, { token: responder });
      expect(res.status, `radius=${bad}`).toBe(400);
      expect(res.body.error.details[0].path).toBe('radius');
      expect(res.body.error.message).toContain('radius');
    }
    expect((await api(s, 'GET', `/api/v1/incidents/${id}/nearby?radius=10000`, undefined, { token: responder })).status).toBe(200);
    expect((await api(s, 'GET', '/api/v1/incidents/no-such-incident/nearby', undefined, { token: responder })).status).toBe(404);
    expect((await api(s, 'GET', `/api/v1/incidents/${id}/nearby`, undefined, { token: null })).status).toBe(401);
  });
});
