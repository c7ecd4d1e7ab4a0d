/**
 * Crash safety (docs/reliability.md): a loader posts batches of incidents while the real server is
 * killed with SIGKILL at random moments. After every restart each acknowledged incident is stored
 * exactly once, the event log has no gaps, and re-sending the unacknowledged batches adds each
 * missing incident once and duplicates none.
 */
import fs from 'node:fs';
import { io as connect } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { chaosCount } from '../support/chaos.ts';
import { startServerProcess, type ServerProcess } from '../support/process.ts';
import { api, tempDataDir } from '../support/server.ts';

const KILLS = chaosCount(5, 20);
const BATCH = 40;
const ADMIN_TOKEN = 'crash-safety-admin-token';
const dataDir = tempDataDir();
const env = { DATA_DIR: dataDir, DEMO_DATA: 'off', ADMIN_TOKEN, RATE_LIMIT_PER_TOKEN: '0', RATE_LIMIT_PER_IP: '0' };
let running: ServerProcess | undefined;

afterAll(async () => {
  if (running && running.child.exitCode === null) {
    running.child.kill('SIGKILL');
    await running.exited;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A small seeded PRNG (mulberry32): the kill moments are random but the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const batchOf = (n: number) => Array.from({ length: BATCH }, (_, i) => ({ source: 'crash', externalId: `b${n}-${i}`, lat: 0.5, lon: 0.5 + (i % 3) * 0.1, title: `batch ${n} #${i}` }));

/** Every event from seq 1, replayed over the socket (the public contract), as [seq, type, id]. */
async function replayAll(url: string): Promise<{ seqs: number[]; created: Map<string, number> }> {
  const socket = connect(url, { auth: { token: ADMIN_TOKEN, since: 0, batch: true }, transports: ['websocket'], forceNew: true, reconnection: false });
  const seqs: number[] = [];
  const created = new Map<string, number>();
  socket.on('events:batch', (events) => {
    for (const e of events) {
      seqs.push(e.seq);
      if (e.type === 'incident:created') created.set((e.payload as { externalId: string }).externalId, e.seq);
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('replay:done', () => resolve());
    socket.once('connect_error', reject);
  });
  socket.disconnect();
  return { seqs, created };
}

describe('SIGKILL while loading', () => {
  it(`loses and duplicates nothing acknowledged across ${KILLS} kills`, async () => {
    const random = prng(20261124);
    const acked = new Set<string>();
    const unacked: number[] = [];
    let nextBatch = 0;
    let committedInFlight = 0;
    let lostInFlight = 0;
    running = await startServerProcess(env);
    const square = (x: number) => ({ type: 'Polygon', coordinates: [[[x, 0], [x + 0.1, 0], [x + 0.1, 1], [x, 1], [x, 0]]] });
    await api({ url: running.url, adminToken: ADMIN_TOKEN }, 'PUT', '/api/v1/regions', {
      type: 'FeatureCollection',
      features: [0, 1, 2].map((i) => ({ type: 'Feature', geometry: square(0.5 + i * 0.1 - 0.05), properties: { code: `R${i}`, name: `R${i}`, population: 1000 } })),
    });

    for (let kill = 0; kill < KILLS; kill++) {
      const server = running!;
      const s = { url: server.url, adminToken: ADMIN_TOKEN };
      // Two loaders post batches back to back until the server dies under them.
      let dead = false;
      const loader = async () => {
        while (!dead) {
          const n = nextBatch++;
          try {
            const res = await api(s, 'POST', '/api/v1/incidents', batchOf(n));
            if (res.status === 201 || res.status === 200) for (const item of batchOf(n)) acked.add(item.externalId);
            else unacked.push(n);
          } catch {
            unacked.push(n); // connection reset by the kill: we do not know whether it was stored
          }
        }
      };
      const loaders = [loader(), loader()];
      await new Promise((r) => setTimeout(r, 150 + random() * 1200));
      server.child.kill('SIGKILL');
      await server.exited;
      dead = true;
      await Promise.all(loaders);

      running = await startServerProcess(env);
      const after = { url: running.url, adminToken: ADMIN_TOKEN };
      const list = (await api(after, 'GET', '/api/v1/incidents?limit=100000')).body.features as { properties: { externalId: string; seq: number } }[];
      const counts = new Map<string, number>();
      for (const f of list) counts.set(f.properties.externalId, (counts.get(f.properties.externalId) ?? 0) + 1);
      for (const id of acked) expect(counts.get(id), `acknowledged ${id} after kill ${kill + 1}`).toBe(1);
      expect([...counts.values()].every((c) => c === 1)).toBe(true);
      // The event log: seq 1..head with no gap, and every stored incident's creation in it.
      const head = (await api(after, 'GET', '/api/v1/health')).body.seq as number;
      const { seqs, created } = await replayAll(running.url);
      expect(seqs).toEqual(Array.from({ length: head }, (_, i) => i + 1));
      for (const f of list) expect(created.get(f.properties.externalId)).toBeDefined();
      // In-flight batches: all or nothing, never half a batch.
      for (const n of unacked.splice(0)) {
        const stored = batchOf(n).filter((i) => counts.has(i.externalId)).length;
        expect(stored === 0 || stored === BATCH, `batch ${n} stored ${stored}/${BATCH}`).toBe(true);
        if (stored === BATCH) committedInFlight++;
        else lostInFlight++;
        // Re-sent: the idempotency key makes a stored batch all duplicates, a lost one all new.
        const again = await api(after, 'POST', '/api/v1/incidents', batchOf(n));
        expect(again.body.accepted + again.body.duplicates).toBe(BATCH);
        expect(again.body.duplicates).toBe(stored);
        for (const item of batchOf(n)) acked.add(item.externalId);
      }
    }
    const final = (await api({ url: running!.url, adminToken: ADMIN_TOKEN }, 'GET', '/api/v1/incidents?limit=100000')).body.features as { properties: { externalId: string } }[];
    expect(final.length).toBe(acked.size);
    expect(new Set(final.map((f) => f.properties.externalId)).size).toBe(final.length);
    console.log(
      `crash safety: ${KILLS} SIGKILLs, ${nextBatch} batches of ${BATCH} posted, ${acked.size} incidents stored once each; ` +
        `unacknowledged batches (in flight at a kill, or refused while it was down): ${committedInFlight} had committed, ${lostInFlight} had not; all re-sent`,
    );
  }, 600_000);
});
