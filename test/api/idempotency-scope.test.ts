/**
 * Idempotency keys belong to the token that used them: two tokens issued under the same name, with
 * the same key, never see each other's answers; the same token retrying gets its first answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestServer, type TestServer } from '../support/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ demoData: false });
});
afterAll(() => s?.close());

const post = (token: string, key: string, body: unknown) =>
  fetch(`${s.url}/api/v1/incidents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  }).then(async (res) => ({ status: res.status, replayed: res.headers.get('idempotent-replayed'), body: await res.json() }));

describe('idempotency keys are scoped by token', () => {
  it('two tokens with one name and one key do not see each other\'s answers', async () => {
    const issue = async () => (await api(s, 'POST', '/api/v1/tokens', { role: 'responder', name: 'field tablet' })).body.token as string;
    const [first, second] = [await issue(), await issue()];
    const key = 'shift-42-batch-1';
    const a = await post(first, key, [{ lat: 30.1, lon: 120.1, title: 'tablet A' }]);
    expect(a).toMatchObject({ status: 201, replayed: null, body: { accepted: 1 } });
    // Same name, same key, a different request: its own answer, not A's replay and not a conflict.
    const b = await post(second, key, [{ lat: 30.2, lon: 120.2, title: 'tablet B' }]);
    expect(b).toMatchObject({ status: 201, replayed: null, body: { accepted: 1 } });
    expect(b.body.items[0].id).not.toBe(a.body.items[0].id);
    // Each token's retry replays its own first answer.
    expect(await post(first, key, [{ lat: 30.1, lon: 120.1, title: 'tablet A' }])).toMatchObject({ status: 201, replayed: 'true', body: a.body });
    expect(await post(second, key, [{ lat: 30.2, lon: 120.2, title: 'tablet B' }])).toMatchObject({ status: 201, replayed: 'true', body: b.body });
    // The administrator token (no stored id) has a scope of its own too.
    const admin = await post(s.adminToken, key, [{ lat: 30.3, lon: 120.3, title: 'admin' }]);
    expect(admin).toMatchObject({ status: 201, replayed: null, body: { accepted: 1 } });
    expect(await post(s.adminToken, key, [{ lat: 30.4, lon: 120.4, title: 'other' }])).toMatchObject({ status: 409 });
  });
});
