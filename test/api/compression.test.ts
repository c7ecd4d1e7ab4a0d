/**
 * Compressed answers: a client that accepts brotli or gzip gets the incident snapshot compressed,
 * byte for byte the same once decompressed; one that accepts neither gets it plain; small answers
 * and already-gzipped tiles are left as they are.
 */
import http from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestServer, type TestServer } from '../support/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ demoData: false });
  const incidents = Array.from({ length: 60 }, (_, i) => ({
    externalId: `zip-${i}`,
    source: 'compression-test',
    category: 'traffic',
    severity: 'minor',
    title: `Lane closed at junction ${i}`,
    lon: 120.1 + i * 0.001,
    lat: 30.2,
  }));
  const posted = await api(s, 'POST', '/api/v1/incidents', incidents);
  expect(posted.body.accepted).toBe(60);
});
afterAll(async () => {
  await s?.close();
});

/** Raw GET (node's http: nothing decompresses behind the test's back). */
function rawGet(path: string, acceptEncoding: string | null, token: string | null = s.adminToken): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (acceptEncoding) headers['accept-encoding'] = acceptEncoding;
  return new Promise((resolve, reject) => {
    http
      .get(`${s.url}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

describe('compressed answers', () => {
  it('sends the incident snapshot brotli- or gzip-compressed as accepted, equal to the plain body', async () => {
    const plain = await rawGet('/api/v1/incidents', null);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(plain.body.toString('utf8')).features).toHaveLength(60);

    const br = await rawGet('/api/v1/incidents', 'gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    expect(br.body.length).toBeLessThan(plain.body.length / 4);

    const gz = await rawGet('/api/v1/incidents', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
  });

  it('leaves answers under 1 kB plain', async () => {
    const health = await rawGet('/api/v1/health', 'gzip, br', null);
    expect(health.status).toBe(200);
    expect(health.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(health.body.toString('utf8')).status).toBe('ok');
  });

  it('compresses an error answer too, and it still reads as the same error', async () => {
    const plain = await rawGet('/api/v1/incidents?status=lost', null);
    const gz = await rawGet('/api/v1/incidents?status=lost', 'gzip');
    expect(plain.status).toBe(400);
    expect(gz.status).toBe(400);
    const body = gz.headers['content-encoding'] === 'gzip' ? gunzipSync(gz.body) : gz.body;
    expect(body.equals(plain.body)).toBe(true);
    expect(JSON.parse(body.toString('utf8')).error.message).toMatch(/status/);
  });
});
