/**
 * Service equity through the public contract (docs/domain.md §7) on a held-out city that is not the
 * demo: four rectangular districts near Basel, 2,400 population points (some of them grid-cell
 * polygons, some outside every district) and 52 facilities. Every expected number comes from the
 * naive implementation in this file (its own haversine, a double loop over every cell × facility,
 * the index formulas as written), never from the server's domain code.
 */
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, EquityResult, EquityUpdatedEvent, ServerToClientEvents, WhatIfResult } from '../../server/contract/index.ts';
import { mulberry32, randomInt } from '../../server/demo/random.ts';
import { api, startTestServer, type TestServer } from '../support/server.ts';

// ---- the held-out city ----
const WEST = 7.5;
const SOUTH = 47.5;
const DW = 0.08; // district width, degrees (~6 km)
const DH = 0.06; // district height (~6.7 km)
const DISTRICTS = [
  { code: 'E1', col: 0, row: 0 },
  { code: 'E2', col: 1, row: 0 },
  { code: 'E3', col: 0, row: 1 },
  { code: 'E4', col: 1, row: 1 },
];
const rect = (d: { col: number; row: number }) => ({ w: WEST + d.col * DW, s: SOUTH + d.row * DH, e: WEST + (d.col + 1) * DW, n: SOUTH + (d.row + 1) * DH });
const districtOf = (lon: number, lat: number): string | null => {
  const d = DISTRICTS.find((x) => {
    const r = rect(x);
    return lon > r.w && lon < r.e && lat > r.s && lat < r.n;
  });
  return d?.code ?? null;
};
const regionsBody = {
  type: 'FeatureCollection',
  features: DISTRICTS.map((d) => {
    const r = rect(d);
    return { type: 'Feature', properties: { code: d.code, name: `District ${d.code}` }, geometry: { type: 'Polygon', coordinates: [[[r.w, r.s], [r.e, r.s], [r.e, r.n], [r.w, r.n], [r.w, r.s]]] } };
  }),
};

interface Cell { id: string; lon: number; lat: number; population: number }
interface Facility { id: string; kind: string; lon: number; lat: number; capacity: number }

const rand = mulberry32(20261123);
const around = () => ({ lon: WEST - 0.01 + rand() * (2 * DW + 0.02), lat: SOUTH - 0.01 + rand() * (2 * DH + 0.02) });
const CELL_HALF = 0.002;
const cells: Cell[] = [];
const populationFeatures = Array.from({ length: 2400 }, (_, i) => {
  const { lon, lat } = around();
  const population = i % 20 === 7 ? 0 : randomInt(rand, 1, 400);
  // Odd features carry no id: the server names them by their index.
  const id = i % 2 === 0 ? `c${i}` : String(i);
  cells.push({ id, lon, lat, population });
  const properties = i % 2 === 0 ? { id, population } : { population };
  // Every tenth one is a grid-cell square: used at its centroid, which is its centre.
  const geometry =
    i % 10 === 3
      ? { type: 'Polygon', coordinates: [[[lon - CELL_HALF, lat - CELL_HALF], [lon + CELL_HALF, lat - CELL_HALF], [lon + CELL_HALF, lat + CELL_HALF], [lon - CELL_HALF, lat + CELL_HALF], [lon - CELL_HALF, lat - CELL_HALF]]] }
      : { type: 'Point', coordinates: [lon, lat] };
  return { type: 'Feature', geometry, properties };
});
const facilities: Facility[] = [
  ...Array.from({ length: 40 }, (_, i) => ({ id: `h${i}`, kind: 'hospital', ...around(), capacity: randomInt(rand, 50, 500) })),
  ...Array.from({ length: 12 }, (_, i) => ({ id: `s${i}`, kind: 'school', ...around(), capacity: randomInt(rand, 600, 3000) })),
];
const facilityFeature = (f: Facility) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [f.lon, f.lat] }, properties: { id: f.id, kind: f.kind, capacity: f.capacity, name: `Facility ${f.id}` } });
const facilitiesBody = (list: readonly Facility[]) => ({ type: 'FeatureCollection', features: list.map(facilityFeature) });

// ---- the naive model (docs/domain.md §7, written again from the text) ----
function haversine(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const toRad = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * toRad) / 2) ** 2 + Math.cos(lat1 * toRad) * Math.cos(lat2 * toRad) * Math.sin(((lon2 - lon1) * toRad) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(a)));
}

function naiveAccess(people: readonly Cell[], services: readonly Facility[], d0: number, method: '2sfca' | 'e2sfca'): number[] {
  const weight = (d: number) => {
    if (d > d0) return 0;
    if (method === '2sfca') return 1;
    return (Math.exp(-0.5 * (d / d0) ** 2) - Math.exp(-0.5)) / (1 - Math.exp(-0.5));
  };
  const ratio = services.map((f) => {
    let demand = 0;
    for (const c of people) demand += weight(haversine(c.lon, c.lat, f.lon, f.lat)) * c.population;
    return demand > 0 ? f.capacity / demand : 0;
  });
  return people.map((c) => services.reduce((sum, f, j) => sum + weight(haversine(c.lon, c.lat, f.lon, f.lat)) * (ratio[j] as number), 0));
}

function naiveIndices(access: readonly number[], people: readonly Cell[]) {
  const P = people.reduce((s, c) => s + c.population, 0);
  const mu = people.reduce((s, c, i) => s + c.population * (access[i] as number), 0) / P;
  let pairs = 0;
  for (let i = 0; i < people.length; i++) {
    for (let j = 0; j < people.length; j++) pairs += (people[i] as Cell).population * (people[j] as Cell).population * Math.abs((access[i] as number) - (access[j] as number));
  }
  const gini = mu > 0 ? pairs / (2 * P * P * mu) : 0;
  let theil = 0;
  people.forEach((c, i) => {
    const r = (access[i] as number) / mu;
    if (r > 0) theil += c.population * r * Math.log(r);
  });
  theil = mu > 0 ? theil / P : 0;
  const zero = people.reduce((s, c, i) => s + (access[i] === 0 ? c.population : 0), 0) / P;
  return { population: P, meanAccess: mu, gini, theil, zeroAccessShare: zero };
}

function naiveRegion(code: string, access: readonly number[]) {
  let pop = 0;
  let weighted = 0;
  let zero = 0;
  cells.forEach((c, i) => {
    if (districtOf(c.lon, c.lat) !== code) return;
    pop += c.population;
    weighted += c.population * (access[i] as number);
    if (access[i] === 0) zero += c.population;
  });
  return { population: pop, meanAccess: pop > 0 ? weighted / pop : 0, zeroAccessShare: pop > 0 ? zero / pop : 0 };
}

/** Relative closeness; `floor` keeps a zero expected value from demanding bit-exactness of roundoff. */
function expectClose(actual: number, expected: number, rel = 1e-9, floor = 1e-15): void {
  if (Math.abs(actual - expected) > rel * Math.max(Math.abs(expected), floor)) expect(actual).toBe(expected);
}

function expectMatchesNaive(result: EquityResult, services: readonly Facility[], d0: number, method: '2sfca' | 'e2sfca'): void {
  const expected = naiveAccess(cells, services, d0, method);
  expect(result.cells.map((c) => c.id)).toEqual(cells.map((c) => c.id));
  result.cells.forEach((c, i) => expectClose(c.access, expected[i] as number));
  const indices = naiveIndices(expected, cells);
  expectClose(result.population, indices.population);
  expectClose(result.meanAccess, indices.meanAccess);
  expectClose(result.gini, indices.gini);
  expectClose(result.theil, indices.theil);
  expectClose(result.zeroAccessShare, indices.zeroAccessShare);
  for (const d of DISTRICTS) {
    const region = result.regions.find((r) => r.code === d.code);
    const naive = naiveRegion(d.code, expected);
    expect(region?.population).toBe(naive.population);
    expectClose(region?.meanAccess ?? NaN, naive.meanAccess);
    expectClose(region?.zeroAccessShare ?? NaN, naive.zeroAccessShare);
  }
}

let s: TestServer;
const hospitals = facilities.filter((f) => f.kind === 'hospital');

beforeAll(async () => {
  s = await startTestServer();
  expect((await api(s, 'PUT', '/api/v1/regions', regionsBody)).status).toBe(200);
});
afterAll(async () => {
  await s?.close();
});

describe('inputs', () => {
  it('PUT /population replaces the cells and counts them; polygons count at their centroid', async () => {
    const res = await api(s, 'PUT', '/api/v1/population', { type: 'FeatureCollection', features: populationFeatures });
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(2400);
    expect(res.body.population).toBe(cells.reduce((sum, c) => sum + c.population, 0));
    expect(res.body.outsideRegions).toBe(cells.filter((c) => districtOf(c.lon, c.lat) === null).length);
    expect(res.body.outsideRegions).toBeGreaterThan(0);

    const got = await api(s, 'GET', '/api/v1/population');
    expect(got.status).toBe(200);
    expect(got.body.features).toHaveLength(2400);
    got.body.features.forEach((f: { properties: { id: string; population: number; regionCode: string | null; synthetic: boolean }; geometry: { coordinates: number[] } }, i: number) => {
      const c = cells[i] as Cell;
      expect(f.properties).toEqual({ id: c.id, population: c.population, regionCode: districtOf(c.lon, c.lat), synthetic: false });
      expectClose(f.geometry.coordinates[0] as number, c.lon, 1e-12);
      expectClose(f.geometry.coordinates[1] as number, c.lat, 1e-12);
    });
    const box = [WEST, SOUTH, WEST + DW, SOUTH + DH];
    const inBox = await api(s, 'GET', `/api/v1/population?bbox=${box.join(',')}`);
    expect(inBox.body.features.length).toBe(cells.filter((c) => c.lon >= WEST && c.lon <= WEST + DW && c.lat >= SOUTH && c.lat <= SOUTH + DH).length);
  });

  it('PUT /facilities replaces them; GET filters by kind and bbox', async () => {
    const res = await api(s, 'PUT', '/api/v1/facilities', facilitiesBody(facilities));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ count: 52, kinds: { hospital: 40, school: 12 } });
    const schools = await api(s, 'GET', '/api/v1/facilities?kind=school');
    expect(schools.body.features.map((f: { id: string }) => f.id)).toEqual(facilities.filter((f) => f.kind === 'school').map((f) => f.id));
    const first = schools.body.features[0];
    expect(first.properties).toMatchObject({ kind: 'school', name: 'Facility s0', regionCode: districtOf(facilities[40]!.lon, facilities[40]!.lat), synthetic: false });
    const box = [WEST + DW, SOUTH, WEST + 2 * DW, SOUTH + 2 * DH];
    const east = await api(s, 'GET', `/api/v1/facilities?bbox=${box.join(',')}`);
    expect(east.body.features.length).toBe(facilities.filter((f) => f.lon >= WEST + DW && f.lon <= WEST + 2 * DW && f.lat >= SOUTH && f.lat <= SOUTH + 2 * DH).length);
  });
});

describe('GET /api/v1/equity', () => {
  it('2SFCA: every cell, the indices and the regions equal the naive double loop', async () => {
    const res = await api(s, 'GET', '/api/v1/equity?kind=hospital&radius=2500');
    expect(res.status).toBe(200);
    const result = res.body as EquityResult;
    expect(result).toMatchObject({ kind: 'hospital', radius: 2500, method: '2sfca', facilities: 40, synthetic: false });
    expectMatchesNaive(result, hospitals, 2500, '2sfca');
    // Cells keep where they are and which region they lie in.
    result.cells.forEach((c, i) => expect(c.regionCode).toBe(districtOf((cells[i] as Cell).lon, (cells[i] as Cell).lat)));
    expect(result.lorenz[0]).toEqual([0, 0]);
    expect(result.lorenz.at(-1)?.[0]).toBeCloseTo(1, 12);
  });

  it('E2SFCA: Gaussian decay on both steps equals the naive model', async () => {
    const res = await api(s, 'GET', '/api/v1/equity?kind=hospital&radius=3000&method=e2sfca');
    expect(res.status).toBe(200);
    expectMatchesNaive(res.body as EquityResult, hospitals, 3000, 'e2sfca');
  });

  it('without radius, a kind uses its default catchment (schools: 2,000 m)', async () => {
    const res = await api(s, 'GET', '/api/v1/equity?kind=school');
    expect(res.body.radius).toBe(2000);
    expectMatchesNaive(res.body as EquityResult, facilities.filter((f) => f.kind === 'school'), 2000, '2sfca');
  });

  it('a kind with no facilities answers all access 0', async () => {
    const res = await api(s, 'GET', '/api/v1/equity?kind=fire_station');
    expect(res.status).toBe(200);
    expect(res.body.facilities).toBe(0);
    expect(res.body.cells.every((c: { access: number }) => c.access === 0)).toBe(true);
    expect(res.body).toMatchObject({ gini: 0, theil: 0, meanAccess: 0, zeroAccessShare: 1 });
  });
});

describe('what-if', () => {
  it('adding one hospital equals POSTing it and asking again: every cell, gini, theil, regions', async () => {
    const query = 'kind=hospital&radius=2500';
    const before = (await api(s, 'GET', `/api/v1/equity?${query}`)).body as EquityResult;
    const site = { lon: WEST + 0.03, lat: SOUTH + 0.1, capacity: 320 };
    const res = await api(s, 'POST', '/api/v1/equity/what-if', { kind: 'hospital', radius: 2500, add: [site] });
    expect(res.status).toBe(200);
    const whatIf = res.body as WhatIfResult;
    expect(whatIf.after.facilities).toBe(41);
    expect(whatIf.changes.gini.before).toBe(before.gini);

    // Nothing was stored by the what-if.
    expect((await api(s, 'GET', '/api/v1/facilities?kind=hospital')).body.features).toHaveLength(40);

    const posted = await api(s, 'POST', '/api/v1/facilities', { type: 'Feature', geometry: { type: 'Point', coordinates: [site.lon, site.lat] }, properties: { kind: 'hospital', capacity: site.capacity } });
    expect(posted.status).toBe(201);
    expect(posted.body.features[0].id).toMatch(/^hospital-/);
    const after = (await api(s, 'GET', `/api/v1/equity?${query}`)).body as EquityResult;
    after.cells.forEach((c, i) => expectClose(whatIf.after.cells[i]?.access ?? NaN, c.access, 1e-12));
    expectClose(whatIf.after.gini, after.gini, 1e-12);
    expectClose(whatIf.after.theil, after.theil, 1e-12);
    after.regions.forEach((r, i) => {
      const w = whatIf.after.regions[i];
      expect(w?.code).toBe(r.code);
      expectClose(w?.meanAccess ?? NaN, r.meanAccess, 1e-12);
      expect([w?.silent, w?.underserved]).toEqual([r.silent, r.underserved]);
    });
    // And both equal the naive model with the hospital added.
    expectMatchesNaive(after, [...hospitals, { id: 'new', kind: 'hospital', ...site }], 2500, '2sfca');
    const changed = new Set(whatIf.changes.cells.map((c) => c.id));
    before.cells.forEach((c, i) => expect(changed.has(c.id)).toBe(c.access !== after.cells[i]?.access));
  });

  it('POST /facilities refuses an id already stored (409) and adds nothing', async () => {
    const res = await api(s, 'POST', '/api/v1/facilities', facilitiesBody([{ id: 'fresh-1', kind: 'clinic', lon: WEST, lat: SOUTH, capacity: 10 }, { ...(facilities[0] as Facility) }]));
    expect(res.status).toBe(409);
    expect(res.body.error.details[0].path).toBe('features.1.properties.id');
    expect((await api(s, 'GET', '/api/v1/facilities?kind=clinic')).body.features).toHaveLength(0);
  });
});

describe('bad input is refused with the field named', () => {
  const cases: Array<[string, string, string, unknown, string]> = [
    ['negative population', 'PUT', '/api/v1/population', { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [WEST, SOUTH] }, properties: { population: -5 } }] }, 'features.0.properties.population'],
    ['a facility without kind', 'POST', '/api/v1/facilities', { type: 'Feature', geometry: { type: 'Point', coordinates: [WEST, SOUTH] }, properties: { capacity: 5 } }, 'properties.kind'],
    ['a what-if without a kind it can use', 'POST', '/api/v1/equity/what-if', { kind: 'Not A Kind' }, 'kind'],
    ['an unknown id in a what-if remove', 'POST', '/api/v1/equity/what-if', { kind: 'hospital', remove: ['h1', 'no-such-hospital'] }, 'remove.1'],
    ['a radius out of range', 'GET', '/api/v1/equity?kind=hospital&radius=5', undefined, 'radius'],
    ['a radius that is no number', 'GET', '/api/v1/equity?radius=far', undefined, 'radius'],
    ['an unknown method', 'GET', '/api/v1/equity?method=nearest', undefined, 'method'],
    ['a bad bbox', 'GET', '/api/v1/facilities?bbox=1,2,3', undefined, 'bbox'],
  ];
  it.each(cases)('%s', async (_name, method, route, body, path) => {
    const res = await api(s, method, route, body);
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
  });

  it('reading needs a sign-in; writing needs planner or admin', async () => {
    expect((await api(s, 'GET', '/api/v1/equity', undefined, { token: null })).status).toBe(401);
    const viewer = (await api(s, 'POST', '/api/v1/tokens', { role: 'viewer', name: 'wall' })).body.token as string;
    expect((await api(s, 'GET', '/api/v1/equity?kind=school', undefined, { token: viewer })).status).toBe(200);
    expect((await api(s, 'PUT', '/api/v1/facilities', facilitiesBody(facilities), { token: viewer })).status).toBe(403);
    const planner = (await api(s, 'POST', '/api/v1/tokens', { role: 'planner', name: 'planner' })).body.token as string;
    expect((await api(s, 'PUT', '/api/v1/facilities', facilitiesBody(facilities), { token: planner })).status).toBe(200);
  });
});

describe('live and load', () => {
  it('equity:updated reaches a socket client after PUT /facilities, with the default views recomputed', async () => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connect(s.url, {
      auth: { token: s.adminToken, subscribe: { layers: ['equity'] } },
      transports: ['websocket'],
      reconnection: false,
    });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('replay:done', () => resolve());
        socket.once('connect_error', reject);
      });
      const events: EquityUpdatedEvent[] = [];
      const put = await api(s, 'PUT', '/api/v1/facilities', facilitiesBody(facilities));
      expect(put.status).toBe(200);
      const event = await new Promise<EquityUpdatedEvent>((resolve) => {
        socket.on('equity:updated', (e) => {
          events.push(e);
          if (e.inputsVersion === put.body.inputsVersion) resolve(e);
        });
      });
      expect(event.reason).toBe('facilities');
      expect(event.summaries.map((x) => x.kind)).toEqual(['hospital', 'school']);
      const hospital = event.summaries[0];
      expect(hospital).toMatchObject({ radius: 5000, method: '2sfca' });
      const naive = naiveIndices(naiveAccess(cells, hospitals, 5000, '2sfca'), cells);
      expectClose(hospital?.gini ?? NaN, naive.gini);
      expectClose(hospital?.theil ?? NaN, naive.theil);
    } finally {
      socket.close();
    }
  });

  it('/api/v1/health answers while a heavy computation runs in the worker', async () => {
    // 1,000 hypothetical hospitals at a 100 km catchment: every one of 2.4M pairs counts, twice.
    const add = Array.from({ length: 1000 }, () => ({ ...around(), capacity: 100 }));
    let heavyDone = false;
    const heavy = api(s, 'POST', '/api/v1/equity/what-if', { kind: 'hospital', radius: 100_000, method: 'e2sfca', add }).then((r) => {
      heavyDone = true;
      return r;
    });
    let answeredBefore = 0;
    while (!heavyDone) {
      const health = await api(s, 'GET', '/api/v1/health', undefined, { token: null });
      expect(health.status).toBe(200);
      if (!heavyDone) answeredBefore++;
    }
    const res = await heavy;
    expect(res.status).toBe(200);
    expect(res.body.after.facilities).toBe(1040);
    // A blocked event loop would let at most the first poll in before the computation started.
    expect(answeredBefore).toBeGreaterThanOrEqual(3);
  });
});
