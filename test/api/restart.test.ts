/**
 * The store survives restarts (graceful and kill -9) and refuses a second server on the same
 * folder. Runs the real entry point as child processes.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, emptyStoreDir, tempDataDir } from '../support/server.ts';
import { spawnServer, startServerProcess, type ServerProcess } from '../support/process.ts';

const dataDir = tempDataDir();
const ADMIN_TOKEN = 'restart-test-admin-token';
const env = { DATA_DIR: dataDir, DEMO_DATA: 'off', ADMIN_TOKEN };
let running: ServerProcess | undefined;

// A copy of the run's migrated empty store: the first start then skips initdb in WASM.
beforeAll(() => emptyStoreDir(dataDir));

afterAll(async () => {
  if (running && running.child.exitCode === null) {
    running.child.kill('SIGKILL');
    await running.exited;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const square = (x: number) => ({ type: 'Polygon', coordinates: [[[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]] });

describe('restart with the same DATA_DIR', () => {
  let before: { seq: number; ids: string[] };

  it('stores regions and incidents', async () => {
    running = await startServerProcess(env);
    const s = { url: running.url, adminToken: ADMIN_TOKEN };
    await api(s, 'PUT', '/api/v1/regions', {
      type: 'FeatureCollection',
      features: [0, 1, 2].map((i) => ({ type: 'Feature', geometry: square(i), properties: { code: `R${i}`, name: `R${i}`, population: 100 } })),
    });
    const post = await api(s, 'POST', '/api/v1/incidents', Array.from({ length: 50 }, (_, i) => ({ lat: 0.5, lon: (i % 3) + 0.5, externalId: `e${i}`, source: 'restart' })));
    expect(post.body.accepted).toBe(50);
    // Reading the risk map waits until the re-rating these incidents caused is stored.
    expect((await api(s, 'GET', '/api/v1/risk')).body.regions.map((r: { level: string }) => r.level)).toEqual(['red', 'red', 'red']);
    before = { seq: (await api(s, 'GET', '/api/v1/health')).body.seq, ids: post.body.items.map((i: { id: string }) => i.id) };
    // One regions import, 3 first risk ratings (green), 50 incidents, 3 level changes: 16–17
    // incidents among 100 residents score ≥ 1,600, so every district turns red.
    expect(before.seq).toBe(1 + 3 + 50 + 3);
  });

  it('a second server on the same folder exits non-zero saying it is in use', async () => {
    const second = spawnServer(env);
    const code = await second.exited;
    expect(code).not.toBe(0);
    expect(second.output()).toMatch(/in use by another City Brain server \(process \d+\)/);
    // The first one is unharmed.
    expect((await api({ url: running!.url, adminToken: ADMIN_TOKEN }, 'GET', '/api/v1/health')).status).toBe(200);
  });

  it('after a graceful stop and a start, everything is still there', async () => {
    running!.child.kill('SIGTERM');
    expect(await running!.exited).toBe(0);
    expect(fs.existsSync(`${dataDir}/server.lock`)).toBe(false);
    running = await startServerProcess(env);
    const s = { url: running.url, adminToken: ADMIN_TOKEN };
    expect((await api(s, 'GET', '/api/v1/health')).body.seq).toBe(before.seq);
    expect((await api(s, 'GET', '/api/v1/regions')).body.features.map((f: { id: string }) => f.id)).toEqual(['R0', 'R1', 'R2']);
    const list = await api(s, 'GET', '/api/v1/incidents');
    expect(list.body.features.map((f: { id: string }) => f.id)).toEqual(before.ids);
    expect(list.body.features.map((f: { properties: { regionCode: string } }) => f.properties.regionCode)).toEqual(
      Array.from({ length: 50 }, (_, i) => `R${i % 3}`),
    );
  });

  it('after kill -9 the stale lock is taken over and acknowledged incidents are there once', async () => {
    const s1 = { url: running!.url, adminToken: ADMIN_TOKEN };
    const post = await api(s1, 'POST', '/api/v1/incidents', { lat: 0.5, lon: 0.5, externalId: 'after-restart', source: 'restart' });
    expect(post.status).toBe(201);
    running!.child.kill('SIGKILL');
    await running!.exited;
    expect(fs.existsSync(`${dataDir}/server.lock`)).toBe(true);
    running = await startServerProcess(env);
    const s = { url: running.url, adminToken: ADMIN_TOKEN };
    const list = await api(s, 'GET', '/api/v1/incidents');
    expect(list.body.features).toHaveLength(51);
    expect(list.body.features.filter((f: { properties: { externalId: string } }) => f.properties.externalId === 'after-restart')).toHaveLength(1);
    expect((await api(s, 'GET', '/api/v1/health')).body.seq).toBe(before.seq + 1);
  });
});
