/**
 * 1,000 generated malformed payloads per intake format: every one gets a 4xx with a readable
 * message, the server stays healthy, and the store is unchanged (same seq, same rows).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { malformedPayloads } from '../support/malformed-payloads.ts';
import { api, startTestServer, type TestServer } from '../support/server.ts';

const COUNT = Number(process.env.FUZZ_COUNT ?? 1000);
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ demoData: false });
  // Something in the store, so "unchanged" means more than "still empty".
  await api(s, 'POST', '/api/v1/incidents', [{ lat: 30, lon: 120, externalId: 'keep', source: 'fuzz' }]);
});
afterAll(async () => {
  await s?.close();
});

describe.each(['json', 'csv', 'cap', 'open311'] as const)('fuzzing %s intake', (format) => {
  it(`refuses ${COUNT} malformed payloads with a readable 4xx and stores nothing`, async () => {
    const before = await api(s, 'GET', '/api/v1/health');
    const payloads = malformedPayloads(format, COUNT, 20261123);
    expect(payloads).toHaveLength(COUNT);
    const failures: string[] = [];
    // A few at a time: enough to overlap requests, not so many that the test measures the queue.
    for (let i = 0; i < payloads.length; i += 8) {
      const slice = payloads.slice(i, i + 8);
      const answers = await Promise.all(
        slice.map((p) =>
          fetch(`${s.url}/api/v1/incidents${p.query}`, {
            method: 'POST',
            headers: { authorization: `Bearer ${s.adminToken}`, 'content-type': p.contentType },
            body: p.body,
          }).then(async (res) => ({ status: res.status, body: (await res.json().catch(() => null)) as { error?: { message?: string } } | null })),
        ),
      );
      answers.forEach((a, j) => {
        const message = a.body?.error?.message;
        if (a.status < 400 || a.status >= 500 || typeof message !== 'string' || message.length < 10) {
          failures.push(`${slice[j]?.why}: ${a.status} ${JSON.stringify(a.body).slice(0, 200)}`);
        }
      });
    }
    expect(failures.slice(0, 5)).toEqual([]);
    const after = await api(s, 'GET', '/api/v1/health');
    expect(after.status).toBe(200);
    expect(after.body.seq).toBe(before.body.seq);
    const list = await api(s, 'GET', '/api/v1/incidents');
    expect(list.body.features.map((f: { properties: { externalId: string } }) => f.properties.externalId)).toEqual(['keep']);
  });
});
