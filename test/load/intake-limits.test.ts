/**
 * Intake limits on a real server: the bodies that once stalled every request for 8–33 s (a CSV of
 * a million rows or columns, CAP with a million points or `<info>`s or a 30 MB attribute, a
 * 250k-point ring in every format) and a seeded family just under and just over each limit are
 * answered within 1 s of being sent — refused with the expected 4xx naming the limit and its
 * setting, or (just under) accepted — while `/api/v1/health`, polled every ~20 ms throughout,
 * answers within 100 ms; a refused body stores nothing (same incidents, same log head).
 *
 * The server runs in a child process, as `npm start` runs it, and health is polled from a worker
 * thread: the figures are the server's, not this test's own work of building and sending 15–30 MB
 * bodies.
 */
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chaosCount } from '../support/chaos.ts';
import { attacks, family, FAMILY_ENV, type Payload } from '../support/intake-payloads.ts';
import { startServerProcess, type ServerProcess } from '../support/process.ts';
import { api, tempDataDir } from '../support/server.ts';

/**
 * Acceptance criteria: an answer within ANSWER_MS of sending; health within HEALTH_MS throughout,
 * judged on the 99th percentile of the polls, with no single poll over twice that. On two cores the
 * server, its parse worker, this process and the poller share the CPUs, so one poll in a few hundred
 * can wait for a CPU past the bound (runs measured 71–136 ms at worst with p99 well under 100 ms);
 * the stalls these bodies once caused were seconds, and any of them fails both criteria.
 * The full run (`npm run test:chaos`) runs this file alone on the machine: 1 s and 100 ms. The fast
 * run inside `npm test` shares the two cores with another test file, which alone has put single
 * health answers at 100 ms and the refusal of a 30 MB body at 1.04 s, so its bounds are looser; they
 * still catch the stalls of 8–33 s these bodies once caused. The refusal of a 1M-point CAP polygon
 * has taken 2.24 s there (the body is 30 MB, read and parsed while the other file runs), so the fast
 * run answers within 5 s.
 */
const ANSWER_MS = chaosCount(5000, 1000);
const HEALTH_MS = chaosCount(250, 100);
/**
 * The percentile health is judged on. The fast run polls about a hundred times, where the 99th
 * percentile is the single worst poll: one wait for a CPU behind the other test file (288 ms once,
 * with every other poll far below) failed it. Its 95th percentile still fails on any stall these
 * bodies cause, and so does the worst-poll bound. The full run keeps the 99th, on hundreds of polls.
 */
const HEALTH_PERCENTILE = chaosCount(95, 99);
const POLL_MS = 20;
const SEEDS = chaosCount(2, 12);
const ADMIN_TOKEN = 'intake-limits-admin-token';

interface Server {
  url: string;
  adminToken: string;
  process: ServerProcess;
  dataDir: string;
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const dataDir = tempDataDir();
  const process = await startServerProcess({ DATA_DIR: dataDir, DEMO_DATA: 'off', ADMIN_TOKEN, RATE_LIMIT_PER_TOKEN: '0', RATE_LIMIT_PER_IP: '0', ...env });
  return { url: process.url, adminToken: ADMIN_TOKEN, process, dataDir };
}

async function stopServer(s: Server | undefined): Promise<void> {
  if (!s) return;
  if (s.process.child.exitCode === null) {
    s.process.child.kill('SIGTERM');
    await s.process.exited;
  }
  fs.rmSync(s.dataDir, { recursive: true, force: true });
}

interface Poller {
  worst(): number;
  /** The given percentile of the latencies (nearest rank). */
  percentile(p: number): number;
  count(): number;
  stop(): Promise<void>;
}

/** Polls health every ~POLL_MS from a worker thread (its own event loop) until stopped. */
async function pollHealth(s: Server): Promise<Poller> {
  const worker = new Worker(new URL('../support/health-poller.mjs', import.meta.url), { workerData: { url: s.url, intervalMs: POLL_MS } });
  await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  let latencies: number[] = [];
  return {
    worst: () => Math.max(0, ...latencies),
    percentile: (p) => [...latencies].sort((a, b) => a - b)[Math.max(0, Math.ceil((latencies.length * p) / 100) - 1)] ?? 0,
    count: () => latencies.length,
    async stop() {
      const done = new Promise<{ latencies: number[]; failures: string[] }>((resolve) => worker.once('message', resolve));
      worker.postMessage('stop');
      latencies = (await done).latencies;
      await worker.terminate();
    },
  };
}

async function post(s: Server, p: Payload): Promise<{ ms: number; status: number; body: any }> {
  const started = performance.now();
  const res = await fetch(`${s.url}/api/v1/incidents${p.query ?? ''}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${s.adminToken}`, 'content-type': p.contentType },
    body: p.body,
  });
  const text = await res.text();
  const ms = performance.now() - started;
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // kept as text for the failure message
  }
  return { status: res.status, ms, body };
}

/** What a refusal must leave unchanged: the log head and the number of incidents. */
async function stored(s: Server): Promise<{ seq: number; incidents: number }> {
  const seq = (await api(s, 'GET', '/api/v1/health')).body.seq as number;
  const incidents = ((await api(s, 'GET', '/api/v1/incidents?drill=include')).body.features as unknown[]).length;
  return { seq, incidents };
}

/** Sends each payload in turn with health polled meanwhile; checks status, time, message and store. */
async function sendAll(s: Server, payloads: Payload[]): Promise<string[]> {
  const problems: string[] = [];
  let slowest = 0;
  const poller = await pollHealth(s);
  try {
    for (const p of payloads) {
      const before = p.expect === 'accept' ? null : (await api(s, 'GET', '/api/v1/health')).body.seq;
      const res = await post(s, p);
      slowest = Math.max(slowest, res.ms);
      const said = `${p.name}: ${res.status} in ${Math.round(res.ms)} ms ${JSON.stringify(res.body).slice(0, 240)}`;
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
  const judged = poller.percentile(HEALTH_PERCENTILE);
  if (judged > HEALTH_MS) problems.push(`health took ${Math.round(judged)} ms at the ${HEALTH_PERCENTILE}th percentile, over ${HEALTH_MS} ms`);
  if (worst > 2 * HEALTH_MS) problems.push(`health took ${Math.round(worst)} ms at worst, over ${2 * HEALTH_MS} ms`);
  console.log(`intake limits: ${payloads.length} bodies, ${poller.count()} health polls, p${HEALTH_PERCENTILE} ${Math.round(judged)} ms, worst ${Math.round(worst)} ms; slowest answer ${Math.round(slowest)} ms`);
  return problems;
}

/** A small body of each format, so the parse workers are started before anything is timed. */
async function warmUp(s: Server): Promise<void> {
  for (const [type, body] of [['application/json', '{"lat":30.1,"lon":120.1,"externalId":"warm"}'], ['text/csv', 'id,lat,lon\nwarm-csv,30.1,120.1']]) {
    const res = await api(s, 'POST', '/api/v1/incidents', undefined, { contentType: type, rawBody: body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
}

describe('intake limits at their defaults: the bodies that stalled the server', () => {
  let s: Server | undefined;
  beforeAll(async () => {
    s = await startServer({});
    await warmUp(s);
  });
  afterAll(() => stopServer(s));

  it(`refuses each within ${ANSWER_MS} ms, with health within ${HEALTH_MS} ms throughout, storing nothing`, async () => {
    const payloads = attacks();
    const server = s!;
    const before = await stored(server);
    expect(await sendAll(server, payloads)).toEqual([]);
    expect(await stored(server)).toEqual(before);
  }, 120_000);
});

describe('intake limits set lower: a seeded family just under and just over each', () => {
  let s: Server | undefined;
  beforeAll(async () => {
    s = await startServer(FAMILY_ENV);
    await warmUp(s);
  });
  afterAll(() => stopServer(s));

  it(`accepts the bodies at each limit and refuses those past it (${SEEDS} seeds), within ${ANSWER_MS} ms, health within ${HEALTH_MS} ms`, async () => {
    const payloads = Array.from({ length: SEEDS }, (_, k) => family(7000 + k, `seed${k}`)).flat();
    const server = s!;
    const before = await stored(server);
    expect(await sendAll(server, payloads)).toEqual([]);
    // Only the accepted bodies were stored: one incident per record (CAP: per <info> × <area>).
    const after = await stored(server);
    expect(after.incidents).toBeGreaterThan(before.incidents);
  }, 300_000);
});
