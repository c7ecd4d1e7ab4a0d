/**
 * The OASIS CAP 1.2 earthquake sequence through the public API: the Alert, its Update (the
 * specification's example A.3, unchanged) and a Cancel make one incident, updated, then cancelled,
 * which then leaves the open list and the district's score. The Alert and the Cancel are derived
 * from A.3's text here (see `server/ingest/fixtures/cap/README.md` for the source and licence).
 *
 * The server's clock is set to the night of the quake, so the alert is fresh and counts; expected
 * scores are computed here from the risk config the server reports (weight × 0.5^(age / half-life)
 * × 10,000 / population), not read back from the server's model.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegionRisk } from '../../server/contract/index.ts';
import { api, startTestServer, type TestServer } from '../support/server.ts';

const A3 = readFileSync(new URL('../../server/ingest/fixtures/cap/oasis-a3-earthquake-update.xml', import.meta.url), 'utf8');
const NOW = Date.parse('2003-06-12T04:30:00Z'); // 21:30 PDT, an hour after the quake
const POPULATION = 20_000;

const edit = (xml: string, from: string | RegExp, to: string): string => {
  const next = xml.replace(from, to);
  if (next === xml) throw new Error(`the fixture no longer contains ${String(from)}`);
  return next;
};
/** The first report, as the Update's references describe it: TRI13970876.1, sent 20:30 PDT, a 3.6 at first. */
const ALERT = [
  ['<identifier>TRI13970876.2</identifier>', '<identifier>TRI13970876.1</identifier>'],
  ['<sent>2003-06-11T20:56:00-07:00</sent>', '<sent>2003-06-11T20:30:00-07:00</sent>'],
  ['<msgType>Update</msgType>', '<msgType>Alert</msgType>'],
  [/\s*<references>[^<]*<\/references>/, ''],
  ['<severity>Minor</severity>', '<severity>Moderate</severity>'],
  ['<headline>EQ 3.4 Imperial County CA</headline>', '<headline>EQ 3.6 Imperial County CA</headline>'],
].reduce((xml, [from, to]) => edit(xml, from!, to as string), A3);
/** The sender withdraws the event: a Cancel without info naming both earlier messages. */
const CANCEL = [
  ['<identifier>TRI13970876.2</identifier>', '<identifier>TRI13970876.3</identifier>'],
  ['<sent>2003-06-11T20:56:00-07:00</sent>', '<sent>2003-06-11T21:10:00-07:00</sent>'],
  ['<msgType>Update</msgType>', '<msgType>Cancel</msgType>'],
  [/<references>[^<]*<\/references>/, '<references>trinet@caltech.edu,TRI13970876.1,2003-06-11T20:30:00-07:00 trinet@caltech.edu,TRI13970876.2,2003-06-11T20:56:00-07:00</references>'],
  [/\s*<info>[\s\S]*<\/info>/, ''],
].reduce((xml, [from, to]) => edit(xml, from!, to as string), A3);

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ clock: () => NOW });
  // A 0.2° square around the epicentre (32.9525 N, 115.5527 W) as the district.
  const [w, south] = [-115.65, 32.85];
  const res = await api(s, 'PUT', '/api/v1/regions', {
    type: 'FeatureCollection',
    features: [{ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[w, south], [w + 0.2, south], [w + 0.2, south + 0.2], [w, south + 0.2], [w, south]]] }, properties: { code: 'IMPERIAL', name: 'Imperial County', population: POPULATION } }],
  });
  expect(res.status).toBe(200);
});
afterAll(async () => {
  await s?.close();
});

const postCap = (xml: string) => api(s, 'POST', '/api/v1/incidents', undefined, { contentType: 'application/cap+xml', rawBody: xml });
const district = async (): Promise<RegionRisk> => (await api(s, 'GET', '/api/v1/risk')).body.regions.find((r: RegionRisk) => r.code === 'IMPERIAL');
const openIncidents = async () => (await api(s, 'GET', '/api/v1/incidents?status=reported,acknowledged,dispatched')).body.features as { id: string; properties: Record<string, unknown> }[];

describe('OASIS earthquake sequence: Alert, Update, Cancel', () => {
  it('is one incident, updated by the Update, ended by the Cancel, and then counts nowhere', async () => {
    const config = (await api(s, 'GET', '/api/v1/risk/config')).body.config as { halfLifeHours: number; weights: Record<string, number> };
    const expectedScore = (severity: string, sentIso: string) =>
      (config.weights[severity]! * 0.5 ** ((NOW - Date.parse(sentIso)) / 3_600_000 / config.halfLifeHours) * 10_000) / POPULATION;

    const alert = await postCap(ALERT);
    expect(alert.status, JSON.stringify(alert.body)).toBe(201);
    expect(alert.body).toMatchObject({ accepted: 1, updated: 0 });
    const id: string = alert.body.items[0].id;
    expect(alert.body.items[0].regionCode).toBe('IMPERIAL');
    let d = await district();
    expect(d.counts.last24h).toBe(1);
    expect(d.score).toBeCloseTo(expectedScore('moderate', '2003-06-12T03:30:00Z'), 9);

    const update = await postCap(A3);
    expect(update.status, JSON.stringify(update.body)).toBe(200);
    expect(update.body).toMatchObject({ accepted: 0, updated: 1, duplicates: 0 });
    expect(update.body.items[0]).toMatchObject({ id, outcome: 'updated' });
    const open = await openIncidents();
    expect(open.map((f) => [f.id, f.properties.severity, f.properties.title])).toEqual([[id, 'minor', 'EQ 3.4 Imperial County CA']]);
    d = await district();
    expect(d.counts.last24h).toBe(1);
    // The Update's own sent time (20:56 PDT) is now the incident's time: no onset or effective is given.
    expect(d.score).toBeCloseTo(expectedScore('minor', '2003-06-12T03:56:00Z'), 9);

    // The Alert again, late: older than what is stored, so it changes nothing.
    const replay = await postCap(ALERT);
    expect(replay.body).toMatchObject({ accepted: 0, updated: 0, duplicates: 1 });

    const cancel = await postCap(CANCEL);
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
    expect(cancel.body.notices).toEqual([{ index: 0, kind: 'cancel', incidentIds: [id] }]);
    expect((await api(s, 'GET', `/api/v1/incidents/${id}`)).body.properties.status).toBe('cancelled');
    expect(await openIncidents()).toEqual([]);
    d = await district();
    expect(d.counts.last24h).toBe(0);
    expect(d.score).toBe(0);

    const history = await api(s, 'GET', `/api/v1/incidents/${id}/history`);
    expect(history.body.items.map((h: { from: string | null; to: string; actor: { name: string } }) => [h.from, h.to])).toEqual([
      [null, 'reported'],
      ['reported', 'reported'],
      ['reported', 'cancelled'],
    ]);
  });
});
