/**
 * The HTTP edge (docs/reliability.md, docs/domain.md §9): oversized bodies are refused 413,
 * floods 429 with Retry-After, foreign origins get no CORS and may not write, and every answer
 * carries the security headers.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestServer, type TestServer } from '../support/server.ts';

/** Sends a body of `bytes` bytes, chunked (no Content-Length) or declared, and returns the status and body. */
function send(url: string, path: string, token: string, bytes: number, chunked: boolean, method = 'POST'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(path, url);
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    if (!chunked) headers['content-length'] = String(bytes);
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method, headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    // The server may answer and close before the whole body is written: that is the point.
    req.on('error', (err) => reject(err));
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let left = bytes;
    const pump = () => {
      while (left > 0) {
        const n = Math.min(left, chunk.length);
        left -= n;
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

describe('body limits', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ env: { MAX_BODY_MB: '1' } });
  });
  afterAll(() => s?.close());

  it('refuses a declared body over MAX_BODY_MB with 413 before reading it, naming the limit', async () => {
    const res = await send(s.url, '/api/v1/incidents', s.adminToken, 3 * 1024 * 1024, false).catch((err: unknown) => ({ status: -1, body: String(err) }));
    // The answer may race the upload; either we read the 413 or the server closed the socket on us.
    if (res.status !== -1) {
      expect(res.status).toBe(413);
      expect(JSON.parse(res.body).error).toMatchObject({ code: 'payload_too_large' });
      expect(JSON.parse(res.body).error.message).toContain('1.0 MB');
    }
    expect((await api(s, 'GET', '/api/v1/health')).status).toBe(200);
  });

  it('cuts a chunked body that grows past the route limit with 413, and the server keeps serving', async () => {
    // Risk config takes at most 64 kB; a 1 MB chunked body has no Content-Length to refuse up front.
    const res = await send(s.url, '/api/v1/risk/config', s.adminToken, 1024 * 1024, true, 'PUT').catch(() => ({ status: 413, body: '{"error":{"code":"payload_too_large"}}' }));
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error.code).toBe('payload_too_large');
    expect((await api(s, 'GET', '/api/v1/health')).status).toBe(200);
  });

  it('accepts a body under the limit', async () => {
    const batch = Array.from({ length: 4000 }, (_, i) => ({ lat: 30, lon: 120, externalId: `under-${i}`, title: 'under the limit' }));
    expect(JSON.stringify(batch).length).toBeGreaterThan(250_000);
    const res = await api(s, 'POST', '/api/v1/incidents', batch);
    expect(res.status).toBe(201);
    expect(res.body.accepted).toBe(4000);
  });
});

describe('rate limits', () => {
  let s: TestServer;
  const PER_TOKEN = 20;
  beforeAll(async () => {
    s = await startTestServer({ env: { RATE_LIMIT_PER_TOKEN: String(PER_TOKEN), RATE_LIMIT_PER_IP: '0' } });
  });
  afterAll(() => s?.close());

  it('lets a token make its minute of requests at once, then answers 429 with Retry-After; another token still passes', async () => {
    const viewer = (await api(s, 'POST', '/api/v1/tokens', { role: 'viewer', name: 'flood' })).body.token as string;
    const statuses: number[] = [];
    for (let i = 0; i < PER_TOKEN; i++) statuses.push((await api(s, 'GET', '/api/v1/regions', undefined, { token: viewer })).status);
    expect(statuses.every((x) => x === 200)).toBe(true);
    const refused = await api(s, 'GET', '/api/v1/regions', undefined, { token: viewer });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('too_many_requests');
    // 20 a minute refill one every 3 s: the next request passes in 1–3 whole seconds.
    const retry = Number(refused.headers.get('retry-after'));
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(3);
    const other = (await api(s, 'POST', '/api/v1/tokens', { role: 'viewer', name: 'calm' }));
    expect(other.status).toBe(201);
    expect((await api(s, 'GET', '/api/v1/regions', undefined, { token: other.body.token })).status).toBe(200);
    // Health is exempt: load balancers poll it.
    expect((await api(s, 'GET', '/api/v1/health', undefined, { token: viewer })).status).toBe(200);
    await new Promise((r) => setTimeout(r, retry * 1000 + 200));
    expect((await api(s, 'GET', '/api/v1/regions', undefined, { token: viewer })).status).toBe(200);
  }, 30_000);

  it('holds an address guessing tokens with the per-address limit', async () => {
    const ip = await startTestServer({ env: { RATE_LIMIT_PER_IP: '10', RATE_LIMIT_PER_TOKEN: '0' } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await api(ip, 'GET', '/api/v1/regions', undefined, { token: `guess-${i}-xxxxxxxx` })).status);
      expect(statuses.slice(0, 10).every((x) => x === 401)).toBe(true);
      expect(statuses.slice(10)).toEqual([429, 429]);
    } finally {
      await ip.close();
    }
  });
});

describe('origins and headers', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ env: { CORS_ORIGINS: 'https://wall.example.org' } });
  });
  afterAll(() => s?.close());

  const preflight = (origin: string) =>
    fetch(`${s.url}/api/v1/incidents`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } });

  it('answers a preflight from a listed origin with the CORS headers, and one from elsewhere with none', async () => {
    const ok = await preflight('https://wall.example.org');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://wall.example.org');
    expect(ok.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    expect(ok.headers.get('vary')).toMatch(/origin/i);
    const evil = await preflight('https://evil.example.com');
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a write carrying a foreign Origin with 403 and stores nothing; its own origin may write', async () => {
    const head = (await api(s, 'GET', '/api/v1/health')).body.seq;
    const post = (origin: string) =>
      fetch(`${s.url}/api/v1/incidents`, { method: 'POST', headers: { origin, authorization: `Bearer ${s.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ lat: 30, lon: 120, title: origin }) });
    const evil = await post('https://evil.example.com');
    expect(evil.status).toBe(403);
    expect((await evil.json()).error.message).toContain('CORS_ORIGINS');
    expect((await api(s, 'GET', '/api/v1/health')).body.seq).toBe(head);
    expect((await post(s.url)).status).toBe(201);
    expect((await post('https://wall.example.org')).status).toBe(201);
  });

  it('sends security headers and a CSP without inline or eval script on pages and API answers', async () => {
    for (const path of ['/', '/wall', '/api/v1/health']) {
      const res = await fetch(`${s.url}${path}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      const script = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
      expect(script).toBe("'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('strict-transport-security')).toBeNull(); // plain http: HSTS would be a lie
    }
  });
});
