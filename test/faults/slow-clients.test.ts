/**
 * Slow loris (docs/reliability.md): clients that send their headers or body a byte at a time are cut
 * at REQUEST_TIMEOUT_SECONDS, while everyone else keeps being served.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chaosCount } from '../support/chaos.ts';
import { api, startTestServer, type TestServer } from '../support/server.ts';

const TIMEOUT_S = 2;
let s: TestServer;

beforeAll(async () => {
  s = await startTestServer({ env: { REQUEST_TIMEOUT_SECONDS: String(TIMEOUT_S), RATE_LIMIT_PER_IP: '0' } });
});
afterAll(() => s?.close());

interface Outcome {
  /** First line the server sent back, if any (e.g. "HTTP/1.1 408 Request Timeout"). */
  statusLine: string;
  /** ms from connecting until the server closed the connection. */
  closedAfterMs: number;
}

/** Opens a raw connection and trickles a request: headers only partly, or a body a byte a second. */
function trickle(kind: 'headers' | 'body'): Promise<Outcome> {
  const u = new URL(s.url);
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect(Number(u.port), u.hostname);
    let received = '';
    let timer: NodeJS.Timeout | undefined;
    socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ statusLine: received.split('\r\n')[0] ?? '', closedAfterMs: Date.now() - started });
    });
    socket.on('connect', () => {
      if (kind === 'headers') {
        socket.write(`GET /api/v1/health HTTP/1.1\r\nHost: ${u.host}\r\n`);
        timer = setInterval(() => socket.writable && socket.write('X-Slow: 1\r\n'), 500);
      } else {
        socket.write(
          `POST /api/v1/incidents HTTP/1.1\r\nHost: ${u.host}\r\nAuthorization: Bearer ${s.adminToken}\r\n` +
            'Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n[',
        );
        timer = setInterval(() => socket.writable && socket.write(' '), 1000);
      }
    });
  });
}

describe('slow clients', () => {
  it('cuts slow headers and slow bodies at the request timeout while health keeps answering fast', async () => {
    const n = chaosCount(20, 200);
    const slow = Array.from({ length: n }, (_, i) => trickle(i % 2 === 0 ? 'headers' : 'body'));
    // Meanwhile an honest client polls health: each answer must come quickly.
    const latencies: number[] = [];
    const pollUntil = Date.now() + TIMEOUT_S * 1000 + 1500;
    while (Date.now() < pollUntil) {
      const t0 = Date.now();
      expect((await api(s, 'GET', '/api/v1/health')).status).toBe(200);
      latencies.push(Date.now() - t0);
      await new Promise((r) => setTimeout(r, 100));
    }
    const outcomes = await Promise.all(slow);
    const worstClose = Math.max(...outcomes.map((o) => o.closedAfterMs));
    console.log(`slow clients: ${n} trickling connections cut after ≤ ${worstClose} ms; ${latencies.length} health polls meanwhile, worst ${Math.max(...latencies)} ms`);
    for (const o of outcomes) {
      // Node answers 408 when it can; a half-sent request may also just be closed. Never served.
      expect(o.statusLine === '' || /^HTTP\/1\.1 408/.test(o.statusLine)).toBe(true);
      // Cut at the timeout (checked every second), not after the 5-minute Node default.
      expect(o.closedAfterMs).toBeLessThan(TIMEOUT_S * 1000 + 4000);
    }
    expect(outcomes.some((o) => /408/.test(o.statusLine))).toBe(true);
    expect(Math.max(...latencies)).toBeLessThan(2000);
    expect((await api(s, 'GET', '/api/v1/incidents')).body.features).toHaveLength(0);
  }, 60_000);
});
