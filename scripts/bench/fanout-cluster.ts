/**
 * Bench: end-to-end fan-out latency through three server nodes on one PostgreSQL against one node
 * on the same PostgreSQL (the baseline), same clients and same load. Each phase: 30 socket clients
 * (batch mode, spread over the nodes), incidents posted in batches of 20 every 50 ms (400/s) for
 * 8 s, round-robin over the nodes; latency = arrival at a client − the start of the POST that
 * carried the incident. With three nodes an event written on node A reaches node B's clients
 * through a NOTIFY and a read of the log; the figure says what that hop costs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import type { LogEvent } from '../../server/contract/events.ts';
import { PROJECT_ROOT } from '../../server/config.ts';
import { startCluster, type ThrowawayCluster } from '../postgres-cluster.mjs';
import type { BenchCase, BenchResult } from './bench-case.ts';
import { machineLoad } from './machine-load.ts';

const CLIENTS = 30;
const BATCH = 20;
const EVERY_MS = 50;
const MEASURE_MS = 8_000;
const ADMIN_TOKEN = 'bench-fanout-cluster-token';
/** Three nodes may add the NOTIFY + log-read hop, but not more than double the single node's p99. */
const TARGET_RATIO = 0.5;

interface Node {
  child: ChildProcess;
  url: string;
  dir: string;
}

async function startNode(databaseUrl: string): Promise<Node> {
  const dir = mkdtempSync(path.join(tmpdir(), 'citybrain-bench-node-'));
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'server', 'main.ts')], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, DATABASE_URL: databaseUrl, ADMIN_TOKEN, DEMO_DATA: 'off', LOG_LEVEL: 'warn', RATE_LIMIT_PER_TOKEN: '0', RATE_LIMIT_PER_IP: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const match = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=/.exec(out);
    if (match?.[1]) return { child, url: match[1], dir };
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`a bench node did not start:\n${out.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stopNodes(nodes: readonly Node[]): Promise<void> {
  await Promise.all(
    nodes.map(
      (n) =>
        new Promise<void>((resolve) => {
          if (n.child.exitCode !== null) return resolve();
          n.child.once('exit', () => resolve());
          n.child.kill('SIGTERM');
        }),
    ),
  );
  for (const n of nodes) rmSync(n.dir, { recursive: true, force: true });
}

async function freshDatabase(cluster: ThrowawayCluster, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE template0`);
  await admin.end();
  const url = new URL(cluster.url);
  url.pathname = `/${name}`;
  return url.toString();
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;

interface Phase {
  p50: number;
  p99: number;
  deliveries: number;
  missing: number;
  posted: number;
}

/** Posts for MEASURE_MS round-robin over `nodes`, with CLIENTS sockets spread over them; latencies of every delivery. */
async function runPhase(nodes: readonly Node[], tag: string): Promise<Phase> {
  const started = new Map<string, number>();
  const latencies: number[] = [];
  const seen: Set<string>[] = [];
  const sockets: Socket[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const got = new Set<string>();
    seen.push(got);
    const socket = io(nodes[i % nodes.length]!.url, { auth: { token: ADMIN_TOKEN, batch: true }, transports: ['websocket'], reconnection: false });
    socket.on('events:batch', (events: LogEvent[]) => {
      const now = performance.now();
      for (const e of events) {
        if (e.type !== 'incident:created') continue;
        const id = (e.payload as { externalId: string }).externalId;
        const at = started.get(id.slice(0, id.lastIndexOf('-')));
        if (at === undefined) continue;
        got.add(id);
        latencies.push(now - at);
      }
    });
    sockets.push(socket);
  }
  await Promise.all(sockets.map((s) => new Promise<void>((resolve, reject) => { s.once('replay:done', () => resolve()); s.once('connect_error', reject); })));

  const requests: Promise<void>[] = [];
  let n = 0;
  const end = performance.now() + MEASURE_MS;
  while (performance.now() < end) {
    const batch = `${tag}${n}`;
    const node = nodes[n % nodes.length]!;
    const body = Array.from({ length: BATCH }, (_, j) => ({ source: 'bench', externalId: `${batch}-${j}`, lon: 120.1 + j * 0.001, lat: 30.2, title: `bench ${batch}`, category: 'other', severity: 'minor' }));
    started.set(batch, performance.now());
    requests.push(
      fetch(`${node.url}/api/v1/incidents`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (res) => {
        if (res.status !== 201) throw new Error(`POST answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
      }),
    );
    n++;
    await new Promise((r) => setTimeout(r, EVERY_MS));
  }
  await Promise.all(requests);
  const posted = n * BATCH;
  const deadline = performance.now() + 15_000;
  while (seen.some((s) => s.size < posted) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const s of sockets) s.close();
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), deliveries: latencies.length, missing: seen.reduce((m, s) => m + (posted - s.size), 0), posted };
}

export const fanoutCluster: BenchCase = {
  name: 'fanout-cluster',
  async run(): Promise<BenchResult> {
    const loadBefore = machineLoad();
    const cluster = await startCluster();
    const nodes: Node[] = [];
    try {
      // The baseline first: one node (its database of its own), then three nodes on another.
      const single = [await startNode(await freshDatabase(cluster, 'bench_one'))];
      nodes.push(...single);
      const one = await runPhase(single, 'a');
      await stopNodes(single);
      nodes.length = 0;
      const three = await freshDatabase(cluster, 'bench_three');
      nodes.push(await startNode(three));
      nodes.push(...(await Promise.all([startNode(three), startNode(three)])));
      const many = await runPhase(nodes, 'b');

      const failures: string[] = [];
      for (const [label, phase] of [['1 node', one], ['3 nodes', many]] as const) {
        if (phase.missing > 0) failures.push(`${label}: ${phase.missing} of ${phase.posted * CLIENTS} deliveries missing`);
      }
      const ratio = one.p99 / many.p99;
      if (!(ratio >= TARGET_RATIO)) failures.push(`3-node p99 ${many.p99.toFixed(0)} ms is more than ${1 / TARGET_RATIO}x the single node's ${one.p99.toFixed(0)} ms`);
      return {
        name: 'fanout-cluster',
        ours: many.p99,
        baseline: one.p99,
        unit: 'ms p99',
        ratio,
        targetRatio: TARGET_RATIO,
        notes: [
          `${CLIENTS} clients (batch mode) spread over the nodes; ${BATCH} incidents every ${EVERY_MS} ms for ${MEASURE_MS / 1000} s, round-robin over the nodes; latency from the start of the POST to arrival`,
          `1 node: ${one.posted} incidents, ${one.deliveries} deliveries, p50 ${one.p50.toFixed(0)} ms, p99 ${one.p99.toFixed(0)} ms`,
          `3 nodes: ${many.posted} incidents, ${many.deliveries} deliveries, p50 ${many.p50.toFixed(0)} ms, p99 ${many.p99.toFixed(0)} ms`,
          'lower is better here: the ratio is baseline p99 / ours (1 = no cost for the extra nodes)',
          `nodes, clients and the PostgreSQL cluster share this machine's cores; machine: ${loadBefore} before, ${machineLoad()} after`,
        ],
        failures,
      };
    } finally {
      await stopNodes(nodes);
      cluster.stop();
    }
  },
};
