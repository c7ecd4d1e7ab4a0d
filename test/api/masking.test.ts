/**
 * A viewer (the lobby wall) can read but never write, and never sees a reporter's real phone
 * number or name — checked as a property over random reporters, on HTTP and on the socket.
 */
import fc from 'fast-check';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, Incident, ServerToClientEvents } from '../../server/contract/index.ts';
import { api, startTestServer, type TestServer } from '../support/server.ts';

let s: TestServer;
let viewer: string;
let planner: string;
let socket: Socket<ServerToClientEvents, ClientToServerEvents>;
const seenBySocket = new Map<string, Incident>();
let runs = 0;

beforeAll(async () => {
  s = await startTestServer({ demoData: false });
  viewer = (await api(s, 'POST', '/api/v1/tokens', { role: 'viewer', name: 'lobby wall' })).body.token;
  planner = (await api(s, 'POST', '/api/v1/tokens', { role: 'planner', name: 'planner' })).body.token;
  socket = connect(s.url, { auth: { token: viewer }, transports: ['websocket'], forceNew: true });
  socket.on('incident:created', (i) => seenBySocket.set(i.id, i));
  await new Promise((r) => socket.once('replay:done', r));
});
afterAll(async () => {
  socket?.disconnect();
  await s?.close();
});

/** What a viewer may learn at most: the first 3 and last 4 characters of a phone, a name's first character. */
function leaksNothing(original: { name?: string; phone?: string }, seen: { name?: string; phone?: string } | null): boolean {
  if (!seen) return false;
  const phoneOk =
    original.phone === undefined
      ? seen.phone === undefined
      : seen.phone !== undefined &&
        [...seen.phone].length === [...original.phone].length &&
        [...seen.phone].filter((c) => c !== '*').length <= Math.min(7, Math.max(0, [...original.phone].length - 4)) &&
        (original.phone.length === 0 || seen.phone !== original.phone || /^\**$/.test(original.phone));
  const nameOk =
    original.name === undefined
      ? seen.name === undefined
      : seen.name !== undefined && [...seen.name].filter((c) => c !== '*').length <= 1 && (seen.name !== original.name || [...original.name].length <= 1 || /^.\**$/u.test(original.name));
  return phoneOk && nameOk;
}

const phone = fc.oneof(
  fc.stringMatching(/^1[3-9]\d{9}$/), // mainland mobile
  fc.stringMatching(/^0\d{2,3}-?\d{7,8}$/), // landline with area code
  fc.stringMatching(/^\+86 ?1\d{10}$/),
  fc.string({ minLength: 0, maxLength: 20 }),
);
const name = fc.oneof(fc.constantFrom('张三', '李四光', '王', 'Ada Lovelace'), fc.string({ minLength: 1, maxLength: 12 }));
const reporter = fc.record({ name, phone }, { requiredKeys: [] });

describe('personal data and the viewer role', () => {
  it('never shows a viewer an unmasked phone or name, on HTTP or the socket (property)', async () => {
    await fc.assert(
      fc.asyncProperty(reporter, async (r) => {
        // A fresh externalId each run: fast-check repeats values while shrinking, and a repeat would be a duplicate.
        const externalId = `mask-${++runs}`;
        const post = await api(s, 'POST', '/api/v1/incidents', { externalId, title: '12345 appeal', category: 'hotline', lat: 30.2, lon: 120.2, reporter: r });
        expect(post.status).toBe(201);
        const id = post.body.items[0].id as string;
        const asViewer = await api(s, 'GET', `/api/v1/incidents/${id}`, undefined, { token: viewer });
        const asPlanner = await api(s, 'GET', `/api/v1/incidents?limit=100000`, undefined, { token: planner });
        const plannerCopy = asPlanner.body.features.find((f: { id: string }) => f.id === id).properties.reporter;
        const asAdmin = await api(s, 'GET', `/api/v1/incidents/${id}`);
        const deadline = Date.now() + 5000;
        while (!seenBySocket.has(id) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 10));
        const hasAny = r.name !== undefined || r.phone !== undefined;
        expect(asAdmin.body.properties.reporter).toEqual(hasAny ? r : {});
        if (!hasAny) return;
        expect(leaksNothing(r, asViewer.body.properties.reporter)).toBe(true);
        expect(leaksNothing(r, plannerCopy)).toBe(true);
        expect(leaksNothing(r, seenBySocket.get(id)?.reporter ?? null)).toBe(true);
      }),
      { numRuns: 60, seed: 20261123 },
    );
  });

  it('masks a mainland mobile number as 138****5678', async () => {
    const post = await api(s, 'POST', '/api/v1/incidents', { lat: 30, lon: 120, reporter: { phone: '13812345678' } });
    const asViewer = await api(s, 'GET', `/api/v1/incidents/${post.body.items[0].id}`, undefined, { token: viewer });
    expect(asViewer.body.properties.reporter.phone).toBe('138****5678');
  });

  it('refuses every write to a viewer with 403 and changes nothing', async () => {
    const id = (await api(s, 'POST', '/api/v1/incidents', { lat: 30, lon: 120 })).body.items[0].id;
    const head = (await api(s, 'GET', '/api/v1/health')).body.seq;
    const square = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] };
    const writes = [
      api(s, 'POST', '/api/v1/incidents', { lat: 30, lon: 120 }, { token: viewer }),
      api(s, 'POST', '/api/v1/incidents', undefined, { token: viewer, contentType: 'text/csv', rawBody: 'lat,lon\n30,120\n' }),
      api(s, 'PATCH', `/api/v1/incidents/${id}`, { status: 'acknowledged' }, { token: viewer }),
      api(s, 'PUT', '/api/v1/regions', { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: square, properties: { code: 'A' } }] }, { token: viewer }),
      api(s, 'POST', '/api/v1/tokens', { role: 'admin', name: 'me' }, { token: viewer }),
    ];
    for (const res of await Promise.all(writes)) {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    expect((await api(s, 'GET', '/api/v1/health')).body.seq).toBe(head);
  });
});
