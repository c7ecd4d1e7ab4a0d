/**
 * No malformed request is the server's fault: every route the server declares (read from the
 * source, as the authorisation matrix does) gets hostile path segments, hostile values and shapes
 * for each query parameter its file reads, and hostile headers, as administrator and without a
 * token. No answer may be 5xx, nothing may be logged as an error, and health answers at the end.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../server/config.ts';
import { API_PREFIX } from '../../server/contract/common.ts';
import { AssignmentQuery } from '../../server/contract/dispatch.ts';
import { EquityQuery } from '../../server/contract/equity.ts';
import { IncidentQuery } from '../../server/contract/incidents.ts';
import { SAFE_LOG_OPTIONS } from '../../server/logger.ts';
import { chaosCount } from '../support/chaos.ts';
import { closeRawClient, HOSTILE_HEADERS, HOSTILE_SEGMENTS, HOSTILE_VALUES, hostileQueryShapes, rawRequest, type RawAnswer } from '../support/hostile-requests.ts';
import { declaredRoutes, mountedRoutes } from '../support/routes.ts';
import { api, startTestServer, type TestServer } from '../support/server.ts';

/** Query schemas parsed whole (`X.safeParse(req.query)`): their keys are the names the route reads. */
const QUERY_SCHEMAS: Record<string, readonly string[]> = {
  IncidentQuery: Object.keys(IncidentQuery.shape),
  EquityQuery: Object.keys(EquityQuery.shape),
  AssignmentQuery: Object.keys(AssignmentQuery.shape),
};

/** Query names a route file (and the http files it imports) reads, from its source. */
function queryNames(file: string, seen = new Set<string>()): Set<string> {
  const names = new Set<string>();
  const full = path.join(PROJECT_ROOT, file.includes('/') ? 'server' : 'server/http', file);
  if (seen.has(full) || !fs.existsSync(full)) return names;
  seen.add(full);
  const source = fs.readFileSync(full, 'utf8');
  for (const m of source.matchAll(/req\.query\.(\w+)|req\.query\[['"](\w+)['"]\]|Param\(req, '(\w+)'\)/g)) names.add((m[1] ?? m[2] ?? m[3])!);
  for (const m of source.matchAll(/(\w+)\.safeParse\(req\.query\)/g)) for (const key of QUERY_SCHEMAS[m[1]!] ?? []) names.add(key);
  for (const m of source.matchAll(/from '\.\/([\w-]+\.ts)'/g)) for (const n of queryNames(m[1]!, seen)) names.add(n);
  return names;
}

interface Target {
  route: string;
  method: string;
  /** Path with `:name` placeholders, mount prefix included. */
  template: string;
  queries: string[];
}

function targets(): Target[] {
  const out: Target[] = [];
  for (const { route, method, path: template } of mountedRoutes(API_PREFIX)) {
    const queries = [...queryNames(route.split(' ')[0]!)];
    for (const m of method === 'ALL' ? ['GET', 'PUT'] : [method]) out.push({ route, method: m, template, queries });
  }
  // The dashboard's static files and single-page fallback (client.ts mounts them with router.use).
  for (const template of ['/assets/:rest', '/:rest']) out.push({ route: 'client.ts static', method: 'GET', template, queries: ['token', 'lang'] });
  return out;
}

const logLines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    logLines.push(chunk.toString());
    done();
  },
});

let s: TestServer;
let clientDir: string;
const valid: Record<string, string> = { code: '', id: '', rest: '' };
const tally = { requests: 0, byStatus: new Map<number, number>() };
const box = (x: number, y: number, d: number) => [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]];

beforeAll(async () => {
  // A stand-in dashboard build, so the single-page fallback is swept too (dist/client may not exist).
  clientDir = fs.mkdtempSync(path.join(os.tmpdir(), 'citybrain-no500-client-'));
  fs.mkdirSync(path.join(clientDir, 'assets'));
  fs.writeFileSync(path.join(clientDir, 'index.html'), '<!doctype html><title>City Brain</title>');
  fs.writeFileSync(path.join(clientDir, 'assets', 'app.js'), 'export {};');
  s = await startTestServer({ demoData: false, clientDir, logger: pino({ level: 'debug', ...SAFE_LOG_OPTIONS }, sink), env: { RATE_LIMIT_PER_TOKEN: '0', RATE_LIMIT_PER_IP: '0' } });
  await api(s, 'PUT', '/api/v1/regions', { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Polygon', coordinates: box(120, 30, 0.1) }, properties: { code: '330106', name: '西湖区', population: 10_000 } }] });
  valid.id = (await api(s, 'POST', '/api/v1/incidents', { lat: 30.05, lon: 120.05, title: 'sweep' })).body.items[0].id;
  valid.code = (await api(s, 'POST', '/api/v1/parcels', { type: 'Feature', geometry: { type: 'Polygon', coordinates: box(120.01, 30.01, 0.001) }, properties: { landUse: '07' } })).body.properties.code;
  await api(s, 'PUT', '/api/v1/facilities', { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [120.04, 30.04] }, properties: { id: 'h1', kind: 'hospital', capacity: 10 } }] });
  await api(s, 'PUT', '/api/v1/population', { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [120.05, 30.05] }, properties: { id: 'c1', population: 100 } }] });
});
afterAll(async () => {
  closeRawClient();
  const statuses = [...tally.byStatus].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`).join(' ');
  console.log(`no-500 sweep: ${tally.requests} requests (${statuses})`);
  await s?.close();
  fs.rmSync(clientDir, { recursive: true, force: true });
});

/** A valid value for each placeholder, so the hostile part is the only thing wrong. */
const validFor = (template: string, name: string): string => (name === 'rest' ? (template.startsWith('/tiles') ? '0/0/0.pbf' : template.startsWith('/assets') ? 'app.js' : 'console') : (valid[name] ?? '1'));
const fill = (template: string, values: Record<string, string>): string => template.replace(/:(\w+)/g, (_m, name: string) => values[name] ?? validFor(template, name));

/** Sends one request and checks the answer is not 5xx, naming the request when it is. */
async function probe(method: string, url: string, headers: Record<string, string>, caller: 'admin' | 'none'): Promise<RawAnswer> {
  const withBody = method === 'POST' || method === 'PUT' || method === 'PATCH';
  const sent = {
    ...(withBody && { 'content-type': 'application/json' }),
    ...(caller === 'admin' && { authorization: `Bearer ${s.adminToken}` }),
    ...headers,
  };
  const res = await rawRequest(s.url, method, url, sent, withBody ? '{"x":1}' : undefined);
  tally.requests++;
  tally.byStatus.set(res.status, (tally.byStatus.get(res.status) ?? 0) + 1);
  expect(res.status, `${caller} ${method} ${url.slice(0, 200)} ${JSON.stringify(headers).slice(0, 200)}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
  return res;
}

describe('no malformed request is answered 5xx', () => {
  const all = targets();
  const segments = HOSTILE_SEGMENTS.slice(0, chaosCount(10, HOSTILE_SEGMENTS.length));
  const values = HOSTILE_VALUES.slice(0, chaosCount(7, HOSTILE_VALUES.length));

  it('sweeps every route the server declares', () => {
    expect(new Set(all.map((t) => t.route))).toEqual(new Set([...declaredRoutes(), 'client.ts static']));
  });

  for (const target of all) {
    it(`${target.method} ${target.template} (${target.route})`, async () => {
      const params = [...target.template.matchAll(/:(\w+)/g)].map((m) => m[1]!);
      for (const caller of ['admin', 'none'] as const) {
        // Hostile path segments: in each placeholder, or after the path when it has none.
        for (const segment of segments) {
          if (params.length === 0) await probe(target.method, `${fill(target.template, {})}/${segment}`, {}, caller);
          for (const name of params) await probe(target.method, fill(target.template, { [name]: segment }), {}, caller);
        }
        for (const headers of caller === 'admin' ? HOSTILE_HEADERS : HOSTILE_HEADERS.filter((_h, i) => i % 5 === 0)) await probe(target.method, fill(target.template, {}), headers, caller);
      }
      // Hostile query values and shapes for each name the route's file reads, as administrator.
      const url = fill(target.template, {});
      for (const name of target.queries) {
        for (const value of values) await probe(target.method, `${url}?${name}=${value}`, {}, 'admin');
        for (const query of hostileQueryShapes(name).slice(0, chaosCount(3, 99))) await probe(target.method, `${url}?${query}`, {}, 'admin');
      }
    });
  }

  it('logs no error and no stack for any of them, and the server still answers', async () => {
    const errors = logLines.map((line) => JSON.parse(line) as { level: number; msg: string; err?: { stack?: string } }).filter((l) => l.level >= 50 || (l.level >= 40 && l.err?.stack));
    expect(errors.map((l) => l.msg)).toEqual([]);
    const health = await api(s, 'GET', '/api/v1/health');
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('ok');
  });
});
