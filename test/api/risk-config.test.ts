/**
 * The risk model's numbers belong to administrators (docs/domain.md §5.5): `PUT /api/v1/risk/config` is
 * validated, versioned and audited, the map re-rates at once, everything survives a restart, and
 * saves at once (here and on another node) queue for the next version instead of colliding.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RiskChangedEvent, RiskConfig, RiskSnapshot } from '../../server/contract/index.ts';
import { DEFAULT_RISK_CONFIG } from '../../server/domain/risk/config.ts';
import { saveRiskConfig } from '../../server/store/risk.ts';
import { api, emptyStoreDir, startTestServer, tempDataDir, type TestServer } from '../support/server.ts';

const square = (west: number, south: number, size: number) => [[[west, south], [west + size, south], [west + size, south + size], [west, south + size], [west, south]]];

const CITY = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', geometry: { type: 'Polygon', coordinates: square(10, 50, 0.1) }, properties: { code: 'N', name: 'North', population: 100_000 } },
    { type: 'Feature', geometry: { type: 'Polygon', coordinates: square(10.1, 50, 0.1) }, properties: { code: 'S', name: 'South', population: 100_000 } },
  ],
};

const levelOf = (snapshot: RiskSnapshot, code: string) => snapshot.regions.find((r) => r.code === code)?.level;

describe('risk config: validated, versioned, audited, applied at once', () => {
  const dataDir = tempDataDir();
  let s: TestServer;
  let config: RiskConfig;

  beforeAll(async () => {
    await emptyStoreDir(dataDir);
    s = await startTestServer({ dataDir });
    expect((await api(s, 'PUT', '/api/v1/regions', CITY)).status).toBe(200);
    // North: one moderate incident now: 2 × 10,000 / 100,000 = 0.2, below blue (0.5): green.
    expect((await api(s, 'POST', '/api/v1/incidents', { source: 't', externalId: '1', severity: 'moderate', category: 'flood', lon: 10.05, lat: 50.05 })).status).toBe(201);
  });
  afterAll(async () => {
    await s?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts from the default model of docs/domain.md §5, saved by nobody', async () => {
    const res = await api(s, 'GET', '/api/v1/risk/config');
    expect(res.status).toBe(200);
    expect(res.body.savedBy).toBeNull();
    config = res.body.config;
    expect(config.version).toBe(1);
    expect(config.weights).toEqual({ unknown: 1, minor: 1, moderate: 2, severe: 5, extreme: 10 });
    expect(config.thresholds).toEqual({ red: 10, orange: 5, yellow: 2, blue: 0.5 });
    expect(levelOf((await api(s, 'GET', '/api/v1/risk')).body, 'N')).toBe('green');
  });

  it('refuses an invalid config, naming the field, and changes nothing', async () => {
    const cases: [unknown, string][] = [
      [{ ...config, version: undefined, thresholds: { red: 10, orange: 5, yellow: 6, blue: 0.5 } }, 'thresholds.yellow'],
      [{ ...config, version: undefined, weights: { ...config.weights, severe: -1 } }, 'weights.severe'],
      [{ ...config, version: undefined, halfLifeHours: 0 }, 'halfLifeHours'],
      [{ ...config, version: undefined, windowHours: 'a week' }, 'windowHours'],
      [{ ...config, version: undefined, cluster: { ...config.cluster, floor: 'purple' } }, 'cluster.floor'],
      [{ ...config, version: undefined, thresholds: { ...config.thresholds, redd: 3 } }, 'thresholds'],
    ];
    for (const [body, path] of cases) {
      const res = await api(s, 'PUT', '/api/v1/risk/config', body);
      expect(res.status, path).toBe(400);
      expect(res.body.error.code).toBe('invalid_body');
      expect(res.body.error.details.map((d: { path: string }) => d.path).join(' ')).toContain(path);
    }
    expect((await api(s, 'GET', '/api/v1/risk/config')).body.config.version).toBe(1);
  });

  it('only administrators may change it', async () => {
    const issued = await api(s, 'POST', '/api/v1/tokens', { role: 'planner', name: 'planner one' });
    expect(issued.status).toBe(201);
    const res = await api(s, 'PUT', '/api/v1/risk/config', { ...config, version: undefined }, { token: issued.body.token });
    expect(res.status).toBe(403);
    // Reading it is for anyone signed in.
    expect((await api(s, 'GET', '/api/v1/risk/config', undefined, { token: issued.body.token })).status).toBe(200);
    expect((await api(s, 'GET', '/api/v1/risk/config', undefined, { token: null })).status).toBe(401);
  });

  it('a saved config re-rates every district at once, ignoring hysteresis, and is audited', async () => {
    const lower = { ...config, version: 2, thresholds: { red: 0.15, orange: 0.1, yellow: 0.05, blue: 0.01 } };
    const res = await api(s, 'PUT', '/api/v1/risk/config', lower);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ config: { version: 2 }, savedBy: { name: expect.any(String), role: 'admin' }, changes: 1 });
    // 0.2 (decayed a little since) ≥ 0.15: red now, not after a wait.
    const after = (await api(s, 'GET', '/api/v1/risk')).body as RiskSnapshot;
    expect(after.configVersion).toBe(2);
    expect(levelOf(after, 'N')).toBe('red');
    expect(levelOf(after, 'S')).toBe('green');
    const history = (await api(s, 'GET', '/api/v1/risk/history')).body.changes as RiskChangedEvent[];
    const last = history.at(-1)!;
    expect(last).toMatchObject({ code: 'N', from: 'green', to: 'red', configVersion: 2 });
    expect(last.reason).toMatch(/^risk config v2: /);

    // Raising the thresholds again lowers the level at once too (a new model, not a quiet day).
    const back = await api(s, 'PUT', '/api/v1/risk/config', { ...config, version: undefined });
    expect(back.status).toBe(200);
    expect(back.body.config.version).toBe(3);
    expect(levelOf((await api(s, 'GET', '/api/v1/risk')).body, 'N')).toBe('green');
  });

  it('a stale version is refused with 409 saying which version is current', async () => {
    const res = await api(s, 'PUT', '/api/v1/risk/config', { ...config, version: 2 });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/current version is 3/);
    expect((await api(s, 'GET', '/api/v1/risk/config')).body.config.version).toBe(3);
  });

  it('survives a restart: same config, same levels, and no change is recorded twice', async () => {
    const before = await api(s, 'GET', '/api/v1/risk');
    const historyBefore = (await api(s, 'GET', '/api/v1/risk/history')).body.changes.length;
    const headBefore = (await api(s, 'GET', '/api/v1/health')).body.seq;
    await s.close();
    s = await startTestServer({ dataDir, adminToken: undefined });
    const res = await api(s, 'GET', '/api/v1/risk/config');
    expect(res.body.config.version).toBe(3);
    expect(res.body.savedBy.role).toBe('admin');
    const after = await api(s, 'GET', '/api/v1/risk');
    expect(after.body.regions.map((r: { code: string; level: string; since: string }) => [r.code, r.level, r.since])).toEqual(
      before.body.regions.map((r: { code: string; level: string; since: string }) => [r.code, r.level, r.since]),
    );
    expect((await api(s, 'GET', '/api/v1/risk/history')).body.changes.length).toBe(historyBefore);
    expect((await api(s, 'GET', '/api/v1/health')).body.seq).toBe(headBefore);
  });

  it('saves at once that leave the version out all land, as consecutive versions, each audited and answered with its own config', async () => {
    const db = s.server.store.db;
    const base = { ...config, version: undefined };
    // A write holds the store (as a save on another node would, mid-transaction) while two
    // administrators' PUTs arrive here and two saves begin on other connections (other nodes):
    // each must take the next version when its turn comes, not the one current when it arrived.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let taken!: () => void;
    const lockTaken = new Promise<void>((resolve) => (taken = resolve));
    const holder = db.transaction(async (tx) => {
      await tx.query('SELECT seq FROM log_head WHERE id = 1 FOR UPDATE');
      taken();
      await held;
    });
    await lockTaken;
    const answers = Promise.all([12, 36].map((halfLifeHours) => api(s, 'PUT', '/api/v1/risk/config', { ...base, halfLifeHours })));
    const otherNodes = Promise.all([48, 60].map((halfLifeHours) => saveRiskConfig(db, { ...base, halfLifeHours }, { name: 'another node', role: 'admin' }, Date.now(), DEFAULT_RISK_CONFIG.version)));
    await new Promise((resolve) => setTimeout(resolve, 500));
    release();
    await holder;
    const [put, others] = await Promise.all([answers, otherNodes]);
    expect(put.map((a) => a.status)).toEqual([200, 200]);
    expect(others.map((o) => o.ok)).toEqual([true, true]);
    const saved = new Map([...put.map((a) => a.body.config as RiskConfig), ...others.flatMap((o) => (o.ok ? [o.record.config] : []))].map((c) => [c.version, c.halfLifeHours]));
    expect([...saved.keys()].sort()).toEqual([4, 5, 6, 7]);
    expect([...saved.values()].sort()).toEqual([12, 36, 48, 60]);
    const entries = (await api(s, 'GET', '/api/v1/audit?limit=1000')).body.entries as { action: string; subject: string }[];
    expect(entries.filter((e) => e.action === 'risk:configured').map((e) => e.subject)).toEqual([2, 3, 4, 5, 6, 7].map((v) => `risk-config/v${v}`));
    // This node follows the ones saved elsewhere too: the latest is in force.
    await expect.poll(async () => (await api(s, 'GET', '/api/v1/risk/config')).body.config).toMatchObject({ version: 7, halfLifeHours: saved.get(7) });
  });
});
