/**
 * Bench: live unit positions (AVL) end to end. A real server in a child process (embedded store),
 * 500 units, 20 wall sockets taking the `units` layer, and 2,000 reports/s for 60 s posted as the
 * API takes them: a batch of 100 every 50 ms, so each unit reports every 250 ms (2% of the slots
 * carry a late report, one second old, which must not move its unit). Measured: reports stored per
 * second, report-to-socket latency of every position delivered (its `at` is the report's scheduled
 * time, so a sender falling behind counts as latency), the server's RSS before and after, and that
 * every unit's last position is right in the store and on every socket. Baseline, same server and
 * run: the same schedule with each report in its own request, so its own transaction.
 *
 * `BENCH_AVL_SECONDS` shortens the measured phase (default 60) for a quick run; the baseline runs
 * `BENCH_AVL_BASELINE_SECONDS` (default 10, at most the measured phase).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { PROJECT_ROOT } from '../../server/config.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../server/contract/events.ts';
import type { PositionBatchResult, UnitCollection } from '../../server/contract/units.ts';
import type { BenchCase, BenchResult } from './bench-case.ts';
import { machineLoad } from './machine-load.ts';

const UNITS = 500;
const SOCKETS = 20;
const BATCH = 100;
const EVERY_MS = 50;
const RATE = (BATCH * 1000) / EVERY_MS;
/** Slots of each batch that carry a late report instead of a fresh one. */
const LATE_PER_BATCH = 2;
const LATE_BY_MS = 1000;
const WARMUP_MS = 3_000;
/** Requests in flight at most: a sender that cannot get answers falls behind instead of piling up sockets. */
const MAX_IN_FLIGHT = 32;
const TARGET_P99_MS = 1000;
/** Of the offered 2,000 reports/s, at least this share must be stored within the phase. */
const TARGET_SUSTAINED = 0.95;
const ADMIN_TOKEN = 'bench-avl-token';

const seconds = (name: string, fallback: number): number => {
  const raw = process.env[name];
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a number of seconds above 0, not "${raw}"`);
  return n;
};

type WallSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
interface Server {
  child: ChildProcess;
  url: string;
  dir: string;
}

async function startServer(): Promise<Server> {
  const dir = mkdtempSync(path.join(tmpdir(), 'citybrain-bench-avl-'));
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'server', 'main.ts')], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, ADMIN_TOKEN, DEMO_DATA: 'off', LOG_LEVEL: 'warn', RATE_LIMIT_PER_TOKEN: '0', RATE_LIMIT_PER_IP: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 90_000;
  for (;;) {
    const match = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=/.exec(out);
    if (match?.[1]) return { child, url: match[1], dir };
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the bench server did not start:\n${out.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stopServer(server: Server): Promise<void> {
  if (server.child.exitCode === null) {
    await new Promise<void>((resolve) => {
      server.child.once('exit', () => resolve());
      server.child.kill('SIGTERM');
    });
  }
  rmSync(server.dir, { recursive: true, force: true });
}

/** The server's resident memory, MB (Linux). */
function rssMb(pid: number | undefined): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? NaN : Number(kb) / 1024;
  } catch {
    return NaN;
  }
}

/** The server's CPU time so far, seconds (Linux: utime + stime at 100 ticks/s). */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

async function call(url: string, method: string, body: unknown, contentType = 'application/json'): Promise<unknown> {
  const res = await fetch(url, { method, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url} answered ${res.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

const unitId = (u: number) => `AVL-${String(u).padStart(3, '0')}`;
/** Where unit `u` is at `atMs`: a slow circle around its own spot, rounded as a GPS would send it. */
function place(u: number, atMs: number): { lon: number; lat: number } {
  const angle = (atMs / 60_000) * 2 * Math.PI + u;
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  return { lon: round(120.0 + (u % 25) * 0.01 + 0.002 * Math.cos(angle)), lat: round(30.1 + Math.floor(u / 25) * 0.01 + 0.002 * Math.sin(angle)) };
}

interface Report {
  unitId: string;
  lon: number;
  lat: number;
  at: string;
  speed: number;
  heading: number;
}
const reportOf = (u: number, atMs: number): Report => ({ unitId: unitId(u), ...place(u, atMs), at: new Date(atMs).toISOString(), speed: 11.1, heading: (atMs / 100) % 360 });

interface PhaseResult {
  /** Reports the server accepted, and per second from the first scheduled send to the last answer. */
  accepted: number;
  /** From the first scheduled send to the last answer, ms. */
  elapsedMs: number;
  rate: number;
  late: number;
  rejected: number;
  /** Reports the schedule offered that the sender could not send before the phase ended (a server that cannot keep up). */
  unsent: number;
  latencies: number[];
  /** The newest fresh report sent per unit. */
  last: Map<string, Report>;
}

/**
 * Offers 2,000 reports/s for `durationMs`: `perRequest` reports per request (100 = ours, 1 = the
 * baseline), requests on the schedule of 100 reports per 50 ms, at most MAX_IN_FLIGHT unanswered.
 */
async function runPhase(url: string, sockets: readonly WallSocket[], durationMs: number, perRequest: number, startBatch: number): Promise<PhaseResult> {
  const latencies: number[] = [];
  const onPositions = (e: { positions: { at: string }[] }) => {
    const now = Date.now();
    for (const p of e.positions) latencies.push(now - Date.parse(p.at));
  };
  for (const s of sockets) s.on('units:positions', onPositions);
  const result: PhaseResult = { accepted: 0, elapsedMs: 0, rate: 0, late: 0, rejected: 0, unsent: 0, latencies, last: new Map() };
  const inFlight = new Set<Promise<void>>();
  const post = (reports: Report[]) => {
    const done = call(`${url}/api/v1/units/positions`, 'POST', reports).then((answer) => {
      const r = answer as PositionBatchResult;
      result.accepted += r.accepted;
      result.late += r.late;
      result.rejected += r.rejected;
    });
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  };
  const batches = Math.round(durationMs / EVERY_MS);
  const start = Date.now() + EVERY_MS;
  // A sender that cannot keep up stops at the end of the phase: what it could not send is not stored.
  const end = start + batches * EVERY_MS;
  let offered = 0;
  sending: for (let b = 0; b < batches; b++) {
    const due = start + b * EVERY_MS;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const batchNo = startBatch + b;
    const reports: { report: Report; fresh: boolean }[] = [];
    // The late slots move from batch to batch, so every unit also reports fresh.
    const lateSlots = new Set(Array.from({ length: LATE_PER_BATCH }, (_, j) => (batchNo * 7 + j * Math.floor(BATCH / LATE_PER_BATCH)) % BATCH));
    for (let k = 0; k < BATCH; k++) {
      const u = (batchNo * BATCH + k) % UNITS;
      reports.push(lateSlots.has(k) ? { report: reportOf(u, due - LATE_BY_MS), fresh: false } : { report: reportOf(u, due), fresh: true });
    }
    for (let i = 0; i < reports.length; i += perRequest) {
      while (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
      if (Date.now() >= end) break sending;
      const chunk = reports.slice(i, i + perRequest);
      for (const { report, fresh } of chunk) if (fresh) result.last.set(report.unitId, report);
      offered += chunk.length;
      post(chunk.map((c) => c.report));
    }
  }
  result.unsent = batches * BATCH - offered;
  await Promise.all(inFlight);
  result.elapsedMs = Date.now() - start;
  result.rate = result.accepted / (result.elapsedMs / 1000);
  // What is coalesced falls due within a second: then the sockets hold every unit's newest.
  await new Promise((r) => setTimeout(r, 1_500));
  for (const s of sockets) s.off('units:positions', onPositions);
  return result;
}

const percentile = (sorted: readonly number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;

export const avl: BenchCase = {
  name: 'avl',
  async run(): Promise<BenchResult> {
    const measureMs = seconds('BENCH_AVL_SECONDS', 60) * 1000;
    const baselineMs = Math.min(measureMs, seconds('BENCH_AVL_BASELINE_SECONDS', 10) * 1000);
    const loadBefore = machineLoad();
    const server = await startServer();
    const sockets: WallSocket[] = [];
    try {
      await call(`${server.url}/api/v1/facilities`, 'PUT', { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [120.1, 30.2] }, properties: { id: 'avl-station', kind: 'fire_station', capacity: 1 } }] });
      const register = Array.from({ length: UNITS }, (_, u) => ({ id: unitId(u), callSign: `车${u}`, kind: u % 2 ? 'ambulance' : 'fire_engine', agency: 'bench', stationId: 'avl-station', serves: u % 2 ? ['public_health'] : ['fire'] }));
      await call(`${server.url}/api/v1/units`, 'PUT', register);
      // Each wall socket's newest position per unit, kept for the check at the end.
      const seen = Array.from({ length: SOCKETS }, () => new Map<string, { lon: number; lat: number; at: string }>());
      for (let i = 0; i < SOCKETS; i++) {
        const socket: WallSocket = io(server.url, { auth: { token: ADMIN_TOKEN, batch: true, subscribe: { layers: ['units'] } }, transports: ['websocket'], reconnection: false });
        socket.on('units:positions', (e) => {
          for (const p of e.positions) seen[i]!.set(p.unitId, { lon: p.lon, lat: p.lat, at: p.at });
        });
        sockets.push(socket);
      }
      await Promise.all(sockets.map((s) => new Promise<void>((resolve, reject) => { s.once('replay:done', () => resolve()); s.once('connect_error', reject); })));

      await runPhase(server.url, sockets, WARMUP_MS, BATCH, 0);
      const rssBefore = rssMb(server.child.pid);
      const cpuBefore = cpuSeconds(server.child.pid);
      const ours = await runPhase(server.url, sockets, measureMs, BATCH, WARMUP_MS / EVERY_MS);
      const serverCpu = (cpuSeconds(server.child.pid) - cpuBefore) / (measureMs / 1000);
      const rssAfter = rssMb(server.child.pid);

      // Every unit's last position, in the store and on every socket, is its newest fresh report.
      const stored = (await (await fetch(`${server.url}/api/v1/units`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as UnitCollection;
      const wrongStored: string[] = [];
      for (const f of stored.features) {
        const want = ours.last.get(f.id);
        const got = f.geometry?.coordinates;
        if (!want || !got || got[0] !== want.lon || got[1] !== want.lat || f.properties.position?.at !== want.at) wrongStored.push(f.id);
      }
      let wrongOnSockets = 0;
      for (const map of seen) {
        for (const [id, want] of ours.last) {
          const got = map.get(id);
          if (!got || got.lon !== want.lon || got.lat !== want.lat || got.at !== want.at) wrongOnSockets++;
        }
      }

      const baseline = await runPhase(server.url, sockets, baselineMs, 1, (WARMUP_MS + measureMs) / EVERY_MS);
      const sorted = ours.latencies.sort((a, b) => a - b);
      const p50 = percentile(sorted, 0.5);
      const p99 = percentile(sorted, 0.99);
      const baseSorted = baseline.latencies.sort((a, b) => a - b);
      const ratio = ours.rate / baseline.rate;

      const failures: string[] = [];
      if (ours.rate < RATE * TARGET_SUSTAINED) failures.push(`stored ${ours.rate.toFixed(0)} reports/s of the ${RATE} offered (below ${TARGET_SUSTAINED * 100}%)`);
      if (!(p99 <= TARGET_P99_MS)) failures.push(`report-to-socket p99 ${p99.toFixed(0)} ms is above ${TARGET_P99_MS} ms`);
      if (ours.rejected > 0) failures.push(`${ours.rejected} reports rejected`);
      if (ours.unsent > 0) failures.push(`the sender could not send ${ours.unsent} reports within the phase (answers too slow)`);
      if (stored.features.length !== UNITS || wrongStored.length > 0) failures.push(`${wrongStored.length} of ${stored.features.length} units have a wrong last position in the store (e.g. ${wrongStored.slice(0, 3).join(', ')})`);
      if (wrongOnSockets > 0) failures.push(`${wrongOnSockets} of ${UNITS * SOCKETS} (unit, socket) pairs end on a position other than the unit's newest`);
      if (sorted.length === 0) failures.push('no position reached a socket');
      return {
        name: 'avl',
        ours: ours.rate,
        baseline: baseline.rate,
        unit: 'reports/s',
        ratio,
        notes: [
          `server in a child process on the embedded store; ${UNITS} units, ${SOCKETS} wall sockets (batch mode, layer units) in the bench process; ${RATE} reports/s offered (${BATCH} every ${EVERY_MS} ms, ${LATE_PER_BATCH} of each batch ${LATE_BY_MS} ms late) for ${measureMs / 1000} s after ${WARMUP_MS / 1000} s warm-up`,
          `ours: batches of ${BATCH}, one transaction each: ${ours.accepted} stored (${ours.late} late, not moving their unit), ${ours.unsent} left unsent at the end of the phase; report-to-socket latency p50 ${p50.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms, max ${(sorted.at(-1) ?? NaN).toFixed(0)} ms over ${sorted.length} deliveries (${(sorted.length / SOCKETS / ((ours.elapsedMs + 1500) / 1000)).toFixed(0)} positions/s per socket after coalescing)`,
          `server RSS ${rssBefore.toFixed(0)} MB before the measured phase, ${rssAfter.toFixed(0)} MB after; server CPU ${(serverCpu * 100).toFixed(0)}% of a core`,
          `last positions: ${UNITS - wrongStored.length}/${UNITS} right in the store, ${UNITS * SOCKETS - wrongOnSockets}/${UNITS * SOCKETS} (unit, socket) pairs right on the sockets`,
          `baseline: the same schedule for ${baselineMs / 1000} s with each report in its own request (its own transaction), at most ${MAX_IN_FLIGHT} in flight: ${baseline.accepted} stored, ${baseline.unsent} of the schedule's ${(baselineMs / EVERY_MS) * BATCH} left unsent when its time was up; latency p50 ${percentile(baseSorted, 0.5).toFixed(0)} ms, p99 ${percentile(baseSorted, 0.99).toFixed(0)} ms`,
          `rate = reports stored / time from the first scheduled send to the last answer; latency = arrival at a socket − the report's time (its scheduled send); reports coalesced away (a newer one of the same unit went out instead) have no latency`,
          `machine: ${loadBefore} before, ${machineLoad()} after`,
          `target: ours stores >= ${TARGET_SUSTAINED * 100}% of ${RATE} reports/s with p99 <= ${TARGET_P99_MS} ms and every last position right`,
        ],
        failures,
      };
    } finally {
      for (const s of sockets) s.close();
      await stopServer(server);
    }
  },
};
