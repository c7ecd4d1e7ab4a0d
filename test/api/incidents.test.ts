/**
 * Incident intake and queries against a real server and a real PGlite: region assignment checked
 * against an independent brute force, a USGS-format feed imported as it is, bbox queries checked
 * against a filter written here.
 */
import * as turf from '@turf/turf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jitteredGrid, mulberry32, randomPoints } from '../../scripts/bench/synthetic-polygons.ts';
import type { RegionShape } from '../../server/domain/spatial/region-index.ts';
import { syntheticUsgsWeek } from '../fixtures/usgs-feed.ts';
import { api, startTestServer, type TestServer } from '../support/server.ts';
import { testPostgresUrl } from '../support/database.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ demoData: false });
});
afterAll(async () => {
  await s?.close();
});

/** The naive reference: every region in order, turf's point-in-polygon, first hit wins. */
function bruteForce(regions: readonly RegionShape[], lon: number, lat: number): string | null {
  for (const r of regions) {
    if (turf.booleanPointInPolygon([lon, lat], r.geometry)) return r.code;
  }
  return null;
}

const EXTENT: [number, number, number, number] = [103.5, 30.3, 104.6, 31.2];
const regions = jitteredGrid(mulberry32(42), { cols: 7, rows: 6, verticesPerCell: 40, extent: EXTENT, holeEvery: 9, codePrefix: 'D' });

describe('regions and region assignment', () => {
  it('starts empty with DEMO_DATA=off and reports health without a token', async () => {
    const health = await api(s, 'GET', '/api/v1/health', undefined, { token: null });
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', store: testPostgresUrl() ? 'postgres' : 'pglite', demo: false });
    const list = await api(s, 'GET', '/api/v1/regions');
    expect(list.body.features).toEqual([]);
  });

  it('accepts a city of 42 districts and serves them back in order', async () => {
    const body = {
      type: 'FeatureCollection',
      features: regions.map((r, i) => ({ type: 'Feature', geometry: r.geometry, properties: { code: r.code, name: `区${i}`, population: 1000 + i } })),
    };
    const put = await api(s, 'PUT', '/api/v1/regions', body);
    expect(put.status).toBe(200);
    expect(put.body.count).toBe(42);
    const list = await api(s, 'GET', '/api/v1/regions', undefined, { token: null });
    expect(list.body.features.map((f: { id: string }) => f.id)).toEqual(regions.map((r) => r.code));
    expect(list.body.features[3].properties).toEqual({ code: regions[3]?.code, name: '区3', population: 1003, populationSource: null });
  });

  it('assigns 10,000 random points exactly as a brute-force point-in-polygon does', async () => {
    const points = randomPoints(mulberry32(7), 10_000, EXTENT, 0.1);
    const post = await api(s, 'POST', '/api/v1/incidents?source=random-test', {
      type: 'FeatureCollection',
      features: points.map((p, i) => ({ type: 'Feature', id: `p${i}`, geometry: { type: 'Point', coordinates: p }, properties: { category: 'other' } })),
    });
    expect(post.status).toBe(201);
    expect(post.body).toMatchObject({ accepted: 10_000, duplicates: 0, rejected: 0, errors: [] });
    const expected = points.map(([lon, lat]) => bruteForce(regions, lon, lat));
    const got = post.body.items.map((item: { regionCode: string | null }) => item.regionCode);
    expect(got).toEqual(expected);
    expect(expected.filter((c) => c === null).length).toBeGreaterThan(500); // the outside share is really exercised
  });

  it('gives regionCode null outside every region and keeps the incident', async () => {
    const post = await api(s, 'POST', '/api/v1/incidents', { title: 'far away', lat: -33.9, lon: 18.4 });
    expect(post.status).toBe(201);
    expect(post.body.items[0].regionCode).toBeNull();
    const one = await api(s, 'GET', `/api/v1/incidents/${post.body.items[0].id}`);
    expect(one.body).toMatchObject({ type: 'Feature', properties: { title: 'far away', regionCode: null, status: 'reported' } });
  });
});

describe('USGS feed and bbox queries', () => {
  const feed = syntheticUsgsWeek();

  it('imports a USGS-format week feed as it is: 1707 accepted, mag → severity, time → occurredAt', async () => {
    const post = await api(s, 'POST', '/api/v1/incidents', feed, { contentType: 'application/geo+json' });
    expect(post.status).toBe(201);
    expect(post.body).toMatchObject({ accepted: 1707, duplicates: 0, rejected: 0 });
    const seqs = post.body.items.map((i: { seq: number }) => i.seq);
    expect(new Set(seqs).size).toBe(1707);

    const f = feed.features.find((x) => x.properties.mag === 6.5 || (typeof x.properties.mag === 'number' && x.properties.mag >= 5.5 && x.properties.mag < 7));
    if (!f) throw new Error('fixture has no severe quake');
    const item = post.body.items[feed.features.indexOf(f)];
    const stored = await api(s, 'GET', `/api/v1/incidents/${item.id}`);
    expect(stored.body.properties).toMatchObject({
      source: 'usgs',
      externalId: f.id,
      severity: 'severe',
      occurredAt: new Date(f.properties.time as number).toISOString(),
      title: f.properties.title,
    });
    expect(stored.body.properties.attributes.mag).toBe(f.properties.mag);
  });

  it('re-posting the same feed adds nothing and answers 200 with every record a duplicate', async () => {
    const again = await api(s, 'POST', '/api/v1/incidents', feed);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 1707, rejected: 0 });
  });

  it.each([
    ['Pacific', [150, -50, 180, 10]],
    ['small box', [-10, 0, 20, 25]],
    ['antimeridian', [170, -60, -170, 60]],
    ['whole world', [-180, -90, 180, 90]],
  ] as const)('bbox %s returns exactly the features inside', async (_name, box) => {
    const [minLon, minLat, maxLon, maxLat] = box;
    const res = await api(s, 'GET', `/api/v1/incidents?bbox=${box.join(',')}&category=earthquake,other`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/geo+json');
    const inside = (lon: number, lat: number) =>
      lat >= minLat && lat <= maxLat && (minLon <= maxLon ? lon >= minLon && lon <= maxLon : lon >= minLon || lon <= maxLon);
    const expected = feed.features
      .filter((f) => inside(f.geometry.coordinates[0], f.geometry.coordinates[1]))
      .map((f) => f.id)
      .sort();
    const got = res.body.features
      .filter((f: { properties: { source: string } }) => f.properties.source === 'usgs')
      .map((f: { properties: { externalId: string } }) => f.properties.externalId)
      .sort();
    expect(got).toEqual(expected);
    expect(res.body.features.every((f: { type: string }) => f.type === 'Feature')).toBe(true);
  });
});
