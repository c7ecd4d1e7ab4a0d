/**
 * Feeds as living documents, through the public API: a record's newer version updates the stored
 * incident (one history entry, one `incident:updated` event on the live stream), an older one is a
 * duplicate; an exercise is stored but never counted; a CAP area given by code alone lands in the
 * region that declares the code. The server runs on a fixed clock, so risk scores compare exactly.
 */
import { readFileSync } from 'node:fs';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, IncidentUpdatedEvent, RegionRisk, ServerToClientEvents } from '../../server/contract/index.ts';
import { api, startTestServer, type TestServer } from '../support/server.ts';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

const NOW = Date.parse('2026-12-01T12:00:00Z');
const HOUR_AGO = new Date(NOW - 3_600_000).toISOString();
let s: TestServer;
const sockets: Client[] = [];

const square = (w: number, south: number, size: number) => [[[w, south], [w + size, south], [w + size, south + size], [w, south + size], [w, south]]];

beforeAll(async () => {
  s = await startTestServer({ clock: () => NOW });
  const regions = await api(s, 'PUT', '/api/v1/regions', {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', geometry: { type: 'Polygon', coordinates: square(120, 30, 0.1) }, properties: { code: 'D1', name: 'District one', population: 10_000 } },
      { type: 'Feature', geometry: { type: 'Polygon', coordinates: square(120.1, 30, 0.1) }, properties: { code: 'D2', name: 'District two', population: 10_000, geocodes: ['UGC=ZJZ002', '330102'] } },
      // Los Angeles County's SAME code, so the OASIS AMBER example (given by geocode alone) has a place.
      { type: 'Feature', geometry: { type: 'Polygon', coordinates: square(-118.5, 34, 0.5) }, properties: { code: 'LA', name: 'Los Angeles County', population: 10_000_000, geocodes: ['SAME=006037'] } },
    ],
  });
  expect(regions.status, JSON.stringify(regions.body)).toBe(200);
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await s?.close();
});

const post = (body: unknown) => api(s, 'POST', '/api/v1/incidents', body);
const postCap = (xml: string) => api(s, 'POST', '/api/v1/incidents', undefined, { contentType: 'application/cap+xml', rawBody: xml });

/** A CAP alert with one info and one area; `area` is the inside of `<area>`. */
function cap(o: { identifier: string; status: string; severity: string; area: string; sent?: string }): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>${o.identifier}</identifier>
  <sender>drills@example.org</sender>
  <sent>${o.sent ?? '2026-12-01T11:00:00+00:00'}</sent>
  <status>${o.status}</status>
  <msgType>Alert</msgType>
  <scope>Public</scope>
  <info>
    <category>Fire</category>
    <event>Chemical plant fire</event>
    <urgency>Immediate</urgency>
    <severity>${o.severity}</severity>
    <certainty>Observed</certainty>
    <area><areaDesc>Test area</areaDesc>${o.area}</area>
  </info>
</alert>`;
}
/** A CAP polygon (lat,lon pairs) around 30.05 N 120.05 E, inside D1. */
const D1_POLYGON = '<polygon>30.04,120.04 30.04,120.06 30.06,120.06 30.06,120.04 30.04,120.04</polygon>';

const levels = async (): Promise<Record<string, Pick<RegionRisk, 'level' | 'score' | 'counts' | 'clusters'>>> => {
  const res = await api(s, 'GET', '/api/v1/risk');
  expect(res.status).toBe(200);
  return Object.fromEntries((res.body.regions as RegionRisk[]).map((r) => [r.code, { level: r.level, score: r.score, counts: r.counts, clusters: r.clusters }]));
};
const listed = async (query = '') => (await api(s, 'GET', `/api/v1/incidents${query}`)).body.features as { properties: { externalId: string; drill: boolean; severity: string } }[];

describe('an exercise is stored but never counted', () => {
  it('an Exercise alert of severity Extreme changes no risk figure and no list; the same alert as Actual does', async () => {
    const live = await post({ externalId: 'live-1', source: 'sensors', category: 'fire', severity: 'severe', lat: 30.05, lon: 120.05, occurredAt: HOUR_AGO });
    expect(live.status).toBe(201);
    const before = await levels();
    const listedBefore = (await listed()).length;
    expect(before.D1!.counts.last24h).toBe(1);

    const drill = await postCap(cap({ identifier: 'EX-1', status: 'Exercise', severity: 'Extreme', area: D1_POLYGON }));
    expect(drill.status, JSON.stringify(drill.body)).toBe(201);
    expect(drill.body.accepted).toBe(1);
    expect(await levels()).toEqual(before);
    expect((await listed()).length).toBe(listedBefore);
    const drills = await listed('?drill=only');
    expect(drills.map((f) => [f.properties.externalId, f.properties.drill, f.properties.severity])).toEqual([['EX-1', true, 'extreme']]);
    expect((await listed('?drill=include')).length).toBe(listedBefore + 1);

    // The control: the same alert, live, does move the district (weight of extreme = 10 > 0).
    const actual = await postCap(cap({ identifier: 'REAL-1', status: 'Actual', severity: 'Extreme', area: D1_POLYGON }));
    expect(actual.status).toBe(201);
    const after = await levels();
    expect(after.D1!.counts.last24h).toBe(2);
    expect(after.D1!.score).toBeGreaterThan(before.D1!.score);
  });
});

describe('a newer version of a JSON record updates it', () => {
  it('created, updated (history, live event with the changed fields), then an older version is a duplicate', async () => {
    const base = { source: 'city-sensors', externalId: 'gas-7', category: 'hazmat', lat: 30.02, lon: 120.02, occurredAt: HOUR_AGO };
    const first = await post({ ...base, severity: 'minor', version: 1, title: 'Gas smell' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ accepted: 1, updated: 0, duplicates: 0 });
    expect(first.body.items[0].outcome).toBe('created');
    const id: string = first.body.items[0].id;

    const socket: Client = connect(s.url, { auth: { token: s.adminToken }, transports: ['websocket'], reconnection: false, forceNew: true });
    sockets.push(socket);
    await new Promise<void>((resolve) => socket.once('hello', () => resolve()));
    const updatedEvent = new Promise<IncidentUpdatedEvent>((resolve) => socket.on('incident:updated', (e) => e.id === id && resolve(e)));

    const second = await post({ ...base, severity: 'extreme', version: 2, title: 'Gas leak confirmed', lat: 30.03 });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ accepted: 0, updated: 1, duplicates: 0 });
    expect(second.body.items[0]).toMatchObject({ id, outcome: 'updated', duplicate: false });
    const event = await updatedEvent;
    expect(event).toMatchObject({ severity: 'extreme', title: 'Gas leak confirmed', status: 'reported' });
    expect(event.change.fields).toEqual(expect.arrayContaining(['severity', 'title', 'geometry']));

    const stale = await post({ ...base, severity: 'moderate', version: 1, title: 'Gas smell' });
    expect(stale.body).toMatchObject({ accepted: 0, updated: 0, duplicates: 1 });
    expect(stale.body.items[0].outcome).toBe('duplicate');
    const stored = await api(s, 'GET', `/api/v1/incidents/${id}`);
    expect(stored.body.properties).toMatchObject({ severity: 'extreme', title: 'Gas leak confirmed' });
    const history = await api(s, 'GET', `/api/v1/incidents/${id}/history`);
    expect(history.body.items.map((h: { from: string | null; to: string; actor: { name: string } }) => [h.from, h.to])).toEqual([
      [null, 'reported'],
      ['reported', 'reported'],
    ]);
  });

  it('a record marked cancelled by its source ends in the terminal status cancelled, which operators cannot set', async () => {
    const base = { source: 'city-sensors', externalId: 'smoke-3', category: 'fire', severity: 'moderate', lat: 30.02, lon: 120.03, occurredAt: HOUR_AGO };
    const first = await post({ ...base, version: 1 });
    const id: string = first.body.items[0].id;
    const cancelled = await post({ ...base, version: 2, status: 'cancelled' });
    expect(cancelled.body.updated).toBe(1);
    expect((await api(s, 'GET', `/api/v1/incidents/${id}`)).body.properties.status).toBe('cancelled');
    const patch = await api(s, 'PATCH', `/api/v1/incidents/${first.body.items[0].id}`, { status: 'cancelled' });
    expect(patch.status).toBe(400);
  });
});

describe('a CAP area given only by geocode', () => {
  it('lands in the region that declares the code, and is refused, naming the area, when no region does', async () => {
    const known = await postCap(cap({ identifier: 'GEO-1', status: 'Actual', severity: 'Minor', area: '<geocode><valueName>UGC</valueName><value>ZJZ002</value></geocode>' }));
    expect(known.status, JSON.stringify(known.body)).toBe(201);
    expect(known.body.items[0].regionCode).toBe('D2');
    const unknown = await postCap(cap({ identifier: 'GEO-2', status: 'Actual', severity: 'Minor', area: '<geocode><valueName>UGC</valueName><value>XXZ999</value></geocode>' }));
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toMatch(/alert\/info\[1\]\/area\[1\].*UGC=XXZ999/);
  });
});

describe('one alert in two languages', () => {
  it('the OASIS CAP 1.2 AMBER example (English and Spanish) is one incident with its text in each language', async () => {
    const xml = readFileSync(new URL('../../server/ingest/fixtures/cap/oasis-a4-amber-two-languages.xml', import.meta.url), 'utf8');
    const res = await postCap(xml);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ accepted: 1 });
    expect(res.body.items[0].regionCode).toBe('LA');
    const stored = (await api(s, 'GET', `/api/v1/incidents/${res.body.items[0].id}`)).body.properties;
    // Read off the XML: the first info is en-US, the second es-US.
    expect(stored.title).toBe('Amber Alert in Los Angeles County');
    expect(stored.attributes.texts.map((t: { language: string }) => t.language)).toEqual(['en-US', 'es-US']);
  });
});
