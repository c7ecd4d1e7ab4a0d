/**
 * Dispatch over HTTP on a real store: a whole call from assignment to the incident resolving when
 * its last unit clears (history, audit chain and stream each showing every step); two dispatchers
 * racing for the last free unit; a unit's own token declining, another's refused; closed
 * incidents and bad input refused with nothing stored; and the recommendation's order against a
 * naive computation written here.
 */
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssignmentEvent, ClientToServerEvents, IncidentChange, ServerToClientEvents } from '../../server/contract/index.ts';
import { api, startTestServer, type TestServer } from '../support/server.ts';

let s: TestServer;
const tokens: Record<string, string> = {};
const box = (x: number, y: number, d: number) => [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]];
const station = (id: string, lon: number, lat: number) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: { id, kind: 'fire_station', capacity: 1, name: id } });
const unit = (id: string, kind: string, serves: string[], extra: Record<string, unknown> = {}) => ({ id, callSign: `呼号 ${id}`, kind, agency: `${kind}-agency`, serves, ...extra });

const UNITS = [
  // The whole flow: two engines on one fire.
  unit('E1', 'fire_engine', ['fire'], { stationId: 'st-1' }),
  unit('E2', 'fire_engine', ['fire'], { stationId: 'st-1' }),
  // Declines, and a unit whose token has no business with E-units.
  unit('P1', 'police_car', ['traffic']),
  unit('P2', 'police_car', ['traffic']),
  // Raced for, one round each.
  ...['R1', 'R2', 'R3', 'R4'].map((id) => unit(id, 'utility_crew', ['infrastructure'])),
  unit('OOS', 'fire_engine', ['fire'], { status: 'out_of_service' }),
  // Ranked for a flood: positions, a station, neither.
  unit('F-amb', 'ambulance', ['flood']),
  unit('F-pol', 'police_car', ['flood', 'traffic']),
  unit('F-eng', 'fire_engine', ['flood'], { stationId: 'st-2' }),
  unit('F-crew', 'utility_crew', ['flood']),
  unit('F-dept', 'department', ['flood']),
  unit('F-boat', 'boat', ['flood']),
  unit('F-lost', 'fire_engine', ['flood']),
  unit('F-busy', 'fire_engine', ['flood'], { status: 'on_scene' }),
];

const issue = async (name: string, role: string, unitId?: string) =>
  (await api(s, 'POST', '/api/v1/tokens', { role, name, ...(unitId && { unitId }) })).body.token as string;

beforeAll(async () => {
  s = await startTestServer({ demoData: false });
  expect((await api(s, 'PUT', '/api/v1/regions', { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Polygon', coordinates: box(120, 30, 0.2) }, properties: { code: '330106', name: '西湖区' } }] })).status).toBe(200);
  expect((await api(s, 'PUT', '/api/v1/facilities', { type: 'FeatureCollection', features: [station('st-1', 120.01, 30.01), station('st-2', 120.12, 30.07)] })).status).toBe(200);
  const put = await api(s, 'PUT', '/api/v1/units', UNITS);
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  tokens.dispatcher = await issue('调度员 李', 'responder');
  tokens.viewer = await issue('wall', 'viewer');
  for (const id of ['E1', 'E2', 'P1', 'P2']) tokens[id] = await issue(`crew ${id}`, 'responder', id);
});
afterAll(async () => {
  await s?.close();
});

let calls = 0;
const newIncident = async (category: string, lon = 120.05, lat = 30.05) =>
  (await api(s, 'POST', '/api/v1/incidents', { category, lon, lat, title: `${category} call ${++calls}` }, { token: tokens.dispatcher })).body.items[0].id as string;
const assign = (incidentId: string, unitId: string, token = tokens.dispatcher) => api(s, 'POST', `/api/v1/incidents/${incidentId}/assignments`, { unitId }, { token });
const step = (id: string, body: Record<string, unknown>, token = tokens.dispatcher) => api(s, 'PATCH', `/api/v1/assignments/${id}`, body, { token });
const incidentStatus = async (id: string) => (await api(s, 'GET', `/api/v1/incidents/${id}`)).body.properties.status as string;
const unitStatus = async (id: string) => {
  const units = (await api(s, 'GET', '/api/v1/units')).body.features as { id: string; properties: { status: string } }[];
  return units.find((u) => u.id === id)?.properties.status;
};
const history = async (id: string) => (await api(s, 'GET', `/api/v1/incidents/${id}/history`)).body.items as IncidentChange[];

describe('a call from assignment to resolution', () => {
  it('moves assignments, units and the incident together, and records every step', async () => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connect(s.url, { auth: { token: tokens.dispatcher }, transports: ['websocket'], forceNew: true });
    const streamed: AssignmentEvent[] = [];
    try {
      await new Promise((r) => socket.once('replay:done', r));
      socket.on('assignment:created', (e) => streamed.push(e));
      socket.on('assignment:updated', (e) => streamed.push(e));
      const id = await newIncident('fire');

      const first = await assign(id, 'E1');
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ incidentId: id, unitId: 'E1', status: 'assigned', agency: 'fire_engine-agency' });
      expect(typeof first.body.id).toBe('string');
      const a1 = first.body.id as string;
      expect(await unitStatus('E1')).toBe('assigned');
      expect(await incidentStatus(id)).toBe('acknowledged');
      const a2 = (await assign(id, 'E2')).body.id as string;

      // Each crew answers from its own tablet.
      expect((await step(a1, { status: 'accepted' }, tokens.E1)).body.status).toBe('accepted');
      expect(await incidentStatus(id)).toBe('dispatched');
      expect((await step(a2, { status: 'accepted' }, tokens.E2)).status).toBe(200);
      for (const status of ['en_route', 'on_scene'] as const) {
        expect((await step(a1, { status }, tokens.E1)).body.status).toBe(status);
        expect(await unitStatus('E1')).toBe(status);
      }
      const cleared = await step(a1, { status: 'cleared', disposition: '明火扑灭' }, tokens.E1);
      expect(cleared.body).toMatchObject({ status: 'cleared', disposition: '明火扑灭' });
      expect(await unitStatus('E1')).toBe('returning');
      // E2 is still on it: the incident waits.
      expect(await incidentStatus(id)).toBe('dispatched');
      // A dispatcher records E2's steps from the radio.
      for (const status of ['en_route', 'on_scene'] as const) expect((await step(a2, { status })).status).toBe(200);
      expect((await step(a2, { status: 'cleared', disposition: '现场移交 联系人 13812345678' })).status).toBe(200);
      expect(await incidentStatus(id)).toBe('resolved');
      expect(await unitStatus('E2')).toBe('returning');

      // The history, in order: (incident from → to, assignment step) for each entry.
      const items = await history(id);
      const steps = items.map((c) => [c.from, c.to, c.assignment ? `${c.assignment.unitId}:${c.assignment.to}` : null]);
      expect(steps).toEqual([
        [null, 'reported', null],
        ['reported', 'reported', 'E1:assigned'],
        ['reported', 'acknowledged', null],
        ['acknowledged', 'acknowledged', 'E2:assigned'],
        ['acknowledged', 'acknowledged', 'E1:accepted'],
        ['acknowledged', 'dispatched', null],
        ['dispatched', 'dispatched', 'E2:accepted'],
        ['dispatched', 'dispatched', 'E1:en_route'],
        ['dispatched', 'dispatched', 'E1:on_scene'],
        ['dispatched', 'dispatched', 'E1:cleared'],
        ['dispatched', 'dispatched', 'E2:en_route'],
        ['dispatched', 'dispatched', 'E2:on_scene'],
        ['dispatched', 'dispatched', 'E2:cleared'],
        ['dispatched', 'resolved', null],
      ]);
      expect(items.find((c) => c.assignment?.to === 'cleared' && c.assignment.unitId === 'E1')?.assignment?.disposition).toBe('明火扑灭');
      expect(items.find((c) => c.assignment?.unitId === 'E1' && c.assignment.to === 'accepted')?.actor).toEqual({ name: 'crew E1', role: 'responder' });
      // A disposition may quote a number: masked for a wall, as notes are.
      const wall = (await api(s, 'GET', `/api/v1/incidents/${id}/history`, undefined, { token: tokens.viewer })).body.items as IncidentChange[];
      expect(wall.find((c) => c.assignment?.unitId === 'E2' && c.assignment.to === 'cleared')?.assignment?.disposition).toBe('现场移交 联系人 138****5678');
      expect(items.find((c) => c.assignment?.unitId === 'E2' && c.assignment.to === 'cleared')?.assignment?.disposition).toBe('现场移交 联系人 13812345678');

      // The assignment keeps the time of each step.
      const stored = (await api(s, 'GET', `/api/v1/assignments/${a1}`)).body;
      for (const name of ['assigned', 'accepted', 'en_route', 'on_scene', 'cleared']) expect(Date.parse(stored.times[name]), name).not.toBeNaN();
      expect(stored.times.declined).toBeNull();

      // On the audit chain: one entry per assignment step, its subject the incident, and the chain intact.
      const audit = (await api(s, 'GET', '/api/v1/audit?limit=10000')).body.entries as { action: string; subject: string; detail: { seq: number; assignmentId: string; to: string } }[];
      const assignmentSteps = items.filter((c) => c.assignment);
      const audited = audit.filter((e) => e.action.startsWith('assignment:') && e.subject === id);
      expect(audited.map((e) => [e.detail.seq, e.detail.assignmentId, e.detail.to])).toEqual(assignmentSteps.map((c) => [c.seq, c.assignment!.assignmentId, c.assignment!.to]));
      expect((await api(s, 'GET', '/api/v1/audit/verify')).body.ok).toBe(true);

      // Streamed after each commit, with the seq the history holds.
      await expect.poll(() => streamed.filter((e) => e.incidentId === id).length).toBe(assignmentSteps.length);
      expect(streamed.filter((e) => e.incidentId === id).map((e) => [e.seq, e.change.to])).toEqual(assignmentSteps.map((c) => [c.seq, c.assignment!.to]));
    } finally {
      socket.disconnect();
    }
  });
});

describe('two dispatchers, one free unit', () => {
  it('gives the unit to exactly one of them; the other gets 409 and nothing is stored for it', async () => {
    for (const unitId of ['R1', 'R2', 'R3', 'R4']) {
      const [x, y] = [await newIncident('infrastructure'), await newIncident('infrastructure')];
      const answers = await Promise.all([assign(x, unitId), assign(y, unitId, s.adminToken)]);
      expect(answers.map((a) => a.status).sort(), unitId).toEqual([201, 409]);
      const lost = answers.find((a) => a.status === 409)!;
      expect(lost.body.error.message).toContain(unitId);
      expect(lost.body.error.details[0].path).toBe('unitId');
      const mine = (await api(s, 'GET', `/api/v1/assignments?unitId=${unitId}&state=all`)).body.items;
      expect(mine).toHaveLength(1);
      const loser = answers[0]!.status === 409 ? x : y;
      expect((await api(s, 'GET', `/api/v1/incidents/${loser}/assignments`)).body.items).toEqual([]);
      expect(await incidentStatus(loser)).toBe('reported');
    }
  });
});

describe('a unit answers for itself', () => {
  it('declines from its own token: the unit is free again and the incident waits', async () => {
    const id = await newIncident('traffic');
    const a = (await assign(id, 'P1')).body.id as string;
    // Another unit's token may not answer for P1, nor may a wall's.
    const other = await step(a, { status: 'declined' }, tokens.P2);
    expect(other.status).toBe(403);
    expect(other.body.error.message).toContain('P2');
    expect(other.body.error.message).toContain('P1');
    expect((await step(a, { status: 'accepted' }, tokens.E1)).status).toBe(403);
    expect((await step(a, { status: 'declined' }, tokens.viewer)).status).toBe(403);
    expect(await unitStatus('P1')).toBe('assigned');

    const declined = await step(a, { status: 'declined' }, tokens.P1);
    expect(declined.status).toBe(200);
    expect(declined.body.status).toBe('declined');
    expect(await unitStatus('P1')).toBe('available');
    expect(await incidentStatus(id)).toBe('acknowledged');
    expect((await history(id)).filter((c) => c.assignment).map((c) => c.assignment!.to)).toEqual(['assigned', 'declined']);
    // Declined is final.
    const again = await step(a, { status: 'accepted' }, tokens.P1);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('declined');
  });

  it('refuses a step the state machine does not allow, naming the current state', async () => {
    const id = await newIncident('traffic');
    const a = (await assign(id, 'P2')).body.id as string;
    const skip = await step(a, { status: 'on_scene' }, tokens.P2);
    expect(skip.status).toBe(409);
    expect(skip.body.error.message).toContain('is assigned');
    expect(skip.body.error.details[0].path).toBe('status');
    const bad = await step(a, { status: 'accepted', disposition: 'x' }, tokens.P2);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('disposition');
    expect((await step(a, { status: 'declined' }, tokens.P2)).status).toBe(200);
  });
});

describe('refusals that store nothing', () => {
  it('409 for a closed incident, 404 naming an unknown unit, 409 for a unit out of service', async () => {
    const id = await newIncident('fire');
    expect((await api(s, 'PATCH', `/api/v1/incidents/${id}`, { status: 'rejected', note: 'duplicate' }, { token: tokens.dispatcher })).status).toBe(200);
    const head = (await api(s, 'GET', '/api/v1/health')).body.seq;
    const closed = await assign(id, 'R1');
    expect(closed.status).toBe(409);
    expect(closed.body.error.message).toContain('rejected');

    const open = await newIncident('fire');
    const unknown = await assign(open, 'NO-SUCH-UNIT');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.details[0]).toMatchObject({ path: 'unitId' });
    expect(unknown.body.error.message).toContain('NO-SUCH-UNIT');
    const out = await assign(open, 'OOS');
    expect(out.status).toBe(409);
    expect(out.body.error.message).toContain('out_of_service');
    expect((await api(s, 'GET', `/api/v1/incidents/${open}/assignments`)).body.items).toEqual([]);
    expect(await incidentStatus(open)).toBe('reported');
    // Only the second incident's creation was logged since the refusal on the closed one.
    expect((await api(s, 'GET', '/api/v1/health')).body.seq).toBe(head + 1);

    expect((await assign('no-such-incident', 'R1')).status).toBe(404);
    expect((await api(s, 'POST', `/api/v1/incidents/${open}/assignments`, { unitId: 'R1' }, { token: tokens.viewer })).status).toBe(403);
    expect((await api(s, 'POST', `/api/v1/incidents/${open}/assignments`, { unitId: 'R1', agency: 'x' })).status).toBe(400);
    expect((await step('no-such-assignment', { status: 'accepted' })).status).toBe(404);
  });
});

describe('recommend', () => {
  it('ranks free flood units by straight-line distance over their kind’s speed, as a naive computation does', async () => {
    const lon = 120.05;
    const lat = 30.05;
    const id = await newIncident('flood', lon, lat);
    const at = new Date().toISOString();
    // Placed so that speed, not distance alone, decides: the ambulance is farther than the crew but
    // arrives first, the police car farther than the department's car but arrives first.
    const positions: Record<string, [number, number]> = { 'F-amb': [120.05, 30.057], 'F-pol': [120.05, 30.037], 'F-crew': [120.056, 30.05], 'F-dept': [120.04, 30.05], 'F-boat': [120.051, 30.051] };
    const report = await api(s, 'POST', '/api/v1/units/positions', Object.entries(positions).map(([unitId, [x, y]]) => ({ unitId, lon: x, lat: y, at })));
    expect(report.body.accepted).toBe(5);
    const answer = await api(s, 'GET', `/api/v1/incidents/${id}/recommend`);
    expect(answer.status).toBe(200);
    expect(answer.body.method).toBe('straight-line distance at typical speed per kind');

    // The documented speeds (km/h, straight line), and the slowest for a kind not listed.
    const speed: Record<string, number> = { police_car: 37, ambulance: 33, fire_engine: 30, utility_crew: 22, department: 18 };
    const kindOf = Object.fromEntries(UNITS.map((u) => [u.id, u.kind]));
    // F-eng has no position: its station st-2. F-lost has neither and F-busy is on scene.
    const where: Record<string, [number, number]> = { ...positions, 'F-eng': [120.12, 30.07] };
    const rad = Math.PI / 180;
    const metres = ([x, y]: [number, number]) =>
      6_371_008.8 * Math.acos(Math.min(1, Math.sin(y * rad) * Math.sin(lat * rad) + Math.cos(y * rad) * Math.cos(lat * rad) * Math.cos((lon - x) * rad)));
    const naive = Object.entries(where)
      .map(([unitId, p]) => ({ unitId, eta: metres(p) / ((speed[kindOf[unitId]!] ?? 18) / 3.6) }))
      .sort((a, b) => a.eta - b.eta);
    expect(answer.body.units.map((u: { unitId: string }) => u.unitId)).toEqual(naive.map((n) => n.unitId));
    for (const [i, u] of (answer.body.units as { etaSeconds: number }[]).entries()) expect(Math.abs(u.etaSeconds - naive[i]!.eta)).toBeLessThanOrEqual(0.5 + 1e-6);
    expect(answer.body.units.find((u: { unitId: string }) => u.unitId === 'F-eng')).toMatchObject({ from: 'station', positionAt: null });
    expect(answer.body.excluded).toEqual([{ unitId: 'F-lost', reason: expect.stringContaining('no reported position') }]);
    expect((await api(s, 'GET', '/api/v1/incidents/no-such-incident/recommend')).status).toBe(404);

    // An agency sends its best-ranked free unit: of the police cars only F-pol serves floods.
    const byAgency = await api(s, 'POST', `/api/v1/incidents/${id}/assignments`, { agency: 'police_car-agency' }, { token: tokens.dispatcher });
    expect(byAgency.status).toBe(201);
    expect(byAgency.body.unitId).toBe('F-pol');
    const again = await api(s, 'POST', `/api/v1/incidents/${id}/assignments`, { agency: 'police_car-agency' }, { token: tokens.dispatcher });
    expect(again.status).toBe(409);
    expect(again.body.error.details[0].path).toBe('agency');
    const unknown = await api(s, 'POST', `/api/v1/incidents/${id}/assignments`, { agency: 'no such agency' }, { token: tokens.dispatcher });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.details[0].path).toBe('agency');
  });
});
