/**
 * Accountability clocks and KPIs (docs/domain.md §15) on a seeded city: hundreds of incidents
 * reported and stepped through the workflow over five days of a controlled clock, then every KPI
 * grouping compared with a computation of its own from each incident's history; the clock config
 * versioned and audited; an overdue clock announced once, across a restart.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentChange, IncidentFeature, KpiAnswer, SlaConfig } from '../../server/contract/index.ts';
import { fixedOffsetCalendar, oracleClocks, oracleKpis, type OracleIncident } from '../support/kpi-oracle.ts';
import { planCity, playCity } from '../support/kpi-scenario.ts';
import { api, startTestServer, type TestServer } from '../support/server.ts';

const MIN = 60_000;
const H = 60 * MIN;
const DAY = 24 * H;
/** Monday 2026-11-23, 08:00 in Hangzhou. */
const START = Date.parse('2026-11-23T00:00:00Z');
const END = START + 5 * DAY;
const SLOTS = 10;
const PER_SLOT = 20;

const square = (west: number, south: number) => [[[west, south], [west + 0.1, south], [west + 0.1, south + 0.1], [west, south + 0.1], [west, south]]];
const CITY = {
  type: 'FeatureCollection',
  features: ['A', 'B', 'C'].map((code, i) => ({ type: 'Feature', geometry: { type: 'Polygon', coordinates: square(120 + i * 0.1, 30) }, properties: { code, name: code, population: 100_000 } })),
};

/** Working hours for hotline appeals (with a holiday on Wednesday); emergencies run day and night. */
const CONFIG: Omit<SlaConfig, 'version'> = {
  workingHours: { timeZone: 'Asia/Shanghai', weekdays: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', holidays: ['2026-11-25'] },
  default: { ackWithin: 600, dispatchWithin: 1800, arriveWithin: 3600, resolveWithin: DAY / 1000 },
  overrides: [
    { severity: 'severe', ackWithin: 300, dispatchWithin: 900, arriveWithin: 1800, resolveWithin: 12 * 3600 },
    { category: 'fire', severity: 'severe', ackWithin: 120, dispatchWithin: 600, arriveWithin: 1200, resolveWithin: 6 * 3600 },
    { category: 'hotline', ackWithin: 3600, dispatchWithin: 4 * 3600, resolveWithin: 2 * 8 * 3600, workingHours: ['dispatch', 'resolve'] },
  ],
};

let now = START - H;
/** The store's folder, kept for the restart (the first start copies the run's empty store). */
let dataDir: string | undefined;
let s: TestServer;
let config: SlaConfig;
async function start(): Promise<TestServer> {
  const env = { OVERDUE_TICK_SECONDS: '1', RATE_LIMIT_PER_TOKEN: '0', RATE_LIMIT_PER_IP: '0' };
  const server = await startTestServer({ ...(dataDir ? { dataDir } : { keepData: true }), clock: () => now, env });
  dataDir = server.dataDir;
  return server;
}

beforeAll(async () => {
  s = await start();
  expect((await api(s, 'PUT', '/api/v1/regions', CITY)).status).toBe(200);
});
afterAll(async () => {
  await s?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Audit entries after `after` (all pages). */
interface AuditEntry {
  id: number;
  action: string;
  subject: string;
  detail: Record<string, unknown>;
}
async function auditAfter(after: number): Promise<AuditEntry[]> {
  const all: AuditEntry[] = [];
  for (let cursor: number | null = after; cursor !== null; ) {
    const page: { entries: AuditEntry[]; next: number | null } = (await api(s, 'GET', `/api/v1/audit?after=${cursor}&limit=10000`)).body;
    all.push(...page.entries);
    cursor = page.next;
  }
  return all;
}

describe('the clock config: validated, versioned, audited', () => {
  it('starts from the built-in targets, saved by nobody', async () => {
    const res = await api(s, 'GET', '/api/v1/sla/config');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ savedBy: null, savedAt: null, config: { version: 1 } });
  });

  it('refuses an invalid config naming the field, and saves nothing', async () => {
    const cases: [unknown, string][] = [
      [{ ...CONFIG, default: { ...CONFIG.default, ackWithin: 0 } }, 'default.ackWithin'],
      [{ ...CONFIG, workingHours: { ...CONFIG.workingHours, start: '18:00' } }, 'workingHours.end'],
      [{ ...CONFIG, workingHours: { ...CONFIG.workingHours, timeZone: 'Mars/Olympus' } }, 'workingHours.timeZone'],
      [{ ...CONFIG, overrides: [...CONFIG.overrides, { ...CONFIG.overrides[0] }] }, 'overrides.3'],
      [{ ...CONFIG, default: { ...CONFIG.default, workingHours: ['lunch'] } }, 'default.workingHours'],
    ];
    for (const [body, path] of cases) {
      const res = await api(s, 'PUT', '/api/v1/sla/config', body);
      expect(res.status, path).toBe(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path).join(' '), path).toContain(path);
    }
    expect((await api(s, 'GET', '/api/v1/sla/config')).body.config.version).toBe(1);
  });

  it('saves the next version, audited; a stale version is 409 naming the current one', async () => {
    const headBefore = (await auditAfter(0)).at(-1)?.id ?? 0;
    const saved = await api(s, 'PUT', '/api/v1/sla/config', CONFIG);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ config: { ...CONFIG, version: 2 }, savedBy: { role: 'admin' }, savedAt: new Date(now).toISOString() });
    config = saved.body.config;
    const stale = await api(s, 'PUT', '/api/v1/sla/config', { ...CONFIG, version: 2, default: { ...CONFIG.default, ackWithin: 1 } });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toMatch(/current version is 2/);
    expect((await api(s, 'GET', '/api/v1/sla/config')).body.config).toEqual(config);
    const audit = await auditAfter(headBefore);
    expect(audit.filter((e) => e.action === 'sla:configured').map((e) => e.subject)).toEqual(['sla-config/v2']);
  });
});

describe('KPIs from stored history', () => {
  let incidents: (OracleIncident & { drill: boolean })[] = [];

  beforeAll(async () => {
    await playCity(s, planCity(START, SLOTS, PER_SLOT), END, (t) => (now = t));
    now = END;
    const list = (await api(s, 'GET', '/api/v1/incidents?drill=include&limit=10000')).body.features as IncidentFeature[];
    expect(list.length).toBe(SLOTS * PER_SLOT);
    incidents = await Promise.all(
      list.map(async (f) => {
        const history = (await api(s, 'GET', `/api/v1/incidents/${f.id}/history`)).body.items as IncidentChange[];
        return { id: f.id, regionCode: f.properties.regionCode, category: f.properties.category, severity: f.properties.severity, drill: f.properties.drill, history };
      }),
    );
  });

  const cal = () => fixedOffsetCalendar(config, 8);
  const periods = [
    { name: 'a past period, read as it stood at its end', from: START + DAY, to: START + 3 * DAY },
    { name: 'the whole run, read now', from: START, to: END + DAY },
  ];

  for (const period of periods) {
    for (const groupBy of ['region', 'category', 'agency', 'unit'] as const) {
      it(`by ${groupBy}, ${period.name}: equal to the KPIs computed from each incident's history`, async () => {
        const res = await api(s, 'GET', `/api/v1/kpis?from=${new Date(period.from).toISOString()}&to=${period.to}&groupBy=${groupBy}`);
        expect(res.status).toBe(200);
        const answer = res.body as KpiAnswer;
        expect(answer).toMatchObject({ groupBy, configVersion: 2, asOf: new Date(Math.min(period.to, now)).toISOString() });
        const keysOf = (i: OracleIncident, asOf: number) => {
          if (groupBy === 'region') return [i.regionCode];
          if (groupBy === 'category') return [i.category];
          // The units that took it on by then (any answer but a decline), or none.
          const took = i.history.filter((c) => c.assignment && c.assignment.to !== 'assigned' && c.assignment.to !== 'declined' && Date.parse(c.at) <= asOf);
          const keys = [...new Set(took.map((c) => (groupBy === 'unit' ? c.assignment!.unitId : c.assignment!.agency)))];
          return keys.length > 0 ? keys : [null];
        };
        const expected = oracleKpis(incidents.filter((i) => !i.drill), config, cal(), { ...period, now }, keysOf);
        expect(answer.groups).toEqual(expected);
        // The scenario is not trivial: the comparison covers samples, backlog and lateness.
        const total = (k: 'count' | 'backlog' | 'overdueOpen' | 'judged') => expected.reduce((sum, g) => sum + g[k], 0);
        expect(total('count')).toBeGreaterThan(80);
        // Some counted incidents are not judged yet (resolve clock still running within its target).
        expect(total('judged')).toBeGreaterThan(20);
        expect(total('judged')).toBeLessThan(total('count'));
        expect(total('backlog')).toBeGreaterThan(5);
        expect(total('overdueOpen')).toBeGreaterThan(0);
        expect(expected.some((g) => g.onTimeShare !== null && g.onTimeShare > 0 && g.onTimeShare < 1)).toBe(true);
        expect(expected.reduce((n, g) => n + g.arrive.samples, 0)).toBeGreaterThan(5);
        // Several agencies and units, and incidents no unit took on.
        if (groupBy === 'agency' || groupBy === 'unit') {
          expect(expected.filter((g) => g.key !== null).length).toBeGreaterThanOrEqual(groupBy === 'agency' ? 3 : 10);
          expect(expected.at(-1)?.key).toBeNull();
        }
      });
    }
  }

  it('each incident read carries its clocks now, as its history says', async () => {
    const sample = incidents.filter((i) => !i.drill);
    const reads = await Promise.all(sample.map(async (i) => (await api(s, 'GET', `/api/v1/incidents/${i.id}`)).body as IncidentFeature));
    const states = new Set<string>();
    sample.forEach((incident, k) => {
      const clocks = reads[k]!.properties.clocks!;
      const want = oracleClocks(incident, config, cal(), now)!.clocks;
      expect(clocks.configVersion).toBe(2);
      for (const name of ['ack', 'dispatch', 'arrive', 'resolve'] as const) {
        const got = clocks[name];
        expect(got === null ? null : { state: got!.state, elapsed: got!.elapsed, dueAt: got!.dueAt, stoppedAt: got!.stoppedAt }, `${incident.id} ${name}`).toEqual(want[name]);
        states.add(got === null ? 'null' : got!.state);
      }
    });
    expect([...states].sort()).toEqual(['met', 'null', 'overdue', 'running']);
  });

  it('refuses a bad period or grouping, naming the parameter', async () => {
    for (const [query, path] of [
      ['groupBy=district', 'groupBy'],
      ['from=yesterday', 'from'],
      [`from=${END}&to=${START}`, 'from'],
      [`from=${START - 400 * DAY}&to=${START}`, 'from'],
    ] as const) {
      const res = await api(s, 'GET', `/api/v1/kpis?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.details[0].path).toBe(path);
    }
  });
});

describe('overdue clocks are announced once', () => {
  const overdueOf = async (after: number, id: string) =>
    (await auditAfter(after)).filter((e) => e.action === 'incident:overdue' && e.subject === id).map((e) => e.detail.clock);
  async function until(predicate: () => Promise<boolean>, ms = 8_000): Promise<void> {
    const end = Date.now() + ms;
    while (!(await predicate())) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it('once per incident and clock, by a tick after its due time, and not again after a restart', async () => {
    now = END + 6 * H;
    const head = (await auditAfter(0)).at(-1)!.id;
    // A severe fire: acknowledge within 120 s, dispatch within 600 s.
    const report = async (externalId: string) =>
      (await api(s, 'POST', '/api/v1/incidents', { source: 'kpi-test', externalId, category: 'fire', severity: 'severe', lon: 120.05, lat: 30.05 })).body.items[0].id as string;
    const x = await report('late-x');
    now += 200_000;
    await until(async () => (await overdueOf(head, x)).length > 0);
    const read = (await api(s, 'GET', `/api/v1/incidents/${x}`)).body as IncidentFeature;
    expect(read.properties.clocks?.ack).toMatchObject({ state: 'overdue', stoppedAt: null, elapsed: 200 });

    // Another incident's announcement shows later ticks ran: x's clock is still announced once.
    const y = await report('late-y');
    now += 200_000;
    await until(async () => (await overdueOf(head, y)).length > 0);
    expect(await overdueOf(head, x)).toEqual(['ack']);

    // A new process on the same store: x's acknowledgement is not announced again, its dispatch
    // clock (due 600 s after its report, now 650 s) is, once, like a third incident's acknowledgement.
    await s.close();
    s = await start();
    const z = await report('late-z');
    now += 250_000;
    await until(async () => (await overdueOf(head, z)).length > 0 && (await overdueOf(head, x)).length > 1);
    expect(await overdueOf(head, x)).toEqual(['ack', 'dispatch']);
    expect(await overdueOf(head, y)).toEqual(['ack']);
    expect(await overdueOf(head, z)).toEqual(['ack']);
  });
});
