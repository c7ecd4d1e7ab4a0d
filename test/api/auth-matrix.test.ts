/**
 * Who may do what (docs/domain.md §2.2): every HTTP route the server declares × every kind of caller
 * (no token, expired, revoked, and each role), and the socket handshake × the same callers. The
 * expected answers are written from docs/domain.md §2.2 and the route code's role checks; the route list is
 * read from the source so a new route without a row here fails this test.
 */
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declaredRoutes } from '../support/routes.ts';
import { api, startTestServer, type TestServer } from '../support/server.ts';

type Caller = 'none' | 'expired' | 'revoked' | 'viewer' | 'responder' | 'planner' | 'admin';
const CALLERS: Caller[] = ['none', 'expired', 'revoked', 'viewer', 'responder', 'planner', 'admin'];
const ROLES = ['viewer', 'responder', 'planner', 'admin'] as const;

/**
 * `open`: public and never looks at a token (QR codes, the public parcel page: a stale cookie on a
 * phone must not stop it). `public`: no token needed, but a bad one is refused (401) rather than
 * silently read as signed out. `signed`: any role. A role name: that role and admin. `append-only`:
 * no one, 405 (a bad token is still refused first).
 */
type Access = 'open' | 'public' | 'signed' | 'responder' | 'planner' | 'admin' | 'append-only';

function expected(access: Access, caller: Caller): 200 | 401 | 403 | 405 {
  const bad = caller === 'none' || caller === 'expired' || caller === 'revoked';
  if (access === 'open') return 200;
  if (access === 'public') return caller === 'expired' || caller === 'revoked' ? 401 : 200;
  if (access === 'append-only') return caller === 'expired' || caller === 'revoked' ? 401 : 405;
  if (bad) return 401;
  if (access === 'signed' || caller === 'admin' || caller === access) return 200;
  return 403;
}

interface Ctx {
  s: TestServer;
  tokens: Record<Caller, string | null>;
  incidentId: string;
  parcelCode: string;
  n: number;
}
interface Row {
  /** `file METHOD path` exactly as declared in the source. */
  route: string;
  method: string;
  access: Access;
  url: (c: Ctx) => string | Promise<string>;
  body?: (c: Ctx) => unknown | Promise<unknown>;
}

const box = (x: number, y: number, d: number) => [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]];
const CITY = { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Polygon', coordinates: box(120, 30, 0.1) }, properties: { code: '330106', name: '西湖区', population: 10_000 } }] };
const POPULATION = { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [120.05, 30.05] }, properties: { id: 'c1', population: 100 } }] };
const facility = (id: string) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [120.04, 30.04] }, properties: { id, kind: 'hospital', capacity: 10, name: id } });
const parcel = (c: Ctx) => ({ type: 'Feature', geometry: { type: 'Polygon', coordinates: box(120.01 + (c.n % 50) * 0.0015, 30.01 + Math.floor(c.n / 50) * 0.0015, 0.001) }, properties: { landUse: '07' } });
const MATRIX_UNIT = { id: 'M-1', callSign: 'matrix 1', kind: 'fire_engine', serves: ['fire'] };
const newIncident = async (c: Ctx) => (await api(c.s, 'POST', '/api/v1/incidents', { lat: 30.05, lon: 120.05, title: `m${c.n}` })).body.items[0].id as string;
const newParcel = async (c: Ctx) => (await api(c.s, 'POST', '/api/v1/parcels', parcel(c))).body.properties.code as string;
/** A free unit of its own for each call, so every caller that may assign or answer finds one. */
const freeUnit = async (c: Ctx) => {
  const id = `D-${c.n}`;
  await api(c.s, 'PUT', '/api/v1/units', [{ id, callSign: id, kind: 'fire_engine', serves: ['other'] }]);
  return id;
};
const newAssignment = async (c: Ctx) => (await api(c.s, 'POST', `/api/v1/incidents/${await newIncident(c)}/assignments`, { unitId: await freeUnit(c) })).body.id as string;

const ROWS: Row[] = [
  { route: "system.ts GET '/health'", method: 'GET', access: 'public', url: () => '/api/v1/health' },
  { route: "system.ts GET '/session'", method: 'GET', access: 'signed', url: () => '/api/v1/session' },
  { route: "tokens.ts GET '/'", method: 'GET', access: 'admin', url: () => '/api/v1/tokens' },
  { route: "tokens.ts POST '/'", method: 'POST', access: 'admin', url: () => '/api/v1/tokens', body: () => ({ role: 'viewer', name: 'matrix' }) },
  {
    route: "tokens.ts DELETE '/:id'",
    method: 'DELETE',
    access: 'admin',
    url: async (c) => `/api/v1/tokens/${(await api(c.s, 'POST', '/api/v1/tokens', { role: 'viewer', name: 'to revoke' })).body.id}`,
  },
  {
    route: "tokens.ts PATCH '/:id'",
    method: 'PATCH',
    access: 'admin',
    url: async (c) => `/api/v1/tokens/${(await api(c.s, 'POST', '/api/v1/tokens', { role: 'responder', name: 'to bind' })).body.id}`,
    body: () => ({ unitId: null }),
  },
  { route: "units.ts GET '/'", method: 'GET', access: 'signed', url: () => '/api/v1/units' },
  { route: "units.ts PUT '/'", method: 'PUT', access: 'admin', url: () => '/api/v1/units', body: () => [MATRIX_UNIT] },
  {
    route: "units.ts POST '/positions'",
    method: 'POST',
    access: 'responder',
    url: async (c) => {
      await api(c.s, 'PUT', '/api/v1/units', [MATRIX_UNIT]);
      return '/api/v1/units/positions';
    },
    body: (c) => [{ unitId: MATRIX_UNIT.id, lon: 120.05, lat: 30.05, at: new Date(Date.now() - 60_000 + c.n).toISOString() }],
  },
  {
    route: "units.ts GET '/:id/track'",
    method: 'GET',
    access: 'signed',
    url: async (c) => {
      await api(c.s, 'PUT', '/api/v1/units', [MATRIX_UNIT]);
      return `/api/v1/units/${MATRIX_UNIT.id}/track`;
    },
  },
  { route: "regions.ts GET '/'", method: 'GET', access: 'public', url: () => '/api/v1/regions' },
  { route: "regions.ts PUT '/'", method: 'PUT', access: 'admin', url: () => '/api/v1/regions', body: () => CITY },
  { route: "incidents.ts GET '/'", method: 'GET', access: 'signed', url: () => '/api/v1/incidents' },
  { route: "incidents.ts POST '/'", method: 'POST', access: 'responder', url: () => '/api/v1/incidents', body: (c) => ({ lat: 30.05, lon: 120.05, title: `matrix ${c.n}` }) },
  { route: "incidents.ts GET '/:id'", method: 'GET', access: 'signed', url: (c) => `/api/v1/incidents/${c.incidentId}` },
  { route: "incidents.ts GET '/:id/history'", method: 'GET', access: 'signed', url: (c) => `/api/v1/incidents/${c.incidentId}/history` },
  { route: "incidents.ts PATCH '/:id'", method: 'PATCH', access: 'responder', url: async (c) => `/api/v1/incidents/${await newIncident(c)}`, body: () => ({ status: 'acknowledged' }) },
  { route: "incident-nearby.ts GET '/:id/nearby'", method: 'GET', access: 'signed', url: (c) => `/api/v1/incidents/${c.incidentId}/nearby` },
  { route: "risk.ts GET '/'", method: 'GET', access: 'signed', url: () => '/api/v1/risk' },
  { route: "risk.ts GET '/history'", method: 'GET', access: 'signed', url: () => '/api/v1/risk/history' },
  { route: "risk.ts GET '/bulletin'", method: 'GET', access: 'signed', url: () => '/api/v1/risk/bulletin' },
  { route: "risk.ts GET '/config'", method: 'GET', access: 'signed', url: () => '/api/v1/risk/config' },
  {
    route: "risk.ts PUT '/config'",
    method: 'PUT',
    access: 'admin',
    url: () => '/api/v1/risk/config',
    body: async (c) => {
      const { config } = (await api(c.s, 'GET', '/api/v1/risk/config')).body;
      return { ...config, version: config.version + 1 };
    },
  },
  { route: "measures.ts GET '/config'", method: 'GET', access: 'signed', url: () => '/api/v1/measures/config' },
  {
    route: "measures.ts PUT '/config'",
    method: 'PUT',
    access: 'admin',
    url: () => '/api/v1/measures/config',
    body: async (c) => {
      const { config } = (await api(c.s, 'GET', '/api/v1/measures/config')).body;
      return { ...config, version: config.version + 1 };
    },
  },
  { route: "incident-measures.ts GET '/:id/measures'", method: 'GET', access: 'signed', url: (c) => `/api/v1/incidents/${c.incidentId}/measures` },
  {
    route: "incident-measures.ts POST '/:id/measures/:measureId'",
    method: 'POST',
    access: 'responder',
    // The district's level climbs as the matrix adds incidents: tick a measure of its level now.
    url: async (c) => {
      const id = await newIncident(c);
      const { items } = (await api(c.s, 'GET', `/api/v1/incidents/${id}/measures`)).body;
      return `/api/v1/incidents/${id}/measures/${items[0].id}`;
    },
    body: () => ({ done: true }),
  },
  { route: "parcels.ts GET '/'", method: 'GET', access: 'signed', url: () => '/api/v1/parcels' },
  { route: "parcels.ts POST '/'", method: 'POST', access: 'planner', url: () => '/api/v1/parcels', body: parcel },
  { route: "parcels.ts GET '/:code'", method: 'GET', access: 'signed', url: (c) => `/api/v1/parcels/${c.parcelCode}` },
  { route: "parcels.ts GET '/:code/surroundings'", method: 'GET', access: 'signed', url: (c) => `/api/v1/parcels/${c.parcelCode}/surroundings` },
  {
    route: "parcels.ts POST '/:code/steps'",
    method: 'POST',
    access: 'planner',
    url: async (c) => `/api/v1/parcels/${await newParcel(c)}/steps`,
    body: () => ({ step: 'supplied', department: '公共资源交易中心', documents: [{ title: '出让合同', number: 'M-1', issuedAt: '2026-02-01' }] }),
  },
  { route: "parcels.ts ALL '/:code/steps'", method: 'GET', access: 'append-only', url: (c) => `/api/v1/parcels/${c.parcelCode}/steps` },
  { route: "parcels.ts ALL '/:code/steps/:id'", method: 'PUT', access: 'append-only', url: (c) => `/api/v1/parcels/${c.parcelCode}/steps/1` },
  { route: "parcels.ts DELETE '/:code'", method: 'DELETE', access: 'append-only', url: (c) => `/api/v1/parcels/${c.parcelCode}` },
  { route: "parcels.ts POST '/import'", method: 'POST', access: 'planner', url: () => '/api/v1/parcels/import', body: (c) => ({ type: 'FeatureCollection', features: [parcel({ ...c, n: c.n + 500 })] }) },
  {
    route: "parcels.ts GET '/import/:id'",
    method: 'GET',
    access: 'planner',
    url: async (c) => `/api/v1/parcels/import/${(await api(c.s, 'POST', '/api/v1/parcels/import', { type: 'FeatureCollection', features: [parcel({ ...c, n: c.n + 1000 })] })).body.id}`,
  },
  { route: "parcel-qr.ts GET '/:code/qr.svg'", method: 'GET', access: 'open', url: (c) => `/api/v1/parcels/${c.parcelCode}/qr.svg` },
  { route: "parcel-qr.ts GET '/:code/qr.png'", method: 'GET', access: 'open', url: (c) => `/api/v1/parcels/${c.parcelCode}/qr.png` },
  { route: "parcel-page.ts GET '/'", method: 'GET', access: 'open', url: () => '/p/' },
  { route: "parcel-page.ts GET '/:code'", method: 'GET', access: 'open', url: (c) => `/p/${c.parcelCode}` },
  { route: "tiles/router.ts GET /^\\/parcels\\/.*/", method: 'GET', access: 'signed', url: () => '/tiles/parcels/0/0/0.pbf' },
  { route: "equity.ts GET '/'#population", method: 'GET', access: 'signed', url: () => '/api/v1/population' },
  { route: "equity.ts PUT '/'#population", method: 'PUT', access: 'planner', url: () => '/api/v1/population', body: () => POPULATION },
  { route: "equity.ts GET '/'#facilities", method: 'GET', access: 'signed', url: () => '/api/v1/facilities' },
  { route: "equity.ts PUT '/'#facilities", method: 'PUT', access: 'planner', url: () => '/api/v1/facilities', body: () => ({ type: 'FeatureCollection', features: [facility('h1')] }) },
  { route: "equity.ts POST '/'#facilities", method: 'POST', access: 'planner', url: () => '/api/v1/facilities', body: (c) => facility(`extra-${c.n}`) },
  { route: "equity.ts GET '/'#equity", method: 'GET', access: 'signed', url: () => '/api/v1/equity?kind=hospital' },
  { route: "sla.ts GET '/config'", method: 'GET', access: 'signed', url: () => '/api/v1/sla/config' },
  {
    route: "sla.ts PUT '/config'",
    method: 'PUT',
    access: 'admin',
    url: () => '/api/v1/sla/config',
    body: async (c) => {
      const { config } = (await api(c.s, 'GET', '/api/v1/sla/config')).body;
      return { ...config, version: config.version + 1 };
    },
  },
  { route: "kpis.ts GET '/'", method: 'GET', access: 'signed', url: () => '/api/v1/kpis?groupBy=category' },
  { route: "audit.ts GET '/'", method: 'GET', access: 'admin', url: () => '/api/v1/audit?limit=10' },
  { route: "audit.ts GET '/verify'", method: 'GET', access: 'admin', url: () => '/api/v1/audit/verify' },
  { route: "equity.ts GET '/summary'", method: 'GET', access: 'signed', url: () => '/api/v1/equity/summary' },
  { route: "dispatch.ts POST '/:id/assignments'", method: 'POST', access: 'responder', url: async (c) => `/api/v1/incidents/${await newIncident(c)}/assignments`, body: async (c) => ({ unitId: await freeUnit(c) }) },
  { route: "dispatch.ts GET '/:id/assignments'", method: 'GET', access: 'signed', url: (c) => `/api/v1/incidents/${c.incidentId}/assignments` },
  { route: "dispatch.ts GET '/:id/recommend'", method: 'GET', access: 'signed', url: (c) => `/api/v1/incidents/${c.incidentId}/recommend` },
  { route: "dispatch.ts GET '/'", method: 'GET', access: 'signed', url: () => '/api/v1/assignments' },
  { route: "dispatch.ts GET '/:id'", method: 'GET', access: 'signed', url: async (c) => `/api/v1/assignments/${await newAssignment(c)}` },
  // An unbound token answers for any unit only with dispatch:write; a bound one is tried in test/api/dispatch.test.ts.
  { route: "dispatch.ts PATCH '/:id'", method: 'PATCH', access: 'responder', url: async (c) => `/api/v1/assignments/${await newAssignment(c)}`, body: () => ({ status: 'accepted' }) },
  { route: "equity.ts POST '/what-if'", method: 'POST', access: 'signed', url: () => '/api/v1/equity/what-if', body: () => ({ kind: 'hospital', radius: 2000, add: [{ lon: 120.06, lat: 30.06, capacity: 5 }] }) },
];

let ctx: Ctx;
const tally = { cells: 0, sockets: 0 };

beforeAll(async () => {
  const s = await startTestServer({ demoData: false });
  expect((await api(s, 'PUT', '/api/v1/regions', CITY)).status).toBe(200);
  const issue = async (role: string, extra: Record<string, unknown> = {}) => (await api(s, 'POST', '/api/v1/tokens', { role, name: `matrix ${role}`, ...extra })).body;
  const tokens: Record<Caller, string | null> = { none: null, admin: s.adminToken, viewer: '', responder: '', planner: '', expired: '', revoked: '' };
  for (const role of ROLES.slice(0, 3)) tokens[role] = (await issue(role)).token;
  tokens.expired = (await issue('planner', { ttlSeconds: 1 })).token;
  const revoked = await issue('admin');
  tokens.revoked = revoked.token;
  expect((await api(s, 'DELETE', `/api/v1/tokens/${revoked.id}`)).status).toBe(204);
  ctx = { s, tokens, incidentId: '', parcelCode: '', n: 0 };
  ctx.incidentId = await newIncident(ctx);
  ctx.parcelCode = await newParcel(ctx);
  await api(s, 'PUT', '/api/v1/population', POPULATION);
  await api(s, 'PUT', '/api/v1/facilities', { type: 'FeatureCollection', features: [facility('h1')] });
  // Let the 1-second token expire.
  await new Promise((r) => setTimeout(r, 1100));
});
afterAll(async () => {
  console.log(`authorisation matrix: ${ROWS.length} routes × ${CALLERS.length} callers = ${tally.cells} HTTP cells, ${tally.sockets} socket handshakes`);
  await ctx?.s.close();
});

describe('the authorisation matrix', () => {
  it('has a row for every route the server declares, and no row for a route it does not', () => {
    const declared = declaredRoutes().sort();
    const tabled = [...new Set(ROWS.map((r) => r.route.replace(/#.*$/, '')))].sort();
    expect(tabled).toEqual([...new Set(declared)].sort());
    // equity.ts declares GET/PUT '/' for population, facilities and equity routers: one row each.
    expect(declared.filter((r) => r === "equity.ts GET '/'")).toHaveLength(3);
  });

  for (const row of ROWS) {
    it(`${row.method} ${row.route}`, async () => {
      for (const caller of CALLERS) {
        ctx.n++;
        const url = await row.url(ctx);
        const body = row.body ? await row.body(ctx) : undefined;
        const res = await api(ctx.s, row.method, url, body, { token: ctx.tokens[caller] });
        const want = expected(row.access, caller);
        const got = want === 200 ? (res.status >= 200 && res.status < 300 ? 200 : res.status) : res.status;
        expect(got, `${caller} ${row.method} ${url}: ${JSON.stringify(res.body)?.slice(0, 200)}`).toBe(want);
        tally.cells++;
      }
    });
  }

  it('the socket handshake: every role connects, no token / expired / revoked are refused', async () => {
    for (const caller of CALLERS) {
      const token = ctx.tokens[caller];
      const socket = connect(ctx.s.url, { auth: token === null ? {} : { token }, transports: ['websocket'], forceNew: true, reconnection: false });
      const outcome = await new Promise<string>((resolve) => {
        socket.once('replay:done', () => resolve('connected'));
        socket.once('connect_error', (e) => resolve(e.message));
      });
      socket.disconnect();
      if (caller === 'none' || caller === 'expired' || caller === 'revoked') expect(outcome, caller).toMatch(/unauthori[sz]ed/);
      else expect(outcome, caller).toBe('connected');
      // As on HTTP, the refusal says why: a wall shows "revoked" or "expired", not just "not valid".
      if (caller === 'expired' || caller === 'revoked') expect(outcome, caller).toMatch(caller === 'expired' ? /expired on/ : /revoked on/);
      tally.sockets++;
    }
  });
});
