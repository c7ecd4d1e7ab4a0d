/**
 * Bad input gets 400 with `{error:{code,message,details}}` naming the field, nothing is stored,
 * and the server keeps serving. Also: who may do what (401/403).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestServer, type TestServer } from '../support/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ demoData: false });
});
afterAll(async () => {
  await s?.close();
});

const headSeq = async () => (await api(s, 'GET', '/api/v1/health')).body.seq as number;

function expectError(res: { status: number; body: any }, status: number, code: string, field?: string) {
  expect(res.status).toBe(status);
  expect(res.body.error.code).toBe(code);
  expect(typeof res.body.error.message).toBe('string');
  expect(res.body.error.message.length).toBeGreaterThan(10);
  expect(Array.isArray(res.body.error.details)).toBe(true);
  if (field) {
    const paths = res.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toContain(field);
    expect(res.body.error.message).toContain(field);
  }
}

describe('bad incident input', () => {
  const post = (rawBody: string | undefined, contentType = 'application/json') =>
    api(s, 'POST', '/api/v1/incidents', undefined, { contentType, ...(rawBody !== undefined && { rawBody }) });

  it('malformed JSON → 400 invalid_json', async () => {
    expectError(await post('{"lat": 30.1, "lon": '), 400, 'invalid_json');
  });

  it('NaN is not JSON → 400 invalid_json', async () => {
    expectError(await post('{"lat": NaN, "lon": 120}'), 400, 'invalid_json');
  });

  it('empty body → 400 invalid_body', async () => {
    expectError(await post(undefined), 400, 'invalid_body');
    expectError(await post(''), 400, 'invalid_body');
  });

  it('latitude 200 → 400 naming lat', async () => {
    expectError(await post(JSON.stringify({ lat: 200, lon: 120 })), 400, 'invalid_body', 'lat');
  });

  it('wrong types → 400 naming the field', async () => {
    expectError(await post(JSON.stringify({ lat: '30.2', lon: 120 })), 400, 'invalid_body', 'lat');
    expectError(await post(JSON.stringify({ lat: 30.2, lon: 120, severity: 'catastrophic' })), 400, 'invalid_body', 'severity');
    expectError(await post(JSON.stringify({ lat: 30.2, lon: 120, occurredAt: 'yesterday' })), 400, 'invalid_body', 'occurredAt');
  });

  it('unknown field in the strict incident schema → 400 naming it', async () => {
    expectError(await post(JSON.stringify({ lat: 30.2, lon: 120, severty: 'minor' })), 400, 'invalid_body', 'severty');
  });

  it('a missing location → 400 naming geometry', async () => {
    expectError(await post(JSON.stringify({ title: 'nowhere' })), 400, 'invalid_body', 'geometry');
  });

  it('a GeoJSON Feature with a bad coordinate → 400 naming the coordinate', async () => {
    const res = await post(JSON.stringify({ type: 'Feature', geometry: { type: 'Point', coordinates: [120, 95] }, properties: {} }));
    expectError(res, 400, 'invalid_body', 'geometry.coordinates.1');
  });

  it('a JSON primitive or null → 400', async () => {
    expectError(await post('42'), 400, 'invalid_json');
    expectError(await post('null'), 400, 'invalid_json');
  });

  it('an unsupported content type → 415', async () => {
    expectError(await post('lat,lon\n30,120', 'text/plain'), 415, 'unsupported_media_type');
  });

  it('stores nothing from refused requests', async () => {
    const list = await api(s, 'GET', '/api/v1/incidents');
    expect(list.body.features).toEqual([]);
    expect(await headSeq()).toBe(0);
  });

  it('a batch keeps its good records and lists the bad ones by index', async () => {
    const res = await post(JSON.stringify([{ lat: 30.2, lon: 120.1, title: 'ok' }, { lat: 200, lon: 1 }, { lat: 30.3, lon: 120.2, externalId: 'x', source: 's' }]));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ accepted: 2, duplicates: 0, rejected: 1 });
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0].index).toBe(1);
    expect(res.body.errors[0].message).toContain('lat');
    expect(res.body.items.map((i: { index: number }) => i.index)).toEqual([0, 2]);
  });

  it('a batch with nothing valid → 400 naming each bad field by index', async () => {
    const res = await post(JSON.stringify([{ lat: 200, lon: 1 }, { lat: 1, lon: 1, colour: 'red' }]));
    expectError(res, 400, 'invalid_body');
    const paths = res.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(['0.lat', '1.colour']);
  });

  it('bad query parameters → 400 naming them', async () => {
    expectError(await api(s, 'GET', '/api/v1/incidents?bbox=1,2,3'), 400, 'invalid_query', 'bbox');
    expectError(await api(s, 'GET', '/api/v1/incidents?bbox=0,0,10,200'), 400, 'invalid_query', 'bbox');
    expectError(await api(s, 'GET', '/api/v1/incidents?status=open'), 400, 'invalid_query', 'status');
    expectError(await api(s, 'GET', '/api/v1/incidents?bxbox=1,2,3,4'), 400, 'invalid_query', 'bxbox');
  });

  it('bad regions → 400 naming the field, regions unchanged', async () => {
    const square = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] };
    expectError(await api(s, 'PUT', '/api/v1/regions', { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [0, 0] }, properties: { code: 'A' } }] }), 400, 'invalid_body');
    const dup = await api(s, 'PUT', '/api/v1/regions', {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', geometry: square, properties: { code: 'A' } }, { type: 'Feature', geometry: square, properties: { code: 'A' } }],
    });
    expectError(dup, 400, 'invalid_body', 'features.1.properties.code');
    expect((await api(s, 'GET', '/api/v1/regions')).body.features).toEqual([]);
  });

  it('unknown API routes → 404 with the error shape', async () => {
    expectError(await api(s, 'GET', '/api/v1/nothing-here'), 404, 'not_found');
  });

  it('keeps serving after all of that', async () => {
    const health = await api(s, 'GET', '/api/v1/health', undefined, { token: null });
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('ok');
  });
});

describe('tokens and roles', () => {
  it('no token → 401; a wrong token → 401', async () => {
    expectError(await api(s, 'GET', '/api/v1/incidents', undefined, { token: null }), 401, 'unauthorized');
    expectError(await api(s, 'GET', '/api/v1/incidents', undefined, { token: 'not-a-real-token' }), 401, 'unauthorized');
  });

  it('an admin issues a viewer token that can read but not write', async () => {
    const issued = await api(s, 'POST', '/api/v1/tokens', { role: 'viewer', name: 'wall 1' });
    expect(issued.status).toBe(201);
    expect(issued.body.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const viewer = issued.body.token as string;
    expect((await api(s, 'GET', '/api/v1/session', undefined, { token: viewer })).body).toEqual({ role: 'viewer', name: 'wall 1' });
    expect((await api(s, 'GET', '/api/v1/incidents', undefined, { token: viewer })).status).toBe(200);
    expectError(await api(s, 'POST', '/api/v1/incidents', { lat: 1, lon: 1 }, { token: viewer }), 403, 'forbidden');
    expectError(await api(s, 'POST', '/api/v1/tokens', { role: 'admin', name: 'x' }, { token: viewer }), 403, 'forbidden');
  });

  it('a token request with an unknown role → 400 naming role', async () => {
    expectError(await api(s, 'POST', '/api/v1/tokens', { role: 'king', name: 'x' }), 400, 'invalid_body', 'role');
  });
});
