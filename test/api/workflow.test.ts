/**
 * The incident workflow over HTTP: legal steps, 409 naming the allowed ones, an audit trail with
 * actors, `incident:updated` on the socket; and Idempotency-Key on intake.
 */
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, IncidentUpdatedEvent, ServerToClientEvents } from '../../server/contract/index.ts';
import { api, startTestServer, type TestServer } from '../support/server.ts';

let s: TestServer;
let responder: string;
let viewer: string;
beforeAll(async () => {
  s = await startTestServer({ demoData: false });
  responder = (await api(s, 'POST', '/api/v1/tokens', { role: 'responder', name: '值班员 王' })).body.token;
  viewer = (await api(s, 'POST', '/api/v1/tokens', { role: 'viewer', name: 'wall' })).body.token;
});
afterAll(async () => {
  await s?.close();
});

const newIncident = async (title: string) =>
  (await api(s, 'POST', '/api/v1/incidents', { title, lat: 30.25, lon: 120.17 }, { token: responder })).body.items[0].id as string;
const patch = (id: string, body: unknown, token = responder) => api(s, 'PATCH', `/api/v1/incidents/${id}`, body, { token });

describe('workflow', () => {
  it('walks reported → acknowledged → dispatched → resolved and records every step with its actor', async () => {
    const id = await newIncident('walk');
    for (const status of ['acknowledged', 'dispatched', 'resolved'] as const) {
      const res = await patch(id, { status, note: `to ${status}` });
      expect(res.status).toBe(200);
      expect(res.body.properties.status).toBe(status);
    }
    const history = await api(s, 'GET', `/api/v1/incidents/${id}/history`, undefined, { token: viewer });
    expect(history.status).toBe(200);
    expect(history.body.items.map((c: { from: string | null; to: string }) => [c.from, c.to])).toEqual([
      [null, 'reported'],
      ['reported', 'acknowledged'],
      ['acknowledged', 'dispatched'],
      ['dispatched', 'resolved'],
    ]);
    expect(history.body.items.every((c: { actor: { name: string; role: string } }) => c.actor.name === '值班员 王' && c.actor.role === 'responder')).toBe(true);
    expect(history.body.items.map((c: { note: string | null }) => c.note)).toEqual([null, 'to acknowledged', 'to dispatched', 'to resolved']);
    const seqs = history.body.items.map((c: { seq: number }) => c.seq);
    expect(seqs).toEqual([...seqs].sort((a: number, b: number) => a - b));
  });

  it('refuses skipping a step with 409 naming the allowed next steps, and changes nothing', async () => {
    const id = await newIncident('skip');
    const res = await patch(id, { status: 'resolved' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict');
    expect(res.body.error.message).toContain('acknowledged');
    expect(res.body.error.message).toContain('rejected');
    expect((await api(s, 'GET', `/api/v1/incidents/${id}`)).body.properties.status).toBe('reported');
    expect((await api(s, 'GET', `/api/v1/incidents/${id}/history`)).body.items).toHaveLength(1);
  });

  it('allows rejected from any open state, and nothing after a final state', async () => {
    for (const path of [[], ['acknowledged'], ['acknowledged', 'dispatched']] as const) {
      const id = await newIncident(`reject after ${path.join('>')}`);
      for (const status of path) expect((await patch(id, { status })).status).toBe(200);
      expect((await patch(id, { status: 'rejected', note: 'duplicate report' })).status).toBe(200);
      const again = await patch(id, { status: 'acknowledged' });
      expect(again.status).toBe(409);
      expect(again.body.error.message).toContain('final');
    }
  });

  it('checks role, body and id', async () => {
    const id = await newIncident('roles');
    expect((await patch(id, { status: 'acknowledged' }, viewer)).status).toBe(403);
    expect((await patch(id, { status: 'acknowledged' }, null as unknown as string)).status).toBe(401);
    const bad = await patch(id, { status: 'closed' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('status');
    expect((await patch(id, { status: 'acknowledged', extra: 1 })).body.error.details[0].path).toBe('extra');
    expect((await patch('no-such-id', { status: 'acknowledged' })).status).toBe(404);
  });

  it('broadcasts incident:updated with the new seq and the change', async () => {
    const id = await newIncident('live update');
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connect(s.url, { auth: { token: s.adminToken }, transports: ['websocket'], forceNew: true });
    try {
      await new Promise((r) => socket.once('replay:done', r));
      const got = new Promise<IncidentUpdatedEvent>((resolve) => socket.once('incident:updated', resolve));
      const res = await patch(id, { status: 'acknowledged', note: '收到' });
      const event = await got;
      expect(event).toMatchObject({ id, status: 'acknowledged', change: { from: 'reported', to: 'acknowledged', note: '收到', actor: { name: '值班员 王' } } });
      expect(event.seq).toBe(event.change.seq);
      expect(event.seq).toBe(res.body.properties.seq);
    } finally {
      socket.disconnect();
    }
  });
});

describe('Idempotency-Key', () => {
  const postWithKey = (key: string, body: unknown) =>
    fetch(`${s.url}/api/v1/incidents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${responder}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
    });

  it('answers a retried request with the first answer and stores nothing new', async () => {
    const body = [{ title: 'no id 1', lat: 30.1, lon: 120.1 }, { title: 'no id 2', lat: 30.2, lon: 120.2 }];
    const first = await postWithKey('retry-1', body);
    const firstBody = await first.json();
    expect(first.status).toBe(201);
    expect(firstBody.accepted).toBe(2);
    const head = (await api(s, 'GET', '/api/v1/health')).body.seq;
    const second = await postWithKey('retry-1', body);
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await second.json()).toEqual(firstBody);
    expect((await api(s, 'GET', '/api/v1/health')).body.seq).toBe(head);
  });

  it('refuses the same key with a different body (409)', async () => {
    await postWithKey('retry-2', { title: 'a', lat: 30, lon: 120 });
    const other = await postWithKey('retry-2', { title: 'b', lat: 30, lon: 120 });
    expect(other.status).toBe(409);
    expect((await other.json()).error.message).toContain('Idempotency-Key');
  });
});
