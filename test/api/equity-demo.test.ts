/**
 * The demo (DEMO_DATA=on): its synthetic population grid and facilities, stored by the demo loader,
 * answer `GET /api/v1/equity` for every kind, labelled synthetic.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FACILITY_KINDS, type EquityResult } from '../../server/contract/equity.ts';
import { api, startTestServer, type TestServer } from '../support/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ demoData: true });
});
afterAll(async () => {
  await s?.close();
});

it('every demo kind has an equity answer over the whole synthetic grid, marked synthetic', async () => {
  const population = await api(s, 'GET', '/api/v1/population');
  expect(population.status).toBe(200);
  const cellCount = population.body.features.length as number;
  expect(cellCount).toBeGreaterThan(1000);
  expect(population.body.features.every((f: { properties: { synthetic: boolean; regionCode: string | null } }) => f.properties.synthetic && f.properties.regionCode !== null)).toBe(true);
  const facilities = await api(s, 'GET', '/api/v1/facilities');
  for (const kind of FACILITY_KINDS) {
    const res = await api(s, 'GET', `/api/v1/equity?kind=${kind}`);
    expect(res.status).toBe(200);
    const result = res.body as EquityResult;
    expect(result.synthetic).toBe(true);
    expect(result.cells).toHaveLength(cellCount);
    expect(result.facilities).toBe(facilities.body.features.filter((f: { properties: { kind: string } }) => f.properties.kind === kind).length);
    expect(result.facilities).toBeGreaterThan(0);
    expect(result.meanAccess).toBeGreaterThan(0);
    expect(result.gini).toBeGreaterThan(0);
    expect(result.gini).toBeLessThan(1);
    expect(result.regions.length).toBe(13);
  }
});
