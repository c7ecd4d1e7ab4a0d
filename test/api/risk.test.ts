/**
 * The five-colour map through the public contract (docs/domain.md §5), on a city that is not the demo:
 * 33 square districts with their own populations. Every expected number comes from a naive
 * implementation in this file (loops over all incidents and all pairs), not from the server's model.
 */
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, RegionRisk, RiskChangedEvent, RiskLevel, RiskSnapshot, ServerToClientEvents, Severity } from '../../server/contract/index.ts';
import { mulberry32 } from '../../server/demo/random.ts';
import { api, startTestServer, type TestServer } from '../support/server.ts';

const HOUR = 3_600_000;
const COLS = 11;
const ROWS = 3;
const CELL = 0.05; // degrees: about 4.3 km × 5.6 km at 40° N
const WEST = 100;
const SOUTH = 40;

interface District {
  code: string;
  population: number;
  col: number;
  row: number;
}

interface Posted {
  externalId: string;
  code: string;
  severity: Severity;
  ageHours: number;
  lon: number;
  lat: number;
  rejected?: boolean;
}

const districts: District[] = [];
for (let row = 0; row < ROWS; row++) {
  for (let col = 0; col < COLS; col++) districts.push({ code: `T${String(row * COLS + col).padStart(2, '0')}`, population: 0, col, row });
}

function square(d: District): number[][] {
  const w = WEST + d.col * CELL;
  const s = SOUTH + d.row * CELL;
  return [[w, s], [w + CELL, s], [w + CELL, s + CELL], [w, s + CELL], [w, s]];
}

/** A point on a 0.01° lattice inside the district (slot 0–15), so random points are ≥ 850 m apart. */
function slot(d: District, n: number): [number, number] {
  return [WEST + d.col * CELL + 0.005 + 0.01 * (n % 4) + 0.005, SOUTH + d.row * CELL + 0.005 + 0.01 * Math.floor(n / 4) + 0.005];
}

// ---- the naive model (docs/domain.md §5, written again from the text) ----
const W: Record<Severity, number> = { unknown: 1, minor: 1, moderate: 2, severe: 5, extreme: 10 };
const RANK: RiskLevel[] = ['green', 'blue', 'yellow', 'orange', 'red'];

function metres(a: [number, number], b: [number, number]): number {
  const rad = Math.PI / 180;
  const x = (b[0] - a[0]) * rad * Math.cos(((a[1] + b[1]) / 2) * rad);
  const y = (b[1] - a[1]) * rad;
  return Math.hypot(x, y) * 6_371_008.8; // equirectangular: fine at these distances
}

function naive(d: District, incidents: Posted[], atMs: number, postedAtMs: number): { score: number; level: RiskLevel; last24h: number; window: number } {
  // Ages were set relative to the POST; at `atMs` every incident is (atMs − postedAtMs) older.
  const extra = (atMs - postedAtMs) / HOUR;
  const mine = incidents.filter((x) => x.code === d.code && !x.rejected);
  let sum = 0;
  let window = 0;
  let last24h = 0;
  for (const x of mine) {
    const age = x.ageHours + extra;
    if (age <= 24) last24h++;
    if (age > 168) continue;
    window++;
    sum += W[x.severity] * 0.5 ** (age / 24);
  }
  const score = (10_000 * sum) / d.population;
  let level: RiskLevel = score >= 10 ? 'red' : score >= 5 ? 'orange' : score >= 2 ? 'yellow' : score >= 0.5 ? 'blue' : 'green';
  const recent = mine.filter((x) => x.ageHours + extra <= 24);
  const cluster = recent.some((a) => recent.filter((b) => metres([a.lon, a.lat], [b.lon, b.lat]) <= 500).length >= 3);
  if (cluster && RANK.indexOf(level) < RANK.indexOf('yellow')) level = 'yellow';
  if (recent.some((x) => x.severity === 'extreme') && RANK.indexOf(level) < RANK.indexOf('orange')) level = 'orange';
  return { score, level, last24h, window };
}

function regionsBody() {
  return {
    type: 'FeatureCollection',
    features: districts.map((d) => ({
      type: 'Feature',
      geometry: { type: 'Polygon', coordinates: [square(d)] },
      properties: { code: d.code, name: `Test ${d.code}`, population: d.population },
    })),
  };
}

function body(x: Posted, postedAtMs: number) {
  return {
    source: 'risk-test',
    externalId: x.externalId,
    category: 'public_security',
    severity: x.severity,
    lon: x.lon,
    lat: x.lat,
    occurredAt: new Date(postedAtMs - x.ageHours * HOUR).toISOString(),
    title: `test ${x.externalId}`,
  };
}

function openSocket(s: TestServer): Promise<Socket<ServerToClientEvents, ClientToServerEvents>> {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connect(s.url, { auth: { token: s.adminToken }, transports: ['websocket'], reconnection: false });
  return new Promise((resolve, reject) => {
    socket.once('hello', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

describe('five-colour risk on a 33-district city (not the demo)', () => {
  let s: TestServer;
  const rand = mulberry32(20261123); // seeded, so a failure can be replayed
  const posted: Posted[] = [];
  let postedAtMs = 0;

  beforeAll(async () => {
    s = await startTestServer();
    for (const d of districts) d.population = Math.round(5_000 + rand() * 195_000);
    // Hand-made cases: T03 a tight cluster of 3 minor incidents (100 m apart) in a big district;
    // T04 a loose group (two 100 m apart, the third 1 km away); T05 one extreme incident in a big
    // district; T06 three close incidents but one 30 h old (no cluster); T07 the same as T03 with
    // one of them rejected later (no cluster left). T00–T02 and T30–T32 stay empty.
    for (const code of ['T03', 'T04', 'T05', 'T06', 'T07']) districts.find((d) => d.code === code)!.population = 1_000_000;
    districts.find((d) => d.code === 'T00')!.population = 50_000; // one severe incident: 10 → blue
    const at = (code: string) => districts.find((d) => d.code === code)!;
    const near = (d: District, dx: number, dy: number): [number, number] => {
      const [lon, lat] = slot(d, 5);
      return [lon + dx, lat + dy];
    };
    let n = 0;
    const add = (code: string, severity: Severity, ageHours: number, [lon, lat]: [number, number], rejected = false) =>
      posted.push({ externalId: `r${n++}`, code, severity, ageHours, lon, lat, ...(rejected && { rejected }) });
    for (const code of ['T03', 'T07']) {
      add(code, 'minor', 1, near(at(code), 0, 0));
      add(code, 'minor', 5, near(at(code), 0.0012, 0));
      add(code, 'minor', 20, near(at(code), 0, 0.0009), code === 'T07');
    }
    add('T04', 'minor', 2, near(at('T04'), 0, 0));
    add('T04', 'minor', 3, near(at('T04'), 0.0012, 0));
    add('T04', 'minor', 4, near(at('T04'), 0.012, 0));
    add('T05', 'extreme', 10, near(at('T05'), 0, 0));
    add('T06', 'minor', 2, near(at('T06'), 0, 0));
    add('T06', 'minor', 3, near(at('T06'), 0.0012, 0));
    add('T06', 'minor', 30, near(at('T06'), 0, 0.0009));
    const severities: Severity[] = ['unknown', 'minor', 'moderate', 'severe', 'extreme'];
    for (const d of districts.slice(8, 30)) {
      const count = Math.floor(rand() * 13);
      for (let i = 0; i < count; i++) {
        // Random ages 0–200 h (some beyond the 168 h window); extreme only older than 24 h so the
        // random districts test the score, the hand-made ones the rules.
        let severity = severities[Math.floor(rand() * severities.length)]!;
        const ageHours = Math.round(rand() * 200 * 10) / 10;
        if (severity === 'extreme' && ageHours <= 24) severity = 'severe';
        add(d.code, severity, ageHours, slot(d, i));
      }
    }
    expect((await api(s, 'PUT', '/api/v1/regions', regionsBody())).status).toBe(200);
    postedAtMs = Date.now();
    const res = await api(s, 'POST', '/api/v1/incidents', posted.map((x) => body(x, postedAtMs)));
    expect(res.status).toBe(201);
    expect(res.body.accepted).toBe(posted.length);
    const rejected = posted.filter((x) => x.rejected);
    for (const x of rejected) {
      const item = res.body.items[posted.indexOf(x)];
      expect((await api(s, 'PATCH', `/api/v1/incidents/${item.id}`, { status: 'rejected', note: 'duplicate report' })).status).toBe(200);
    }
  });
  afterAll(() => s?.close());

  async function ratings(): Promise<Map<string, RegionRisk>> {
    const res = await api(s, 'GET', '/api/v1/risk');
    expect(res.status).toBe(200);
    return new Map((res.body as RiskSnapshot).regions.map((r) => [r.code, r]));
  }

  it('every district: score within 0.5% of the formula and the matching level', async () => {
    const got = await ratings();
    expect(got.size).toBe(33);
    let nonZero = 0;
    for (const d of districts) {
      const r = got.get(d.code)!;
      const expected = naive(d, posted, Date.parse(r.ratedAt), postedAtMs);
      if (expected.score === 0) expect(r.score).toBe(0);
      else {
        nonZero++;
        expect(Math.abs(r.score - expected.score) / expected.score, `${d.code} score ${r.score} vs ${expected.score}`).toBeLessThanOrEqual(0.005);
      }
      // Hysteresis, naively: within 24 h a level never falls, so a district shows the higher of its
      // level now and its level before the rejections (the only thing in this test that lowers one).
      const beforeRejection = naive(d, posted.map((x) => ({ ...x, rejected: false })), Date.parse(r.ratedAt), postedAtMs).level;
      const held = RANK.indexOf(beforeRejection) > RANK.indexOf(expected.level) ? beforeRejection : expected.level;
      expect(r.level, `${d.code} (score ${expected.score.toFixed(3)})`).toBe(held);
      expect(r.counts.window).toBe(expected.window);
      expect(r.counts.last24h).toBe(expected.last24h);
      expect(r.population).toBe(d.population);
    }
    expect(nonZero).toBeGreaterThan(15);
    // The random districts cover several levels, not just one.
    expect(new Set([...got.values()].map((r) => r.level)).size).toBeGreaterThanOrEqual(4);
  });

  it('clusters and extremes escalate as specified, and a district without incidents is green', async () => {
    const got = await ratings();
    expect(got.get('T03')).toMatchObject({ level: 'yellow', clusters: 1 });
    expect(got.get('T03')!.explanation.rules.map((x) => x.code)).toContain('cluster.lift');
    expect(got.get('T03')!.score).toBeLessThan(0.5); // the cluster, not the score, made it yellow
    expect(got.get('T04')).toMatchObject({ level: 'green', clusters: 0 });
    expect(got.get('T05')!.level).toBe('orange');
    expect(got.get('T05')!.reason).toMatch(/extreme/);
    expect(got.get('T06')).toMatchObject({ level: 'green', clusters: 0 });
    // T07 was yellow by its cluster; the rejected report dissolved it, but a level falls only one
    // step per 24 h: it is held at yellow, and the explanation says so.
    expect(got.get('T07')).toMatchObject({ level: 'yellow', clusters: 0 });
    expect(got.get('T07')!.explanation.rules.at(-1)?.code).toBe('hysteresis.hold');
    for (const code of ['T00', 'T01', 'T02', 'T30', 'T31', 'T32']) {
      expect(got.get(code)).toMatchObject({ level: 'green', score: 0, counts: { last24h: 0, last72h: 0, window: 0 } });
    }
  });

  it('the explanation adds up: contributions by category sum to score × population / 10,000', async () => {
    const got = await ratings();
    for (const r of got.values()) {
      const sum = Object.values(r.explanation.byCategory).reduce((a, b) => a + (b ?? 0), 0);
      expect(sum * 10_000 / r.population!).toBeCloseTo(r.score, 9);
      expect(r.explanation.rules[0]?.rule).toBe('score');
    }
  });

  it('a level change reaches a socket client as risk:changed within 1 s, and the bulletin lists it', async () => {
    const socket = await openSocket(s);
    try {
      // T00 (empty) gets one severe incident now: 5 × 10,000 / population ≥ 0.5 for any population ≤ 100,000.
      const d = districts.find((x) => x.code === 'T00')!;
      const expected = naive(d, [{ externalId: 'x', code: 'T00', severity: 'severe', ageHours: 0, lon: slot(d, 0)[0], lat: slot(d, 0)[1] }], Date.now(), Date.now()).level;
      expect(expected).not.toBe('green');
      const received = new Promise<{ event: RiskChangedEvent; at: number }>((resolve) => {
        socket.on('risk:changed', (event) => {
          if (event.code === 'T00') resolve({ event, at: Date.now() });
        });
      });
      const started = Date.now();
      const res = await api(s, 'POST', '/api/v1/incidents', { source: 'risk-test', externalId: 'live-1', severity: 'severe', category: 'fire', lon: slot(d, 0)[0], lat: slot(d, 0)[1] });
      expect(res.status).toBe(201);
      const { event, at } = await received;
      expect(at - started).toBeLessThan(1000);
      expect(event).toMatchObject({ code: 'T00', name: 'Test T00', from: 'green', to: expected });
      expect(event.seq).toBeGreaterThan(res.body.items[0].seq);
      expect(event.region.level).toBe(expected);

      // The bulletin of the day (in the server's zone, Asia/Shanghai) lists the change.
      const date = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(event.at));
      const bulletin = await api(s, 'GET', `/api/v1/risk/bulletin?date=${date}`);
      expect(bulletin.status).toBe(200);
      expect(bulletin.body.changes.map((c: RiskChangedEvent) => [c.code, c.from, c.to])).toContainEqual(['T00', 'green', expected]);
      // First ratings (from null, when the regions arrived) are not changes a bulletin reports.
      expect(bulletin.body.changes.every((c: RiskChangedEvent) => c.from !== null)).toBe(true);
      expect(Object.values(bulletin.body.levels as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(33);
      const html = await fetch(`${s.url}/api/v1/risk/bulletin?date=${date}&format=html`, { headers: { authorization: `Bearer ${s.adminToken}` } });
      expect(html.headers.get('content-type')).toMatch(/text\/html/);
      const page = await html.text();
      expect(page).toContain('五色图风险等级日报');
      expect(page).toContain('<tr data-code="T00">');
      // A day without changes says so.
      const quiet = await api(s, 'GET', '/api/v1/risk/bulletin?date=2020-01-01');
      expect(quiet.body.changes).toEqual([]);
    } finally {
      socket.close();
    }
  });

  it('GET /risk?at= answers the recorded state at that time; history holds the changes in order', async () => {
    const history = await api(s, 'GET', '/api/v1/risk/history');
    expect(history.status).toBe(200);
    const changes = history.body.changes as RiskChangedEvent[];
    const seqs = changes.map((c) => c.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const t00 = changes.filter((c) => c.code === 'T00');
    expect(t00.map((c) => c.from)).toEqual([null, 'green']);
    const changedAt = Date.parse(t00[1]!.at);
    const before = await api(s, 'GET', `/api/v1/risk?at=${new Date(changedAt - 1).toISOString()}`);
    const after = await api(s, 'GET', `/api/v1/risk?at=${changedAt}`);
    expect(before.body.source).toBe('history');
    const level = (snapshot: RiskSnapshot, code: string) => snapshot.regions.find((r) => r.code === code)?.level;
    expect(level(before.body, 'T00')).toBe('green');
    expect(level(after.body, 'T00')).toBe(t00[1]!.to);
    // Independently of the server's `?at=`, replaying the history's changes gives the same levels.
    const replayed = new Map<string, RiskLevel>();
    for (const c of changes) if (Date.parse(c.at) <= changedAt) replayed.set(c.code, c.to);
    for (const r of (after.body as RiskSnapshot).regions) expect(r.level).toBe(replayed.get(r.code) ?? 'green');
    // Before the regions existed nothing was recorded: everything green.
    const long = await api(s, 'GET', `/api/v1/risk?at=${Date.parse(history.body.from)}`);
    expect((long.body as RiskSnapshot).regions.every((r) => r.level === 'green')).toBe(true);
  });

  it('refuses bad query parameters with a message naming them', async () => {
    for (const [route, field] of [
      ['/api/v1/risk?at=yesterday', 'at'],
      [`/api/v1/risk?at=${Date.now() + 3_600_000}`, 'at'],
      ['/api/v1/risk/history?from=2026-11-20T00:00:00Z&to=2026-11-10T00:00:00Z', 'from'],
      ['/api/v1/risk/history?from=2026-01-01T00:00:00Z&to=2026-11-10T00:00:00Z', 'from'],
      ['/api/v1/risk/bulletin?date=2026-02-30', 'date'],
      ['/api/v1/risk/bulletin?date=2026-11-23&format=pdf', 'format'],
    ] as const) {
      const res = await api(s, 'GET', route);
      expect(res.status, route).toBe(400);
      expect(res.body.error.code).toBe('invalid_query');
      expect(res.body.error.details[0].path).toBe(field);
    }
    expect((await api(s, 'GET', '/api/v1/risk', undefined, { token: null })).status).toBe(401);
  });
});
