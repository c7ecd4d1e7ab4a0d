/**
 * Intake limits on a real server: the bodies that once stalled every request for 8–33 s (a CSV of
 * a million rows or columns, CAP with a million points or `<info>`s or a 30 MB attribute, a
 * 250k-point ring in every format) and a seeded family just under and just over each limit are
 * answered within 1 s of being sent — refused with the expected 4xx naming the limit and its
 * setting, or (just under) accepted — while `/api/v1/health`, polled every ~20 ms throughout,
 * answers within 100 ms; a refused body stores nothing (same incidents, same log head).
 *
 * The server runs in this process, so the figures also include this test's own work of sending
 * 15–30 MB bodies (stricter, not looser); the time its thread waited for a CPU that other
 * processes held is taken off (see cpuWaitMs).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chaosCount } from '../support/chaos.ts';
import { attacks, family, FAMILY_ENV, type Payload } from '../support/intake-payloads.ts';
import { api, startTestServer, type TestServer } from '../support/server.ts';

/** Acceptance criteria: an answer within ANSWER_MS of sending; health within HEALTH_MS throughout. */
const ANSWER_MS = 1000;
const HEALTH_MS = 100;
const POLL_MS = 20;
const SEEDS = chaosCount(2, 12);

/**
 * Milliseconds this process's main thread (the server's event loop: the server runs in-process)
 * has spent runnable but waiting for a CPU, from Linux schedstat; 0 elsewhere. On a shared 2-core
 * machine other processes' load alone can hold a request that long: that is the machine's delay,
 * not ours, so the budgets below are checked after taking it off, and both figures are printed.
 */
function cpuWaitMs(): number {
  try {
    return Number(readFileSync(`/proc/${process.pid}/task/${process.pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
  } catch {
    return 0;
  }
}

interface Poller {
  /** The slowest poll after its CPU wait is taken off, and that poll as measured. */
  worst(): { ms: number; raw: number };
  count(): number;
  stop(): Promise<void>;
}

/** Polls health every ~POLL_MS until stopped; keeps the slowest answer. */
function pollHealth(s: TestServer): Poller {
  let worst = { ms: 0, raw: 0 };
  let count = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const wait0 = cpuWaitMs();
      const started = performance.now();
      const res = await fetch(`${s.url}/api/v1/health`);
      await res.arrayBuffer();
      const raw = performance.now() - started;
      const ms = raw - (cpuWaitMs() - wait0);
      if (ms > worst.ms) worst = { ms, raw };
      count++;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  })();
  return { worst: () => worst, count: () => count, stop: async () => void ((stopped = true), await loop) };
}

async function post(s: TestServer, p: Payload): Promise<{ status: number; ms: number; raw: number; body: any }> {
  const wait0 = cpuWaitMs();
  const started = performance.now();
  const res = await fetch(`${s.url}/api/v1/incidents${p.query ?? ''}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${s.adminToken}`, 'content-type': p.contentType },
    body: p.body,
  });
  const text = await res.text();
  const raw = performance.now() - started;
  const ms = raw - (cpuWaitMs() - wait0);
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // kept as text for the failure message
  }
  return { status: res.status, ms, raw, body };
}

/** What a refusal must leave unchanged: the log head and the number of incidents. */
async function stored(s: TestServer): Promise<{ seq: number; incidents: number }> {
  const seq = (await api(s, 'GET', '/api/v1/health')).body.seq as number;
  const incidents = ((await api(s, 'GET', '/api/v1/incidents')).body.features as unknown[]).length;
  return { seq, incidents };
}

/** Sends each payload in turn with health polled meanwhile; checks status, time, message and store. */
async function sendAll(s: TestServer, payloads: Payload[]): Promise<string[]> {
  const problems: string[] = [];
  let slowest = { ms: 0, raw: 0 };
  const poller = pollHealth(s);
  try {
    for (const p of payloads) {
      const before = p.expect === 'accept' ? null : (await api(s, 'GET', '/api/v1/health')).body.seq;
      const res = await post(s, p);
      if (res.ms > slowest.ms) slowest = res;
      const said = `${p.name}: ${res.status} in ${Math.round(res.ms)} ms (${Math.round(res.raw)} ms with the wait for a CPU) ${JSON.stringify(res.body).slice(0, 240)}`;
      if (p.expect === 'accept' ? res.status !== 201 : res.status !== p.expect) problems.push(`expected ${p.expect}; ${said}`);
      if (res.ms > ANSWER_MS) problems.push(`slower than ${ANSWER_MS} ms; ${said}`);
      if (p.expect !== 'accept') {
        const message: string = res.body?.error?.message ?? '';
        if (!/INTAKE_[A-Z_]+ = [\d,.]+/.test(message)) problems.push(`the message names no limit and setting; ${said}`);
        if ((await api(s, 'GET', '/api/v1/health')).body.seq !== before) problems.push(`the log head moved; ${said}`);
      }
    }
  } finally {
    await poller.stop();
  }
  if (poller.count() < 5) problems.push(`only ${poller.count()} health polls: too few to judge`);
  const worst = poller.worst();
  if (worst.ms > HEALTH_MS) problems.push(`health took ${Math.round(worst.ms)} ms at worst (${Math.round(worst.raw)} ms with the wait for a CPU), over ${HEALTH_MS} ms`);
  console.log(`intake limits: ${payloads.length} bodies, ${poller.count()} health polls, worst ${Math.round(worst.ms)} ms (${Math.round(worst.raw)} ms with the wait for a CPU); slowest answer ${Math.round(slowest.ms)} ms (${Math.round(slowest.raw)} ms)`);
  return problems;
}

/** A small body of each format, so the parse workers are started before anything is timed. */
async function warmUp(s: TestServer): Promise<void> {
  for (const [type, body] of [['application/json', '{"lat":30.1,"lon":120.1,"externalId":"warm"}'], ['text/csv', 'id,lat,lon\nwarm-csv,30.1,120.1']]) {
    const res = await api(s, 'POST', '/api/v1/incidents', undefined, { contentType: type, rawBody: body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
}

describe('intake limits at their defaults: the bodies that stalled the server', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ demoData: false, env: { RATE_LIMIT_PER_TOKEN: '0', RATE_LIMIT_PER_IP: '0' } });
    await warmUp(s);
  });
  afterAll(() => s?.close());

  it('refuses each within 1 s, with health under 100 ms throughout, storing nothing', async () => {
    const payloads = attacks();
    const before = await stored(s);
    expect(await sendAll(s, payloads)).toEqual([]);
    expect(await stored(s)).toEqual(before);
  }, 120_000);
});

describe('intake limits set lower: a seeded family just under and just over each', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ demoData: false, env: { RATE_LIMIT_PER_TOKEN: '0', RATE_LIMIT_PER_IP: '0', ...FAMILY_ENV } });
    await warmUp(s);
  });
  afterAll(() => s?.close());

  it(`accepts the bodies at each limit and refuses those past it (${SEEDS} seeds), within 1 s, health under 100 ms`, async () => {
    const payloads = Array.from({ length: SEEDS }, (_, k) => family(7000 + k, `seed${k}`)).flat();
    const before = await stored(s);
    expect(await sendAll(s, payloads)).toEqual([]);
    // Only the accepted bodies were stored: one incident per record (CAP: per <info> × <area>).
    const after = await stored(s);
    expect(after.incidents).toBeGreaterThan(before.incidents);
  }, 300_000);
});
