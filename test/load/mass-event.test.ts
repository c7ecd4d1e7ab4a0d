/**
 * A mass event: tens of thousands of reports inside a few hundred metres within two hours (a
 * stadium crush, a flooded street, a hotline flooded with one fire) is when a centre needs its
 * screens most. Posted in batches while wall sockets watch, every answer must stay prompt,
 * `/health` must stay quick, memory must stay under the ceiling the server was started with, and
 * the district must be red with the cluster rule in its explanation. Then the server is killed
 * with SIGKILL and restarted on the same folder: it serves again quickly, with the same levels.
 */
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../server/demo/random.ts';
import { chaosCount } from '../support/chaos.ts';
import { startServerProcess, type ServerProcess } from '../support/process.ts';
import { api, tempDataDir } from '../support/server.ts';

const INCIDENTS = chaosCount(10_000, 50_000);
const SOCKETS = chaosCount(5, 20);
const BATCH = 1000;
/**
 * `/health` p99 bound. The full run (`npm run test:chaos`) runs this file after the fault tests,
 * alone on the machine: 100 ms. The fast run inside `npm test` shares the two cores with another test file, so its
 * bound is looser; it still catches a server that stalls for seconds, as the unbounded finder did.
 */
const HEALTH_P99_MS = chaosCount(300, 100);
/** The heap ceiling the server is started with, as `npm start` does; RSS must stay under it. */
const MEMORY_LIMIT_MB = 1536;
const ADMIN_TOKEN = 'mass-event-admin-token';
const dataDir = tempDataDir();
const env = { DATA_DIR: dataDir, DEMO_DATA: 'off', ADMIN_TOKEN, RATE_LIMIT_PER_TOKEN: '0', RATE_LIMIT_PER_IP: '0', LOG_LEVEL: 'warn' };
const nodeArgs = [`--max-old-space-size=${MEMORY_LIMIT_MB}`];
let running: ServerProcess | undefined;

afterAll(async () => {
  if (running && running.child.exitCode === null) {
    running.child.kill('SIGKILL');
    await running.exited;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const square = (lon: number, lat: number, size: number) => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]],
});
/** Two districts of about 5.5 km × 4.8 km: the crowd is in MASS, QUIET stays empty. */
const REGIONS = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', geometry: square(120.1, 30.2, 0.05), properties: { code: 'MASS', name: 'Stadium district', population: 500_000 } },
    { type: 'Feature', geometry: square(120.15, 30.2, 0.05), properties: { code: 'QUIET', name: 'Quiet district', population: 300_000 } },
  ],
};
/** The crowd: a 300 m × 300 m square in the middle of MASS (300 m is 0.0027° of latitude there). */
const CENTRE = { lon: 120.125, lat: 30.225 };
const HALF_SIDE_DEG = { lat: 150 / 111_195, lon: 150 / (111_195 * Math.cos((CENTRE.lat * Math.PI) / 180)) };

function crowd(nowMs: number): Record<string, unknown>[] {
  const random = mulberry32(20261207); // the same crowd on every run
  const categories = ['public_security', 'traffic', 'public_health', 'fire'];
  const severities = ['minor', 'moderate', 'severe'];
  return Array.from({ length: INCIDENTS }, (_, i) => ({
    source: 'mass-event',
    externalId: `m${i}`,
    lon: CENTRE.lon + (random() * 2 - 1) * HALF_SIDE_DEG.lon,
    lat: CENTRE.lat + (random() * 2 - 1) * HALF_SIDE_DEG.lat,
    occurredAt: new Date(nowMs - random() * 2 * 3_600_000).toISOString(),
    category: categories[i % categories.length],
    severity: severities[i % severities.length],
    title: `crowd report ${i}`,
  }));
}

/** Resident set size of a process, in MB, from /proc (Linux). */
function rssMb(pid: number): number {
  let status = '';
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return 0; // the process has ended; the test says so through its requests
  }
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
}

interface RegionRisk {
  code: string;
  level: string;
  score: number;
  explanation: { rules: { rule: string; code: string; message: string }[] };
}
async function levels(url: string): Promise<RegionRisk[]> {
  const res = await api({ url, adminToken: ADMIN_TOKEN }, 'GET', '/api/v1/risk');
  expect(res.status).toBe(200);
  return (res.body as { regions: RegionRisk[] }).regions;
}

/** A worker of test/support: `ready` once it says so; `ask(message)` resolves with its next answer. */
function startWorker<T>(file: string, data: unknown): { worker: Worker; ready: Promise<void>; ask(message: string): Promise<T> } {
  const worker = new Worker(new URL(`../support/${file}`, import.meta.url), { workerData: data });
  const ready = new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  const ask = (message: string) =>
    new Promise<T>((resolve, reject) => {
      worker.once('message', (m) => resolve(m as T));
      worker.once('error', reject);
      worker.postMessage(message);
    });
  return { worker, ready, ask };
}

describe('a mass event', () => {
  it(`${INCIDENTS.toLocaleString('en-US')} incidents within 300 m over 2 h while ${SOCKETS} sockets watch; then SIGKILL and restart`, async () => {
    running = await startServerProcess(env, 60_000, nodeArgs);
    const s = { url: running.url, adminToken: ADMIN_TOKEN };
    expect((await api(s, 'PUT', '/api/v1/regions', REGIONS)).status).toBe(200);
    const viewer = await api(s, 'POST', '/api/v1/tokens', { role: 'viewer', name: 'stadium wall' });
    expect(viewer.status).toBe(201);

    const watchers = startWorker<{ sockets: { created: number; lastSeq: number; outOfOrder: number; disconnects: number }[] }>('stream-watchers.mjs', {
      url: s.url,
      token: viewer.body.token,
      count: SOCKETS,
    });
    await watchers.ready;
    const health = startWorker<{ latencies: number[]; failures: string[] }>('health-poller.mjs', { url: s.url, intervalMs: 50 });
    await health.ready;
    const pid = running.child.pid!;
    let peakRss = rssMb(pid);
    const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, rssMb(pid))), 200);

    // Two loaders, as two feeds at once (a hotline and a sensor network), each posting in turn.
    const records = crowd(Date.now());
    const batches = Array.from({ length: Math.ceil(records.length / BATCH) }, (_, i) => records.slice(i * BATCH, (i + 1) * BATCH));
    const postTimes: number[] = [];
    let accepted = 0;
    let next = 0;
    const loader = async () => {
      while (next < batches.length) {
        const batch = batches[next++]!;
        const started = performance.now();
        const res = await api(s, 'POST', '/api/v1/incidents', batch);
        postTimes.push(performance.now() - started);
        expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(201);
        accepted += res.body.accepted as number;
      }
    };
    await Promise.all([loader(), loader()]).catch((error: unknown) => {
      throw new Error(`posting failed (${String(error)}); server exit ${running?.child.exitCode} ${running?.child.signalCode}; output:\n${running?.output().slice(-3000)}`);
    });
    expect(accepted).toBe(INCIDENTS);

    // The district turns red, with the cluster rule in its explanation, and the level settles.
    const deadline = Date.now() + 30_000;
    let mass: RegionRisk | undefined;
    for (;;) {
      mass = (await levels(s.url)).find((r) => r.code === 'MASS');
      if (mass?.level === 'red' || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const { latencies, failures } = await health.ask('stop');
    await health.worker.terminate();
    clearInterval(rssTimer);
    // Every event reaches every wall: wait until each socket has seen the head, then stop watching.
    const head = (await api(s, 'GET', '/api/v1/health')).body.seq as number;
    const watchDeadline = Date.now() + 30_000;
    let watched = await watchers.ask('stats');
    while (watched.sockets.some((w) => w.lastSeq < head) && Date.now() < watchDeadline) {
      await new Promise((r) => setTimeout(r, 250));
      watched = await watchers.ask('stats');
    }
    // The figures as they stood while every socket was open (closing them counts a disconnect each).
    await watchers.ask('stop');
    await watchers.worker.terminate();

    const p99 = quantile(latencies, 0.99);
    const report = `${batches.length} POSTs: slowest ${Math.round(Math.max(...postTimes))} ms; health p50 ${quantile(latencies, 0.5).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, worst ${Math.max(...latencies).toFixed(1)} ms over ${latencies.length} polls; peak RSS ${Math.round(peakRss)} MB (ceiling ${MEMORY_LIMIT_MB} MB); score ${mass?.score.toFixed(1)}`;
    console.log(`mass event: ${report}`);
    expect(Math.max(...postTimes), report).toBeLessThanOrEqual(5000);
    expect(failures, report).toEqual([]);
    expect(p99, report).toBeLessThanOrEqual(HEALTH_P99_MS);
    expect(peakRss, report).toBeLessThan(MEMORY_LIMIT_MB);
    expect(mass?.level, report).toBe('red');
    expect(mass?.explanation.rules.some((r) => r.rule === 'cluster')).toBe(true);
    for (const w of watched.sockets) {
      expect(w.outOfOrder).toBe(0);
      expect(w.disconnects).toBe(0);
      expect(w.created).toBe(INCIDENTS);
      expect(w.lastSeq).toBeGreaterThanOrEqual(head - 5);
    }

    // SIGKILL, then a restart on the same folder: serving within 30 s, with the same levels.
    const before = (await levels(s.url)).map((r) => [r.code, r.level]);
    running.child.kill('SIGKILL');
    await running.exited;
    const restartedAt = performance.now();
    running = await startServerProcess(env, 60_000, nodeArgs);
    const restartMs = performance.now() - restartedAt;
    console.log(`mass event: restart served after ${Math.round(restartMs)} ms`);
    expect(restartMs).toBeLessThanOrEqual(30_000);
    expect((await levels(running.url)).map((r) => [r.code, r.level])).toEqual(before);
  }, 600_000);
});
