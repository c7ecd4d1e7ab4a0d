/**
 * The units register and live positions over HTTP and the socket: imports in JSON and CSV stored
 * all or none, position batches that keep good reports and name bad ones, a late report that never
 * moves a unit back, the thinned track and its pruning, a token bound to a unit, and the `units`
 * layer delivering coalesced positions to a socket.
 */
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, ServerToClientEvents, UnitPosition } from '../../server/contract/index.ts';
import { api, startTestServer, type TestServer } from '../support/server.ts';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
let s: TestServer;
/** The server's clock runs this far ahead of the real one (pruning waits a minute of it). */
let shiftMs = 0;
const now = () => Date.now() + shiftMs;
const sockets: Client[] = [];

const station = (id: string, lon: number) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [lon, 30.25] }, properties: { id, kind: 'fire_station', capacity: 1, name: id } });
const engine = (id: string, extra: Record<string, unknown> = {}) => ({ id, callSign: `西湖${id}`, kind: 'fire_engine', agency: '西湖区消防救援大队', stationId: 'fs-1', serves: ['fire', 'hazmat'], ...extra });
const units = async () => (await api(s, 'GET', '/api/v1/units')).body as { type: string; seq: number; features: { id: string; geometry: { coordinates: number[] } | null; properties: Record<string, any> }[] };
const unit = async (id: string) => (await units()).features.find((f) => f.id === id);
const report = (unitId: string, atMs: number, lon = 120.15, extra: Record<string, unknown> = {}) => ({ unitId, lon, lat: 30.25, at: new Date(atMs).toISOString(), ...extra });
const positions = (body: unknown, token?: string) => api(s, 'POST', '/api/v1/units/positions', body, token === undefined ? {} : { token });
const auditEntries = async () => (await api(s, 'GET', '/api/v1/audit/verify')).body.entries as number;

function open(auth: Record<string, unknown>): Client {
  const socket: Client = connect(s.url, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
  sockets.push(socket);
  return socket;
}
const ready = (socket: Client) => new Promise((resolve) => socket.once('replay:done', resolve));
const until = async (check: () => boolean, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  s = await startTestServer({ demoData: false, clock: now });
  expect((await api(s, 'PUT', '/api/v1/facilities', { type: 'FeatureCollection', features: [station('fs-1', 120.1), station('fs-2', 120.2)] })).status).toBe(200);
});
afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await s?.close();
});

describe('the units register', () => {
  it('imports a JSON array, lists it as GeoJSON with no position yet, and audits each new unit', async () => {
    const before = await auditEntries();
    const res = await api(s, 'PUT', '/api/v1/units', [engine('E-1'), engine('E-2', { stationId: 'fs-2', status: 'out_of_service' }), { id: 'A-1', callSign: '120-1', kind: 'ambulance', serves: ['public_health'] }]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ created: 3, updated: 0, unchanged: 0 });
    const list = await units();
    expect(list.type).toBe('FeatureCollection');
    expect(list.features.map((f) => [f.id, f.properties.status, f.properties.stationId, f.geometry])).toEqual([
      ['A-1', 'available', null, null],
      ['E-1', 'available', 'fs-1', null],
      ['E-2', 'out_of_service', 'fs-2', null],
    ]);
    expect(list.features[1]!.properties).toMatchObject({ callSign: '西湖E-1', agency: '西湖区消防救援大队', serves: ['fire', 'hazmat'], position: null });
    expect(await auditEntries()).toBe(before + 3);
  });

  it('changes only what differs: an unchanged entry writes nothing, an edit and a status change are audited', async () => {
    const before = await auditEntries();
    const same = await api(s, 'PUT', '/api/v1/units', [engine('E-1', { serves: ['hazmat', 'fire'] })]);
    expect(same.body).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    const edited = await api(s, 'PUT', '/api/v1/units', [engine('E-1', { callSign: '西湖一号' }), engine('E-2', { stationId: 'fs-2', status: 'available' })]);
    expect(edited.body).toMatchObject({ created: 0, updated: 2, unchanged: 0 });
    expect(await auditEntries()).toBe(before + 2);
    const entries = (await api(s, 'GET', '/api/v1/audit?limit=1000')).body.entries as { action: string; subject: string; detail: Record<string, unknown> }[];
    const last = entries.filter((e) => e.action === 'unit:updated').slice(-2);
    expect(last.map((e) => [e.subject, e.detail.action, e.detail.from, e.detail.to])).toEqual([
      ['E-1', 'edited', 'available', 'available'],
      ['E-2', 'status', 'out_of_service', 'available'],
    ]);
  });

  it('imports CSV with a header row', async () => {
    const csv = 'id,callSign,kind,agency,stationId,serves,status\nP-1,巡逻1,police_car,西湖公安分局,,public_security;traffic,\nU-1,"抢修,1",utility_crew,,fs-2,infrastructure,available\n';
    const res = await api(s, 'PUT', '/api/v1/units', undefined, { rawBody: csv, contentType: 'text/csv' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ created: 2 });
    expect((await unit('U-1'))?.properties).toMatchObject({ callSign: '抢修,1', kind: 'utility_crew', agency: null, stationId: 'fs-2', serves: ['infrastructure'] });
    expect((await unit('P-1'))?.properties.serves).toEqual(['traffic', 'public_security']);
  });

  it('stores nothing when any unit is wrong, naming the row and field', async () => {
    const count = (await units()).features.length;
    const bad = await api(s, 'PUT', '/api/v1/units', [engine('N-1'), engine('N-2', { serves: ['fire', 'arson'] })]);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([expect.objectContaining({ path: '1.serves.1' })]);
    const station = await api(s, 'PUT', '/api/v1/units', [engine('N-1'), engine('N-3', { stationId: 'fs-9' })]);
    expect(station.status).toBe(400);
    expect(station.body.error.message).toMatch(/"fs-9"/);
    expect(station.body.error.details).toEqual([{ path: '1.stationId', message: expect.stringContaining('fs-9') }]);
    const csv = await api(s, 'PUT', '/api/v1/units', undefined, { rawBody: 'id,callSign,kind,serves\nN-4,N4,fire_engine,fire\nN-5,,fire_engine,fire\n', contentType: 'text/csv' });
    expect(csv.status).toBe(400);
    expect(csv.body.error.details.map((d: { path: string }) => d.path)).toEqual(['line 3.callSign']);
    expect((await units()).features).toHaveLength(count);
  });

  it('leaves a unit on an active assignment at the status dispatch gave it: an import changing it is 409 naming the row, and stores nothing', async () => {
    expect((await api(s, 'PUT', '/api/v1/units', [engine('D-1')])).status).toBe(200);
    const incidentId = (await api(s, 'POST', '/api/v1/incidents', { category: 'fire', lon: 120.12, lat: 30.25, title: 'kitchen fire' })).body.items[0].id as string;
    const assigned = await api(s, 'POST', `/api/v1/incidents/${incidentId}/assignments`, { unitId: 'D-1' });
    expect(assigned.status).toBe(201);
    const assignmentId = assigned.body.id as string;
    for (const status of ['accepted', 'en_route']) expect((await api(s, 'PATCH', `/api/v1/assignments/${assignmentId}`, { status })).status).toBe(200);
    const count = (await units()).features.length;
    const before = await auditEntries();

    // Set available while en route, a second dispatcher could send it elsewhere.
    const json = await api(s, 'PUT', '/api/v1/units', [engine('N-6'), engine('D-1', { status: 'available' })]);
    expect(json.status).toBe(409);
    expect(json.body.error.code).toBe('conflict');
    expect(json.body.error.message).toMatch(/"D-1" is en_route/);
    expect(json.body.error.details).toEqual([{ path: '1.status', message: expect.stringContaining(`assignment ${assignmentId}`) }]);
    const csv = await api(s, 'PUT', '/api/v1/units', undefined, { rawBody: 'id,callSign,kind,stationId,serves,status\nD-1,西湖D-1,fire_engine,fs-1,fire;hazmat,待命\n', contentType: 'text/csv' });
    expect(csv.status).toBe(409);
    expect(csv.body.error.details.map((d: { path: string }) => d.path)).toEqual(['line 2.status']);
    expect((await units()).features).toHaveLength(count);
    expect((await unit('D-1'))?.properties.status).toBe('en_route');
    expect(await auditEntries()).toBe(before);
    expect((await api(s, 'POST', `/api/v1/incidents/${incidentId}/assignments`, { unitId: 'D-1' })).status).toBe(409);

    // An edit that leaves the status out, or gives the one it has, is stored and keeps it.
    expect((await api(s, 'PUT', '/api/v1/units', [engine('D-1', { callSign: '西湖D一号' })])).body).toMatchObject({ updated: 1 });
    expect((await api(s, 'PUT', '/api/v1/units', [engine('D-1', { callSign: '西湖D一号', status: 'en_route' })])).body).toMatchObject({ unchanged: 1 });
    expect((await unit('D-1'))?.properties).toMatchObject({ callSign: '西湖D一号', status: 'en_route' });

    // Stood down, the unit is the register's again.
    expect((await api(s, 'PATCH', `/api/v1/assignments/${assignmentId}`, { status: 'cleared', disposition: 'false alarm' })).status).toBe(200);
    expect((await unit('D-1'))?.properties.status).toBe('returning');
    expect((await api(s, 'PUT', '/api/v1/units', [engine('D-1', { callSign: '西湖D一号', status: 'available' })])).status).toBe(200);
    expect((await unit('D-1'))?.properties.status).toBe('available');
  });
});

describe('positions', () => {
  const t0 = Date.now() - 3_600_000;

  it('keeps good reports and names each bad one by index; positions are not audit entries', async () => {
    const before = await auditEntries();
    const res = await positions([report('E-1', t0), report('E-1', t0 + 1000, 120.16, { lat: 200 }), report('X-9', t0), report('A-1', t0 + 5000, 120.3, { speed: 12.5, heading: 90 }), report('A-1', now() + 600_000)]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: 2, rejected: 3, late: 0 });
    expect(res.body.errors.map((e: { index: number; path: string }) => [e.index, e.path])).toEqual([[1, 'lat'], [2, 'unitId'], [4, 'at']]);
    expect(res.body.errors[1].message).toMatch(/no unit "X-9"/);
    const ambulance = await unit('A-1');
    expect(ambulance?.geometry?.coordinates).toEqual([120.3, 30.25]);
    expect(ambulance?.properties.position).toMatchObject({ at: new Date(t0 + 5000).toISOString(), speed: 12.5, heading: 90 });
    expect(await auditEntries()).toBe(before);
  });

  it('a late or repeated report never moves a unit back in time', async () => {
    await positions([report('P-1', t0 + 60_000, 120.2)]);
    const late = await positions([report('P-1', t0 + 30_000, 120.1), report('P-1', t0 + 60_000, 120.9)]);
    expect(late.body).toMatchObject({ accepted: 2, rejected: 0, late: 2 });
    const police = await unit('P-1');
    expect(police?.geometry?.coordinates).toEqual([120.2, 30.25]);
    expect(police?.properties.position.at).toBe(new Date(t0 + 60_000).toISOString());
    // In one batch, order does not matter either: the newest wins.
    await positions([report('P-1', t0 + 90_000, 120.4), report('P-1', t0 + 70_000, 120.3)]);
    expect((await unit('P-1'))?.geometry?.coordinates).toEqual([120.4, 30.25]);
  });

  it('keeps a thinned track: a point at least every 30 s per unit', async () => {
    const base = t0 - 600_000;
    // Every 10 s for two minutes, in batches of three, some sent out of order.
    const times = Array.from({ length: 13 }, (_, i) => base + i * 10_000);
    for (let i = 0; i < times.length; i += 3) await positions(times.slice(i, i + 3).reverse().map((at, k) => report('U-1', at, 120 + (i + k) / 1000)));
    // Expected independently: the first point, then each one 30 s or more after the last kept one.
    const expected: number[] = [];
    for (const at of times) if (expected.length === 0 || at - expected.at(-1)! >= 30_000) expected.push(at);
    const track = await api(s, 'GET', `/api/v1/units/U-1/track?from=${base}&to=${new Date(base + 120_000).toISOString()}`);
    expect(track.status).toBe(200);
    expect(track.body.type).toBe('FeatureCollection');
    expect(track.body.features.map((f: { properties: { at: string } }) => Date.parse(f.properties.at))).toEqual(expected);
    const part = await api(s, 'GET', `/api/v1/units/U-1/track?from=${base + 15_000}&to=${base + 75_000}`);
    expect(part.body.features).toHaveLength(expected.filter((t) => t >= base + 15_000 && t <= base + 75_000).length);
    expect((await api(s, 'GET', '/api/v1/units/nope/track')).status).toBe(404);
    expect((await api(s, 'GET', `/api/v1/units/U-1/track?from=${base}&to=${base - 1}`)).status).toBe(400);
  });

  it('prunes track points older than seven days', async () => {
    const old = now() - 8 * 86_400_000;
    await positions([report('E-2', old), report('E-2', old + 40_000)]);
    const range = `from=${old - 1000}&to=${old + 60_000}`;
    expect((await api(s, 'GET', `/api/v1/units/E-2/track?${range}`)).body.features).toHaveLength(2);
    // Pruning runs at most once a minute, after a batch.
    shiftMs += 61_000;
    await positions([report('E-2', now() - 1000)]);
    const deadline = Date.now() + 5000;
    let left = 2;
    while (left > 0 && Date.now() < deadline) {
      left = (await api(s, 'GET', `/api/v1/units/E-2/track?${range}`)).body.features.length;
      await sleep(50);
    }
    expect(left).toBe(0);
  });

  it('refuses a body that is not an array', async () => {
    expect((await positions({ unitId: 'E-1' })).status).toBe(400);
  });
});

describe('a token bound to a unit', () => {
  it('speaks for its unit only, and says so in its session', async () => {
    expect((await api(s, 'POST', '/api/v1/tokens', { role: 'responder', name: 'ghost tablet', unitId: 'Z-0' })).status).toBe(400);
    const issued = (await api(s, 'POST', '/api/v1/tokens', { role: 'responder', name: 'E-1 tablet', unitId: 'E-1' })).body;
    expect(issued.unitId).toBe('E-1');
    expect((await api(s, 'GET', '/api/v1/session', undefined, { token: issued.token })).body).toEqual({ role: 'responder', name: 'E-1 tablet', unitId: 'E-1' });
    const at = now() - 5000;
    const res = await positions([report('E-1', at, 120.11), report('E-2', at, 120.12)], issued.token);
    expect(res.body).toMatchObject({ accepted: 1, rejected: 1 });
    expect(res.body.errors[0]).toMatchObject({ index: 1, unitId: 'E-2', path: 'unitId' });
    // Rebound to another unit, it speaks for that one at once.
    const rebound = await api(s, 'PATCH', `/api/v1/tokens/${issued.id}`, { unitId: 'E-2' });
    expect(rebound.status).toBe(200);
    expect(rebound.body.unitId).toBe('E-2');
    expect((await api(s, 'GET', '/api/v1/session', undefined, { token: issued.token })).body.unitId).toBe('E-2');
    expect((await api(s, 'PATCH', `/api/v1/tokens/${issued.id}`, { unitId: 'Z-0' })).status).toBe(400);
    const viewer = (await api(s, 'POST', '/api/v1/tokens', { role: 'viewer', name: 'wall' })).body.token;
    expect((await positions([report('A-1', at)], viewer)).status).toBe(403);
  });
});

describe('the units layer on the stream', () => {
  it("streams unit:updated, and each unit's newest position at most once a second, to sockets that take the layer", async () => {
    const wall = open({ token: s.adminToken, subscribe: { layers: ['units'] } });
    const incidentsOnly = open({ token: s.adminToken, subscribe: { layers: ['incidents'] } });
    await Promise.all([ready(wall), ready(incidentsOnly)]);
    const got: { receivedMs: number; position: UnitPosition }[] = [];
    const updated: string[] = [];
    wall.on('units:positions', (e) => e.positions.forEach((position) => got.push({ receivedMs: Date.now(), position })));
    wall.on('unit:updated', (u) => updated.push(u.id));
    let strays = 0;
    incidentsOnly.on('units:positions', () => strays++);
    incidentsOnly.on('unit:updated', () => strays++);

    await api(s, 'PUT', '/api/v1/units', [engine('S-1'), engine('S-2')]);
    await until(() => updated.length === 2);
    // S-1 reports every 100 ms for 2.5 s, each in its own batch; S-2 once.
    const start = now() - 10_000;
    const sent: number[] = [];
    const began = Date.now();
    for (let i = 0; i < 25; i++) {
      const at = start + i * 100;
      sent.push(at);
      await positions(i === 3 ? [report('S-1', at, 120 + i / 100), report('S-2', at, 121)] : [report('S-1', at, 120 + i / 100)]);
      await sleep(Math.max(0, began + (i + 1) * 100 - Date.now()));
    }
    const elapsedMs = Date.now() - began;
    await until(() => got.some((g) => g.position.unitId === 'S-1' && Date.parse(g.position.at) === sent.at(-1)), 3000);
    const s1 = got.filter((g) => g.position.unitId === 'S-1');
    // Coalesced: far fewer than sent, never two within a second (less network jitter), in time order.
    expect(s1.length).toBeLessThanOrEqual(Math.floor(elapsedMs / 1000) + 2);
    expect(s1.length).toBeLessThan(sent.length);
    for (let i = 1; i < s1.length; i++) {
      expect(s1[i]!.receivedMs - s1[i - 1]!.receivedMs).toBeGreaterThanOrEqual(900);
      expect(Date.parse(s1[i]!.position.at)).toBeGreaterThan(Date.parse(s1[i - 1]!.position.at));
    }
    expect(s1.at(-1)!.position).toEqual({ unitId: 'S-1', lon: 120.24, lat: 30.25, at: new Date(sent.at(-1)!).toISOString(), speed: null, heading: null });
    expect(got.filter((g) => g.position.unitId === 'S-2').map((g) => g.position.lon)).toEqual([121]);

    // A late report is stored for nobody to see: it does not move the unit, so nothing is sent.
    const count = got.length;
    await positions([report('S-1', start, 119)]);
    await sleep(1200);
    expect(got.length).toBe(count);
    expect(strays).toBe(0);
  });
});
