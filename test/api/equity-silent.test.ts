/**
 * Silent demand (docs/domain.md §7.4) through the public contract, on a hand-built city whose every figure is
 * worked out by hand in the test: a district with low access and no hotline appeals is `silent`;
 * many appeals or good access is not; a district without residents is neither.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EquityResult } from '../../server/contract/index.ts';
import { api, startTestServer, type TestServer } from '../support/server.ts';

/** Cells stored under an older district before the test's districts replace it. */
const OLD_CELLS = 12;

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
  const old = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: 'OLD' }, geometry: { type: 'Polygon', coordinates: [[[5, 45], [5.1, 45], [5.1, 45.1], [5, 45.1], [5, 45]]] } }] };
  expect((await api(s, 'PUT', '/api/v1/regions', old)).status).toBe(200);
  const cells = Array.from({ length: OLD_CELLS }, (_, i) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [5.01 + 0.005 * i, 45.05] }, properties: { population: 10 } }));
  expect((await api(s, 'PUT', '/api/v1/population', { type: 'FeatureCollection', features: cells })).status).toBe(200);
  const stored = await api(s, 'GET', '/api/v1/population');
  expect(stored.body.features.map((f: { properties: { regionCode: string | null } }) => f.properties.regionCode)).toEqual(Array(OLD_CELLS).fill('OLD'));
});
afterAll(async () => {
  await s?.close();
});

/** Relative closeness: the server sums in another order than the hand calculation. */
function expectClose(actual: number, expected: number, rel = 1e-9): void {
  if (Math.abs(actual - expected) > rel * Math.abs(expected)) expect(actual).toBe(expected);
}

describe('silent demand (hand-built fixture)', () => {
  // Four districts 0.1° apart (~8 km): with a 1 km catchment no cell reaches a neighbour's clinic.
  const box = (code: string, k: number) => ({ code, w: 9 + 0.1 * k, s: 48 });
  const FIXTURE = [box('S', 0), box('L', 1), box('H', 2), box('Z', 3)];
  const grid = (d: { w: number; s: number }) => Array.from({ length: 9 }, (_, i) => [d.w + 0.04 + 0.002 * (i % 3), d.s + 0.04 + 0.002 * Math.floor(i / 3)] as [number, number]);
  const centre = (d: { w: number; s: number }) => [d.w + 0.042, d.s + 0.042] as [number, number];
  const hotline = (externalId: string, [lon, lat]: [number, number], daysAgo: number, category = 'hotline') => ({
    source: 'equity-test',
    externalId,
    category,
    lon,
    lat,
    occurredAt: new Date(Date.now() - daysAgo * 86_400_000).toISOString(),
    title: `appeal ${externalId}`,
  });

  it('low access and no appeals is silent; many appeals or high access is not; no residents is neither', async () => {
    const regions = {
      type: 'FeatureCollection',
      features: FIXTURE.map((d) => ({ type: 'Feature', properties: { code: d.code }, geometry: { type: 'Polygon', coordinates: [[[d.w, d.s], [d.w + 0.09, d.s], [d.w + 0.09, d.s + 0.09], [d.w, d.s + 0.09], [d.w, d.s]]] } })),
    };
    expect((await api(s, 'PUT', '/api/v1/regions', regions)).status).toBe(200);
    // New districts re-assign the cells already stored: the old district lies in none of them.
    const old = await api(s, 'GET', '/api/v1/population');
    expect(old.body.features).toHaveLength(OLD_CELLS);
    expect(old.body.features.every((f: { properties: { regionCode: string | null } }) => f.properties.regionCode === null)).toBe(true);
    const [S, L, H] = FIXTURE as [ReturnType<typeof box>, ReturnType<typeof box>, ReturnType<typeof box>];
    const people = [S, L, H].flatMap((d) => grid(d).map((coordinates) => ({ type: 'Feature', geometry: { type: 'Point', coordinates }, properties: { population: 100 } })));
    expect((await api(s, 'PUT', '/api/v1/population', { type: 'FeatureCollection', features: people })).status).toBe(200);
    const clinic = { type: 'Feature', geometry: { type: 'Point', coordinates: centre(H) }, properties: { id: 'clinic-h', kind: 'clinic', capacity: 50 } };
    expect((await api(s, 'PUT', '/api/v1/facilities', { type: 'FeatureCollection', features: [clinic] })).status).toBe(200);
    const appeals = [
      ...Array.from({ length: 5 }, (_, i) => hotline(`L${i}`, centre(L), 1 + i)),
      hotline('S-old', centre(S), 40), // outside the 30-day window
      hotline('S-fire', centre(S), 1, 'fire'), // not a hotline appeal
    ];
    const posted = await api(s, 'POST', '/api/v1/incidents', appeals);
    expect(posted.body.accepted).toBe(7);

    const res = await api(s, 'GET', '/api/v1/equity?kind=clinic&radius=1000');
    expect(res.status).toBe(200);
    const result = res.body as EquityResult;
    // By hand: H's 900 residents share 50 places; the city's mean is 50 / 2,700.
    const mu = 50 / 2700;
    expectClose(result.meanAccess, mu);
    const cityPer10k = (5 * 10_000) / 2700;
    expectClose(result.silentRule.cityAppealsPer10k, cityPer10k);
    const byCode = new Map(result.regions.map((r) => [r.code, r]));
    expect(byCode.get('S')).toMatchObject({ population: 900, meanAccess: 0, appeals: 0, appealsPer10k: 0, underserved: true, silent: true });
    expect(byCode.get('L')).toMatchObject({ population: 900, meanAccess: 0, appeals: 5, underserved: true, silent: false });
    expectClose(byCode.get('L')?.appealsPer10k ?? NaN, (5 * 10_000) / 900);
    expect(byCode.get('H')).toMatchObject({ population: 900, appeals: 0, underserved: false, silent: false });
    expectClose(byCode.get('H')?.meanAccess ?? NaN, 50 / 900);
    expect(byCode.get('Z')).toMatchObject({ population: 0, meanAccess: 0, underserved: false, silent: false });
  });
});
