/**
 * The four intake formats over HTTP with real-world shaped input: each imports, a re-post is all
 * duplicates, and the answer's counts equal the rows actually stored.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../server/config.ts';
import { syntheticUsgsWeek } from '../fixtures/usgs-feed.ts';
import { api, startTestServer, type TestServer } from '../support/server.ts';

const fixture = (name: string) => fs.readFileSync(path.join(PROJECT_ROOT, 'server', 'ingest', 'fixtures', 'in', name), 'utf8');
/** Documents published by others (OASIS, Environment Canada, Open311): sources and licences in each folder's README. */
const published = (folder: string, name: string) => fs.readFileSync(path.join(PROJECT_ROOT, 'server', 'ingest', 'fixtures', folder, name), 'utf8');

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ demoData: true });
});
afterAll(async () => {
  await s?.close();
});

// Every stored incident, exercises included (one of the CAP fixtures is an exercise).
const stored = async () => (await api(s, 'GET', '/api/v1/incidents?drill=include')).body.features.length as number;

const CASES = [
  { name: 'USGS week feed (GeoJSON)', route: '/api/v1/incidents', contentType: 'application/geo+json', body: () => JSON.stringify(syntheticUsgsWeek()), expected: 1707 },
  { name: '63-row CSV (BOM, CRLF, quoted fields, Chinese)', route: '/api/v1/incidents', contentType: 'text/csv', body: () => fixture('csv-hangzhou-63.csv'), expected: 63 },
  { name: 'CAP alert with a circle', route: '/api/v1/incidents', contentType: 'application/cap+xml', body: () => fixture('cap-circle.xml'), expected: 1 },
  { name: 'CAP alert with a polygon', route: '/api/v1/incidents', contentType: 'application/xml', body: () => fixture('cap-polygon.xml'), expected: 1 },
  { name: 'CAP alert with several infos and areas', route: '/api/v1/incidents', contentType: 'application/cap+xml', body: () => fixture('cap-multi-info-area.xml'), expected: 3 },
  { name: 'Open311 service requests', route: '/api/v1/incidents?format=open311', contentType: 'application/json', body: () => fixture('open311-requests.json'), expected: 4 },
  { name: 'OASIS CAP 1.2 example A.2 (severe thunderstorm, one polygon)', route: '/api/v1/incidents', contentType: 'application/cap+xml', body: () => published('cap', 'oasis-a2-severe-thunderstorm.xml'), expected: 1 },
  { name: 'Environment Canada update (English and French, three areas)', route: '/api/v1/incidents', contentType: 'application/cap+xml', body: () => published('cap', 'eccc-2019-10-20-special-weather-statement.xml'), expected: 3 },
  { name: 'Open311 GeoReport v2 specification example (XML)', route: '/api/v1/incidents?format=open311', contentType: 'application/xml', body: () => published('open311', 'spec-requests.xml'), expected: 2 },
];

describe('intake formats', () => {
  it.each(CASES)('$name: imports $expected, then a re-post is all duplicates', async ({ route, contentType, body, expected }) => {
    const before = await stored();
    const first = await api(s, 'POST', route, undefined, { contentType, rawBody: body() });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ accepted: expected, duplicates: 0, rejected: 0, errors: [] });
    expect(await stored()).toBe(before + expected);
    const again = await api(s, 'POST', route, undefined, { contentType, rawBody: body() });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ accepted: 0, duplicates: expected, rejected: 0 });
    expect(again.body.items.map((i: { id: string }) => i.id)).toEqual(first.body.items.map((i: { id: string }) => i.id));
    expect(await stored()).toBe(before + expected);
  });

  it('assigns CSV rows to the Hangzhou districts and keeps Chinese text intact', async () => {
    const list = await api(s, 'GET', '/api/v1/incidents?category=fire');
    const fire = list.body.features.find((f: { properties: { externalId: string } }) => f.properties.externalId === 'HZ-2026-1000');
    expect(fire.properties).toMatchObject({ title: '石祥路居民楼起火', severity: 'minor' });
    expect(fire.properties.regionCode).toMatch(/^3301\d\d$/);
  });

  it('a batch with some bad rows stores the good ones and counts them exactly', async () => {
    const before = await stored();
    const csv = 'lat,lon,title\r\n30.25,120.16,good one\r\n200,120,bad latitude\r\n30.26,120.17,good two\r\n';
    const res = await api(s, 'POST', '/api/v1/incidents', undefined, { contentType: 'text/csv', rawBody: csv });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ accepted: 2, duplicates: 0, rejected: 1 });
    expect(res.body.errors[0]).toMatchObject({ index: 1 });
    expect(res.body.errors[0].message).toContain('lat');
    expect(await stored()).toBe(before + 2);
  });

  it('Open311 sent as CSV is refused with 415', async () => {
    const res = await api(s, 'POST', '/api/v1/incidents?format=open311', undefined, { contentType: 'text/csv', rawBody: 'lat,long\n1,2\n' });
    expect(res.status).toBe(415);
  });
});

describe('published documents the intake cannot place', () => {
  it('OASIS CAP 1.2 example A.1 (an advisory for the whole nation, no shape or code) is refused naming its area', async () => {
    const before = await stored();
    const res = await api(s, 'POST', '/api/v1/incidents', undefined, { contentType: 'application/cap+xml', rawBody: published('cap', 'oasis-a1-hsas-advisory.xml') });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error)).toContain('alert/info[1]/area[1]');
    expect(await stored()).toBe(before);
  });

  it('OASIS CAP 1.2 example A.4 names its county by a SAME code no Hangzhou district declares: refused naming the code', async () => {
    const res = await api(s, 'POST', '/api/v1/incidents', undefined, { contentType: 'application/cap+xml', rawBody: published('cap', 'oasis-a4-amber-two-languages.xml') });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('SAME=006037');
  });
});
