/**
 * The demo's synthetic fleet over the API: listed by GET /api/v1/units, labelled synthetic, parked
 * at real demo facilities, moving while the server runs (a short DEMO_UNITS_TICK_MS), a unit with a
 * call driving toward it, and nothing written by the driver once the server has closed.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { UnitCollection, UnitFeature } from '../../server/contract/units.ts';
import { haversineM } from '../../server/domain/spatial/haversine.ts';
import { api, startTestServer, type TestServer } from '../support/server.ts';

const TICK_MS = 150;
const lines: string[] = [];
const logger = pino({ level: 'warn' }, new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) }));

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ demoData: true, env: { DEMO_UNITS_TICK_MS: String(TICK_MS) }, logger });
});
afterAll(async () => {
  await s?.close();
});

const units = async (): Promise<UnitFeature[]> => ((await api(s, 'GET', '/api/v1/units')).body as UnitCollection).features;

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, TICK_MS));
  }
}

it('lists the synthetic fleet, each vehicle near its station, departments without a position', async () => {
  const fleet = await units();
  expect(fleet.length).toBeGreaterThanOrEqual(30);
  expect(fleet.every((u) => u.properties.callSign.startsWith('[合成]') && (u.properties.agency ?? '').startsWith('[合成]'))).toBe(true);
  const facilities = new Map(
    ((await api(s, 'GET', '/api/v1/facilities')).body.features as { properties: { id: string }; geometry: { coordinates: [number, number] } }[]).map((f) => [f.properties.id, f.geometry.coordinates]),
  );
  expect(new Set(fleet.map((u) => u.properties.kind))).toEqual(new Set(['fire_engine', 'ambulance', 'police_car', 'utility_crew', 'department']));
  for (const u of fleet) {
    if (u.properties.kind === 'department') {
      expect(u.properties.stationId).toBeNull();
      expect(u.geometry).toBeNull();
      continue;
    }
    const station = facilities.get(u.properties.stationId ?? '');
    expect(station, u.id).toBeDefined();
    // Parked: a few metres of GPS wander around the station (the fleet is free when the demo loads).
    expect(haversineM(station![0], station![1], u.geometry!.coordinates[0], u.geometry!.coordinates[1])).toBeLessThan(20);
  }
});

it('moves: positions are renewed every tick, and a unit given a call drives toward it', async () => {
  const before = new Map((await units()).map((u) => [u.id, u.properties.position?.at]));
  const renewed = await until(units, (fleet) => fleet.filter((u) => u.geometry).every((u) => u.properties.position!.at !== before.get(u.id)));
  expect(renewed.filter((u) => u.geometry && u.properties.position!.at === before.get(u.id)).map((u) => u.id)).toEqual([]);

  const open = (await api(s, 'GET', '/api/v1/incidents?status=reported,acknowledged&category=fire&limit=20')).body.features as { id: string; geometry: { type: string; coordinates: [number, number] } }[];
  const incident = open.find((f) => f.geometry.type === 'Point');
  expect(incident).toBeDefined();
  const [lon, lat] = incident!.geometry.coordinates;
  const recommended = (await api(s, 'GET', `/api/v1/incidents/${incident!.id}/recommend`)).body.units as { unitId: string; distanceMeters: number }[];
  const unitId = recommended.find((r) => r.distanceMeters > 500)?.unitId;
  expect(unitId).toBeDefined();
  const start = (await units()).find((u) => u.id === unitId)!;
  const startM = haversineM(lon, lat, ...start.geometry!.coordinates);
  expect((await api(s, 'POST', `/api/v1/incidents/${incident!.id}/assignments`, { unitId })).status).toBe(201);
  const closer = await until(units, (fleet) => {
    const u = fleet.find((f) => f.id === unitId)!;
    return haversineM(lon, lat, ...u.geometry!.coordinates) < startM - 20;
  });
  const now = closer.find((u) => u.id === unitId)!;
  expect(haversineM(lon, lat, ...now.geometry!.coordinates)).toBeLessThan(startM - 20);
  expect(now.properties.position!.speed).toBeGreaterThan(0);
});

it('a returning unit back at its station reports available again', async () => {
  const fleet = await units();
  const engine = fleet.find((u) => u.properties.kind === 'fire_engine' && u.properties.status === 'available')!;
  const station = ((await api(s, 'GET', '/api/v1/facilities')).body.features as { properties: { id: string }; geometry: { coordinates: [number, number] } }[]).find((f) => f.properties.id === engine.properties.stationId)!;
  const [lon, lat] = station.geometry.coordinates;
  // A call well away from the station: a unit cleared next to its own station is home at once.
  const open = (await api(s, 'GET', '/api/v1/incidents?status=reported,acknowledged&category=fire&limit=50')).body.features as { id: string; geometry: { type: string; coordinates: [number, number] } }[];
  let assignment: { id: string } | undefined;
  let scene: [number, number] | undefined;
  for (const f of open) {
    if (f.geometry.type !== 'Point' || haversineM(lon, lat, ...f.geometry.coordinates) < 3000) continue;
    const res = await api(s, 'POST', `/api/v1/incidents/${f.id}/assignments`, { unitId: engine.id });
    if (res.status === 201) {
      assignment = res.body;
      scene = f.geometry.coordinates;
      break;
    }
  }
  expect(assignment).toBeDefined();
  const report = async ([x, y]: [number, number]) =>
    (await api(s, 'POST', '/api/v1/units/positions', [{ unitId: engine.id, lon: x, lat: y, at: new Date().toISOString() }])).body.accepted;
  for (const status of ['accepted', 'en_route', 'on_scene', 'cleared']) {
    // Its tracker puts it on the scene before it clears (a drive there at road speed would take minutes).
    if (status === 'cleared') expect(await report(scene!)).toBe(1);
    expect((await api(s, 'PATCH', `/api/v1/assignments/${assignment!.id}`, { status, ...(status === 'cleared' && { disposition: '[合成] 测试' }) })).status).toBe(200);
  }
  expect((await units()).find((u) => u.id === engine.id)!.properties.status).toBe('returning');
  // And then at the station (so is the drive home).
  expect(await report([lon, lat])).toBe(1);
  const back = await until(units, (f) => f.find((u) => u.id === engine.id)!.properties.status === 'available');
  expect(back.find((u) => u.id === engine.id)!.properties.status).toBe('available');
});

it('stops driving when the server closes: nothing written or logged afterwards', async () => {
  await s.close();
  const logged = lines.length;
  await new Promise((r) => setTimeout(r, TICK_MS * 4));
  expect(lines.slice(logged)).toEqual([]);
  expect(lines.filter((l) => l.includes('demo units'))).toEqual([]);
});
