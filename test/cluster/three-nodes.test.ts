/**
 * Three server nodes (real child processes) on one real PostgreSQL, as behind a load balancer:
 * - 30 socket clients, 10 per node, all receive every event, in one identical `seq` order: each
 *   client's sequence must be exactly head₀+1 … head₁, the log's own numbering (gapless by
 *   construction, read back from the log at the end), with every posted incident in it once;
 * - 10,000 incidents are posted round-robin to the nodes (batches of 50, four requests at a time);
 * - one node is killed with SIGKILL half-way: its clients reconnect to another node, resuming from
 *   the last seq they saw, and still end with no gap and no duplicate;
 * - the leader (which stores risk changes) may be the node killed: another takes over.
 * Runs in the `api-postgres` project only (it needs the PostgreSQL test cluster).
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import type { LogEvent } from '../../server/contract/events.ts';
import { dropTestDatabase, ensureTestDatabase } from '../support/database.ts';
import { startServerProcess, type ServerProcess } from '../support/process.ts';
import { api, tempDataDir } from '../support/server.ts';

const ADMIN_TOKEN = 'cluster-test-admin-token';
const NODES = 3;
const CLIENTS_PER_NODE = 10;
const INCIDENTS = 10_000;
const BATCH = 50;
const PARALLEL = 4;

const clusterDir = tempDataDir();
const nodeDirs = Array.from({ length: NODES }, () => tempDataDir());
let nodes: (ServerProcess | null)[] = [];

interface Client {
  /** Seqs received, in arrival order (across reconnects). */
  seqs: number[];
  incidents: string[];
  node: number;
  reconnects: number;
  socket: Socket;
}

const square = (code: string, x: number, y: number) => ({
  type: 'Feature',
  properties: { code, name: code, population: 100_000 },
  geometry: { type: 'Polygon', coordinates: [[[x, y], [x + 0.1, y], [x + 0.1, y + 0.1], [x, y + 0.1], [x, y]]] },
});

function connect(client: Client, url: string, since: number | undefined): void {
  const socket = io(url, { auth: { token: ADMIN_TOKEN, batch: true, ...(since !== undefined && { since }) }, transports: ['websocket'], reconnection: false });
  client.socket = socket;
  socket.on('events:batch', (events: LogEvent[]) => {
    for (const e of events) {
      client.seqs.push(e.seq);
      if (e.type === 'incident:created') client.incidents.push((e.payload as { externalId: string }).externalId);
    }
  });
}

const alive = () => nodes.map((n, i) => (n ? i : -1)).filter((i) => i >= 0);
const nodeUrl = (i: number) => nodes[i]!.url;

describe('three nodes on one PostgreSQL', () => {
  beforeAll(async () => {
    const { DATABASE_URL } = await ensureTestDatabase(clusterDir);
    if (!DATABASE_URL) throw new Error('the cluster test needs the PostgreSQL test cluster (api-postgres project)');
    // Started together: migrations run once, under the start-up lock.
    nodes = await Promise.all(
      nodeDirs.map((dir) => startServerProcess({ DATA_DIR: dir, DATABASE_URL, ADMIN_TOKEN, DEMO_DATA: 'off', RISK_TICK_SECONDS: '5' })),
    );
  }, 180_000);

  afterAll(async () => {
    for (const n of nodes) n?.child.kill('SIGTERM');
    await Promise.all(nodes.map((n) => n?.exited));
    for (const dir of [...nodeDirs, clusterDir]) fs.rmSync(dir, { recursive: true, force: true });
    await dropTestDatabase(clusterDir);
  }, 60_000);

  it('30 clients over 3 nodes receive all of 10,000 incidents posted round-robin in one gapless seq order, through a node killed half-way', async () => {
    const admin = (i: number) => ({ url: nodeUrl(i), adminToken: ADMIN_TOKEN });
    const regions = await api(admin(0), 'PUT', '/api/v1/regions', { type: 'FeatureCollection', features: [square('C1', 0, 0), square('C2', 0.1, 0), square('C3', 0, 0.1), square('C4', 0.1, 0.1)] });
    expect(regions.status).toBe(200);
    // Every node sees the same regions (node 2 read them from the log, not from its own write).
    await expect.poll(async () => (await api(admin(2), 'GET', '/api/v1/regions')).body.features?.length, { timeout: 10_000 }).toBe(4);

    const head0 = (await api(admin(0), 'GET', '/api/v1/health')).body.seq as number;
    const clients: Client[] = [];
    for (let i = 0; i < NODES * CLIENTS_PER_NODE; i++) {
      const client: Client = { seqs: [], incidents: [], node: i % NODES, reconnects: 0, socket: undefined as unknown as Socket };
      connect(client, nodeUrl(client.node), head0);
      clients.push(client);
    }
    await Promise.all(clients.map((c) => new Promise<void>((resolve, reject) => {
      c.socket.once('replay:done', () => resolve());
      c.socket.once('connect_error', reject);
    })));

    // The load balancer's part: a client whose node dies (or refuses) reconnects to another live
    // one, from the last seq it saw.
    const reconnect = (client: Client) => {
      client.socket.removeAllListeners();
      client.socket.close();
      const others = alive().filter((i) => i !== client.node);
      client.node = others[(clients.indexOf(client) + client.reconnects) % others.length]!;
      client.reconnects++;
      setTimeout(() => {
        connect(client, nodeUrl(client.node), client.seqs.at(-1) ?? head0);
        watch(client);
      }, 100);
    };
    const watch = (client: Client) => {
      client.socket.once('disconnect', () => reconnect(client));
      client.socket.once('connect_error', () => reconnect(client));
    };
    for (const client of clients) watch(client);
    const started = Date.now();

    const batches = INCIDENTS / BATCH;
    let next = 0;
    let posted = 0;
    const killed = 1;
    let killedAt = -1;
    const poster = async () => {
      for (;;) {
        const n = next++;
        if (n >= batches) return;
        if (n === batches / 2 && nodes[killed]) {
          killedAt = n;
          nodes[killed]!.child.kill('SIGKILL');
          await nodes[killed]!.exited;
          nodes[killed] = null;
        }
        const body = Array.from({ length: BATCH }, (_, j) => ({
          source: 'cluster',
          externalId: `n${n}-${j}`,
          lon: 0.01 + ((n * BATCH + j) % 19) * 0.01,
          lat: 0.01 + ((n * 7 + j) % 19) * 0.01,
          title: `cluster incident ${n}/${j}`,
          severity: 'minor',
          category: 'other',
        }));
        // Round-robin over the nodes still alive; a request cut by the kill is sent again elsewhere
        // (same externalIds: stored once, answered 200 the second time if the first had committed).
        for (let attempt = 0; ; attempt++) {
          const live = alive();
          const res = await api(admin(live[(n + attempt) % live.length]!), 'POST', '/api/v1/incidents', body).catch(() => null);
          if (res && (res.status === 201 || res.status === 200)) break;
          if (res && res.status < 500) throw new Error(`batch ${n}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
          if (attempt > 10) throw new Error(`batch ${n}: no node took it`);
          await new Promise((r) => setTimeout(r, 200));
        }
        posted += BATCH;
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, poster));
    expect(posted).toBe(INCIDENTS);
    expect(killedAt).toBeGreaterThan(0);

    // The log's own numbering, read back at the end from a surviving node.
    const survivor = alive()[0]!;
    const head1 = (await api(admin(survivor), 'GET', '/api/v1/health')).body.seq as number;
    expect(head1 - head0).toBeGreaterThanOrEqual(INCIDENTS);
    const postedMs = Date.now() - started;
    await expect
      .poll(() => clients.filter((c) => (c.seqs.at(-1) ?? 0) < head1).map((c) => `client ${clients.indexOf(c)} on node ${c.node} (${c.reconnects} reconnects) at ${c.seqs.at(-1)}`), { timeout: 60_000, interval: 200 })
      .toEqual([]);
    const deliveredMs = Date.now() - started;

    const expected = Array.from({ length: head1 - head0 }, (_, i) => head0 + 1 + i);
    const moved = clients.filter((c) => c.reconnects > 0);
    // The killed node's clients moved (others may have too, if a reconnect raced the kill).
    expect(moved.length).toBeGreaterThanOrEqual(CLIENTS_PER_NODE);
    for (const client of clients) {
      const upTo = client.seqs.filter((s) => s <= head1);
      expect(upTo).toEqual(expected);
      expect(client.incidents.length).toBe(INCIDENTS);
      expect(new Set(client.incidents).size).toBe(INCIDENTS);
    }
    for (const c of clients) c.socket.removeAllListeners().close();
    console.log(
      `cluster: ${NODES} nodes, ${clients.length} clients, ${INCIDENTS} incidents in ${batches} batches posted in ${postedMs} ms, all delivered after ${deliveredMs} ms; ` +
        `log ${head0 + 1}..${head1} (${head1 - head0} events) identical on every client; node ${killed} killed at batch ${killedAt}, ${moved.length} clients resumed elsewhere`,
    );
  }, 300_000);
});
